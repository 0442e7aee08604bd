// CSV files for spreadsheets: exports (plain GET links) and imports (uploads that run as jobs).
import { apiRequest, buildUrl } from './client';
import type { QueryParams } from './client';
import type { FileLang, ImportJob, ImportKind } from './types';

export type ExportName = 'orders' | 'order-lines' | 'products' | 'customers' | 'payments';

/**
 * Where an export downloads, with a list's filters and search: a plain link works (a GET;
 * the session cookie goes along, and the server names the file).
 */
export function exportUrl(name: ExportName, filters: QueryParams, lang: FileLang): string {
  return buildUrl(`/api/exports/${name}.csv`, { ...filters, lang });
}

/** The server keeps at most this many characters of a file's name. */
const MAX_FILE_NAME = 200;

export const importsApi = {
  /**
   * Sends a CSV file, as it is, to be checked (dry run: nothing is written) or imported.
   * The answer is the job: finished (200), or still running (202) to be followed.
   */
  upload: (kind: ImportKind, file: Blob, fileName: string, dryRun: boolean, signal?: AbortSignal) =>
    apiRequest<ImportJob>(`/api/imports/${kind}`, {
      raw: { body: file, contentType: 'text/csv' },
      query: { dry_run: dryRun ? true : undefined, file_name: fileName.slice(0, MAX_FILE_NAME) },
      signal,
    }),
  job: (id: number, signal?: AbortSignal) => apiRequest<ImportJob>(`/api/imports/jobs/${id}`, { signal }),
  /** The latest imports, newest first. */
  recent: (signal?: AbortSignal) => apiRequest<ImportJob[]>('/api/imports/jobs', { signal }),
};
