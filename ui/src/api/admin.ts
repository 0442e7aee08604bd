import { apiRequest } from './client';
import type { ListParams } from './lists';
import type { AuditEntry, NewUser, Page, Role, Settings, SystemInfo, User, UserPatch } from './types';

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
  list: (query: UserListParams, signal?: AbortSignal) => apiRequest<Page<User>>('/api/users', { query, signal }),
  create: (body: NewUser) => apiRequest<User>('/api/users', { method: 'POST', body }),
  update: (id: number, body: UserPatch) => apiRequest<User>(`/api/users/${id}`, { method: 'PATCH', body }),
  resetPassword: (id: number, password: string, mustChange: boolean) =>
    apiRequest<User>(`/api/users/${id}/password`, {
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
  update: (body: Partial<Settings>) => apiRequest<Settings>('/api/settings', { method: 'PATCH', body }),
};

export const systemApi = {
  get: (signal?: AbortSignal) => apiRequest<SystemInfo>('/api/system', { signal }),
};
