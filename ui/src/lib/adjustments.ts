// The order form's live total with an amount off, 抹零 and a shipping fee: the same rule the
// server applies (src/orders/adjustments.rs), in fen, so what the form shows is what is saved.
import type { RoundDown } from '../api/types';
import { parseCents } from './money';

export const ROUND_DOWNS: readonly RoundDown[] = ['none', 'yuan', 'ten_yuan'];

const STEP: Record<RoundDown, bigint> = { none: 1n, yuan: 100n, ten_yuan: 1000n };

export interface AdjustedTotal {
  /** What 抹零 took off. */
  rounding: bigint;
  total: bigint;
  /** The discount is more than the lines and the fee: the server will refuse it. */
  tooMuch: boolean;
}

/**
 * lines − discount + fee, rounded down to the step of `roundDown`: 267.20 → 267.00 (yuan)
 * or 260.00 (ten yuan). A discount beyond lines + fee gives a total of 0 and `tooMuch`.
 */
export function adjustedTotal(lines: bigint, discount: bigint, fee: bigint, roundDown: RoundDown): AdjustedTotal {
  const before = lines - discount + fee;
  if (before < 0n) return { rounding: 0n, total: 0n, tooMuch: true };
  const rounding = before % STEP[roundDown];
  return { rounding, total: before - rounding, tooMuch: false };
}

/** The rows between an order's lines and its total that are not zero: what a reader needs to follow the sum. */
export function adjustmentRows(o: {
  subtotal: string;
  discount: string;
  rounding: string;
  shipping_fee: string;
  tax?: string;
  prices_include_tax?: boolean;
}): { key: 'subtotal' | 'taxAdded' | 'discount' | 'rounding' | 'shippingFee'; cents: bigint }[] {
  const c = (s: string) => parseCents(s) ?? 0n;
  // Tax prices exclude is part of the sum; tax they include is shown apart (taxIncluded).
  const added = o.prices_include_tax === false ? c(o.tax ?? '0') : 0n;
  const rows = [
    { key: 'taxAdded' as const, cents: added },
    { key: 'discount' as const, cents: -c(o.discount) },
    { key: 'rounding' as const, cents: -c(o.rounding) },
    { key: 'shippingFee' as const, cents: c(o.shipping_fee) },
  ].filter((r) => r.cents !== 0n);
  return rows.length ? [{ key: 'subtotal', cents: c(o.subtotal) }, ...rows] : [];
}

/** The tax inside an order whose prices include it (zero otherwise): shown under the total. */
export function includedTax(o: { tax?: string; prices_include_tax?: boolean }): bigint {
  return o.prices_include_tax === false ? 0n : (parseCents(o.tax ?? '0') ?? 0n);
}
