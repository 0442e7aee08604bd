// The purchasing routes' errors in the UI language: their conflict codes (supplier_in_use,
// more_than_received...) and validation messages, on top of the app-wide describeError.
import type { TFunction } from 'i18next';
import { ApiError } from '../api/client';
import { describeError, translateValidation } from './errors';
import { stripFieldPrefix } from './fields';
import { isPoStatus } from './purchasing';

type Rule = [RegExp, (m: RegExpExecArray, t: TFunction) => string];

const RULES: Rule[] = [
  [/^no such supplier$/, (_m, t) => t('purchasing.errors.no_such_supplier')],
  [/^(.+) is archived: restore it to order from it$/, (m, t) => t('purchasing.errors.supplier_archived', { name: m[1] })],
  [/^give the cost of (.+) before ordering$/, (m, t) => t('purchasing.errors.missing_cost', { name: m[1] })],
  [/^is listed twice(: put the quantities on one line)?$/, (_m, t) => t('purchasing.errors.listed_twice')],
  [/^must have 1 to (\d+) lines$/, (m, t) => t('purchasing.errors.line_count', { n: m[1] })],
  [/^(name at least one line|pick 1 to \d+ suggestions)$/, (_m, t) => t('purchasing.errors.no_lines')],
  [/^is not among the reorder suggestions/, (_m, t) => t('purchasing.errors.not_suggested')],
  [/^must be between 0 and the price limit$/, (_m, t) => t('purchasing.errors.cost_range')],
];

function purchasingRule(message: string, t: TFunction): string | null {
  for (const [re, fmt] of RULES) {
    const m = re.exec(message);
    if (m) return fmt(m, t);
  }
  return null;
}

/** One validation message of the purchasing routes, translated when we know it. */
export function translatePurchasingValidation(message: string, t: TFunction): string {
  return purchasingRule(message, t) ?? translateValidation(message, t);
}

function num(v: unknown): string {
  return typeof v === 'number' || typeof v === 'string' ? String(v) : '?';
}

function statusText(v: unknown, t: TFunction): string {
  return typeof v === 'string' && isPoStatus(v) ? t(`purchasing.poStatus.${v}`) : num(v);
}

/** The message for a field the server blamed (without the field's name in front). */
export function purchasingFieldText(err: ApiError, t: TFunction): string {
  if (err.code === 'validation_failed' && err.field) {
    return translatePurchasingValidation(stripFieldPrefix(err.message, err.field), t);
  }
  return describePurchasingError(err, t);
}

/** Text to show for a failed purchasing request. */
export function describePurchasingError(err: unknown, t: TFunction): string {
  if (!(err instanceof ApiError)) return describeError(err, t);
  const d = err.details;
  switch (err.code) {
    case 'supplier_in_use':
      return t('purchasing.errors.supplier_in_use');
    case 'supplier_taken':
      return t('purchasing.errors.supplier_taken');
    case 'purchase_order_status':
      return t('purchasing.errors.purchase_order_status', { status: statusText(d['status'], t) });
    case 'already_in_status':
      return t('purchasing.errors.already_in_status', { status: statusText(d['status'], t) });
    case 'more_than_ordered':
      if (d['left'] !== undefined) return t('purchasing.errors.more_than_ordered', { n: num(d['left']) });
      break;
    case 'more_than_received':
      return t('purchasing.errors.more_than_received', { n: num(d['kept']) });
    case 'validation_failed': {
      // Ours say what is wrong on their own; others keep the field's name in front.
      const own = err.field ? purchasingRule(stripFieldPrefix(err.message, err.field), t) : null;
      if (own !== null) return own;
      break;
    }
  }
  return describeError(err, t);
}
