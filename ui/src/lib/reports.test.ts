import { describe, expect, it } from 'vitest';
import { averageCents, formatCents } from './money';
import { periodTick, sameYear } from './periods';
import { addDays, lastDays, lastMonth, reportRange, thisMonth, thisYear, todayIn } from './reportRange';

describe('report days', () => {
  it("knows today in the shop's time zone", () => {
    const now = new Date('2026-11-30T17:30:00Z');
    expect(todayIn('Asia/Shanghai', now)).toBe('2026-12-01');
    expect(todayIn('America/New_York', now)).toBe('2026-11-30');
    expect(todayIn('Not/AZone', now)).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('counts days across months and years', () => {
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(lastDays(30, '2026-12-01')).toEqual({ from: '2026-11-02', to: '2026-12-01' });
    expect(lastDays(1, '2026-12-01')).toEqual({ from: '2026-12-01', to: '2026-12-01' });
  });

  it('has the usual presets', () => {
    expect(thisMonth('2026-12-15')).toEqual({ from: '2026-12-01', to: '2026-12-15' });
    expect(lastMonth('2026-03-15')).toEqual({ from: '2026-02-01', to: '2026-02-28' });
    expect(lastMonth('2026-01-05')).toEqual({ from: '2025-12-01', to: '2025-12-31' });
    expect(thisYear('2026-12-15')).toEqual({ from: '2026-01-01', to: '2026-12-15' });
  });

  it('reads the range from the URL, or takes the last 30 days', () => {
    const today = '2026-12-01';
    expect(reportRange(undefined, undefined, today)).toEqual({ from: '2026-11-02', to: today });
    expect(reportRange('2026-10-01', '2026-10-31', today)).toEqual({ from: '2026-10-01', to: '2026-10-31' });
    expect(reportRange('2026-10-31', '2026-10-01', today)).toEqual({ from: '2026-10-01', to: '2026-10-31' });
    expect(reportRange('2026-11-20', undefined, today)).toEqual({ from: '2026-11-20', to: today });
    expect(reportRange(undefined, '2026-10-30', today)).toEqual({ from: '2026-10-01', to: '2026-10-30' });
    expect(reportRange('2026-13-40', 'soon', today)).toEqual({ from: '2026-11-02', to: today });
  });
});

describe('report periods', () => {
  it('shortens axis labels within one year', () => {
    expect(sameYear(['2026-11-30', '2026-12-01'])).toBe(true);
    expect(sameYear(['2026-12-31', '2027-01-01'])).toBe(false);
    expect(periodTick('2026-11-28', true)).toBe('11-28');
    expect(periodTick('2026-11-28', false)).toBe('2026-11-28');
    expect(periodTick('2026-W48', true)).toBe('W48');
    expect(periodTick('2026-11', true)).toBe('2026-11');
  });
});

describe('averages', () => {
  it('shares a total exactly, rounding half up to the cent', () => {
    expect(formatCents(averageCents('100.00', 3) ?? 0n)).toBe('33.33');
    expect(formatCents(averageCents('0.05', 2) ?? 0n)).toBe('0.03');
    expect(formatCents(averageCents('-0.05', 2) ?? 0n)).toBe('-0.03');
    expect(formatCents(averageCents('123456789012345678.90', 1) ?? 0n)).toBe('123456789012345678.90');
    expect(averageCents('10.00', 0)).toBeNull();
    expect(averageCents('ten', 2)).toBeNull();
  });
});
