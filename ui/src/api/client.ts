// Thin fetch wrapper for the order-system server API.
//
// - The session is an HttpOnly cookie set by the server: this code never sees a token.
// - Every state-changing request carries the CSRF header the server requires.
// - Errors are always thrown as ApiError, parsed from {"error":{"code","message","details"}}.
// - A 401 (session gone) and a 403 password_change_required are reported to hooks that the
//   app installs once (see auth/SessionHooks.tsx), so every page reacts the same way.
// - A 503 with Retry-After (a backup being restored) is waited out and the request sent
//   again; api/maintenance.ts tells the app meanwhile, which shows a banner.

import { enterMaintenance, leaveMaintenance, parseRetryAfter } from './maintenance';

export const CSRF_HEADER = 'X-Requested-With';
export const CSRF_VALUE = 'order-system';

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

  /** The form field the server blamed (details.field), e.g. "items[0].quantity". */
  get field(): string | undefined {
    const f = this.details['field'];
    return typeof f === 'string' && f !== '' ? f : undefined;
  }
}

export function isRecord(v: unknown): v is Record<string, unknown> {
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
      return 'too_many_requests';
    default:
      return status >= 500 ? 'server_error' : `http_${status}`;
  }
}

/**
 * Build an ApiError from an HTTP status and the raw response body text. Never throws:
 * anything that does not match the documented error format yields a generic error.
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

export type QueryValue = string | number | boolean | null | undefined;
export type QueryParams = Record<string, QueryValue>;

/** path?query, leaving out empty values (undefined, null, ""). */
export function buildUrl(path: string, query?: QueryParams): string {
  if (!query) return path;
  const sp = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === '') continue;
    sp.append(k, String(v));
  }
  const qs = sp.toString();
  return qs ? `${path}?${qs}` : path;
}

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RequestOptions {
  method?: Method;
  body?: unknown;
  /** A body sent as it is (e.g. a CSV file) with its content type, instead of JSON. */
  raw?: { body: Blob | string; contentType: string };
  query?: QueryParams;
  signal?: AbortSignal;
  /** A 401 is an answer, not an expired session (sign-in, the initial "who am I"). */
  expectUnauthorized?: boolean;
}

export interface ApiHooks {
  /** Any 401 outside sign-in: the session is gone. */
  onUnauthorized?: (err: ApiError) => void;
  /** 403 password_change_required: the user must change the password first. */
  onPasswordChangeRequired?: (err: ApiError) => void;
}

let hooks: ApiHooks = {};

/** Installs the app-wide reactions to 401/403; returns a function that removes them. */
export function setApiHooks(next: ApiHooks): () => void {
  hooks = next;
  return () => {
    if (hooks === next) hooks = {};
  };
}

/** How long one request keeps waiting for a restore to finish before it fails. */
export const MAINTENANCE_PATIENCE_MS = 15 * 60_000;

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const aborted = () => new DOMException('The request was aborted', 'AbortError');
    if (signal?.aborted) {
      reject(aborted());
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(aborted());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export function isStateChanging(method: Method): boolean {
  return method !== 'GET';
}

/** Performs a JSON request; resolves with the parsed body (undefined for 204) or throws ApiError. */
export async function apiRequest<T>(path: string, opts: RequestOptions = {}): Promise<T> {
  const hasBody = opts.body !== undefined || opts.raw !== undefined;
  const method: Method = opts.method ?? (hasBody ? 'POST' : 'GET');
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (opts.raw) headers['Content-Type'] = opts.raw.contentType;
  else if (opts.body !== undefined) headers['Content-Type'] = 'application/json';
  if (isStateChanging(method)) headers[CSRF_HEADER] = CSRF_VALUE;

  const url = buildUrl(path, opts.query);
  const body = opts.raw ? opts.raw.body : opts.body !== undefined ? JSON.stringify(opts.body) : undefined;
  const started = Date.now();
  let res: Response;
  for (;;) {
    try {
      res = await fetch(url, {
        method,
        headers,
        body,
        signal: opts.signal,
        credentials: 'same-origin',
        cache: 'no-store',
      });
    } catch (e) {
      if (e instanceof DOMException && e.name === 'AbortError') throw e;
      throw new ApiError(0, CLIENT_ERROR_CODES.network, e instanceof Error ? e.message : String(e));
    }
    // 503 with Retry-After: the shop's data is being restored. The server refused the request
    // before doing anything, so it is safe to send again (changes too) once it asks us to.
    const wait = res.status === 503 ? parseRetryAfter(res.headers.get('Retry-After')) : null;
    if (wait === null || Date.now() - started >= MAINTENANCE_PATIENCE_MS) break;
    await res.body?.cancel();
    enterMaintenance(wait);
    await sleep(wait * 1000, opts.signal);
  }
  if (res.status !== 503) leaveMaintenance();

  const text = await res.text();
  if (!res.ok) {
    const err = parseApiError(res.status, text, res.statusText);
    if (res.status === 401 && !opts.expectUnauthorized) hooks.onUnauthorized?.(err);
    if (res.status === 403 && err.code === 'password_change_required') hooks.onPasswordChangeRequired?.(err);
    throw err;
  }
  if (!text) return undefined as T;
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new ApiError(res.status, CLIENT_ERROR_CODES.badResponse, 'Invalid JSON in response');
  }
}
