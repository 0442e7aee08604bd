// The audit log in words: action names, what an entry touched, and its changes as a list of
// fields with readable values. Without UI, so it can be unit-tested.
import type { TFunction } from 'i18next';
import type { AuditEntry } from '../api/types';
import type { MoneyFormatter } from './money';
import { formatMegabytes } from './backups';
import { methodLabel } from './payments';
import { signed } from './stock';

/** Every action the server writes (grep the server for Event::created/changed/deleted and `action: "`). */
export const AUDIT_ACTIONS = [
  'auth.login',
  'auth.login_failed',
  'auth.password_change',
  'order.create',
  'order.update',
  'order.status',
  'order.delete',
  'product.create',
  'product.update',
  'product.archive',
  'product.restore',
  'stock.adjust',
  'customer.create',
  'customer.update',
  'customer.archive',
  'customer.restore',
  'customer.delete',
  'customer.merge',
  'customer.import',
  'user.create',
  'user.update',
  'user.password_reset',
  'user.delete',
  'settings.update',
  'settings.logo',
  'settings.logo_delete',
  'backup.restore',
  'demo.generate',
  'payment.record',
  'payment.refund',
  'payment.void',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export function isKnownAction(action: string): action is AuditAction {
  return (AUDIT_ACTIONS as readonly string[]).includes(action);
}

/** The entity types entries name (the filter's choices). */
export const AUDIT_ENTITY_TYPES = ['order', 'product', 'customer', 'user', 'settings', 'import', 'database'] as const;

/** "order.create" → "新建订单"; an action this UI does not know keeps its raw name. */
export function actionLabel(action: string, t: TFunction): string {
  return isKnownAction(action) ? t(`audit.actions.${action}`) : action;
}

export function entityTypeLabel(type: string, t: TFunction): string {
  return (AUDIT_ENTITY_TYPES as readonly string[]).includes(type) || type === 'auth'
    ? t(`audit.entityType.${type as (typeof AUDIT_ENTITY_TYPES)[number] | 'auth'}`)
    : type;
}

/** What people call the entity: its label (order number, SKU, name, username), else its id. */
export function entityName(entry: Pick<AuditEntry, 'entity_label' | 'entity_id'>): string {
  if (entry.entity_label) return entry.entity_label;
  return entry.entity_id !== null && entry.entity_id !== undefined ? `#${entry.entity_id}` : '';
}

/** Where the entity is shown in the UI, while it exists. */
export function entityPath(entry: Pick<AuditEntry, 'entity_type' | 'entity_id' | 'entity_label' | 'action'>): string | null {
  if (entry.action.endsWith('.delete')) return null;
  const id = entry.entity_id;
  if (entry.entity_type === 'settings') return '/settings';
  if (id === null || id === undefined) return null;
  switch (entry.entity_type) {
    case 'order':
      return `/orders/${id}`;
    case 'product':
      return `/products/${id}`;
    case 'customer':
      return `/customers/${id}`;
    case 'user':
      return entry.entity_label ? `/users?q=${encodeURIComponent(entry.entity_label)}` : null;
    default:
      return null;
  }
}

/** Field names the dictionary has (audit.fields.*); others are shown as they are. */
const KNOWN_FIELDS = [
  'sku',
  'name',
  'price',
  'stock_quantity',
  'low_stock_threshold',
  'description',
  'status',
  'note',
  'items',
  'total_amount',
  'customer_name',
  'customer_id',
  'order_number',
  'created_by',
  'phone',
  'email',
  'address',
  'is_archived',
  'user_id',
  'username',
  'full_name',
  'role',
  'is_active',
  'must_change_password',
  'business_name',
  'business_address',
  'business_phone',
  'currency_code',
  'currency_symbol',
  'time_zone',
  'order_number_prefix',
  'default_low_stock_threshold',
  'show_stock_to_customers',
  'quantity_delta',
  'reason',
  'kind',
  'expires_at',
  'merged_from',
  'orders_moved',
  'customers_created',
  'content_type',
  'size_bytes',
  'restored_from',
  'backup_schema_version',
  'migrated',
  'pre_restore_backup',
  'products',
  'customers',
  'orders',
  'order_items',
  'amount',
  'method',
  'paid_at',
  'reference',
  'voids_id',
  'payment_methods',
] as const;
type KnownField = (typeof KNOWN_FIELDS)[number];

function isKnownField(field: string): field is KnownField {
  return (KNOWN_FIELDS as readonly string[]).includes(field);
}

/** A payment, refund or void: its entry is on the order, its fields are the entry's. */
function isPaymentAction(action: string | undefined): boolean {
  return action?.startsWith('payment.') ?? false;
}

/** The entry's fields the order's own row already says (or that are always empty on a new entry). */
const NOT_SHOWN_FOR_PAYMENTS = new Set(['order_id', 'voided_by_id', 'recorded_by']);
const PAYMENT_KINDS = new Set(['payment', 'refund', 'void']);

export function fieldLabel(field: string, entityType: string, t: TFunction, action?: string): string {
  if (field === 'name' && entityType === 'customer') return t('customers.name');
  if (field === 'kind' && isPaymentAction(action)) return t('audit.fields.payment_kind');
  return isKnownField(field) ? t(`audit.fields.${field}`) : field;
}

const MONEY_FIELDS = new Set(['price', 'total_amount', 'lifetime_total', 'line_total', 'unit_price', 'amount']);
const TIME_FIELDS = new Set(['created_at', 'updated_at', 'last_login_at', 'last_order_at', 'expires_at', 'paid_at']);
const ORDER_STATUSES = new Set(['pending', 'confirmed', 'shipped', 'completed', 'cancelled']);
const PRODUCT_STATUSES = new Set(['active', 'archived']);
const ROLES = new Set(['customer', 'staff', 'admin', 'superadmin']);
const STOCK_REASONS = new Set([
  'initial',
  'order',
  'cancel',
  'order_edit',
  'correction',
  'restock',
  'damage',
  'count_correction',
]);
const LOGIN_REASONS = new Set(['wrong_password', 'unknown_user', 'account_disabled']);
const LOGIN_KINDS = new Set(['session', 'token']);

/** Never worth a line: bookkeeping every write moves, or history kept elsewhere. */
const NEVER_SHOWN = new Set(['id', 'updated_at', 'created_at', 'status_history']);
/** Derived or repeated facts a new (or deleted) record lists beside what was set. */
const NOT_SHOWN_WHEN_WHOLE = new Set([
  'is_low_stock',
  'order_count',
  'lifetime_total',
  'last_order_at',
  'last_login_at',
  'created_by',
  'customer_id',
  'user_id',
]);

export interface Formatters {
  t: TFunction;
  money: MoneyFormatter;
  dateTime: (iso: string | null | undefined) => string;
  locale: string;
}

interface Line {
  product_name?: unknown;
  sku?: unknown;
  quantity?: unknown;
}

function isEmpty(v: unknown): boolean {
  return v === null || v === undefined || v === '';
}

/** One value as people read it: statuses and roles translated, money as money, and so on. */
export function formatValue(field: string, value: unknown, entityType: string, f: Formatters, action?: string): string {
  const { t } = f;
  if (isEmpty(value)) return t('audit.emptyValue');
  if (typeof value === 'boolean') return value ? t('audit.yes') : t('audit.no');
  if (typeof value === 'string') {
    if (field === 'kind' && isPaymentAction(action) && PAYMENT_KINDS.has(value))
      return t(`paymentKind.${value as 'payment'}`);
    if (field === 'method' && isPaymentAction(action)) return methodLabel(value, t);
    if (field === 'status' && entityType === 'order' && ORDER_STATUSES.has(value))
      return t(`orderStatus.${value as 'pending'}`);
    if (field === 'status' && entityType === 'product' && PRODUCT_STATUSES.has(value))
      return t(`productStatus.${value as 'active'}`);
    if (field === 'role' && ROLES.has(value)) return t(`role.${value as 'staff'}`);
    if (field === 'reason' && STOCK_REASONS.has(value)) return t(`reason.${value as 'restock'}`);
    if (field === 'reason' && LOGIN_REASONS.has(value)) return t(`audit.loginReason.${value as 'wrong_password'}`);
    if (field === 'kind' && LOGIN_KINDS.has(value)) return t(`audit.loginKind.${value as 'session'}`);
    if (MONEY_FIELDS.has(field)) return f.money(value);
    if (TIME_FIELDS.has(field)) return f.dateTime(value);
    return value;
  }
  if (typeof value === 'number') {
    if (field === 'quantity_delta') return signed(value);
    if (field === 'size_bytes') return formatMegabytes(value, f.locale);
    if (field === 'merged_from' || field.endsWith('_id')) return `#${value}`;
    return String(value);
  }
  if (Array.isArray(value)) {
    if (field === 'payment_methods') {
      return value.map((m) => (typeof m === 'string' ? methodLabel(m, t) : JSON.stringify(m))).join(t('audit.listSeparator'));
    }
    if (field === 'items') {
      return (value as Line[])
        .map((l) => `${String(l.product_name ?? l.sku ?? '?')} × ${String(l.quantity ?? '?')}`)
        .join(t('audit.listSeparator'));
    }
    return value.map((v) => (typeof v === 'object' ? JSON.stringify(v) : String(v))).join(t('audit.listSeparator'));
  }
  return JSON.stringify(value);
}

export interface ChangeLine {
  field: string;
  label: string;
  /** Set: a new record's value (or what a record had when it was deleted); changed: from → to. */
  kind: 'set' | 'changed' | 'had';
  from?: string;
  to?: string;
}

/**
 * An entry's changes as lines. A change (before and after) reads "field: from → to"; a
 * creation lists what it set and a deletion what it had, leaving out empty fields,
 * bookkeeping and what the entity column already says (its label).
 */
export function describeChanges(entry: AuditEntry, f: Formatters): ChangeLine[] {
  const whole = !entry.before || !entry.after;
  const out: ChangeLine[] = [];
  const action = entry.action;
  const shown = (field: string, v: unknown) => formatValue(field, v, entry.entity_type, f, action);
  for (const c of entry.changes) {
    if (NEVER_SHOWN.has(c.field)) continue;
    if (isPaymentAction(action) && NOT_SHOWN_FOR_PAYMENTS.has(c.field)) continue;
    const label = fieldLabel(c.field, entry.entity_type, f.t, action);
    if (entry.action === 'customer.merge') {
      // before is the record folded in, after what happened: say what happened.
      if (isEmpty(c.to)) continue;
      const to =
        c.field === 'merged_from' && typeof entry.before?.name === 'string'
          ? `${entry.before.name} (#${String(c.to)})`
          : shown(c.field, c.to);
      out.push({ field: c.field, label, kind: 'set', to });
      continue;
    }
    if (whole) {
      const value = entry.after ? c.to : c.from;
      // A false flag on a new record is the default, not news (archived: no).
      if (isEmpty(value) || value === false || NOT_SHOWN_WHEN_WHOLE.has(c.field)) continue;
      if (typeof value === 'string' && value === entry.entity_label) continue;
      if (Array.isArray(value) && value.length === 0) continue;
      const text = shown(c.field, value);
      out.push(entry.after ? { field: c.field, label, kind: 'set', to: text } : { field: c.field, label, kind: 'had', from: text });
      continue;
    }
    if (isEmpty(c.from) && isEmpty(c.to)) continue;
    if (isEmpty(c.from) && !(c.field in (entry.before ?? {}))) {
      // A fact the entry adds (a stock adjustment's reason and delta), not a changed field.
      out.push({ field: c.field, label, kind: 'set', to: shown(c.field, c.to) });
      continue;
    }
    out.push({
      field: c.field,
      label,
      kind: 'changed',
      from: shown(c.field, c.from),
      to: shown(c.field, c.to),
    });
  }
  return out;
}
