import { describe, expect, it } from 'vitest';
import { offsetAt, wallClockIn, zonedToRfc3339 } from './zone';

describe('the shop zone clock', () => {
  it("reads the shop's clock and names the instant of one of its times", () => {
    const at = new Date('2026-12-01T16:30:00Z');
    expect(wallClockIn(at, 'Asia/Shanghai')).toEqual({ year: 2026, month: 12, day: 2, hour: 0, minute: 30, second: 0 });
    expect(zonedToRfc3339({ year: 2026, month: 12, day: 2, hour: 0, minute: 30, second: 0 }, 'Asia/Shanghai')).toBe(
      '2026-12-01T16:30:00Z',
    );
    expect(offsetAt(at.getTime(), 'Asia/Shanghai')).toBe(8 * 3600 * 1000);
  });

  it('follows summer time', () => {
    expect(zonedToRfc3339({ year: 2026, month: 7, day: 15, hour: 12, minute: 0, second: 0 }, 'Europe/Berlin')).toBe(
      '2026-07-15T10:00:00Z',
    );
    expect(zonedToRfc3339({ year: 2026, month: 12, day: 15, hour: 12, minute: 0, second: 0 }, 'Europe/Berlin')).toBe(
      '2026-12-15T11:00:00Z',
    );
  });
});
