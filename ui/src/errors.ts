import { ApiError } from './api';
import type { Translate } from './i18n';

/**
 * Text to show for a failed request: the server's own message when it sent
 * one, otherwise a localized fallback chosen by status.
 */
export function describeError(err: unknown, t: Translate): string {
  if (err instanceof ApiError) {
    if (err.fromServer) return err.message;
    if (err.status === 0) return t('errNetwork');
    if (err.status === 401) return t('errUnauthorized');
    if (err.status === 429) return t('errRateLimited');
    return t('errGeneric', { status: err.status });
  }
  return err instanceof Error ? err.message : String(err);
}
