import type { OrderStatus, Role } from '../api/types';
import { atLeast } from './roles';

/** The order workflow: which statuses each status may move to (for staff and up). */
export const TRANSITIONS: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  pending: ['confirmed', 'cancelled'],
  confirmed: ['shipped', 'cancelled'],
  shipped: ['completed'],
  completed: [],
  cancelled: [],
};

/** The buttons to offer for an order: customers may only cancel their own pending orders. */
export function allowedTransitions(status: OrderStatus, role: Role): OrderStatus[] {
  if (!atLeast(role, 'staff')) return status === 'pending' ? ['cancelled'] : [];
  return [...TRANSITIONS[status]];
}

/** Only pending orders can be edited, by staff and up. */
export function canEditOrder(status: OrderStatus, role: Role): boolean {
  return status === 'pending' && atLeast(role, 'staff');
}

export function isFinal(status: OrderStatus): boolean {
  return TRANSITIONS[status].length === 0;
}
