import { apiRequest, buildUrl } from './client';
import type { QueryParams } from './client';
import type {
  CustomerSalesRow,
  FileLang,
  MarginGrouping,
  MarginReport,
  Product,
  ProductSalesRow,
  ReceivablesReport,
  SalesGrouping,
  SalesReport,
  Stats,
  StatusRow,
  TaxRow,
} from './types';

/** A report's days, YYYY-MM-DD in the shop's time zone; without them the last 30 days. */
export interface ReportRange extends QueryParams {
  date_from?: string;
  date_to?: string;
}

export interface SalesParams extends ReportRange {
  group?: SalesGrouping;
}

export interface LimitParams extends ReportRange {
  /** How many rows, 1 to 200 (the server's default is 10). */
  limit?: number;
}

export interface MarginParams extends ReportRange {
  by?: MarginGrouping;
}

/** The reports under /api/reports/…, by their path. */
export type ReportName =
  | 'sales'
  | 'products'
  | 'top-customers'
  | 'orders-by-status'
  | 'low-stock'
  | 'receivables'
  | 'tax'
  | 'margins';

/**
 * Where a report downloads as a CSV file for Excel, headers in the given language. A plain
 * link works: it is a GET and the session cookie goes along.
 */
export function reportCsvUrl(name: ReportName, query: QueryParams, lang: FileLang): string {
  return buildUrl(`/api/reports/${name}`, { ...query, format: 'csv', lang });
}

/** The dashboard's query (GET /api/stats): changes to orders and payments refresh it. */
export const STATS_KEY = ['stats'] as const;

export const reportsApi = {
  stats: (signal?: AbortSignal) => apiRequest<Stats>('/api/stats', { signal }),
  /** Sales (confirmed, shipped and completed orders) per day, week or month. */
  sales: (query: SalesParams, signal?: AbortSignal) => apiRequest<SalesReport>('/api/reports/sales', { query, signal }),
  /** Best-selling products, by revenue. */
  products: (query: LimitParams, signal?: AbortSignal) =>
    apiRequest<ProductSalesRow[]>('/api/reports/products', { query, signal }),
  topCustomers: (query: LimitParams, signal?: AbortSignal) =>
    apiRequest<CustomerSalesRow[]>('/api/reports/top-customers', { query, signal }),
  /** Orders created in the range, every status listed. */
  ordersByStatus: (query: ReportRange, signal?: AbortSignal) =>
    apiRequest<StatusRow[]>('/api/reports/orders-by-status', { query, signal }),
  /**
   * Gross margin per day, product or category: revenue against cost at the time of sale, with
   * the sales whose cost was unknown reported apart (no CSV form yet).
   */
  margins: (query: MarginParams, signal?: AbortSignal) =>
    apiRequest<MarginReport>('/api/reports/margins', { query, signal }),
  /** Tax on the sales per rate. */
  tax: (query: ReportRange, signal?: AbortSignal) => apiRequest<TaxRow[]>('/api/reports/tax', { query, signal }),
  /** Active products below their low-stock threshold now, lowest stock first. */
  lowStock: (query: { limit?: number }, signal?: AbortSignal) =>
    apiRequest<Product[]>('/api/reports/low-stock', { query, signal }),
  /** What each customer owes now, by the age of the orders; the largest balance first. */
  receivables: (signal?: AbortSignal) => apiRequest<ReceivablesReport>('/api/reports/receivables', { signal }),
};
