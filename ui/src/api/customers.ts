import { apiRequest } from './client';
import type { ListParams } from './lists';
import type { Customer, CustomerDetail, CustomerInput, CustomerPatch, Page } from './types';

export interface CustomerListParams extends ListParams {
  archived?: boolean;
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
};
