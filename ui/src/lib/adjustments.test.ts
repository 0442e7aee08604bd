import { describe, expect, it } from 'vitest';
import { adjustedTotal, adjustmentRows, includedTax } from './adjustments';

describe('adjustedTotal, the server rule', () => {
  it('rounds down to the yuan or ten yuan, after the discount and the fee', () => {
    expect(adjustedTotal(26720n, 0n, 0n, 'yuan')).toEqual({ rounding: 20n, total: 26700n, tooMuch: false });
    expect(adjustedTotal(26720n, 0n, 0n, 'ten_yuan')).toEqual({ rounding: 720n, total: 26000n, tooMuch: false });
    // 267.20 − 5.50 + 8.00 = 269.70 → 269.00
    expect(adjustedTotal(26720n, 550n, 800n, 'yuan')).toEqual({ rounding: 70n, total: 26900n, tooMuch: false });
    expect(adjustedTotal(26720n, 0n, 0n, 'none').total).toBe(26720n);
  });

  it('flags a discount beyond the order, and allows a free one', () => {
    expect(adjustedTotal(1000n, 1000n, 0n, 'none')).toEqual({ rounding: 0n, total: 0n, tooMuch: false });
    expect(adjustedTotal(1000n, 1001n, 0n, 'none').tooMuch).toBe(true);
  });
});

describe('adjustmentRows', () => {
  it('shows nothing for a plain order, and the subtotal with each adjustment otherwise', () => {
    expect(adjustmentRows({ subtotal: '10.00', discount: '0.00', rounding: '0.00', shipping_fee: '0.00' })).toEqual([]);
    expect(adjustmentRows({ subtotal: '267.20', discount: '5.50', rounding: '0.70', shipping_fee: '8.00' })).toEqual([
      { key: 'subtotal', cents: 26720n },
      { key: 'discount', cents: -550n },
      { key: 'rounding', cents: -70n },
      { key: 'shippingFee', cents: 800n },
    ]);
  });
});

describe('tax on the order', () => {
  it('adds tax the prices exclude to the sum, and shows included tax apart', () => {
    const o = { subtotal: '219.00', discount: '0.00', rounding: '0.00', shipping_fee: '0.00', tax: '21.05' };
    expect(adjustmentRows({ ...o, prices_include_tax: false })).toEqual([
      { key: 'subtotal', cents: 21900n },
      { key: 'taxAdded', cents: 2105n },
    ]);
    expect(includedTax({ ...o, prices_include_tax: false })).toBe(0n);
    expect(adjustmentRows({ ...o, prices_include_tax: true })).toEqual([]);
    expect(includedTax({ ...o, prices_include_tax: true })).toBe(2105n);
  });
});
