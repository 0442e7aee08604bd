import { describe, expect, it } from 'vitest';
import { checkNewPassword, utf8Length } from './password';

describe('checkNewPassword', () => {
  it('accepts a good password', () => {
    expect(checkNewPassword('correct horse', 'correct horse')).toBeNull();
  });

  it('requires at least 8 characters', () => {
    expect(checkNewPassword('1234567', '1234567')).toBe('tooShort');
    expect(checkNewPassword('12345678', '12345678')).toBeNull();
    // 8 Chinese characters are 8 characters even though they are 24 bytes.
    expect(checkNewPassword('订单管理系统密码', '订单管理系统密码')).toBeNull();
  });

  it('limits the password to 72 UTF-8 bytes, not 72 characters', () => {
    const ascii72 = 'a'.repeat(72);
    expect(checkNewPassword(ascii72, ascii72)).toBeNull();
    expect(checkNewPassword(ascii72 + 'b', ascii72 + 'b')).toBe('tooLong');
    const zh24 = '密'.repeat(24); // 72 bytes
    expect(utf8Length(zh24)).toBe(72);
    expect(checkNewPassword(zh24, zh24)).toBeNull();
    const zh25 = '密'.repeat(25); // 75 bytes, only 25 characters
    expect(checkNewPassword(zh25, zh25)).toBe('tooLong');
  });

  it('requires the confirmation to match', () => {
    expect(checkNewPassword('password1', 'password2')).toBe('mismatch');
  });
});
