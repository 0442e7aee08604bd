import { apiRequest } from './client';
import type { ListParams } from './lists';
import type {
  CatalogueProduct,
  Movement,
  NewProduct,
  Page,
  Product,
  ProductPatch,
  ProductStatus,
  StockAdjustment,
} from './types';

export interface ProductListParams extends ListParams {
  status?: ProductStatus;
  low_stock?: boolean;
}

export const productsApi = {
  /** Staff see every product with its stock; customers get `catalogue`'s shape instead. */
  list: (query: ProductListParams, signal?: AbortSignal) =>
    apiRequest<Page<Product>>('/api/products', { query, signal }),
  get: (id: number, signal?: AbortSignal) => apiRequest<Product>(`/api/products/${id}`, { signal }),
  /** The same list as a customer gets it: active products, in stock or not, SKU and stock when shown. */
  catalogue: (query: ProductListParams, signal?: AbortSignal) =>
    apiRequest<Page<CatalogueProduct>>('/api/products', { query, signal }),
  catalogueItem: (id: number, signal?: AbortSignal) =>
    apiRequest<CatalogueProduct>(`/api/products/${id}`, { signal }),
  create: (body: NewProduct) => apiRequest<Product>('/api/products', { method: 'POST', body }),
  update: (id: number, body: ProductPatch) => apiRequest<Product>(`/api/products/${id}`, { method: 'PATCH', body }),
  archive: (id: number) => apiRequest<Product>(`/api/products/${id}/archive`, { method: 'POST' }),
  restore: (id: number) => apiRequest<Product>(`/api/products/${id}/restore`, { method: 'POST' }),
  adjustStock: (id: number, body: StockAdjustment) =>
    apiRequest<Product>(`/api/products/${id}/stock-adjustments`, { method: 'POST', body }),
  movements: (id: number, query: ListParams, signal?: AbortSignal) =>
    apiRequest<Page<Movement>>(`/api/products/${id}/movements`, { query, signal }),
};
