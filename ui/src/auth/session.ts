import { useQuery } from '@tanstack/react-query';
import type { QueryClient } from '@tanstack/react-query';
import { fetchMe } from '../api/auth';
import type { Me, User } from '../api/types';
import type { SignInReason } from './paths';

export const ME_KEY = ['me'] as const;
/** Why the last session ended (shown on the sign-in page); kept in the query cache. */
export const ENDED_KEY = ['session-ended'] as const;

const KEEP = new Set<unknown>([ME_KEY[0], ENDED_KEY[0]]);

/**
 * The signed-in user as the cache holds it: GET /api/auth/me's answer (a Me), or, just after
 * signing in or changing the password, the session's User until that answer comes.
 */
export type SessionUser = User & Partial<Pick<Me, 'grantable_roles'>>;

/** Who is signed in: undefined while asking, null when nobody is. */
export function useMe() {
  return useQuery<SessionUser | null>({
    queryKey: ME_KEY,
    queryFn: ({ signal }) => fetchMe(signal),
    staleTime: Infinity,
    retry: false,
  });
}

/** The signed-in user; only for components rendered behind RequireUser. */
export function useUser(): SessionUser {
  const { data } = useMe();
  if (!data) throw new Error('useUser() outside RequireUser');
  return data;
}

/**
 * Records a new session (sign-in, password change), then asks GET /api/auth/me for what the
 * session's answer leaves out (the roles the user may grant).
 */
export function setSignedIn(client: QueryClient, user: User): void {
  client.setQueryData(ENDED_KEY, null);
  client.setQueryData<SessionUser | null>(ME_KEY, user);
  void client.invalidateQueries({ queryKey: ME_KEY });
}

/**
 * Forgets everything the previous user could see. The guards then send the browser to
 * the sign-in page, telling why (and, for an expired session, where to come back to).
 */
export function setSignedOut(client: QueryClient, reason: SignInReason): void {
  client.removeQueries({ predicate: (q) => !KEEP.has(q.queryKey[0]) });
  client.setQueryData(ENDED_KEY, reason);
  client.setQueryData(ME_KEY, null);
}

/** Why the last session ended, if it did in this tab. */
export function endedReason(client: QueryClient): SignInReason | undefined {
  return client.getQueryData<SignInReason | null>(ENDED_KEY) ?? undefined;
}
