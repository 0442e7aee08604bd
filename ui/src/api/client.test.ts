import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, CSRF_HEADER, CSRF_VALUE, apiRequest, buildUrl, parseApiError, setApiHooks } from './client';

function jsonResponse(status: number, body: unknown): Response {
  return new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json' },
  });
}

function stubFetch(res: () => Response) {
  const fn = vi.fn(async (_url: string, _init: RequestInit) => res());
  vi.stubGlobal('fetch', fn);
  return fn;
}

function headersOf(fn: ReturnType<typeof stubFetch>, call = 0): Record<string, string> {
  const init = fn.mock.calls[call]?.[1];
  return (init?.headers ?? {}) as Record<string, string>;
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('parseApiError', () => {
  it('reads code, message and details from the server error format', () => {
    const err = parseApiError(
      422,
      JSON.stringify({ error: { code: 'validation_failed', message: 'price: must not be negative', details: { field: 'price' } } }),
    );
    expect(err).toBeInstanceOf(ApiError);
    expect(err.status).toBe(422);
    expect(err.code).toBe('validation_failed');
    expect(err.field).toBe('price');
    expect(err.fromServer).toBe(true);
  });

  it('falls back by status for bodies that are not the error format', () => {
    expect(parseApiError(502, '<html>Bad Gateway</html>', 'Bad Gateway').code).toBe('server_error');
    expect(parseApiError(429, '').code).toBe('too_many_requests');
    expect(parseApiError(401, '{"error":{"code":42,"message":null,"details":[1]}}').code).toBe('unauthorized');
    expect(parseApiError(418, '{"error":"nope"}').code).toBe('http_418');
    expect(parseApiError(404, 'null').code).toBe('not_found');
  });

  it('ignores a non-string or empty field in details', () => {
    expect(parseApiError(422, '{"error":{"code":"x","message":"m","details":{"field":7}}}').field).toBeUndefined();
    expect(parseApiError(422, '{"error":{"code":"x","message":"m","details":{"field":""}}}').field).toBeUndefined();
  });
});

describe('buildUrl', () => {
  it('leaves out empty values and encodes the rest', () => {
    expect(buildUrl('/api/products', { q: '龙井 茶', page: 2, low_stock: true, status: undefined, sort: '' })).toBe(
      '/api/products?q=%E9%BE%99%E4%BA%95+%E8%8C%B6&page=2&low_stock=true',
    );
    expect(buildUrl('/api/orders', { status: null })).toBe('/api/orders');
    expect(buildUrl('/api/orders')).toBe('/api/orders');
  });
});

describe('apiRequest', () => {
  it('sends the CSRF header on every state-changing request, and never on GET', async () => {
    const fn = stubFetch(() => jsonResponse(200, {}));
    await apiRequest('/api/x');
    await apiRequest('/api/x', { method: 'POST', body: { a: 1 } });
    await apiRequest('/api/x', { method: 'PATCH', body: {} });
    await apiRequest('/api/x', { method: 'PUT', body: {} });
    await apiRequest('/api/x', { method: 'DELETE' });
    await apiRequest('/api/x', { method: 'POST' });
    expect(headersOf(fn, 0)[CSRF_HEADER]).toBeUndefined();
    for (const i of [1, 2, 3, 4, 5]) expect(headersOf(fn, i)[CSRF_HEADER]).toBe(CSRF_VALUE);
    expect(CSRF_HEADER).toBe('X-Requested-With');
    expect(CSRF_VALUE).toBe('order-system');
  });

  it('sends a file as it is, with its content type and the CSRF header', async () => {
    const fn = stubFetch(() => jsonResponse(200, { id: 1 }));
    const file = new Blob(['sku,name,price\n'], { type: 'text/csv' });
    await apiRequest('/api/imports/products', { raw: { body: file, contentType: 'text/csv' }, query: { dry_run: true } });
    const [url, init] = fn.mock.calls[0] ?? [];
    expect(url).toBe('/api/imports/products?dry_run=true');
    expect(init?.method).toBe('POST');
    expect(init?.body).toBe(file);
    expect(headersOf(fn)['Content-Type']).toBe('text/csv');
    expect(headersOf(fn)[CSRF_HEADER]).toBe(CSRF_VALUE);
  });

  it('sends cookies of this origin only and never an Authorization header', async () => {
    const fn = stubFetch(() => jsonResponse(200, {}));
    await apiRequest('/api/x', { method: 'POST', body: { a: 1 } });
    const init = fn.mock.calls[0]?.[1];
    expect(init?.credentials).toBe('same-origin');
    expect(headersOf(fn)['Authorization']).toBeUndefined();
    expect(headersOf(fn)['Content-Type']).toBe('application/json');
    expect(JSON.parse(String(init?.body))).toEqual({ a: 1 });
  });

  it('defaults to POST when there is a body', async () => {
    const fn = stubFetch(() => jsonResponse(200, {}));
    await apiRequest('/api/x', { body: {} });
    expect(fn.mock.calls[0]?.[1].method).toBe('POST');
  });

  it('puts the query into the URL', async () => {
    const fn = stubFetch(() => jsonResponse(200, {}));
    await apiRequest('/api/orders', { query: { status: 'pending', page: 1 } });
    expect(fn.mock.calls[0]?.[0]).toBe('/api/orders?status=pending&page=1');
  });

  it('returns undefined for 204 No Content', async () => {
    stubFetch(() => new Response(null, { status: 204 }));
    await expect(apiRequest('/api/auth/session', { method: 'DELETE' })).resolves.toBeUndefined();
  });

  it('reports a 401 as an expired session', async () => {
    stubFetch(() => jsonResponse(401, { error: { code: 'unauthorized', message: 'sign in' } }));
    const onUnauthorized = vi.fn();
    const remove = setApiHooks({ onUnauthorized });
    const err = await apiRequest('/api/orders').catch((e: unknown) => e);
    remove();
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).status).toBe(401);
    expect(onUnauthorized).toHaveBeenCalledTimes(1);
  });

  it('does not report a 401 the caller expects (sign-in, who am I)', async () => {
    stubFetch(() => jsonResponse(401, { error: { code: 'invalid_credentials', message: 'bad' } }));
    const onUnauthorized = vi.fn();
    const remove = setApiHooks({ onUnauthorized });
    await apiRequest('/api/auth/session', { method: 'POST', body: {}, expectUnauthorized: true }).catch(() => undefined);
    remove();
    expect(onUnauthorized).not.toHaveBeenCalled();
  });

  it('reports 403 password_change_required, but not other 403s', async () => {
    const onPasswordChangeRequired = vi.fn();
    const onUnauthorized = vi.fn();
    const remove = setApiHooks({ onPasswordChangeRequired, onUnauthorized });
    stubFetch(() => jsonResponse(403, { error: { code: 'forbidden', message: 'no' } }));
    await apiRequest('/api/users').catch(() => undefined);
    expect(onPasswordChangeRequired).not.toHaveBeenCalled();
    stubFetch(() => jsonResponse(403, { error: { code: 'password_change_required', message: 'change it' } }));
    await apiRequest('/api/users').catch(() => undefined);
    remove();
    expect(onPasswordChangeRequired).toHaveBeenCalledTimes(1);
    expect(onUnauthorized).not.toHaveBeenCalled();
  });

  it('removing hooks stops the reports', async () => {
    const onUnauthorized = vi.fn();
    setApiHooks({ onUnauthorized })();
    stubFetch(() => jsonResponse(401, {}));
    await apiRequest('/api/orders').catch(() => undefined);
    expect(onUnauthorized).not.toHaveBeenCalled();
  });

  it('maps a network failure to status 0 and invalid JSON to bad_response', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => {
        throw new TypeError('Failed to fetch');
      }),
    );
    const err = await apiRequest('/api/auth/me').catch((e: unknown) => e);
    expect((err as ApiError).status).toBe(0);
    expect((err as ApiError).code).toBe('network_error');
    stubFetch(() => new Response('not json', { status: 200 }));
    const bad = await apiRequest('/api/x').catch((e: unknown) => e);
    expect((bad as ApiError).code).toBe('bad_response');
  });
});
