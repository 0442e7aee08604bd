import { describe, expect, it } from 'vitest';
import { centsToChartNumber, formatCents, isValidPrice, lineCents, moneyFormatter, normalizePrice, orderTotal, parseCents } from './money';

describe('parseCents / formatCents', () => {
  it('reads decimal strings exactly', () => {
    expect(parseCents('19.90')).toBe(1990n);
    expect(parseCents('19.9')).toBe(1990n);
    expect(parseCents('19')).toBe(1900n);
    expect(parseCents('0.01')).toBe(1n);
    expect(parseCents('-5.05')).toBe(-505n);
    expect(parseCents(' 3.5 ')).toBe(350n);
    expect(parseCents('90071992547409.93')).toBe(9007199254740993n);
  });

  it('rejects what is not money', () => {
    for (const bad of ['', 'abc', '1.234', '1,5', '.5', '1.', '1e3', '--1', 'NaN']) expect(parseCents(bad)).toBeNull();
  });

  it('writes cents back as a two-decimal string', () => {
    expect(formatCents(1990n)).toBe('19.90');
    expect(formatCents(5n)).toBe('0.05');
    expect(formatCents(-5n)).toBe('-0.05');
    expect(formatCents(0n)).toBe('0.00');
    expect(formatCents(123456789012345678n)).toBe('1234567890123456.78');
  });
});

describe('order sums', () => {
  it('adds money without float error', () => {
    // 0.1 + 0.2 !== 0.3 in floats; in cents it is exact.
    expect(orderTotal([
      { unitPrice: '0.10', quantity: 1 },
      { unitPrice: '0.20', quantity: 1 },
    ])).toBe('0.30');
    expect(orderTotal([{ unitPrice: '19.90', quantity: 3 }])).toBe('59.70');
    expect(orderTotal([
      { unitPrice: '1.15', quantity: 100 },
      { unitPrice: '0.07', quantity: 3 },
    ])).toBe('115.21');
    expect(orderTotal([])).toBe('0.00');
  });

  it('keeps huge totals exact', () => {
    expect(lineCents('99999999.99', 100000)).toBe(999999999900000n);
    expect(orderTotal([{ unitPrice: '99999999.99', quantity: 100000 }])).toBe('9999999999000.00');
  });

  it('ignores a broken quantity rather than producing NaN', () => {
    expect(lineCents('1.00', Number.NaN)).toBe(0n);
  });
});

describe('prices typed by a user', () => {
  it('accepts non-negative amounts with up to two decimals', () => {
    expect(isValidPrice('0')).toBe(true);
    expect(isValidPrice('19.9')).toBe(true);
    expect(isValidPrice('-1')).toBe(false);
    expect(isValidPrice('1.999')).toBe(false);
    expect(normalizePrice('19.9')).toBe('19.90');
    expect(normalizePrice(' 7 ')).toBe('7.00');
    expect(normalizePrice('x')).toBe('x');
  });
});

describe('moneyFormatter', () => {
  it("shows the shop's currency symbol, grouped for the UI language", () => {
    expect(moneyFormatter('zh-CN', '¥')('19.90')).toBe('¥19.90');
    expect(moneyFormatter('en', '$')('1234.5')).toBe('$1,234.50');
    expect(moneyFormatter('en', '¥')(1990n)).toBe('¥19.90');
    expect(moneyFormatter('zh-CN', '¥')('1234567.8')).toBe('¥1,234,567.80');
  });

  it('sets a symbol made of letters apart from the amount', () => {
    expect(moneyFormatter('zh-CN', 'RMB')('40.10')).toBe('RMB\u00a040.10');
    expect(moneyFormatter('en', ' RMB ')('0.1')).toBe('RMB\u00a00.10');
    expect(moneyFormatter('en', 'US$')('5')).toBe('US$5.00');
  });

  it('puts the minus before the symbol', () => {
    expect(moneyFormatter('en', '$')('-0.05')).toBe('-$0.05');
    expect(moneyFormatter('zh-CN', 'RMB')(-1990n)).toBe('-RMB\u00a019.90');
  });

  it('does not lose precision on large amounts', () => {
    expect(moneyFormatter('en', '$')('90071992547409.93')).toBe('$90,071,992,547,409.93');
  });

  it('survives no symbol, an unknown locale and unreadable amounts', () => {
    expect(moneyFormatter('en', '')('5')).toBe('5.00');
    expect(moneyFormatter('not a locale!', '¥')('5')).toBe('¥5.00');
    expect(moneyFormatter('en', '$')('abc')).toBe('abc');
  });

  it('gives charts a plain number', () => {
    expect(centsToChartNumber('19.90')).toBe(19.9);
  });
});
