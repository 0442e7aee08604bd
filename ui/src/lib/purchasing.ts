// Purchase orders as the UI counts them: what is left to receive, what may go back, line
// totals in integer cents, and the lines of a draft being written.
import type { PoLine, PoLineInput, PoReceiptLine, PoStatus, PurchaseOrderDetail } from '../api/types';
import { formatCents, isValidPrice, normalizePrice, parseCents } from './money';

export const PO_STATUSES = ['draft', 'ordered', 'partially_received', 'received', 'cancelled'] as const satisfies readonly PoStatus[];

export const PO_STATUS_COLORS: Record<PoStatus, string> = {
  draft: 'default',
  ordered: 'blue',
  partially_received: 'orange',
  received: 'green',
  cancelled: 'red',
};

/** The server's limits (src/purchasing/mod.rs). */
export const MAX_PO_LINES = 500;
export const MAX_PO_QUANTITY = 1_000_000;

export function isPoStatus(s: string | undefined): s is PoStatus {
  return s !== undefined && (PO_STATUSES as readonly string[]).includes(s);
}

type Counts = Pick<PoLine, 'quantity' | 'received_quantity' | 'returned_quantity'>;

/** Units of a line still to come in. */
export function outstanding(l: Pick<PoLine, 'quantity' | 'received_quantity'>): number {
  return Math.max(0, l.quantity - l.received_quantity);
}

/** Units of a line that came in and have not gone back (the most a return may take). */
export function returnableQty(l: Counts): number {
  return Math.max(0, l.received_quantity - l.returned_quantity);
}

/** quantity × unit cost, in cents; null while the line has no cost. */
export function lineCostCents(quantity: number, unitCost: string | null | undefined): bigint | null {
  if (unitCost === null || unitCost === undefined || unitCost.trim() === '') return null;
  const c = parseCents(unitCost);
  if (c === null || !Number.isSafeInteger(quantity)) return null;
  return c * BigInt(quantity);
}

/** The lines' total in cents, lines without a cost counting as nothing (as the server counts). */
export function linesTotalCents(lines: readonly { quantity: number; unit_cost?: string | null }[]): bigint {
  return lines.reduce((s, l) => s + (lineCostCents(l.quantity, l.unit_cost) ?? 0n), 0n);
}

// --- What may be done now (the server checks again) -----------------------------------------

export const canEdit = (po: Pick<PurchaseOrderDetail, 'status'>) => po.status === 'draft';
export const canOrder = (po: Pick<PurchaseOrderDetail, 'status'>) => po.status === 'draft';
export const canCancel = (po: Pick<PurchaseOrderDetail, 'status'>) =>
  po.status === 'draft' || po.status === 'ordered' || po.status === 'partially_received';
export function canReceive(po: Pick<PurchaseOrderDetail, 'status' | 'lines'>): boolean {
  return (po.status === 'ordered' || po.status === 'partially_received') && po.lines.some((l) => outstanding(l) > 0);
}
export function canReturn(po: Pick<PurchaseOrderDetail, 'lines'>): boolean {
  return po.lines.some((l) => returnableQty(l) > 0);
}

// --- Receipts and returns ---------------------------------------------------------------------

export type Quantities = Record<string, number | null | undefined>;

/** A receipt form's starting quantities: everything still to come, per line id. */
export function defaultReceiveQuantities(lines: readonly PoLine[]): Record<string, number> {
  return Object.fromEntries(lines.filter((l) => outstanding(l) > 0).map((l) => [String(l.id), outstanding(l)]));
}

/** A return form's starting quantities: nothing (the user says what goes back). */
export function defaultReturnQuantities(lines: readonly PoLine[]): Record<string, number> {
  return Object.fromEntries(lines.filter((l) => returnableQty(l) > 0).map((l) => [String(l.id), 0]));
}

/**
 * The lines to send: a positive whole quantity typed for them, at most `limit` of the line, in
 * the lines' order.
 */
