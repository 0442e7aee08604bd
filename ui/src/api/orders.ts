import { apiRequest } from './client';
import type { ListParams } from './lists';
import type { NewOrder, Order, OrderPatch, OrderQuote, OrderStatus, OrderView, Page, PaymentStatus } from './types';

export interface OrderListParams extends ListParams {
  status?: OrderStatus;
  customer_id?: number;
  payment_status?: PaymentStatus;
  /** YYYY-MM-DD, in the shop's time zone. */
  date_from?: string;
  date_to?: string;
}

export const ordersApi = {
  list: (query: OrderListParams, signal?: AbortSignal) => apiRequest<Page<Order>>('/api/orders', { query, signal }),
  // Every single order comes with what the viewer may do with it (actions).
  get: (id: number, signal?: AbortSignal) => apiRequest<OrderView>(`/api/orders/${id}`, { signal }),
  /** What an order (or, with orderId, an edit of that pending order) would come to; writes nothing. */
  quote: (body: NewOrder, orderId?: number, signal?: AbortSignal) =>
    apiRequest<OrderQuote>('/api/orders/quote', {
      method: 'POST',
      body,
      query: orderId ? { order_id: orderId } : undefined,
      signal,
    }),
  create: (body: NewOrder) => apiRequest<OrderView>('/api/orders', { method: 'POST', body }),
  update: (id: number, body: OrderPatch) => apiRequest<OrderView>(`/api/orders/${id}`, { method: 'PATCH', body }),
  setStatus: (id: number, status: OrderStatus) =>
    apiRequest<OrderView>(`/api/orders/${id}/status`, { method: 'POST', body: { status } }),
};
