import { describe, expect, it } from 'vitest';
import { changePasswordPath, signInPath } from '../auth/paths';
import { shouldRetry } from '../queryClient';
import { ApiError } from '../api/client';
import { isIsoDate } from './dates';
import { formatDateTime, safeNext, splitDuration } from './format';
import { adjustmentDelta, signed } from './stock';

describe('stock adjustments', () => {
  it('restock adds, damage removes, a count sets the stock', () => {
    expect(adjustmentDelta('restock', 5, 10)).toBe(5);
    expect(adjustmentDelta('damage', 3, 10)).toBe(-3);
    expect(adjustmentDelta('damage', -3, 10)).toBe(-3);
    expect(adjustmentDelta('count_correction', 7, 10)).toBe(-3);
    expect(adjustmentDelta('count_correction', 12, 10)).toBe(2);
    expect(signed(2)).toBe('+2');
    expect(signed(-2)).toBe('-2');
    expect(signed(0)).toBe('0');
  });
});

describe('formatting', () => {
  it('formats durations (sizes: formatMegabytes in backups.ts, decimal everywhere)', () => {
    expect(splitDuration(90061)).toEqual({ d: 1, h: 1, m: 1, s: 1 });
  });

  it("shows times in the shop's time zone", () => {
    expect(formatDateTime('2026-11-28T16:30:00Z', 'en', 'Asia/Shanghai')).toContain('Nov 29, 2026');
    expect(formatDateTime('2026-11-28T16:30:00Z', 'en', 'Not/AZone')).toContain('2026');
    expect(formatDateTime(null, 'en')).toBe('—');
    expect(formatDateTime('garbage', 'en')).toBe('garbage');
  });

  it('checks API dates', () => {
    expect(isIsoDate('2026-02-28')).toBe(true);
    expect(isIsoDate('2026-02-30')).toBe(false);
    expect(isIsoDate('2026-2-3')).toBe(false);
    expect(isIsoDate(undefined)).toBe(false);
  });
});

describe('where to go after sign-in', () => {
  it('only ever returns to a path of this site', () => {
    expect(safeNext('/orders/5?tab=1')).toBe('/orders/5?tab=1');
    expect(safeNext('//evil.example/x')).toBeNull();
    expect(safeNext('/\\evil.example')).toBeNull();
    expect(safeNext('https://evil.example/')).toBeNull();
    expect(safeNext('/signin?next=/x')).toBeNull();
    expect(safeNext(null)).toBeNull();
  });

  it('builds the sign-in and password links', () => {
    expect(signInPath('/orders/5', 'expired')).toBe('/signin?next=%2Forders%2F5&reason=expired');
    expect(signInPath('/', undefined)).toBe('/signin');
    expect(signInPath('//evil', 'signedOut')).toBe('/signin?reason=signedOut');
    expect(changePasswordPath('/products')).toBe('/change-password?next=%2Fproducts');
    expect(changePasswordPath(null)).toBe('/change-password');
  });
});

describe('query retries', () => {
  it('retries network failures and 5xx twice, nothing else', () => {
    expect(shouldRetry(0, new ApiError(0, 'network_error', 'x'))).toBe(true);
    expect(shouldRetry(1, new ApiError(503, 'service_unavailable', 'x'))).toBe(true);
    expect(shouldRetry(2, new ApiError(503, 'service_unavailable', 'x'))).toBe(false);
    expect(shouldRetry(0, new ApiError(404, 'not_found', 'x'))).toBe(false);
    expect(shouldRetry(0, new ApiError(401, 'unauthorized', 'x'))).toBe(false);
  });
});
