// The server's JSON shapes (see /api/openapi.json). Money is an exact decimal string.
// Types whose shape comes straight from the server are aliases of the generated ones
// (schema.d.ts, made from openapi.json); the rest are still written by hand.
import type { components } from './schema';

type Schemas = components['schemas'];

export type Money = string;

export const ROLES = ['customer', 'staff', 'admin', 'superadmin'] as const;
export type Role = (typeof ROLES)[number];

export interface User {
  id: number;
  username: string;
  email?: string | null;
  full_name?: string | null;
  role: Role;
  is_active: boolean;
  must_change_password: boolean;
  last_login_at?: string | null;
  created_at?: string;
  updated_at?: string;
  /** A customer login's customer record (where its orders go), once linked or made. */
  customer_id?: number | null;
}

/** What the signed-in admin may do to one account, as the server works it out. */
export type UserActions = Schemas['UserActions'];

/** An account as the signed-in admin sees it (GET /api/users and the changes' answers). */
export interface UserView extends User {
  actions: UserActions;
}

/** The signed-in user (GET /api/auth/me), with the roles they may give a new account. */
export interface Me extends User {
  grantable_roles: Role[];
}

export interface SessionResponse {
  user: User;
  expires_in: number;
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  per_page: number;
}

export const PRODUCT_STATUSES = ['active', 'archived'] as const;
export type ProductStatus = (typeof PRODUCT_STATUSES)[number];

export interface Product {
  id: number;
  sku: string;
  name: string;
  description?: string | null;
  price: Money;
  stock_quantity: number;
  low_stock_threshold?: number | null;
  is_low_stock: boolean;
  status: ProductStatus;
  /** Its own tax rate ("13"); null: the shop's default. */
  tax_rate?: string | null;
  created_at: string;
  updated_at: string;
  /** Its category (a top-level one or one under it); null: none. */
  category_id?: number | null;
  /** What it is sold by (件, 箱, kg...). */
  unit?: string | null;
  barcode?: string | null;
  /** What one unit costs the shop; null: not known. Staff only. */
  cost_price?: Money | null;
  /** Where its photo is, changing with the photo; null without one. */
  photo_url?: string | null;
}

export interface NewProduct {
  sku: string;
  name: string;
  price: Money;
  stock_quantity: number;
  description?: string | null;
  low_stock_threshold?: number | null;
  tax_rate?: string | null;
  category_id?: number | null;
  unit?: string | null;
  barcode?: string | null;
  /** Null: not known. */
  cost_price?: Money | null;
}

/** A product category: top-level, or under a top-level one (parent_id). */
export type Category = Schemas['Category'];
export type NewCategory = Schemas['NewCategory'];
/** Rename and/or move (parent_id null: make it top-level; left out: stays where it is). */
export type CategoryPatch = Schemas['CategoryPatch'];

export type ProductPatch = Partial<Omit<NewProduct, 'stock_quantity'>> & { status?: ProductStatus };

export const MOVEMENT_REASONS = [
  'initial',
  'order',
  'cancel',
  'order_edit',
  'correction',
  'restock',
  'damage',
  'count_correction',
  'return',
] as const;
export type MovementReason = (typeof MOVEMENT_REASONS)[number];

export const ADJUSTMENT_REASONS = ['restock', 'damage', 'count_correction'] as const;
export type AdjustmentReason = (typeof ADJUSTMENT_REASONS)[number];

export interface Movement {
  id: number;
  quantity_delta: number;
  balance_after: number;
  reason: MovementReason;
  note?: string | null;
  order_id?: number | null;
  order_number?: string | null;
  user_id?: number | null;
  username?: string | null;
  created_at: string;
}

export interface StockAdjustment {
  quantity: number;
  reason: AdjustmentReason;
  note?: string | null;
}

