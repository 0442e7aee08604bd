import type { AdjustmentReason } from '../api/types';

/**
 * The signed stock change for a manual adjustment. Restock and damage take the number of
 * pieces (damage removes them); a count correction takes the counted stock, and the
 * change is the difference from the current stock.
 */
export function adjustmentDelta(reason: AdjustmentReason, amount: number, currentStock: number): number {
  switch (reason) {
    case 'restock':
      return Math.abs(amount);
    case 'damage':
      return -Math.abs(amount);
    case 'count_correction':
      return amount - currentStock;
  }
}

/** "+5", "-3", "0". */
export function signed(n: number): string {
  return n > 0 ? `+${n}` : String(n);
}
