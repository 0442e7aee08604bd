import { MutationCache, QueryClient } from '@tanstack/react-query';
import { ApiError } from './api/client';

/** Retry only what may pass on a second try: network failures and 5xx, twice at most. */
export function shouldRetry(failureCount: number, error: unknown): boolean {
  if (failureCount >= 2) return false;
  return error instanceof ApiError && (error.status === 0 || error.status >= 500);
}

export function createQueryClient(): QueryClient {
  const client: QueryClient = new QueryClient({
    defaultOptions: {
      queries: {
        retry: shouldRetry,
        staleTime: 15_000,
        refetchOnWindowFocus: false,
      },
      mutations: { retry: false },
    },
    // Any change may show up in several views (an order changes stock, totals,
    // the dashboard...): after a successful change every cached server view is marked
    // stale; only the ones on screen are fetched again.
    mutationCache: new MutationCache({
      onSuccess: () => {
        void client.invalidateQueries({ predicate: (q) => q.queryKey[0] !== 'me' });
      },
    }),
  });
  return client;
}
