// List state lives in the URL (?page=2&q=tea&sort=-price&status=active), so that links
// (e.g. the dashboard's "low stock") open a filtered list and the back button works.
import { useCallback } from 'react';
import { useSearchParams } from 'react-router';

export const DEFAULT_PER_PAGE = 20;
export const MAX_PER_PAGE = 200;

export type SortOrder = 'ascend' | 'descend' | null;

/** antd's sorter → the API's sort parameter: "field", "-field", or none. */
export function sortParam(field: unknown, order: SortOrder | undefined): string | undefined {
  if (typeof field !== 'string' || !field || !order) return undefined;
  return order === 'descend' ? `-${field}` : field;
}

/** The API's sort parameter → antd's sortOrder for one column. */
export function sortOrderFor(sort: string | undefined, field: string): SortOrder {
  if (sort === field) return 'ascend';
  if (sort === `-${field}`) return 'descend';
  return null;
}

export function positiveInt(text: string | null, fallback: number, max = Number.MAX_SAFE_INTEGER): number {
  if (text === null || !/^\d+$/.test(text)) return fallback;
  const n = Number(text);
  return n >= 1 ? Math.min(n, max) : fallback;
}

export type UrlValue = string | number | boolean | null | undefined;

/** A copy of `prev` with `patch` applied; empty values and `false` remove a key. */
export function patchParams(prev: URLSearchParams, patch: Record<string, UrlValue>, resetPage: boolean) {
  const next = new URLSearchParams(prev);
  for (const [k, v] of Object.entries(patch)) {
    if (v === undefined || v === null || v === '' || v === false) next.delete(k);
    else next.set(k, String(v));
  }
  if (resetPage && !('page' in patch)) next.delete('page');
  return next;
}

export function useListParams(defaultSort?: string) {
  const [sp, setSp] = useSearchParams();
  const page = positiveInt(sp.get('page'), 1);
  const perPage = positiveInt(sp.get('per_page'), DEFAULT_PER_PAGE, MAX_PER_PAGE);
  const q = sp.get('q') ?? '';
  const sort = sp.get('sort') ?? defaultSort;

  const set = useCallback(
    (patch: Record<string, UrlValue>, resetPage = true) => {
      setSp((prev) => patchParams(prev, patch, resetPage), { replace: true });
    },
    [setSp],
  );

  return {
    page,
    perPage,
    q,
    sort,
    set,
    get: (key: string): string | undefined => sp.get(key) ?? undefined,
    getInt: (key: string): number | undefined => {
      const n = positiveInt(sp.get(key), 0);
      return n > 0 ? n : undefined;
    },
    getBool: (key: string): boolean | undefined => {
      const v = sp.get(key);
      return v === 'true' ? true : v === 'false' ? false : undefined;
    },
  };
}
