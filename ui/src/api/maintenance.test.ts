import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError, MAINTENANCE_PATIENCE_MS, apiRequest } from './client';
import { getMaintenance, leaveMaintenance, parseRetryAfter, subscribeMaintenance } from './maintenance';

const RESTORING = {
  error: {
    code: 'service_unavailable',
    message: "the shop's data is being restored from a backup; try again in a few seconds",
    details: {},
  },
};

function restoring(retryAfter: string | null = '5'): Response {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (retryAfter !== null) headers['Retry-After'] = retryAfter;
  return new Response(JSON.stringify(RESTORING), { status: 503, headers });
}

function ok(body: unknown = { id: 1 }): Response {
  return new Response(JSON.stringify(body), { status: 200, headers: { 'Content-Type': 'application/json' } });
}

/** fetch answering with the given responses in turn (the last one again after that). */
function answers(...made: (() => Response)[]) {
  let i = 0;
  const fn = vi.fn(async (_url: string, _init: RequestInit) => {
    const next = made[Math.min(i, made.length - 1)];
    i += 1;
    if (!next) throw new Error('no answer');
    return next();
  });
  vi.stubGlobal('fetch', fn);
  return fn;
}

beforeEach(() => {
  vi.useFakeTimers();
  leaveMaintenance();
});

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
  leaveMaintenance();
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates, within 1..60 s', () => {
    expect(parseRetryAfter('5')).toBe(5);
    expect(parseRetryAfter(' 0 ')).toBe(1);
    expect(parseRetryAfter('3600')).toBe(60);
    const now = Date.parse('2026-11-28T06:00:00Z');
    expect(parseRetryAfter('Sat, 28 Nov 2026 06:00:07 GMT', now)).toBe(7);
    expect(parseRetryAfter('Sat, 28 Nov 2026 05:00:00 GMT', now)).toBe(1);
  });

  it('gives up on a missing or unreadable header', () => {
    expect(parseRetryAfter(null)).toBeNull();
    expect(parseRetryAfter('')).toBeNull();
    expect(parseRetryAfter('soon')).toBeNull();
    expect(parseRetryAfter('-3')).toBeNull();
  });
});

describe('a restore under way (503 with Retry-After)', () => {
  it('waits as long as asked, asks again, and says so meanwhile', async () => {
    const fn = answers(() => restoring('2'), () => restoring('2'), () => ok({ id: 7 }));
    const seen: (number | null)[] = [];
    const stop = subscribeMaintenance(() => seen.push(getMaintenance()?.retryAfterSeconds ?? null));
    const done = apiRequest<{ id: number }>('/api/products');
    await vi.advanceTimersByTimeAsync(0);
    expect(fn).toHaveBeenCalledTimes(1);
    expect(getMaintenance()?.retryAfterSeconds).toBe(2);
    await vi.advanceTimersByTimeAsync(1999);
    expect(fn).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(fn).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(2000);
    await expect(done).resolves.toEqual({ id: 7 });
    expect(fn).toHaveBeenCalledTimes(3);
    // On once, off once the server answered again.
    expect(seen).toEqual([2, null]);
    expect(getMaintenance()).toBeNull();
    stop();
  });

  it('sends a change again as it was: the server refused it before doing anything', async () => {
    const fn = answers(() => restoring('1'), () => ok());
    const done = apiRequest('/api/orders', { method: 'POST', body: { items: [] } });
    await vi.advanceTimersByTimeAsync(1000);
    await done;
    const [first, second] = fn.mock.calls;
    expect(second?.[0]).toBe(first?.[0]);
    expect(second?.[1].method).toBe('POST');
    expect(second?.[1].body).toBe(first?.[1].body);
    expect((second?.[1].headers as Record<string, string>)['X-Requested-With']).toBe('order-system');
  });

  it('fails a 503 without Retry-After as any server error', async () => {
    answers(() => restoring(null));
    const err = await apiRequest('/api/products').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).status).toBe(503);
    expect((err as ApiError).code).toBe('service_unavailable');
    expect(getMaintenance()).toBeNull();
  });

  it('stops waiting when the request is abandoned', async () => {
    const fn = answers(() => restoring('5'));
    const controller = new AbortController();
    const done = apiRequest('/api/products', { signal: controller.signal }).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(0);
    controller.abort();
    const err = await done;
    expect(err).toBeInstanceOf(DOMException);
    expect((err as DOMException).name).toBe('AbortError');
    await vi.advanceTimersByTimeAsync(10_000);
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('gives up after its patience, with the error', async () => {
    answers(() => restoring('60'));
    const done = apiRequest('/api/products').catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(MAINTENANCE_PATIENCE_MS + 60_000);
    const err = await done;
    expect((err as ApiError).status).toBe(503);
  });
});
