// CSV imports run as jobs on the server: an upload answers with the job, finished (200) or
// still running (202, to be followed once a second). A failed job carries the error its
// upload would have answered; these helpers turn both into what the import dialog shows.
import { ApiError, isRecord } from '../api/client';
import { importsApi } from '../api/transfer';
import type { ImportJob, ImportKind, ImportProblem, ImportStatus } from '../api/types';

/** How often a running job is asked for its progress. */
export const POLL_MS = 1000;

export function jobFinished(status: ImportStatus): boolean {
  return status === 'done' || status === 'failed';
}

const STATUS_OF_CODE: Record<string, number> = {
  invalid_csv: 422,
  bad_encoding: 422,
  validation_failed: 422,
  already_imported: 409,
  sku_taken: 409,
  insufficient_stock: 409,
  login_taken: 409,
  interrupted: 503,
  service_unavailable: 503,
  storage_full: 507,
};

/** A failed job's error, as its upload would have answered it. */
export function jobError(job: ImportJob): ApiError {
  const e = job.error;
  if (!e) return new ApiError(500, 'internal_error', 'the import failed', {}, false);
  const details: Record<string, unknown> = isRecord(e.details) ? e.details : {};
  return new ApiError(STATUS_OF_CODE[e.code] ?? 500, e.code, e.message, details, true);
}

function isProblem(v: unknown): v is ImportProblem {
  return isRecord(v) && typeof v['line'] === 'number' && typeof v['message'] === 'string';
}

export interface ImportProblems {
  /** All the problems found; `problems` lists the first 100. */
  count: number;
  problems: ImportProblem[];
}

/**
 * The problems of an invalid_csv answer, by line and column. A file that cannot be read
 * at all (its header, say) has no list, only its message: that is its one problem.
 */
export function importProblems(err: unknown): ImportProblems | null {
  if (!(err instanceof ApiError) || err.code !== 'invalid_csv') return null;
  const raw = err.details['errors'];
  const problems = Array.isArray(raw) ? raw.filter(isProblem) : [];
  const count = err.details['error_count'];
  if (problems.length === 0) return { count: 1, problems: [{ line: 0, column: null, value: null, message: err.message }] };
  return { count: typeof count === 'number' && count >= problems.length ? count : problems.length, problems };
}

function isJob(v: unknown): v is ImportJob {
  return isRecord(v) && typeof v['id'] === 'number' && typeof v['status'] === 'string';
}

/**
 * For an already_imported answer: the earlier import of the same file (null when that one
 * is still running and the server names none). Undefined for any other error.
 */
export function alreadyImported(err: unknown): ImportJob | null | undefined {
  if (!(err instanceof ApiError) || err.code !== 'already_imported') return undefined;
  const job = err.details['job'];
  return isJob(job) ? job : null;
}

/** A real import of the same file (same kind and SHA-256) that did not fail, if any. */
export function previousImport(recent: readonly ImportJob[], checked: ImportJob): ImportJob | undefined {
  return recent.find(
    (j) =>
      j.id !== checked.id &&
      j.kind === checked.kind &&
      !j.dry_run &&
      j.status !== 'failed' &&
      j.file_sha256 === checked.file_sha256,
  );
}

export interface ImportProgress {
  phase: 'validating' | 'writing';
  /** Rows checked (validating) or written (writing) so far. */
  done: number;
  /** The file's data rows, once the server has read them all. */
  total: number | null;
  percent: number | null;
}

export function importProgress(job: ImportJob): ImportProgress {
  const phase = job.status === 'writing' ? 'writing' : 'validating';
  const done = phase === 'writing' ? job.rows_written : job.rows_checked;
  const total = job.rows ?? null;
  const percent = total ? Math.min(100, Math.floor((done * 100) / total)) : null;
  return { phase, done, total, percent };
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason as Error);
      return;
    }
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason as Error);
      },
      { once: true },
    );
  });
}

/**
 * Uploads a file (a dry run, or the real import) and follows its job until it ends,
 * reporting progress meanwhile. Resolves with the finished job; a failed one throws its error.
 */
export async function runImport(
  kind: ImportKind,
  file: File,
  dryRun: boolean,
  onProgress: (job: ImportJob) => void,
  signal?: AbortSignal,
): Promise<ImportJob> {
  let job = await importsApi.upload(kind, file, file.name, dryRun, signal);
  while (!jobFinished(job.status)) {
    onProgress(job);
    await sleep(POLL_MS, signal);
    job = await importsApi.job(job.id, signal);
  }
  if (job.status === 'failed') throw jobError(job);
  return job;
}
