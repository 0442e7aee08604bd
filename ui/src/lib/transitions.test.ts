import { describe, expect, it } from 'vitest';
import { ORDER_STATUSES } from '../api/types';
import { TRANSITIONS, allowedTransitions, canEditOrder, isFinal } from './transitions';

describe('order transitions', () => {
  it('follows pending → confirmed → shipped → completed, with cancel before shipping', () => {
    expect(allowedTransitions('pending', 'staff')).toEqual(['confirmed', 'cancelled']);
    expect(allowedTransitions('confirmed', 'admin')).toEqual(['shipped', 'cancelled']);
    expect(allowedTransitions('shipped', 'superadmin')).toEqual(['completed']);
    expect(allowedTransitions('completed', 'staff')).toEqual([]);
    expect(allowedTransitions('cancelled', 'staff')).toEqual([]);
  });

  it('lets customers only cancel a pending order', () => {
    expect(allowedTransitions('pending', 'customer')).toEqual(['cancelled']);
    for (const s of ['confirmed', 'shipped', 'completed', 'cancelled'] as const) {
      expect(allowedTransitions(s, 'customer')).toEqual([]);
    }
  });

  it('never offers a move to the same status or back to pending', () => {
    for (const s of ORDER_STATUSES) {
      expect(TRANSITIONS[s]).not.toContain(s);
      expect(TRANSITIONS[s]).not.toContain('pending');
    }
  });

  it('returns a copy that callers may change', () => {
    allowedTransitions('pending', 'staff').push('completed');
    expect(TRANSITIONS.pending).toEqual(['confirmed', 'cancelled']);
  });

  it('edits only pending orders, by staff and up', () => {
    expect(canEditOrder('pending', 'staff')).toBe(true);
    expect(canEditOrder('pending', 'customer')).toBe(false);
    expect(canEditOrder('confirmed', 'admin')).toBe(false);
    expect(isFinal('completed')).toBe(true);
    expect(isFinal('shipped')).toBe(false);
  });
});
