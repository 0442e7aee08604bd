// Thin fetch wrapper for the order-system server API.
// Errors are always thrown as ApiError, parsed from the server's
// {"error":{"code","message","details"}} format when present.

export type Role = string;

export interface User {
  id: number | string;
  username: string;
  email: string | null;
  role: Role;
  is_active: boolean;
  must_change_password: boolean;
  [extra: string]: unknown;
}

export interface TokenResponse {
  access_token: string;
  token_type: string;
  expires_in: number;
  user?: User;
}

export type ErrorDetails = Record<string, unknown>;

/** Codes produced on the client when the server gave us nothing usable. */
export const CLIENT_ERROR_CODES = {
  network: 'network_error',
  badResponse: 'bad_response',
} as const;

export class ApiError extends Error {
  /** HTTP status; 0 when the request never got a response. */
  readonly status: number;
  /** Machine-readable code from the server, e.g. "invalid_credentials". */
  readonly code: string;
  readonly details: ErrorDetails;
  /** true when the message came from the server's error body. */
  readonly fromServer: boolean;

  constructor(status: number, code: string, message: string, details: ErrorDetails = {}, fromServer = false) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
    this.fromServer = fromServer;
  }

  /** The form field the server blamed (details.field), if any. */
  get field(): string | undefined {
    const f = this.details['field'];
    return typeof f === 'string' ? f : undefined;
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function fallbackCode(status: number): string {
  switch (status) {
    case 401:
      return 'unauthorized';
    case 403:
      return 'forbidden';
    case 404:
      return 'not_found';
    case 422:
      return 'validation_failed';
    case 429:
      return 'rate_limited';
    default:
      return status >= 500 ? 'server_error' : `http_${status}`;
  }
}

/**
 * Build an ApiError from an HTTP status and the raw response body text.
 * Never throws: anything that does not match the documented error format
 * yields a generic error keyed by status.
 */
export function parseApiError(status: number, bodyText: string, statusText = ''): ApiError {
  let body: unknown;
  try {
    body = bodyText ? JSON.parse(bodyText) : undefined;
  } catch {
    body = undefined;
  }
  const err = isRecord(body) ? body['error'] : undefined;
  if (isRecord(err)) {
    const code = typeof err['code'] === 'string' && err['code'] ? err['code'] : fallbackCode(status);
    const msg = typeof err['message'] === 'string' ? err['message'].trim() : '';
    const details = isRecord(err['details']) ? err['details'] : {};
    if (msg) return new ApiError(status, code, msg, details, true);
    return new ApiError(status, code, statusText || `HTTP ${status}`, details, false);
  }
  return new ApiError(status, fallbackCode(status), statusText || `HTTP ${status}`, {}, false);
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  token?: string;
  signal?: AbortSignal;
}

/** Performs a JSON request; resolves with the parsed body or throws ApiError. */
export async function apiRequest<T>(path: string, opts: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (opts.body !== undefined) headers['Content-Type'] = 'application/json';
  if (opts.token) headers['Authorization'] = `Bearer ${opts.token}`;

  let res: Response;
  try {
    res = await fetch(path, {
      method: opts.method ?? (opts.body !== undefined ? 'POST' : 'GET'),
      headers,
      body: opts.body !== undefined ? JSON.stringify(opts.body) : undefined,
      signal: opts.signal,
      credentials: 'same-origin',
      cache: 'no-store',
    });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw new ApiError(0, CLIENT_ERROR_CODES.network, e instanceof Error ? e.message : String(e));
  }

  const text = await res.text();
  if (!res.ok) throw parseApiError(res.status, text, res.statusText);
  if (!text) return undefined as T;
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new ApiError(res.status, CLIENT_ERROR_CODES.badResponse, 'Invalid JSON in response');
  }
}

export function login(username: string, password: string, signal?: AbortSignal): Promise<TokenResponse> {
  return apiRequest<TokenResponse>('/api/auth/login', { method: 'POST', body: { username, password }, signal });
}

export function fetchMe(token: string, signal?: AbortSignal): Promise<User> {
  return apiRequest<User>('/api/auth/me', { token, signal });
}

/** Changes the password; the returned token replaces the old (now invalid) one. */
export function changePassword(
  token: string,
  currentPassword: string,
  newPassword: string,
  signal?: AbortSignal,
): Promise<TokenResponse> {
  return apiRequest<TokenResponse>('/api/auth/password', {
    method: 'POST',
    token,
    body: { current_password: currentPassword, new_password: newPassword },
    signal,
  });
}

export interface Session {
  token: string;
  user: User;
  /** Seconds the token is valid for, as reported by the server. */
  expiresIn: number;
}

/** Turns a token response into a session, asking /api/auth/me if the response carried no user. */
export async function openSession(resp: TokenResponse, signal?: AbortSignal): Promise<Session> {
  if (typeof resp?.access_token !== 'string' || resp.access_token === '') {
    throw new ApiError(200, CLIENT_ERROR_CODES.badResponse, 'No access_token in response');
  }
  const user = resp.user ?? (await fetchMe(resp.access_token, signal));
  return { token: resp.access_token, user, expiresIn: resp.expires_in };
}
