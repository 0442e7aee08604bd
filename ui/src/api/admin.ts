import { apiRequest } from './client';
import type { ListParams } from './lists';
import type { AuditEntry, NewUser, Page, Role, Settings, SettingsPatch, SystemInfo, UserPatch, UserView } from './types';

export interface UserListParams extends ListParams {
  role?: Role;
  is_active?: boolean;
}

export interface AuditListParams extends ListParams {
  entity_type?: string;
  entity_id?: number;
  user_id?: number;
  action?: string;
  date_from?: string;
  date_to?: string;
}

export const usersApi = {
  // Every account comes with what the signed-in admin may do to it (actions).
  list: (query: UserListParams, signal?: AbortSignal) => apiRequest<Page<UserView>>('/api/users', { query, signal }),
  create: (body: NewUser) => apiRequest<UserView>('/api/users', { method: 'POST', body }),
  update: (id: number, body: UserPatch) => apiRequest<UserView>(`/api/users/${id}`, { method: 'PATCH', body }),
  remove: (id: number) => apiRequest<void>(`/api/users/${id}`, { method: 'DELETE' }),
  /** Another account's password; one's own is changed at POST /api/auth/password. */
  resetPassword: (id: number, password: string, mustChange: boolean) =>
    apiRequest<UserView>(`/api/users/${id}/password`, {
      method: 'POST',
      body: { password, must_change_password: mustChange },
    }),
};

export const auditApi = {
  list: (query: AuditListParams, signal?: AbortSignal) =>
    apiRequest<Page<AuditEntry>>('/api/audit', { query, signal }),
};

export const settingsApi = {
  get: (signal?: AbortSignal) => apiRequest<Settings>('/api/settings', { signal }),
  update: (body: SettingsPatch) => apiRequest<Settings>('/api/settings', { method: 'PATCH', body }),
  /** The image file itself as the body (PNG, JPEG or WebP, at most LOGO_MAX_BYTES). */
  putLogo: (file: Blob) =>
    apiRequest<Settings>('/api/settings/logo', {
      method: 'PUT',
      raw: { body: file, contentType: file.type || 'application/octet-stream' },
    }),
  removeLogo: () => apiRequest<Settings>('/api/settings/logo', { method: 'DELETE' }),
};

/** The largest logo the server takes (512 KiB). */
export const LOGO_MAX_BYTES = 512 * 1024;

/** The logo's address, for <img>: changes whenever the logo does; null without a logo. */
export function logoUrl(settings: Pick<Settings, 'logo_updated_at'> | undefined): string | null {
  const v = settings?.logo_updated_at;
  return v ? `/api/settings/logo?v=${encodeURIComponent(v)}` : null;
}

export const systemApi = {
  get: (signal?: AbortSignal) => apiRequest<SystemInfo>('/api/system', { signal }),
};
