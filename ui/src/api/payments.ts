import { apiRequest } from './client';
import type { NewPayment, PaymentLedger } from './types';

/** The money on an order: its journal of payments, refunds and voids. */
export const paymentsApi = {
  ledger: (orderId: number, signal?: AbortSignal) =>
    apiRequest<PaymentLedger>(`/api/orders/${orderId}/payments`, { signal }),
  /** A payment received or a refund given; answers the order's journal. */
  record: (orderId: number, body: NewPayment) =>
    apiRequest<PaymentLedger>(`/api/orders/${orderId}/payments`, { method: 'POST', body }),
  /** Reverses an entry recorded by mistake (nothing is deleted); answers the journal. */
  void: (orderId: number, paymentId: number, reason: string) =>
    apiRequest<PaymentLedger>(`/api/orders/${orderId}/payments/${paymentId}/void`, { method: 'POST', body: { reason } }),
};