export function quantityLines(lines: readonly PoLine[], quantities: Quantities, limit: (l: PoLine) => number): PoReceiptLine[] {
  return lines
    .map((l) => {
      const typed = quantities[String(l.id)];
      const q = typeof typed === 'number' && Number.isFinite(typed) ? Math.trunc(typed) : 0;
      return { line_id: l.id, quantity: Math.min(q, limit(l)) };
    })
    .filter((l) => l.quantity > 0);
}

/** The product name of a receipt line (a receipt names the purchase order's line). */
export function lineName(lines: readonly PoLine[], lineId: number): string {
  return lines.find((l) => l.id === lineId)?.product_name ?? `#${lineId}`;
}

// --- The lines of a draft being written --------------------------------------------------------

export interface PoDraftLine {
  productId: number;
  name: string;
  sku: string;
  unit?: string | null;
  quantity: number;
  /** As typed ('' while not known). */
  unitCost: string;
}

export interface CostSource {
  id: number;
  name: string;
  sku: string;
  unit?: string | null;
  cost_price?: string | null;
}

/** A new line for a product, one unit at its current cost price when known. */
export function draftLineFromProduct(p: CostSource): PoDraftLine {
  return { productId: p.id, name: p.name, sku: p.sku, unit: p.unit ?? null, quantity: 1, unitCost: p.cost_price ?? '' };
}

export function draftLinesFromPo(lines: readonly PoLine[]): PoDraftLine[] {
  return lines.map((l) => ({
    productId: l.product_id,
    name: l.product_name,
    sku: l.sku,
    unit: l.unit ?? null,
    quantity: l.quantity,
    unitCost: l.unit_cost ?? '',
  }));
}

/** Adds a product; one already on the draft gets one more unit instead (one line per product). */
export function addDraftLine(lines: readonly PoDraftLine[], line: PoDraftLine): PoDraftLine[] {
  if (!lines.some((l) => l.productId === line.productId)) return [...lines, line];
  return lines.map((l) =>
    l.productId === line.productId ? { ...l, quantity: Math.min(l.quantity + line.quantity, MAX_PO_QUANTITY) } : l,
  );
}

export function setDraftQuantity(lines: readonly PoDraftLine[], productId: number, quantity: number | null): PoDraftLine[] {
  const q = quantity !== null && Number.isFinite(quantity) ? Math.min(Math.max(Math.trunc(quantity), 1), MAX_PO_QUANTITY) : 1;
  return lines.map((l) => (l.productId === productId ? { ...l, quantity: q } : l));
}

export function setDraftCost(lines: readonly PoDraftLine[], productId: number, unitCost: string): PoDraftLine[] {
  return lines.map((l) => (l.productId === productId ? { ...l, unitCost } : l));
}

export function removeDraftLine(lines: readonly PoDraftLine[], productId: number): PoDraftLine[] {
  return lines.filter((l) => l.productId !== productId);
}

/** A cost that cannot be sent (empty is fine: not known yet). */
export function badCost(l: PoDraftLine): boolean {
  return l.unitCost.trim() !== '' && !isValidPrice(l.unitCost);
}

export function draftLineCents(l: PoDraftLine): bigint | null {
  return badCost(l) ? null : lineCostCents(l.quantity, l.unitCost);
}

/** The draft's total as a decimal string (lines without a cost count as nothing). */
export function draftTotal(lines: readonly PoDraftLine[]): string {
  return formatCents(lines.reduce((s, l) => s + (draftLineCents(l) ?? 0n), 0n));
}

/** The lines as the server takes them; an empty cost is sent as none. */
export function toLineInputs(lines: readonly PoDraftLine[]): PoLineInput[] {
  return lines.map((l) => {
    const cost = l.unitCost.trim();
    return { product_id: l.productId, quantity: l.quantity, unit_cost: cost ? normalizePrice(cost) : null };
  });
}

/** The line a "lines[i].…" validation error is about, by index. */
export function lineIndexOfField(field: string | undefined): number | undefined {
  const m = field ? /^lines\[(\d+)\]/.exec(field) : null;
  return m ? Number(m[1]) : undefined;
}
