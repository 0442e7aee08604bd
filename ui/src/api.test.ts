import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, apiRequest, changePassword, login, openSession, parseApiError } from './api';

describe('parseApiError', () => {
  it('reads code, message and details from the server error format', () => {
    const err = parseApiError(
      422,
      JSON.stringify({
        error: { code: 'validation_failed', message: 'password too long', details: { field: 'password' } },
      }),
    );
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toBeInstanceOf(Error);
    expect(err.status).toBe(422);
    expect(err.code).toBe('validation_failed');
    expect(err.message).toBe('password too long');
    expect(err.details).toEqual({ field: 'password' });
    expect(err.field).toBe('password');
    expect(err.fromServer).toBe(true);
  });

  it('handles 401 invalid_credentials without details', () => {
    const err = parseApiError(401, '{"error":{"code":"invalid_credentials","message":"Invalid username or password"}}');
    expect(err.code).toBe('invalid_credentials');
    expect(err.details).toEqual({});
    expect(err.field).toBeUndefined();
    expect(err.fromServer).toBe(true);
  });

  it('falls back by status for non-JSON bodies (e.g. a proxy error page)', () => {
    const err = parseApiError(502, '<html>Bad Gateway</html>', 'Bad Gateway');
    expect(err.code).toBe('server_error');
    expect(err.message).toBe('Bad Gateway');
    expect(err.fromServer).toBe(false);
  });

  it('falls back for empty bodies and malformed error objects', () => {
    expect(parseApiError(429, '').code).toBe('rate_limited');
    expect(parseApiError(429, '').message).toBe('HTTP 429');
    const weird = parseApiError(401, '{"error":{"code":42,"message":null,"details":[1]}}');
    expect(weird.code).toBe('unauthorized');
    expect(weird.details).toEqual({});
    expect(weird.fromServer).toBe(false);
    expect(parseApiError(418, '{"error":"nope"}').code).toBe('http_418');
    expect(parseApiError(404, 'null').code).toBe('not_found');
  });

  it('ignores a non-string field in details', () => {
    expect(parseApiError(422, '{"error":{"code":"x","message":"m","details":{"field":7}}}').field).toBeUndefined();
  });
});

function jsonResponse(status: number, body: unknown): Response {
  return new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json' },
  });
}

const user = {
  id: 1,
  username: 'admin',
  email: null,
  role: 'admin',
  is_active: true,
  must_change_password: true,
};

describe('apiRequest', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('posts JSON and returns the parsed body', async () => {
    const fetchMock = vi.fn(async () =>
      jsonResponse(200, { access_token: 'tok', token_type: 'bearer', expires_in: 3600, user }),
    );
    vi.stubGlobal('fetch', fetchMock);

    const resp = await login('admin', 'secret-pw');
    expect(resp.access_token).toBe('tok');
    expect(fetchMock).toHaveBeenCalledTimes(1);
    const [url, init] = fetchMock.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('/api/auth/login');
    expect(init.method).toBe('POST');
    expect(JSON.parse(init.body as string)).toEqual({ username: 'admin', password: 'secret-pw' });
    const headers = init.headers as Record<string, string>;
    expect(headers['Content-Type']).toBe('application/json');
    expect(headers['Authorization']).toBeUndefined();
  });

  it('sends the bearer token and the change-password body', async () => {
    const fetchMock = vi.fn(async () => jsonResponse(200, { access_token: 'new', token_type: 'bearer', expires_in: 60 }));
    vi.stubGlobal('fetch', fetchMock);

    await changePassword('old', 'cur', 'next-password');
    const [url, init] = fetchMock.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('/api/auth/password');
    expect((init.headers as Record<string, string>)['Authorization']).toBe('Bearer old');
    expect(JSON.parse(init.body as string)).toEqual({ current_password: 'cur', new_password: 'next-password' });
  });

  it('throws a typed ApiError for error responses', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => jsonResponse(401, { error: { code: 'invalid_credentials', message: 'bad login' } })),
    );
    const err = await login('admin', 'wrong').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).status).toBe(401);
    expect((err as ApiError).code).toBe('invalid_credentials');
    expect((err as ApiError).message).toBe('bad login');
  });

  it('maps a network failure to status 0', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => {
        throw new TypeError('Failed to fetch');
      }),
    );
    const err = await apiRequest('/api/auth/me').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).status).toBe(0);
    expect((err as ApiError).code).toBe('network_error');
  });
});

describe('openSession', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('uses the user from the token response when present', async () => {
    const fetchMock = vi.fn();
    vi.stubGlobal('fetch', fetchMock);
    const s = await openSession({ access_token: 't1', token_type: 'bearer', expires_in: 10, user });
    expect(s).toEqual({ token: 't1', user, expiresIn: 10 });
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it('asks /api/auth/me with the NEW token when the response has no user', async () => {
    const fetchMock = vi.fn(async () => jsonResponse(200, { ...user, must_change_password: false }));
    vi.stubGlobal('fetch', fetchMock);
    const s = await openSession({ access_token: 'fresh', token_type: 'bearer', expires_in: 10 });
    expect(s.user.must_change_password).toBe(false);
    const [url, init] = fetchMock.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('/api/auth/me');
    expect((init.headers as Record<string, string>)['Authorization']).toBe('Bearer fresh');
  });

  it('rejects a response without a token', async () => {
    await expect(openSession({} as never)).rejects.toBeInstanceOf(ApiError);
  });
});
