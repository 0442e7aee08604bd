import { safeNext } from '../lib/format';

export type SignInReason = 'expired' | 'signedOut';

/** /signin?next=…&reason=…, keeping only a safe in-app "next". */
export function signInPath(next?: string | null, reason?: SignInReason): string {
  const sp = new URLSearchParams();
  const n = safeNext(next);
  if (n && n !== '/') sp.set('next', n);
  if (reason) sp.set('reason', reason);
  const qs = sp.toString();
  return qs ? `/signin?${qs}` : '/signin';
}

export function changePasswordPath(next?: string | null): string {
  const n = safeNext(next);
  return n && n !== '/' ? `/change-password?next=${encodeURIComponent(n)}` : '/change-password';
}
