import { apiRequest } from './client';
import type { SalesReport, Stats } from './types';

export const reportsApi = {
  stats: (signal?: AbortSignal) => apiRequest<Stats>('/api/stats', { signal }),
  /** Revenue per day; by default the server covers the last 30 days. */
  sales: (signal?: AbortSignal) => apiRequest<SalesReport>('/api/reports/sales', { query: { group: 'day' }, signal }),
};