export const ORDER_STATUSES = ['pending', 'confirmed', 'shipped', 'completed', 'cancelled', 'returned'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** Where an order stands on money (see the README's "Payments and refunds"). */
export const PAYMENT_STATUSES = ['untracked', 'unpaid', 'partially_paid', 'paid', 'overpaid', 'refunded'] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

/** What was paid, what is still owed, and the payment status: kept on every order. */
export interface PaymentSummary {
  payment_status: PaymentStatus;
  /** Received less refunded. */
  paid_amount: Money;
  refunded_amount: Money;
  /** What is still owed; negative when more was paid than is due. */
  balance_due: Money;
  /** What should go back to the customer. */
  refund_due: Money;
}

/** 抹零: none, or the total rounded down to the yuan or to ten yuan. */
export type RoundDown = Schemas['RoundDown'];

/** What an order's total is made of: total = subtotal (+ tax when prices exclude it) − discount − rounding + shipping fee. */
export interface OrderAmounts {
  /** The sum of the lines. */
  subtotal: Money;
  /** The tax in the lines; added to the subtotal when prices exclude tax. */
  tax: Money;
  prices_include_tax: boolean;
  discount: Money;
  round_down: RoundDown;
  /** What 抹零 took off. */
  rounding: Money;
  shipping_fee: Money;
}

export interface Order extends PaymentSummary, OrderAmounts {
  id: number;
  order_number: string;
  status: OrderStatus;
  user_id: number;
  created_by: string;
  customer_id?: number | null;
  customer_name?: string | null;
  customer_phone?: string | null;
  customer_address?: string | null;
  /** 发票抬头 and 税号. */
  invoice_title?: string | null;
  invoice_tax_id?: string | null;
  /** Where the goods go (收货人). */
  ship_to: ShipTo;
  /** The value of the goods that came back. */
  returned_amount: Money;
  note?: string | null;
  total_amount: Money;
  created_at: string;
  updated_at: string;
}

/** Where an order goes: a name, a phone and an address in its usual parts. */
export type ShipTo = Schemas['ShipTo'];
export type Carrier = Schemas['Carrier'];
export type Shipment = Schemas['Shipment'];
export type ShipmentRow = Schemas['ShipmentRow'];
export type NewShipment = Schemas['NewShipment'];
export type LineQuantity = Schemas['LineQuantity'];
export type OrderReturn = Schemas['OrderReturn'];
export type NewReturn = Schemas['NewReturn'];
export type ReturnReason = Schemas['ReturnReason'];
export type Address = Schemas['Address'];
export type AddressInput = Schemas['AddressInput'];

export interface OrderItem {
  id: number;
  product_id: number;
  product_name: string;
  sku: string;
  quantity: number;
  /** The product's regular price when ordered. */
  list_price: Money;
  /** The price charged per unit. */
  unit_price: Money;
  /** Off the line, e.g. "10". */
  discount_percent: string;
  line_total: Money;
  tax_rate: string;
  tax: Money;
  /** Units gone out; quantity − shipped_quantity are still to ship. */
  shipped_quantity: number;
  /** Shipped units that came back. */
  returned_quantity: number;
}

export interface StatusChange {
  from_status?: OrderStatus | null;
  to_status: OrderStatus;
  user_id?: number | null;
  username?: string | null;
  created_at: string;
}

export interface OrderDetail extends Order {
  items: OrderItem[];
  status_history: StatusChange[];
  shipments: Shipment[];
  returns: OrderReturn[];
}

/** What the viewer may do with an order now: the server's own workflow rules. */
export type OrderActions = Schemas['OrderActions'];

/** An order as the signed-in viewer sees it (every order route answers with one). */
export interface OrderView extends OrderDetail {
  actions: OrderActions;
}

export interface NewOrderItem {
  product_id: number;
  quantity: number;
  /** A price of the line's own (staff). */
  unit_price?: Money;
  /** A percentage off the line (staff). */
  discount_percent?: string;
}

/** An amount off, 抹零 and a shipping fee (staff and up). */
export interface OrderAdjustments {
  discount?: Money;
  round_down?: RoundDown;
  shipping_fee?: Money;
}

export interface NewOrder extends OrderAdjustments {
  customer_id?: number | null;
  items: NewOrderItem[];
  note?: string | null;
  invoice_title?: string;
  invoice_tax_id?: string;
  /** Where the goods go; left out, the saved address address_id, or the customer's default. */
  ship_to?: ShipTo;
  address_id?: number;
}

export interface OrderPatch extends OrderAdjustments {
  items?: NewOrderItem[];
  note?: string | null;
  invoice_title?: string | null;
  invoice_tax_id?: string | null;
}

/** What an order would come to (POST /api/orders/quote). */
export interface OrderQuote extends OrderAmounts {
  items: OrderItem[];
  total_amount: Money;
  price_level_name?: string | null;
}

export type PriceLevel = Schemas['PriceLevel'];
export type PriceLevelDetail = Schemas['PriceLevelDetail'];
export type LevelPrice = Schemas['LevelPrice'];
export type TaxRow = Schemas['TaxRow'];

export const PAYMENT_KINDS = ['payment', 'refund', 'void'] as const;
/** Money received, money given back, or the reversal of an entry recorded by mistake. */
export type PaymentKind = (typeof PAYMENT_KINDS)[number];

/** One entry of an order's journal of money. */
export interface Payment {
  id: number;
  order_id: number;
  kind: PaymentKind;
  /** Always positive; `kind` gives the direction. */
  amount: Money;
  method: string;
  /** When the money changed hands. */
  paid_at: string;
  reference?: string | null;
  note?: string | null;
  /** Why money went back, or why an entry was voided. */
  reason?: string | null;
  /** For a void, the entry it reverses. */
  voids_id?: number | null;
  /** For a payment or refund that was voided, the void entry. */
  voided_by_id?: number | null;
  user_id?: number | null;
  recorded_by: string;
  created_at: string;
}

/** GET /api/orders/{id}/payments, and the answer to every change of it. */
export interface PaymentLedger extends PaymentSummary {
  order_id: number;
  order_number: string;
  total_amount: Money;
  /** Oldest first. */
  items: Payment[];
}

/** POST /api/orders/{id}/payments: a payment received (the default) or a refund given. */
export interface NewPayment {
  kind?: 'payment' | 'refund';
  amount: Money;
  method: string;
  /** RFC 3339; now when left out. */
  paid_at?: string | null;
  reference?: string | null;
  note?: string | null;
  /** Required for a refund. */
  reason?: string | null;
  /** Accept a payment above the balance due (the order becomes overpaid). */
  allow_overpayment?: boolean;
}

export interface Customer {
  id: number;
  name: string;
  phone?: string | null;
  email?: string | null;
  address?: string | null;
  note?: string | null;
  user_id?: number | null;
  username?: string | null;
  price_level_id?: number | null;
  price_level_name?: string | null;
  invoice_title?: string | null;
  invoice_tax_id?: string | null;
  is_archived: boolean;
  order_count: number;
  lifetime_total: Money;
  last_order_at?: string | null;
  created_at: string;
  updated_at: string;
}

export interface CustomerDetail extends Customer {
  recent_orders: Order[];
}

export interface CustomerInput {
  name: string;
  phone?: string | null;
  email?: string | null;
  address?: string | null;
  note?: string | null;
  price_level_id?: number | null;
  invoice_title?: string | null;
  invoice_tax_id?: string | null;
}

/** A change to a customer; user_id links the customer's own login (null unlinks it). */
export type CustomerPatch = Partial<CustomerInput> & { user_id?: number | null };

export interface NewUser {
  username: string;
  password: string;
  role: Role;
  email?: string | null;
  full_name?: string | null;
  must_change_password?: boolean;
}

export interface UserPatch {
  email?: string | null;
  full_name?: string | null;
  role?: Role;
  is_active?: boolean;
  /** A customer login's customer record (null unlinks it). */
  customer_id?: number | null;
}

/** One audit entry: who did what to which entity (entity_label names it), and the fields it changed. */
export type AuditEntry = Schemas['AuditEntry'];
/** One top-level field an entry changed: from (absent or null on a creation) and to (on a deletion). */
export type FieldChange = Schemas['FieldChange'];

/** The shop's settings; logo_updated_at is null without a logo (see GET /api/settings/logo). */
export type Settings = Schemas['Settings'];
/** PATCH /api/settings: only the fields given change; null clears the address or phone. */
export type SettingsPatch = Schemas['SettingsPatch'];

export type StatusTotal = Schemas['StatusTotal'];

/** The dashboard: today, what waits, totals, recent orders, low stock, getting started. */
export type Stats = Schemas['Stats'];
export type GettingStarted = Schemas['GettingStarted'];

/** GET /api/reports/margins: gross margin per day, product or category, with the total. */
export type MarginReport = Schemas['MarginReport'];
export type MarginRow = Schemas['MarginRow'];
export type MarginGrouping = Schemas['MarginGrouping'];

export type SalesGrouping = Schemas['Grouping'];
export type SalesRow = Schemas['SalesRow'];
export type SalesReport = Schemas['SalesReport'];
/** Best-selling products (GET /api/reports/products). */
export type ProductSalesRow = Schemas['ProductSalesRow'];
/** Top customers (GET /api/reports/top-customers). */
export type CustomerSalesRow = Schemas['CustomerRow'];
/** Orders per status over a range (GET /api/reports/orders-by-status). */
export type StatusRow = Schemas['StatusRow'];

/** A balance split by the age of its orders, counted from the day each was taken. */
export type ReceivableAges = Schemas['Ages'];
/** What one customer owes (GET /api/reports/receivables); no customer for walk-in orders (散客). */
export type ReceivableRow = Schemas['ReceivableRow'];
/** Who owes what now, the largest balance first, with the time the ages were counted at. */
export type ReceivablesReport = Schemas['ReceivablesReport'];

/** An order taken, its cancellation, money received or given back, or a void of either. */
export type StatementEntryKind = Schemas['StatementEntryKind'];
/** One line of a statement: its signed effect on what the customer owes, and the balance after it. */
export type StatementEntry = Schemas['StatementEntry'];
/** A customer's statement (对账单) for a period (GET /api/customers/{id}/statement). */
export type Statement = Schemas['Statement'];

/** A product as a customer sees it: SKU and exact stock only when the shop shows them. */
export type CatalogueProduct = Schemas['CatalogueProduct'];

/** The language of an exported file's headers and values. */
export type FileLang = Schemas['Lang'];
export type ImportKind = Schemas['Kind'];
export type ImportStatus = Schemas['Status'];
/** A CSV import: its progress while it runs, its counts or error once it has ended. */
export type ImportJob = Schemas['ImportJob'];

/** One problem of an import file (422 invalid_csv, details.errors). Line 1 is the header. */
export interface ImportProblem {
  line: number;
  column?: string | null;
  /** The cell's text as the file has it, when one cell is at fault. */
  value?: string | null;
  message: string;
}

/** GET /api/system: health, version, uptime, the database and how many accounts there are. */
export type SystemInfo = Schemas['SystemInfo'];

/** Why a backup was taken (other values may come from newer servers or hand-copied files). */
export type BackupReason = 'manual' | 'scheduled' | 'pre-migrate' | 'pre-restore' | 'unknown';

/** One verified backup file in the server's backup directory. */
export interface BackupInfo {
  /** The file name, e.g. order-system-20261128-063823-855-manual.db. */
  name: string;
  size_bytes: number;
  /** RFC 3339; "" for a file copied in by hand (no record beside it). */
  created_at: string;
  schema_version: number;
  /** "ok" when the copy passed the integrity and foreign-key checks. */
  verification: string;
  reason: BackupReason | (string & {});
  duration_ms: number;
}

/** How the latest backup attempts (manual or scheduled) went since the server started. */
export interface BackupStatus {
  last_success_at: string | null;
  last_success_name: string | null;
  last_success_bytes: number | null;
  last_failure_at: string | null;
  last_error: string | null;
}

/** The answer to a restore: what was restored, what was migrated, where the old data went. */
export type RestoreReport = Schemas['RestoreReport'];

export interface BackupList {
  directory: string;
  status: BackupStatus;
  /** Newest first. */
  items: BackupInfo[];
  /** Why the backup directory could not be read, if it could not. */
  problem: string | null;
  /** Whether this viewer may restore one (the server decides; today the superAdmin). */
  can_restore: boolean;
}

// Purchasing (采购): suppliers, purchase orders, goods received and sent back, reorder suggestions.
export type Supplier = Schemas['Supplier'];
export type NewSupplier = Schemas['NewSupplier'];
export type SupplierPatch = Schemas['SupplierPatch'];
export type PoStatus = Schemas['PoStatus'];
export type PurchaseOrder = Schemas['PurchaseOrder'];
export type PurchaseOrderDetail = Schemas['PurchaseOrderDetail'];
export type PoLine = Schemas['PoLine'];
export type PoLineInput = Schemas['LineInput'];
export type NewPurchaseOrder = Schemas['NewPurchaseOrder'];
export type PurchaseOrderPatch = Schemas['PurchaseOrderPatch'];
export type PoReceipt = Schemas['Receipt'];
export type PoReceiptLine = Schemas['ReceiptLine'];
export type NewPoReceipt = Schemas['NewReceipt'];
export type ReorderSuggestion = Schemas['ReorderSuggestion'];
export type FromReorder = Schemas['FromReorder'];
/** A product as staff see it, with its cost price (what a purchase line starts at). */
export type CostedProduct = Schemas['Product'];
