// Client-side checks for a new password. The server enforces the same
// limits (bcrypt only uses the first 72 bytes, so longer passwords are
// rejected rather than silently truncated).

export const MIN_PASSWORD_CHARS = 8;
export const MAX_PASSWORD_BYTES = 72;

export type PasswordProblem = 'tooShort' | 'tooLong' | 'mismatch';

const encoder = new TextEncoder();

export function utf8Length(s: string): number {
  return encoder.encode(s).length;
}

/** Number of Unicode code points (so an emoji counts as one character). */
export function charLength(s: string): number {
  return Array.from(s).length;
}

export function checkNewPassword(newPassword: string, confirm: string): PasswordProblem | null {
  if (charLength(newPassword) < MIN_PASSWORD_CHARS) return 'tooShort';
  if (utf8Length(newPassword) > MAX_PASSWORD_BYTES) return 'tooLong';
  if (newPassword !== confirm) return 'mismatch';
  return null;
}
