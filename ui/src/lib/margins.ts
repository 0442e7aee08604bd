// The margins report (GET /api/reports/margins) as the UI shows it.
import { centsOf } from './money';

/**
 * A margin in basis points as a percentage with two decimals: 2350 → "23.50%",
 * -125 → "-1.25%". Without revenue the server sends null: "—".
 */
export function formatMargin(bp: number | null | undefined): string {
  if (typeof bp !== 'number' || !Number.isFinite(bp)) return '—';
  const n = Math.round(bp);
  const abs = Math.abs(n);
  const frac = String(abs % 100).padStart(2, '0');
  return `${n < 0 ? '-' : ''}${Math.floor(abs / 100)}.${frac}%`;
}

/** Did some of these sales have no cost price (left out of the margin, not counted as free)? */
export function hasUnknownCost(row: { revenue_without_cost: string }): boolean {
  return centsOf(row.revenue_without_cost) !== 0n;
}

/** A loss shows in red: a negative gross profit. */
export function isLoss(row: { gross_profit: string }): boolean {
  return centsOf(row.gross_profit) < 0n;
}
