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
  /** Only this category's products; for a top-level one, those of its sub-categories too. */
  category_id?: number;
}

export const productsApi = {
  /** Staff see every product with its stock; customers get `catalogue`'s shape instead. */
  list: (query: ProductListParams, signal?: AbortSignal) =>
    apiRequest<Page<Product>>('/api/products', { query, signal }),
  get: (id: number, signal?: AbortSignal) => apiRequest<Product>(`/api/products/${id}`, { signal }),
  /** The product a scanned barcode or SKU names (404 when none); customers get the catalogue's shape. */
  byCode: (code: string, signal?: AbortSignal) =>
    apiRequest<Product | CatalogueProduct>('/api/products/by-code', { query: { code }, signal }),
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
  /** The image file itself as the body (JPEG, PNG or WebP, at most PHOTO_MAX_BYTES); the product back. */
  putPhoto: (id: number, file: Blob) =>
    apiRequest<Product>(`/api/products/${id}/photo`, {
      method: 'PUT',
      raw: { body: file, contentType: file.type || 'application/octet-stream' },
    }),
  removePhoto: (id: number) => apiRequest<Product>(`/api/products/${id}/photo`, { method: 'DELETE' }),
};

/** The largest product photo the server takes (2 MB). */
export const PHOTO_MAX_BYTES = 2 * 1024 * 1024;
