import { apiRequest } from './client';
import type { BackupInfo, BackupList, RestoreReport } from './types';

/** Where a backup file downloads from: a plain link works, the session cookie goes along. */
export function backupDownloadUrl(name: string): string {
  return `/api/backups/${encodeURIComponent(name)}`;
}

export const backupsApi = {
  list: (signal?: AbortSignal) => apiRequest<BackupList>('/api/backups', { signal }),
  /** Takes a verified backup now (may take seconds on a big database). */
  create: () => apiRequest<BackupInfo>('/api/backups', { method: 'POST' }),
  remove: (name: string) => apiRequest<void>(backupDownloadUrl(name), { method: 'DELETE' }),
  /** Replaces the shop's data with the backup's (superadmin); the current data is kept as a backup first. */
  restore: (name: string) =>
    apiRequest<RestoreReport>(`${backupDownloadUrl(name)}/restore`, { method: 'POST', body: {} }),
};
