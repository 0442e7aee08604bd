import { describe, expect, it } from 'vitest';
import type { CatalogueProduct, Product } from '../api/types';
import { addLine, lineFromProduct } from './orderLines';
import { countOneMore, isStaffProduct, orderRefusal, scanCode } from './scan';

const product: Product = {
  id: 7,
  sku: 'TEA-001',
  name: '龙井茶',
  price: '19.90',
  stock_quantity: 0,
  is_low_stock: true,
  status: 'active',
  created_at: '2026-01-01T00:00:00Z',
  updated_at: '2026-01-01T00:00:00Z',
};
const catalogue: CatalogueProduct = { id: 7, name: '龙井茶', price: '19.90', in_stock: false };

describe('scanned codes', () => {
  it('drops what a scanner adds around the code', () => {
    expect(scanCode('  6901234567892\r')).toBe('6901234567892');
    expect(scanCode('\u001d]C1TEA-001\t')).toBe(']C1TEA-001');
    expect(scanCode('ＴＥＡ－００１')).toBe('ＴＥＡ－００１');
  });

  it('treats blank input as nothing to look up', () => {
    expect(scanCode('')).toBe('');
    expect(scanCode(' \t\n')).toBe('');
  });
});

describe('scanned products', () => {
  it('tells the staff shape from the catalogue one', () => {
    expect(isStaffProduct(product)).toBe(true);
    expect(isStaffProduct(catalogue)).toBe(false);
  });

  it('refuses archived products, and out-of-stock ones for customers only', () => {
    expect(orderRefusal(product, true)).toBeNull();
    expect(orderRefusal({ ...product, status: 'archived' }, true)).toBe('archived');
    expect(orderRefusal(catalogue, false)).toBe('outOfStock');
    expect(orderRefusal({ ...catalogue, in_stock: true }, false)).toBeNull();
  });

  it('adds a scanned product as a line, and scanning it again raises its quantity', () => {
    const cup: CatalogueProduct = { id: 8, name: 'Cup', price: '5.00', in_stock: true };
    let lines = addLine([], lineFromProduct(product));
    lines = addLine(lines, lineFromProduct(cup));
    lines = addLine(lines, lineFromProduct(product));
    expect(lines.map((l) => [l.productId, l.quantity, l.unitPrice])).toEqual([
      [7, 2, '19.90'],
      [8, 1, '5.00'],
    ]);
  });

  it('counts one more piece per scan', () => {
    expect(countOneMore(undefined)).toBe(1);
    expect(countOneMore(null)).toBe(1);
    expect(countOneMore(4)).toBe(5);
    expect(countOneMore(Number.NaN)).toBe(1);
  });
});
