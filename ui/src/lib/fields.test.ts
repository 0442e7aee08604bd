import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/client';
import { initI18n } from '../i18n';
import { fieldPath, stripFieldPrefix } from './fields';
import { serverFieldError } from './formErrors';

describe('fieldPath', () => {
  it('turns server field names into form paths', () => {
    expect(fieldPath('price')).toEqual(['price']);
    expect(fieldPath('items[0].quantity')).toEqual(['items', 0, 'quantity']);
    expect(fieldPath('items[12].product_id')).toEqual(['items', 12, 'product_id']);
    expect(fieldPath('a.b[1][2].c')).toEqual(['a', 'b', 1, 2, 'c']);
  });

  it('strips the "field: " prefix of validation messages', () => {
    expect(stripFieldPrefix('price: must not be negative', 'price')).toBe('must not be negative');
    expect(stripFieldPrefix('must not be negative', 'price')).toBe('must not be negative');
  });
});

describe('serverFieldError', () => {
  const t = initI18n('en').getFixedT('en');

  it('puts a validation error on its field', () => {
    const err = new ApiError(422, 'validation_failed', 'sku: must not contain spaces', { field: 'sku' }, true);
    expect(serverFieldError(err, t)).toEqual({ name: ['sku'], errors: ['Must not contain spaces'] });
  });

  it('puts a taken SKU or username on its field', () => {
    expect(serverFieldError(new ApiError(409, 'sku_taken', 'x', {}, true), t)?.name).toEqual(['sku']);
    expect(serverFieldError(new ApiError(409, 'username_taken', 'x', {}, true), t)?.name).toEqual(['username']);
  });

  it('has nothing to say about other errors', () => {
    expect(serverFieldError(new ApiError(500, 'internal_error', 'x'), t)).toBeNull();
    expect(serverFieldError(new Error('x'), t)).toBeNull();
  });
});
