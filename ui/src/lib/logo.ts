// The shop's logo on the settings page: what the server takes, and its refusals in the UI
// language. The server reads the type from the file's first bytes, so only the size is
// checked here before sending (the same limit, with the same words as the server's 413).
import type { TFunction } from 'i18next';
import { LOGO_MAX_BYTES } from '../api/admin';
import { ApiError } from '../api/client';
import { describeError, translateValidation } from './errors';
import { stripFieldPrefix } from './fields';

/** The types the server takes, for the file chooser. */
export const LOGO_ACCEPT = 'image/png,image/jpeg,image/webp';

function tooLarge(limitBytes: number, t: TFunction): string {
  return t('settings.logoTooLarge', { kib: Math.floor(limitBytes / 1024) });
}

/** Why this file will not be taken before it is even sent, or null. */
export function checkLogoFile(file: { size: number }, t: TFunction): string | null {
  if (file.size > LOGO_MAX_BYTES) return tooLarge(LOGO_MAX_BYTES, t);
  return null;
}

/** The server's refusal of a logo (413 too big, 422 not an image), in the UI language. */
export function describeLogoError(err: unknown, t: TFunction): string {
  if (err instanceof ApiError) {
    if (err.status === 413 || err.code === 'payload_too_large') {
      const limit = err.details['limit_bytes'];
      return tooLarge(typeof limit === 'number' && limit > 0 ? limit : LOGO_MAX_BYTES, t);
    }
    if (err.code === 'validation_failed' && err.field === 'logo') {
      return translateValidation(stripFieldPrefix(err.message, 'logo'), t);
    }
  }
  return describeError(err, t);
}
