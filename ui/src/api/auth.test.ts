import { afterEach, describe, expect, it, vi } from 'vitest';
import { changePassword, endSession, fetchMe, startSession } from './auth';
import { ApiError, setApiHooks } from './client';

function respond(status: number, body?: unknown) {
  const fn = vi.fn(
    async (_url: string, _init: RequestInit) =>
      new Response(body === undefined ? null : JSON.stringify(body), { status }),
  );
  vi.stubGlobal('fetch', fn);
  return fn;
}

const user = { id: 1, username: 'superAdmin', role: 'superadmin', is_active: true, must_change_password: true };

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('auth API', () => {
  it('signs in with POST /api/auth/session and the CSRF header; no token anywhere', async () => {
    const fn = respond(200, { user, expires_in: 28800 });
    const res = await startSession('superAdmin', 'admin123');
    expect(res.user.username).toBe('superAdmin');
    const [url, init] = fn.mock.calls[0] ?? [];
    expect(url).toBe('/api/auth/session');
    expect(init?.method).toBe('POST');
    expect((init?.headers as Record<string, string>)['X-Requested-With']).toBe('order-system');
    expect(JSON.parse(String(init?.body))).toEqual({ username: 'superAdmin', password: 'admin123' });
  });

  it('a wrong password is an ApiError, not an expired session', async () => {
    respond(401, { error: { code: 'invalid_credentials', message: 'Invalid username or password' } });
    const onUnauthorized = vi.fn();
    const remove = setApiHooks({ onUnauthorized });
    const err = await startSession('a', 'b').catch((e: unknown) => e);
    remove();
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).code).toBe('invalid_credentials');
    expect(onUnauthorized).not.toHaveBeenCalled();
  });

  it('fetchMe answers null without a session, and the user with one', async () => {
    respond(401, { error: { code: 'unauthorized', message: 'x' } });
    await expect(fetchMe()).resolves.toBeNull();
    respond(200, user);
    await expect(fetchMe()).resolves.toEqual(user);
  });

  it('fetchMe passes other failures on', async () => {
    respond(500, { error: { code: 'internal_error', message: 'x' } });
    await expect(fetchMe()).rejects.toBeInstanceOf(ApiError);
  });

  it('signs out with DELETE /api/auth/session and the CSRF header', async () => {
    const fn = respond(204);
    await endSession();
    const [url, init] = fn.mock.calls[0] ?? [];
    expect(url).toBe('/api/auth/session');
    expect(init?.method).toBe('DELETE');
    expect((init?.headers as Record<string, string>)['X-Requested-With']).toBe('order-system');
  });

  it('changes the password with the field names the server expects', async () => {
    const fn = respond(200, { user: { ...user, must_change_password: false }, expires_in: 10 });
    const res = await changePassword('admin123', 'a-new-password');
    expect(res.user.must_change_password).toBe(false);
    expect(JSON.parse(String(fn.mock.calls[0]?.[1].body))).toEqual({
      current_password: 'admin123',
      new_password: 'a-new-password',
    });
  });
});
