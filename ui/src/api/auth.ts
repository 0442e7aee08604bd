import { ApiError, apiRequest } from './client';
import type { Me, SessionResponse } from './types';

/** Signs in; the server answers with the user and sets the HttpOnly session cookie. */
export function startSession(username: string, password: string): Promise<SessionResponse> {
  return apiRequest<SessionResponse>('/api/auth/session', {
    method: 'POST',
    body: { username, password },
    expectUnauthorized: true,
  });
}

/** Signs out: the server revokes the session and clears the cookie. */
export function endSession(): Promise<void> {
  return apiRequest<void>('/api/auth/session', { method: 'DELETE', expectUnauthorized: true });
}

/** The signed-in user (with the roles they may grant), or null without a (valid) session cookie. */
export async function fetchMe(signal?: AbortSignal): Promise<Me | null> {
  try {
    return await apiRequest<Me>('/api/auth/me', { signal, expectUnauthorized: true });
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) return null;
    throw err;
  }
}

/** Changes the password; the server answers with the user and a fresh session cookie. */
export function changePassword(currentPassword: string, newPassword: string): Promise<SessionResponse> {
  return apiRequest<SessionResponse>('/api/auth/password', {
    method: 'POST',
    body: { current_password: currentPassword, new_password: newPassword },
  });
}
