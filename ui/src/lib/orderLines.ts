// The lines of an order being written (new order or edit of a pending one).
import type { NewOrderItem, OrderItem, Product } from '../api/types';
import { lineCents, orderTotal } from './money';

export interface DraftLine {
  productId: number;
  name: string;
  sku: string;
  /** Decimal string; kept from the order for lines already on it. */
  unitPrice: string;
  quantity: number;
  /** Stock on hand when the product was picked (unknown for lines of an existing order). */
  available?: number;
}

export const MAX_QUANTITY = 100_000;

export function lineFromProduct(p: Pick<Product, 'id' | 'name' | 'sku' | 'price' | 'stock_quantity'>): DraftLine {
  return { productId: p.id, name: p.name, sku: p.sku, unitPrice: p.price, quantity: 1, available: p.stock_quantity };
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
  return lines.map((l) => ({ product_id: l.productId, quantity: l.quantity }));
}

/** Lines asking for more than the stock seen when they were picked (a hint; the server decides). */
export function overStock(line: DraftLine): boolean {
  return line.available !== undefined && line.quantity > line.available;
}

/** The line an insufficient_stock answer is about (its details name the SKU). */
export function lineForSku(lines: readonly DraftLine[], sku: unknown): number | undefined {
  if (typeof sku !== 'string') return undefined;
  return lines.find((l) => l.sku === sku)?.productId;
}

/** The line an "items[i].…" validation error is about. */
export function lineForField(lines: readonly DraftLine[], field: string | undefined): number | undefined {
  const m = field ? /^items\[(\d+)\]/.exec(field) : null;
  return m ? lines[Number(m[1])]?.productId : undefined;
}
