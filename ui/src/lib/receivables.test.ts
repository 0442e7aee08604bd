import { describe, expect, it } from 'vitest';
import { writesInYuan } from './chineseAmount';
import { moneyFormatter } from './money';
import { AGE_BUCKETS, balanceSide, signedMoney } from './receivables';
import { dayIn } from './reportRange';

describe('receivables', () => {
  it('lists the age columns youngest first', () => {
    expect(AGE_BUCKETS).toEqual(['days_0_30', 'days_31_60', 'days_61_90', 'days_over_90']);
  });

  it('signs what an entry did to the balance', () => {
    const money = moneyFormatter('zh-CN', '¥');
    expect(signedMoney(money, '120.00')).toBe('+¥120.00');
    expect(signedMoney(money, '-1234.50')).toBe('-¥1,234.50');
    expect(signedMoney(money, '0.00')).toBe('¥0.00');
  });

  it('says who a balance leaves owing, and how much', () => {
    expect(balanceSide('70.00')).toEqual({ side: 'owes', cents: 7000n });
    expect(balanceSide('-20.05')).toEqual({ side: 'credit', cents: 2005n });
    expect(balanceSide('0.00')).toEqual({ side: 'settled', cents: 0n });
  });

  it('writes yuan in capitals only', () => {
    for (const c of ['CNY', 'cny', 'RMB', ' CNH ']) expect(writesInYuan(c), c).toBe(true);
    for (const c of ['USD', 'HKD', '']) expect(writesInYuan(c), c).toBe(false);
  });

  it("dates a time by the shop's calendar", () => {
    expect(dayIn('2026-10-19T16:30:00.000Z', 'Asia/Shanghai')).toBe('2026-10-20');
    expect(dayIn('2026-10-19T16:30:00.000Z', 'UTC')).toBe('2026-10-19');
    expect(dayIn('soon', 'UTC')).toBe('soon');
  });
});
