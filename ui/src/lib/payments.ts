// Payments in words and numbers, without UI: the methods' names, the statuses' colours, what
// the forms start with, and what each journal entry did.
import type { TFunction } from 'i18next';
import type { Payment, PaymentLedger, PaymentStatus, PaymentSummary } from '../api/types';
import en from '../i18n/en';
import zhCN from '../i18n/zh-CN';
import { centsOf, formatCents } from './money';

/** The methods the server knows by code (a new shop's list); the UI names them. */
export const BUILTIN_METHODS = ['cash', 'wechat', 'alipay', 'bank_transfer', 'card', 'on_account'] as const;
export type BuiltinMethod = (typeof BUILTIN_METHODS)[number];

export function isBuiltinMethod(m: string): m is BuiltinMethod {
  return (BUILTIN_METHODS as readonly string[]).includes(m);
}

/** "wechat" → "微信"; a shop's own method as the shop typed it. */
export function methodLabel(method: string, t: TFunction): string {
  return isBuiltinMethod(method) ? t(`paymentMethod.${method}`) : method;
}

/**
 * What to keep in the settings for a method typed in the editor: a built-in's code when its
 * name is typed in either language ("微信", "WeChat Pay" → "wechat"), else the text, trimmed.
 */
export function methodCode(typed: string): string {
  const text = typed.trim();
  const lower = text.toLowerCase();
  for (const m of BUILTIN_METHODS) {
    if (m === lower || zhCN.paymentMethod[m] === text || en.paymentMethod[m].toLowerCase() === lower) return m;
  }
  return text;
}

/** The settings' list from the editor's tags: codes for built-ins, no blanks, no repeats (ignoring case). */
export function normalizeMethods(tags: readonly string[]): string[] {
  const out: string[] = [];
  for (const tag of tags) {
    const code = methodCode(tag);
    if (code && !out.some((o) => o.toLowerCase() === code.toLowerCase())) out.push(code);
  }
  return out;
}

export const PAYMENT_STATUS_COLORS: Record<PaymentStatus, string> = {
  untracked: 'default',
  unpaid: 'orange',
  partially_paid: 'gold',
  paid: 'green',
  overpaid: 'red',
  refunded: 'purple',
};

const positive = (amount: string) => centsOf(amount) > 0n;

/** What the payment form starts with: the balance due, when something is due. */
export function paymentDefault(s: PaymentSummary): string {
  return positive(s.balance_due) ? s.balance_due : '';
}

/** What the refund form starts with: what should go back, else everything paid. */
export function refundDefault(s: PaymentSummary): string {
  if (positive(s.refund_due)) return s.refund_due;
  return positive(s.paid_amount) ? s.paid_amount : '';
}

/** A payment or refund not voided yet (a void cannot itself be voided). */
export function isVoidable(p: Pick<Payment, 'kind' | 'voided_by_id'>): boolean {
  return p.kind !== 'void' && (p.voided_by_id === null || p.voided_by_id === undefined);
}

/**
 * What an entry did to the money taken, in fen: a payment adds, a refund takes away, and a
 * void undoes the entry it reverses (found among `items`).
 */
export function entryEffect(p: Payment, items: readonly Payment[]): bigint {
  const amount = centsOf(p.amount);
  if (p.kind === 'payment') return amount;
  if (p.kind === 'refund') return -amount;
  const target = items.find((i) => i.id === p.voids_id);
  return target?.kind === 'refund' ? amount : -amount;
}

/** The entry a void reverses, or the void that reversed an entry. */
export function linkedEntry(p: Payment, items: readonly Payment[]): Payment | undefined {
  const id = p.kind === 'void' ? p.voids_id : p.voided_by_id;
  return id === null || id === undefined ? undefined : items.find((i) => i.id === id);
}

/** How much a payment goes beyond the balance (both decimal strings), as a decimal string. */
export function overBy(amount: string, balance: string): string {
  const over = centsOf(amount) - centsOf(balance);
  return formatCents(over > 0n ? over : 0n);
}

/** The summary fields of a ledger, to put on the order it belongs to. */
export function summaryOf(l: PaymentLedger): PaymentSummary {
  return {
    payment_status: l.payment_status,
    paid_amount: l.paid_amount,
    refunded_amount: l.refunded_amount,
    balance_due: l.balance_due,
    refund_due: l.refund_due,
  };
}
