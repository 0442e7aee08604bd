import { describe, expect, it } from 'vitest';
import { patchParams, positiveInt, sortOrderFor, sortParam } from './listing';

describe('sorting', () => {
  it('maps antd sorters to the API sort parameter and back', () => {
    expect(sortParam('price', 'ascend')).toBe('price');
    expect(sortParam('price', 'descend')).toBe('-price');
    expect(sortParam('price', null)).toBeUndefined();
    expect(sortParam(undefined, 'ascend')).toBeUndefined();
    expect(sortOrderFor('-price', 'price')).toBe('descend');
    expect(sortOrderFor('price', 'price')).toBe('ascend');
    expect(sortOrderFor('name', 'price')).toBeNull();
    expect(sortOrderFor(undefined, 'price')).toBeNull();
  });
});

describe('URL list state', () => {
  it('reads positive integers only', () => {
    expect(positiveInt('3', 1)).toBe(3);
    expect(positiveInt('0', 1)).toBe(1);
    expect(positiveInt('-2', 1)).toBe(1);
    expect(positiveInt('2.5', 1)).toBe(1);
    expect(positiveInt(null, 20)).toBe(20);
    expect(positiveInt('999', 20, 200)).toBe(200);
  });

  it('sets, removes, and goes back to page 1 when a filter changes', () => {
    const prev = new URLSearchParams('page=3&q=tea&status=active');
    expect(patchParams(prev, { status: 'archived' }, true).toString()).toBe('q=tea&status=archived');
    expect(patchParams(prev, { q: '' }, true).toString()).toBe('status=active');
    expect(patchParams(prev, { low_stock: true }, true).toString()).toBe('q=tea&status=active&low_stock=true');
    expect(patchParams(prev, { low_stock: false }, true).toString()).toBe('q=tea&status=active');
    expect(patchParams(prev, { page: 4 }, false).toString()).toBe('page=4&q=tea&status=active');
    expect(prev.toString()).toBe('page=3&q=tea&status=active');
  });
});
