import { describe, expect, it } from 'vitest';
import {
  addLine,
  draftTotal,
  lineForField,
  inStock,
  lineForStockError,
  lineFromProduct,
  linesFromOrder,
  overStock,
  quotedLine,
  removeLine,
  setLineField,
  setQuantity,
  toItems,
} from './orderLines';

const tea = lineFromProduct({ id: 1, name: '龙井茶', sku: 'TEA-001', price: '19.90', stock_quantity: 5 });
const cup = lineFromProduct({ id: 2, name: 'Cup', sku: 'CUP-1', price: '0.10', stock_quantity: 100 });

describe('order lines', () => {
  it('adds products, and picking one again adds one more', () => {
    let lines = addLine([], tea);
    lines = addLine(lines, cup);
    lines = addLine(lines, tea);
    expect(lines.map((l) => [l.sku, l.quantity])).toEqual([
      ['TEA-001', 2],
      ['CUP-1', 1],
    ]);
  });

  it('keeps the live total exact', () => {
    let lines = addLine(addLine([], tea), cup);
    lines = setQuantity(lines, 2, 3);
    expect(draftTotal(lines)).toBe('20.20');
    lines = setQuantity(lines, 1, 3);
    expect(draftTotal(lines)).toBe('60.00');
    expect(draftTotal(removeLine(lines, 1))).toBe('0.30');
  });

  it('keeps quantities whole and within 1..100000', () => {
    const lines = [tea];
    expect(setQuantity(lines, 1, 0)[0]?.quantity).toBe(1);
    expect(setQuantity(lines, 1, 2.7)[0]?.quantity).toBe(2);
    expect(setQuantity(lines, 1, 1e9)[0]?.quantity).toBe(100000);
    expect(setQuantity(lines, 1, Number.NaN)[0]?.quantity).toBe(1);
  });

  it('warns when more is asked than was in stock', () => {
    expect(overStock({ ...tea, quantity: 6 })).toBe(true);
    expect(overStock({ ...tea, quantity: 5 })).toBe(false);
    expect(overStock({ ...tea, available: undefined, quantity: 1e5 })).toBe(false);
  });

  it('builds the request items and reads back the lines of an order', () => {
    expect(toItems([tea, { ...cup, quantity: 4 }])).toEqual([
      { product_id: 1, quantity: 1 },
      { product_id: 2, quantity: 4 },
    ]);
    const lines = linesFromOrder([
      {
        id: 9,
        product_id: 1,
        product_name: '龙井茶',
        sku: 'TEA-001',
        quantity: 2,
        list_price: '20.00',
        unit_price: '18.00',
        discount_percent: '0',
        line_total: '36.00',
        tax_rate: '13',
        tax: '4.14',
        shipped_quantity: 0,
        returned_quantity: 0,
      },
    ]);
    expect(lines[0]).toEqual({ productId: 1, name: '龙井茶', sku: 'TEA-001', unitPrice: '18.00', quantity: 2 });
  });

  it('sends a price or percentage only when staff typed one', () => {
    const lines = setLineField(
      setLineField([lineFromProduct({ id: 1, name: 'a', price: '1.00' }), lineFromProduct({ id: 2, name: 'b', price: '2.00' })], 1, 'price', ' 0.80 '),
      2,
      'off',
      '12.5',
    );
    expect(toItems(lines)).toEqual([
      { product_id: 1, quantity: 1, unit_price: '0.80' },
      { product_id: 2, quantity: 1, discount_percent: '12.5' },
    ]);
    expect(toItems(setLineField(lines, 1, 'price', '  '))[0]).toEqual({ product_id: 1, quantity: 1 });
  });

  it('reads what the quote says of a product kept on several lines', () => {
    const item = (id: number, total: string, tax: string) => ({
      id,
      product_id: 7,
      product_name: 'x',
      sku: 'X',
      quantity: 1,
      list_price: '10.00',
      unit_price: '10.00',
      discount_percent: id === 1 ? '10' : '0',
      line_total: total,
      tax_rate: '13',
      tax,
      shipped_quantity: 0,
      returned_quantity: 0,
    });
    expect(quotedLine([item(1, '9.00', '1.04'), item(2, '10.00', '1.15')], 7)).toEqual({
      listPrice: '10.00',
      unitPrice: '10.00',
      off: '10',
      total: 1900n,
      tax: 219n,
    });
    expect(quotedLine([], 7)).toBeUndefined();
  });

  it('finds the line an error is about', () => {
    const lines = [tea, cup];
    expect(lineForStockError(lines, { product_id: 2, sku: 'CUP-1' })).toBe(2);
    expect(lineForStockError(lines, { sku: 'CUP-1' })).toBe(2);
    expect(lineForStockError(lines, { product_id: 9, sku: 42 })).toBeUndefined();
    expect(lineForField(lines, 'items[1].quantity')).toBe(2);
    expect(lineForField(lines, 'items[7].quantity')).toBeUndefined();
    expect(lineForField(lines, 'note')).toBeUndefined();
  });
});

describe('products a customer orders', () => {
  const hidden = { id: 3, name: '白茶', price: '30.00', description: null, in_stock: true, sku: null, stock_quantity: null };

  it('makes lines without SKU or stock when the shop hides them', () => {
    const line = lineFromProduct(hidden);
    expect(line).toEqual({ productId: 3, name: '白茶', sku: null, unitPrice: '30.00', quantity: 1 });
    expect(overStock({ ...line, quantity: 1000 })).toBe(false);
    expect(lineForStockError([line], { product_id: 3, sku: 'WHITE-1' })).toBe(3);
    expect(lineForStockError([line], { sku: 'WHITE-1' })).toBeUndefined();
  });

  it('keeps them when it shows them', () => {
    const line = lineFromProduct({ ...hidden, sku: 'WHITE-1', stock_quantity: 2 });
    expect(line.sku).toBe('WHITE-1');
    expect(overStock({ ...line, quantity: 3 })).toBe(true);
  });

  it('tells whether there is stock, from in_stock or the number', () => {
    expect(inStock(hidden)).toBe(true);
    expect(inStock({ ...hidden, in_stock: false, stock_quantity: 0 })).toBe(false);
    const product = {
      id: 1,
      sku: 'TEA-001',
      name: '龙井茶',
      price: '19.90',
      stock_quantity: 0,
      is_low_stock: true,
      status: 'active' as const,
      created_at: '',
      updated_at: '',
    };
    expect(inStock(product)).toBe(false);
    expect(inStock({ ...product, stock_quantity: 4 })).toBe(true);
  });
});
