import { describe, expect, it } from 'vitest';
import { formatMargin, hasUnknownCost, isLoss } from './margins';

describe('margins', () => {
  it('formats basis points as a percentage', () => {
    expect(formatMargin(2350)).toBe('23.50%');
    expect(formatMargin(5)).toBe('0.05%');
    expect(formatMargin(0)).toBe('0.00%');
    expect(formatMargin(10000)).toBe('100.00%');
    expect(formatMargin(-125)).toBe('-1.25%');
    expect(formatMargin(-20000)).toBe('-200.00%');
  });

  it('shows no margin without revenue', () => {
    expect(formatMargin(null)).toBe('—');
    expect(formatMargin(undefined)).toBe('—');
  });

  it('says when some sales had no cost price', () => {
    expect(hasUnknownCost({ revenue_without_cost: '0.00' })).toBe(false);
    expect(hasUnknownCost({ revenue_without_cost: '0' })).toBe(false);
    expect(hasUnknownCost({ revenue_without_cost: '12.50' })).toBe(true);
  });

  it('tells a loss', () => {
    expect(isLoss({ gross_profit: '-0.01' })).toBe(true);
    expect(isLoss({ gross_profit: '0.00' })).toBe(false);
    expect(isLoss({ gross_profit: '3.00' })).toBe(false);
  });
});
