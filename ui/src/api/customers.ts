import { apiRequest, buildUrl } from './client';
import type { ListParams } from './lists';
import type { ReportRange } from './reports';
import type { Customer, CustomerDetail, CustomerInput, CustomerPatch, FileLang, Page, Statement } from './types';

export interface CustomerListParams extends ListParams {
  archived?: boolean;
}

/** A statement's entries as a CSV file (a plain link: a GET, the session cookie goes along). */
export function statementCsvUrl(id: number, range: ReportRange, lang: FileLang): string {
  return buildUrl(`/api/customers/${id}/statement`, { ...range, format: 'csv', lang });
}

export const customersApi = {
  list: (query: CustomerListParams, signal?: AbortSignal) =>
    apiRequest<Page<Customer>>('/api/customers', { query, signal }),
  get: (id: number, signal?: AbortSignal) => apiRequest<CustomerDetail>(`/api/customers/${id}`, { signal }),
  create: (body: CustomerInput) => apiRequest<Customer>('/api/customers', { method: 'POST', body }),
  update: (id: number, body: CustomerPatch) =>
    apiRequest<Customer>(`/api/customers/${id}`, { method: 'PATCH', body }),
  archive: (id: number) => apiRequest<Customer>(`/api/customers/${id}/archive`, { method: 'POST' }),
  restore: (id: number) => apiRequest<Customer>(`/api/customers/${id}/restore`, { method: 'POST' }),
  /** The customer's statement over the range (the last 30 days without one); a customer gets only their own. */
  statement: (id: number, query: ReportRange, signal?: AbortSignal) =>
    apiRequest<Statement>(`/api/customers/${id}/statement`, { query, signal }),
};
