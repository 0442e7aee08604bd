// Money arrives as exact decimal strings ("19.90"). Sums are done in integer cents
// (BigInt, so no size limit and no float rounding), and turned back into a decimal
// string only to display it.

const MONEY_RE = /^(-)?(\d+)(?:\.(\d{1,2}))?$/;

/** "19.9" → 1990n; null when the text is not a decimal with at most two places. */
export function parseCents(text: string): bigint | null {
  const m = MONEY_RE.exec(text.trim());
  if (!m) return null;
  const [, sign, whole = '0', frac = ''] = m;
  const cents = BigInt(whole) * 100n + BigInt(frac.padEnd(2, '0'));
  return sign ? -cents : cents;
}

/** Like parseCents, but treats an unreadable amount as zero (for display sums). */
export function centsOf(text: string): bigint {
  return parseCents(text) ?? 0n;
}

/** 1990n → "19.90"; -5n → "-0.05". */
export function formatCents(cents: bigint): string {
  const neg = cents < 0n;
  const abs = neg ? -cents : cents;
  const whole = abs / 100n;
  const frac = (abs % 100n).toString().padStart(2, '0');
  return `${neg ? '-' : ''}${whole}.${frac}`;
}

/** unit price × quantity, in cents. */
export function lineCents(unitPrice: string, quantity: number): bigint {
  if (!Number.isSafeInteger(quantity)) return 0n;
  return centsOf(unitPrice) * BigInt(quantity);
}

export interface PricedLine {
  unitPrice: string;
  quantity: number;
}

/** The exact total of some order lines, as a decimal string. */
export function orderTotal(lines: readonly PricedLine[]): string {
  return formatCents(lines.reduce((sum, l) => sum + lineCents(l.unitPrice, l.quantity), 0n));
}

/** Is this a valid price to send to the server (non-negative, at most two decimals)? */
export function isValidPrice(text: string): boolean {
  const c = parseCents(text);
  return c !== null && c >= 0n;
}

/** Normalizes user input like "19.9" to "19.90" (the server accepts both). */
export function normalizePrice(text: string): string {
  const c = parseCents(text);
  return c === null ? text.trim() : formatCents(c);
}

export type MoneyFormatter = (amount: string | bigint) => string;

/**
 * A formatter for the shop's money: its currency symbol (settings.currency_symbol, e.g. "¥",
 * "$" or "RMB") before the amount, always with two decimals, grouped the way the UI language
 * writes numbers. A symbol ending in a letter gets a no-break space ("RMB 1,234.50").
 * Amounts are handed to Intl.NumberFormat as decimal strings, so nothing passes through a float.
 */
export function moneyFormatter(locale: string, symbol: string): MoneyFormatter {
  let nf: Intl.NumberFormat;
  try {
    nf = new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  } catch {
    nf = new Intl.NumberFormat('en', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  }
  const sym = symbol.trim();
  const prefix = sym && /\p{L}$/u.test(sym) ? `${sym}\u00a0` : sym;
  return (amount) => {
    const cents = typeof amount === 'bigint' ? amount : parseCents(amount);
    if (cents === null) return String(amount);
    const negative = cents < 0n;
    const digits = nf.format(formatCents(negative ? -cents : cents) as `${number}`);
    return `${negative ? '-' : ''}${prefix}${digits}`;
  };
}

/** A plain number for charts only (never summed). */
export function centsToChartNumber(text: string): number {
  return Number(centsOf(text)) / 100;
}

/** A total shared over n (e.g. revenue per order), rounded half up to the cent; null for none. */
export function averageCents(total: string, n: number): bigint | null {
  const cents = parseCents(total);
  if (cents === null || !Number.isSafeInteger(n) || n <= 0) return null;
  const d = BigInt(n);
  const abs = cents < 0n ? -cents : cents;
  const q = (abs * 2n + d) / (2n * d);
  return cents < 0n ? -q : q;
}
