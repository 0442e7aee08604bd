import { apiRequest } from './client';
import type { Address, AddressInput, NewReturn, NewShipment, OrderView, ShipmentRow, ShipTo } from './types';

/** Goods out and back: shipments, ship-to, returns and a customer's saved addresses. */
export const shippingApi = {
  /** A parcel of a confirmed order; without lines, everything left. Answers the order. */
  ship: (orderId: number, body: NewShipment) =>
    apiRequest<OrderView>(`/api/orders/${orderId}/shipments`, { method: 'POST', body }),
  setShipTo: (orderId: number, body: ShipTo) =>
    apiRequest<OrderView>(`/api/orders/${orderId}/ship-to`, { method: 'PUT', body }),
  /** Goods back from a shipped or completed order, with an optional refund. Answers the order. */
  recordReturn: (orderId: number, body: NewReturn) =>
    apiRequest<OrderView>(`/api/orders/${orderId}/returns`, { method: 'POST', body }),
  /** The parcels of a day (today without one). */
  day: (date: string | undefined, signal?: AbortSignal) =>
    apiRequest<ShipmentRow[]>('/api/shipments', { query: date ? { date_from: date, date_to: date } : {}, signal }),
  addresses: (customerId: number, signal?: AbortSignal) =>
    apiRequest<Address[]>(`/api/customers/${customerId}/addresses`, { signal }),
  addAddress: (customerId: number, body: AddressInput) =>
    apiRequest<Address>(`/api/customers/${customerId}/addresses`, { method: 'POST', body }),
  updateAddress: (customerId: number, id: number, body: AddressInput) =>
    apiRequest<Address>(`/api/customers/${customerId}/addresses/${id}`, { method: 'PUT', body }),
  deleteAddress: (customerId: number, id: number) =>
    apiRequest<void>(`/api/customers/${customerId}/addresses/${id}`, { method: 'DELETE' }),
};
