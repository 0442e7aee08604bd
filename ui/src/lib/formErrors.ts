import type { TFunction } from 'i18next';
import { ApiError } from '../api/client';
import { fieldErrorText } from './errors';
import { fieldPath } from './fields';
import type { FieldPath } from './fields';

/** Conflicts that concern one field although the server names none. */
const CONFLICT_FIELDS: Record<string, string> = {
  sku_taken: 'sku',
  username_taken: 'username',
  login_taken: 'user_id',
};

export interface FieldError {
  name: FieldPath;
  errors: string[];
}

/** The field error to show for a failed save, if the server blamed one field. */
export function serverFieldError(err: unknown, t: TFunction): FieldError | null {
  if (!(err instanceof ApiError)) return null;
  const field = err.field ?? CONFLICT_FIELDS[err.code];
  if (!field) return null;
  return { name: fieldPath(field), errors: [fieldErrorText(err, t)] };
}
