// The lines of an order being written (new order or edit of a pending one).
import type { CatalogueProduct, NewOrderItem, OrderItem, Product } from '../api/types';
import { centsOf, lineCents, orderTotal } from './money';

export interface DraftLine {
  productId: number;
  name: string;
  /** Null for a customer when the shop does not show SKUs. */
  sku: string | null;
  /** Decimal string; kept from the order for lines already on it. */
  unitPrice: string;
  quantity: number;
  /** A price staff typed for the line ('' or absent: the price the server gives it). */
  price?: string;
  /** A percentage off staff typed for the line, e.g. "10". */
  off?: string;
  /**
   * Stock on hand when the product was picked (unknown for lines of an existing order, and
   * for customers when the shop does not show its stock).
   */
  available?: number;
}

export const MAX_QUANTITY = 100_000;

/** A product the order form can add: staff get a Product, customers a CatalogueProduct. */
export type Orderable = Product | CatalogueProduct;

/** What a line needs of a product; SKU and stock may be hidden from customers. */
export interface LineSource {
  id: number;
  name: string;
  price: string;
  sku?: string | null;
  stock_quantity?: number | null;
}

export function lineFromProduct(p: LineSource): DraftLine {
  const line: DraftLine = { productId: p.id, name: p.name, sku: p.sku ?? null, unitPrice: p.price, quantity: 1 };
  if (typeof p.stock_quantity === 'number') line.available = p.stock_quantity;
  return line;
}

/** Is there any stock? Customers are told so (in_stock); staff see the number. */
export function inStock(p: Orderable): boolean {
  return 'in_stock' in p ? p.in_stock : p.stock_quantity > 0;
}

export function linesFromOrder(items: readonly OrderItem[]): DraftLine[] {
  return items.map((i) => ({
    productId: i.product_id,
    name: i.product_name,
    sku: i.sku,
    unitPrice: i.unit_price,
    quantity: i.quantity,
  }));
}

/** Adds a product; picking one already on the order adds one more of it. */
export function addLine(lines: readonly DraftLine[], line: DraftLine): DraftLine[] {
  const existing = lines.find((l) => l.productId === line.productId);
  if (!existing) return [...lines, line];
  return lines.map((l) =>
    l.productId === line.productId ? { ...l, quantity: Math.min(l.quantity + line.quantity, MAX_QUANTITY) } : l,
  );
}

export function setQuantity(lines: readonly DraftLine[], productId: number, quantity: number): DraftLine[] {
  const q = Number.isFinite(quantity) ? Math.min(Math.max(Math.trunc(quantity), 1), MAX_QUANTITY) : 1;
  return lines.map((l) => (l.productId === productId ? { ...l, quantity: q } : l));
}

export function removeLine(lines: readonly DraftLine[], productId: number): DraftLine[] {
  return lines.filter((l) => l.productId !== productId);
}

/** The live total, exact (integer cents). */
export function draftTotal(lines: readonly DraftLine[]): string {
  return orderTotal(lines.map((l) => ({ unitPrice: l.unitPrice, quantity: l.quantity })));
}

export function draftLineCents(line: DraftLine): bigint {
  return lineCents(line.unitPrice, line.quantity);
}

export function toItems(lines: readonly DraftLine[]): NewOrderItem[] {
  return lines.map((l) => {
    const item: NewOrderItem = { product_id: l.productId, quantity: l.quantity };
    const price = l.price?.trim();
    const off = l.off?.trim();
    if (price) item.unit_price = price;
    if (off) item.discount_percent = off;
    return item;
  });
}

/** Sets the price or percentage staff typed for a line. */
export function setLineField(
  lines: readonly DraftLine[],
  productId: number,
  field: 'price' | 'off',
  value: string,
): DraftLine[] {
  return lines.map((l) => (l.productId === productId ? { ...l, [field]: value } : l));
}

/** What the server's quote says of a product's line(s): an edit may keep it on several. */
export interface QuotedLine {
  listPrice: string;
  unitPrice: string;
  off: string;
  total: bigint;
  tax: bigint;
}

export function quotedLine(items: readonly OrderItem[], productId: number): QuotedLine | undefined {
  const mine = items.filter((i) => i.product_id === productId);
  const first = mine[0];
  if (!first) return undefined;
  return {
    listPrice: first.list_price,
    unitPrice: first.unit_price,
    off: first.discount_percent,
    total: mine.reduce((s, i) => s + centsOf(i.line_total), 0n),
    tax: mine.reduce((s, i) => s + centsOf(i.tax), 0n),
  };
}

/** Lines asking for more than the stock seen when they were picked (a hint; the server decides). */
export function overStock(line: DraftLine): boolean {
  return line.available !== undefined && line.quantity > line.available;
}

/** The line an insufficient_stock answer is about (its details name the product and its SKU). */
export function lineForStockError(lines: readonly DraftLine[], details: Record<string, unknown>): number | undefined {
  const id = details['product_id'];
  const byId = typeof id === 'number' ? lines.find((l) => l.productId === id) : undefined;
  if (byId) return byId.productId;
  const sku = details['sku'];
  if (typeof sku !== 'string') return undefined;
  return lines.find((l) => l.sku !== null && l.sku === sku)?.productId;
}

/** The line an "items[i].…" validation error is about. */
export function lineForField(lines: readonly DraftLine[], field: string | undefined): number | undefined {
  const m = field ? /^items\[(\d+)\]/.exec(field) : null;
  return m ? lines[Number(m[1])]?.productId : undefined;
}
