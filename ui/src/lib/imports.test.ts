import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, CSRF_HEADER, parseApiError } from '../api/client';
import type { ImportJob } from '../api/types';
import { alreadyImported, importProblems, importProgress, jobError, previousImport, runImport } from './imports';

function job(patch: Partial<ImportJob> = {}): ImportJob {
  return {
    id: 1,
    kind: 'products',
    status: 'done',
    dry_run: true,
    file_sha256: 'abc',
    rows: 2,
    rows_checked: 2,
    rows_written: 0,
    created: 1,
    updated: 1,
    unchanged: 0,
    created_at: '2026-12-01T08:00:00Z',
    ...patch,
  };
}

function serverError(status: number, code: string, message: string, details: object = {}) {
  return parseApiError(status, JSON.stringify({ error: { code, message, details } }));
}

afterEach(() => {
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

describe('import answers', () => {
  it('lists the problems of a file by line and column', () => {
    const err = serverError(422, 'invalid_csv', 'the file has 101 problem(s); nothing was imported', {
      error_count: 101,
      errors: [{ line: 3, column: 'price', value: '1,5', message: 'must be a decimal amount like "19.90"' }, 'junk'],
    });
    expect(importProblems(err)).toEqual({
      count: 101,
      problems: [{ line: 3, column: 'price', value: '1,5', message: 'must be a decimal amount like "19.90"' }],
    });
  });

  it('makes a file that cannot be read its one problem', () => {
    const err = serverError(422, 'invalid_csv', 'this row has 3 cells but the header has 2');
    expect(importProblems(err)?.problems).toEqual([
      { line: 0, column: null, value: null, message: 'this row has 3 cells but the header has 2' },
    ]);
    expect(importProblems(serverError(422, 'bad_encoding', 'not UTF-8'))).toBeNull();
  });

  it('names the earlier import of the same file', () => {
    const earlier = job({ id: 7, dry_run: false });
    expect(alreadyImported(serverError(409, 'already_imported', 'x', { job: earlier }))).toEqual(earlier);
    expect(alreadyImported(serverError(409, 'already_imported', 'being imported'))).toBeNull();
    expect(alreadyImported(serverError(409, 'sku_taken', 'x'))).toBeUndefined();
  });

  it('finds a real import of the file a dry run just checked', () => {
    const checked = job({ id: 9 });
    const recent = [
      checked,
      job({ id: 8, dry_run: true }),
      job({ id: 6, dry_run: false, status: 'failed' }),
      job({ id: 5, dry_run: false, kind: 'customers' }),
      job({ id: 4, dry_run: false, file_sha256: 'other' }),
    ];
    expect(previousImport(recent, checked)).toBeUndefined();
    expect(previousImport([...recent, job({ id: 3, dry_run: false })], checked)?.id).toBe(3);
  });

  it('turns a failed job back into the error its upload would have answered', () => {
    const err = jobError(job({ status: 'failed', error: { code: 'bad_encoding', message: 'not UTF-8', details: {} } }));
    expect(err).toBeInstanceOf(ApiError);
    expect([err.status, err.code, err.fromServer]).toEqual([422, 'bad_encoding', true]);
    expect(jobError(job({ status: 'failed' })).code).toBe('internal_error');
  });

  it('shows progress: rows checked, then rows written of all', () => {
    expect(importProgress(job({ status: 'validating', rows: null, rows_checked: 500 }))).toEqual({
      phase: 'validating',
      done: 500,
      total: null,
      percent: null,
    });
    expect(importProgress(job({ status: 'writing', rows: 1000, rows_written: 250 })).percent).toBe(25);
  });
});

describe('runImport', () => {
  it('sends the file as a dry run, then follows a running job once a second', async () => {
    vi.useFakeTimers();
    const answers = [
      job({ id: 4, status: 'validating', rows: null, rows_checked: 10 }),
      job({ id: 4, status: 'validating', rows: null, rows_checked: 900 }),
      job({ id: 4, status: 'done', rows: 1000, rows_checked: 1000 }),
    ];
    const fetch = vi.fn(
      async (_url: string, _init: RequestInit) =>
        new Response(JSON.stringify(answers.shift()), { status: 200, headers: { 'Content-Type': 'application/json' } }),
    );
    vi.stubGlobal('fetch', fetch);
    const seen: number[] = [];
    const file = new File(['sku,name,price\n'], '商品.csv', { type: 'text/csv' });
    const done = runImport('products', file, true, (j) => seen.push(j.rows_checked));
    await vi.advanceTimersByTimeAsync(2000);
    const result = await done;
    expect(result.status).toBe('done');
    expect(seen).toEqual([10, 900]);
    const [url, init] = fetch.mock.calls[0] ?? [];
    expect(url).toBe(`/api/imports/products?dry_run=true&file_name=${encodeURIComponent('商品.csv')}`);
    expect(init?.body).toBe(file);
    expect((init?.headers as Record<string, string>)[CSRF_HEADER]).toBe('order-system');
    expect((init?.headers as Record<string, string>)['Content-Type']).toBe('text/csv');
    expect(fetch.mock.calls.slice(1).map((c) => c[0])).toEqual(['/api/imports/jobs/4', '/api/imports/jobs/4']);
  });

  it('throws the error of a job that failed', async () => {
    const failed = job({ status: 'failed', error: { code: 'interrupted', message: 'cut off', details: {} } });
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => new Response(JSON.stringify(failed), { status: 200 })),
    );
    const file = new File(['x'], 'a.csv');
    await expect(runImport('customers', file, false, () => undefined)).rejects.toMatchObject({ code: 'interrupted' });
  });
});
