// What customers owe, without UI: the age columns, entries' signed amounts, and which side a
// balance leaves owing.
import type { ReceivableAges, StatementEntryKind } from '../api/types';
import { centsOf } from './money';
import type { MoneyFormatter } from './money';

/** The age columns of the receivables report, youngest first (headings: receivables.<key>). */
export const AGE_BUCKETS = ['days_0_30', 'days_31_60', 'days_61_90', 'days_over_90'] as const satisfies readonly (keyof ReceivableAges)[];

export const ENTRY_KIND_COLORS: Record<StatementEntryKind, string> = {
  order: 'blue',
  cancellation: 'default',
  payment: 'green',
  refund: 'purple',
  void: 'red',
};

/** What an entry did to the balance, with its sign: "+¥120.00", "-¥20.00"; zero has none. */
export function signedMoney(money: MoneyFormatter, amount: string | bigint): string {
  const cents = typeof amount === 'bigint' ? amount : centsOf(amount);
  return cents > 0n ? `+${money(amount)}` : money(amount);
}

/** Who a balance leaves owing: the customer (positive), the shop (negative), or nobody. */
export type BalanceSide = 'owes' | 'credit' | 'settled';

/** The side a balance leaves owing, and how much (in fen, never negative). */
export function balanceSide(amount: string): { side: BalanceSide; cents: bigint } {
  const cents = centsOf(amount);
  if (cents > 0n) return { side: 'owes', cents };
  if (cents < 0n) return { side: 'credit', cents: -cents };
  return { side: 'settled', cents: 0n };
}
