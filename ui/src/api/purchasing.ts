// Purchasing (采购): suppliers, purchase orders, receipts (采购入库), returns to the supplier
// (退货给供应商) and reorder suggestions (补货建议). Staff only.
import { apiRequest } from './client';
import type { ListParams } from './lists';
import type {
  CostedProduct,
  FromReorder,
  NewPoReceipt,
  NewPurchaseOrder,
  NewSupplier,
  Page,
  PoStatus,
  PurchaseOrder,
  PurchaseOrderDetail,
  PurchaseOrderPatch,
  ReorderSuggestion,
  Supplier,
  SupplierPatch,
} from './types';

/** Supplier lists (['suppliers', params]) and single suppliers (['suppliers', id]). */
export const SUPPLIERS_KEY = ['suppliers'] as const;
/** Purchase order lists: ['purchase-orders', params]. */
export const PURCHASE_ORDERS_KEY = ['purchase-orders'] as const;
/** One purchase order: ['purchase-order', id]. */
export const PURCHASE_ORDER_KEY = ['purchase-order'] as const;
export const REORDER_KEY = ['reorder-suggestions'] as const;

export const purchaseOrderKey = (id: number) => [...PURCHASE_ORDER_KEY, id] as const;

export interface SupplierListParams extends ListParams {
  /** true: archived ones only; false (the server's default): the others. */
  archived?: boolean;
}

export interface PurchaseOrderListParams extends ListParams {
  status?: PoStatus;
  supplier_id?: number;
}

export const suppliersApi = {
  list: (query: SupplierListParams, signal?: AbortSignal) =>
    apiRequest<Page<Supplier>>('/api/suppliers', { query, signal }),
  get: (id: number, signal?: AbortSignal) => apiRequest<Supplier>(`/api/suppliers/${id}`, { signal }),
  create: (body: NewSupplier) => apiRequest<Supplier>('/api/suppliers', { method: 'POST', body }),
  update: (id: number, body: SupplierPatch) =>
    apiRequest<Supplier>(`/api/suppliers/${id}`, { method: 'PATCH', body }),
  /** 409 supplier_in_use once a purchase order names it: archive it instead. */
  remove: (id: number) => apiRequest<void>(`/api/suppliers/${id}`, { method: 'DELETE' }),
  archive: (id: number) => apiRequest<Supplier>(`/api/suppliers/${id}/archive`, { method: 'POST' }),
  restore: (id: number) => apiRequest<Supplier>(`/api/suppliers/${id}/restore`, { method: 'POST' }),
};

export const purchaseOrdersApi = {
  list: (query: PurchaseOrderListParams, signal?: AbortSignal) =>
    apiRequest<Page<PurchaseOrder>>('/api/purchase-orders', { query, signal }),
  get: (id: number, signal?: AbortSignal) =>
    apiRequest<PurchaseOrderDetail>(`/api/purchase-orders/${id}`, { signal }),
  /** A draft, or with `ordered: true` placed with the supplier at once (every cost then required). */
  create: (body: NewPurchaseOrder) =>
    apiRequest<PurchaseOrderDetail>('/api/purchase-orders', { method: 'POST', body }),
  /** Drafts only (409 purchase_order_status otherwise). */
  update: (id: number, body: PurchaseOrderPatch) =>
    apiRequest<PurchaseOrderDetail>(`/api/purchase-orders/${id}`, { method: 'PATCH', body }),
  setStatus: (id: number, status: Extract<PoStatus, 'ordered' | 'cancelled'>) =>
    apiRequest<PurchaseOrderDetail>(`/api/purchase-orders/${id}/status`, { method: 'POST', body: { status } }),
  /** 采购入库: some or all of what each line has left. */
  receive: (id: number, body: NewPoReceipt) =>
    apiRequest<PurchaseOrderDetail>(`/api/purchase-orders/${id}/receipts`, { method: 'POST', body }),
  /** 退货给供应商: received goods back out of stock. */
  returnGoods: (id: number, body: NewPoReceipt) =>
    apiRequest<PurchaseOrderDetail>(`/api/purchase-orders/${id}/returns`, { method: 'POST', body }),
  suggestions: (signal?: AbortSignal) =>
    apiRequest<ReorderSuggestion[]>('/api/purchase-orders/reorder-suggestions', { signal }),
  /** A draft of the chosen suggestions, each at its suggested quantity and cost price. */
  fromSuggestions: (body: FromReorder) =>
    apiRequest<PurchaseOrderDetail>('/api/purchase-orders/from-suggestions', { method: 'POST', body }),
};

/** Active products by name or SKU, with their cost prices (staff see them), for purchase lines. */
export function searchCostedProducts(query: ListParams, signal?: AbortSignal) {
  return apiRequest<Page<CostedProduct>>('/api/products', { query: { ...query, status: 'active' }, signal });
}
