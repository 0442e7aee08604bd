// Backups on the System page: sizes, times, reasons and the outcome of the latest attempts,
// without UI so they can be unit-tested.
import type { TFunction } from 'i18next';
import { ApiError } from '../api/client';
import type { BackupInfo, BackupStatus } from '../api/types';
import { describeError } from './errors';
import { isKnownZone, offsetAt } from './zone';

/**
 * A file size in megabytes (1 MB = 1,000,000 bytes) with one decimal, grouped the way the
 * UI language writes numbers: 184320 → "0.2 MB", 1234567890 → "1,234.6 MB". Sizes under
 * 0.1 MB (but not empty) read "< 0.1 MB" rather than a misleading "0.0 MB".
 */
export function formatMegabytes(bytes: number | null | undefined, locale: string): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes) || bytes < 0) return '—';
  const fmt = new Intl.NumberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  const mb = bytes / 1_000_000;
  if (bytes > 0 && mb < 0.05) return `< ${fmt.format(0.1)} MB`;
  return `${fmt.format(mb)} MB`;
}

/** Did the latest backup attempt fail (a failure and no success after it)? */
export function lastAttemptFailed(status: BackupStatus): boolean {
  if (!status.last_failure_at) return false;
  if (!status.last_success_at) return true;
  const failed = Date.parse(status.last_failure_at);
  const succeeded = Date.parse(status.last_success_at);
  if (Number.isNaN(failed) || Number.isNaN(succeeded)) return true;
  return failed >= succeeded;
}

const NAME_STAMP = /^order-system-(\d{4})(\d{2})(\d{2})-(\d{2})(\d{2})(\d{2})(?:-(\d{3}))?(?:-|\.db$)/;

/**
 * When a backup was taken: its recorded time, or, for a file without its record (copied in
 * by hand), the time stamp in its name, which the server writes in the shop's time zone
 * (`timeZone`, settings.time_zone; UTC when not given). null when neither is known.
 */
export function backupTime(info: Pick<BackupInfo, 'name' | 'created_at'>, timeZone = 'UTC'): string | null {
  if (info.created_at && !Number.isNaN(Date.parse(info.created_at))) return info.created_at;
  const m = NAME_STAMP.exec(info.name);
  if (!m) return null;
  const [, y, mo, d, h, mi, s, ms] = m;
  const wall = `${y}-${mo}-${d}T${h}:${mi}:${s}.${ms ?? '000'}Z`;
  const date = new Date(wall);
  if (Number.isNaN(date.getTime()) || date.toISOString() !== wall) return null;
  return new Date(date.getTime() - zoneOffsetMs(date.getTime(), timeZone)).toISOString();
}

/**
 * How far `timeZone`'s wall clock is ahead of UTC at the wall-clock time `wallMs` (read as if
 * it were UTC): 8 h for Asia/Shanghai. 0 for a zone this browser does not know.
 */
function zoneOffsetMs(wallMs: number, timeZone: string): number {
  if (!isKnownZone(timeZone)) return 0;
  // The offset at the instant that wall time names (twice, for a wall time near a DST change).
  const first = offsetAt(wallMs, timeZone);
  return offsetAt(wallMs - first, timeZone);
}

/**
 * An RFC 3339 time to the second, in `timeZone` (the shop's, settings.time_zone) or, without
 * one or with one this browser does not know, in the browser's own.
 */
export function formatLocalDateTime(iso: string | null | undefined, locale: string, timeZone?: string): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const opts: Intl.DateTimeFormatOptions = { dateStyle: 'medium', timeStyle: 'medium' };
  try {
    return new Intl.DateTimeFormat(locale, { ...opts, timeZone }).format(d);
  } catch {
    return new Intl.DateTimeFormat(locale, opts).format(d);
  }
}

export type BackupReasonKey = 'manual' | 'scheduled' | 'preMigrate' | 'preRestore' | 'unknown';

/** The dictionary key of a reason the UI knows (backups.reason.*); null for others. */
export function reasonKey(reason: string): BackupReasonKey | null {
  switch (reason) {
    case 'manual':
      return 'manual';
    case 'scheduled':
      return 'scheduled';
    case 'pre-migrate':
    case 'pre-migration':
      return 'preMigrate';
    case 'pre-restore':
      return 'preRestore';
    case 'unknown':
      return 'unknown';
    default:
      return null;
  }
}

export type Verification = 'ok' | 'unverified' | 'failed';

/** "ok": the copy passed its checks; "not verified": a file without its record; else failed. */
export function verificationOf(verification: string): Verification {
  if (verification === 'ok') return 'ok';
  if (verification === 'not verified') return 'unverified';
  return 'failed';
}

const DISK_FULL = /disk is full|no space left|os error 28/i;

/** The server's text of the latest failure, translated when it is the full disk. */
export function backupErrorText(message: string, t: TFunction): string {
  return DISK_FULL.test(message) ? t('backups.storageFull') : message;
}

/** A failed backup request: a full disk is said in backup terms, the rest as elsewhere. */
export function describeBackupError(err: unknown, t: TFunction): string {
  if (err instanceof ApiError && err.code === 'storage_full') return t('backups.storageFull');
  return describeError(err, t);
}

/** The server's reasons for refusing a backup to restore from (the file's path comes first). */
const RESTORE_REFUSALS: [RegExp, (m: RegExpExecArray, t: TFunction) => string][] = [
  [/ fails verification \((.*)\)$/, (_m, t) => t('backups.restoreFailsVerification')],
  [
    / comes from a newer order-system \(schema version (\d+); this binary knows up to (\d+)\)/,
    (m, t) => t('backups.restoreNewer', { version: m[1], latest: m[2] }),
  ],
  [/ is not an order-system database$/, (_m, t) => t('backups.restoreForeign')],
  [/ is not a readable database: /, (_m, t) => t('backups.restoreUnreadable')],
];

/** A refused or failed restore: why, in the UI language; the shop's data did not change. */
export function describeRestoreError(err: unknown, t: TFunction): string {
  if (err instanceof ApiError && err.code === 'validation_failed' && err.field === 'file') {
    const message = err.message.startsWith('file: ') ? err.message.slice('file: '.length) : err.message;
    for (const [re, say] of RESTORE_REFUSALS) {
      const m = re.exec(message);
      if (m) return t('backups.restoreRefused', { reason: say(m, t) });
    }
    return t('backups.restoreRefused', { reason: message });
  }
  return describeBackupError(err, t);
}
