import { useQuery } from '@tanstack/react-query';
import type { QueryClient } from '@tanstack/react-query';
import { fetchMe } from '../api/auth';
import type { User } from '../api/types';

export const ME_KEY = ['me'] as const;

/** Who is signed in: undefined while asking, null when nobody is. */
export function useMe() {
  return useQuery({
    queryKey: ME_KEY,
    queryFn: ({ signal }) => fetchMe(signal),
    staleTime: Infinity,
    retry: false,
  });
}

/** The signed-in user; only for components rendered behind RequireUser. */
export function useUser(): User {
  const { data } = useMe();
  if (!data) throw new Error('useUser() outside RequireUser');
  return data;
}

/** Records a new session (sign-in, password change). */
export function setSignedIn(client: QueryClient, user: User): void {
  client.setQueryData(ME_KEY, user);
}

/** Forgets everything the previous user could see. */
export function setSignedOut(client: QueryClient): void {
  client.removeQueries({ predicate: (q) => q.queryKey[0] !== 'me' });
  client.setQueryData(ME_KEY, null);
}
