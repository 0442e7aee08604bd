import type { QueryParams } from './client';

/** What every list endpoint takes: page, per_page (≤ 200), q and sort ("field" or "-field"). */
export interface ListParams extends QueryParams {
  page?: number;
  per_page?: number;
  q?: string;
  sort?: string;
}
