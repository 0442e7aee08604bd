import { describe, expect, it } from 'vitest';
import { ApiError, parseApiError } from './api';
import { describeError } from './errors';
import { translator } from './i18n';

describe('describeError', () => {
  const en = translator('en');
  const zh = translator('zh-CN');

  it("shows the server's own message", () => {
    const err = parseApiError(401, '{"error":{"code":"invalid_credentials","message":"Invalid credentials"}}');
    expect(describeError(err, zh)).toBe('Invalid credentials');
  });

  it('falls back to a localized message by status', () => {
    expect(describeError(new ApiError(0, 'network_error', 'Failed to fetch'), zh)).toBe(zh('errNetwork'));
    expect(describeError(parseApiError(429, ''), en)).toBe(en('errRateLimited'));
    expect(describeError(parseApiError(500, 'oops'), en)).toBe('Request failed (500).');
  });
});
