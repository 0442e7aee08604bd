// Codes typed by a barcode scanner (or by hand) and what may be done with the product found.
import type { CatalogueProduct, Product } from '../api/types';

/** What GET /api/products/by-code answers: staff get a Product, customers a CatalogueProduct. */
export type ScannedProduct = Product | CatalogueProduct;

/**
 * The code to look up: control characters a scanner may add (a prefix, a tab or GS suffix,
 * a stray CR) dropped, and the text trimmed. Empty: nothing to look up.
 */
export function scanCode(raw: string): string {
  return raw.replace(/\p{Cc}/gu, '').trim();
}

/** A staff member's answer: the full product, with its status and stock. */
export function isStaffProduct(p: ScannedProduct): p is Product {
  return 'status' in p && typeof p.stock_quantity === 'number';
}

/**
 * Why a scanned product cannot go on an order, or null when it can. The product picker offers
 * active products only, and customers cannot pick one that is out of stock; a scan keeps to
 * the same rules (staff may still order more than the stock seen: the server decides).
 */
export function orderRefusal(p: ScannedProduct, staff: boolean): 'archived' | 'outOfStock' | null {
  if ('status' in p && p.status !== 'active') return 'archived';
  if (!staff && 'in_stock' in p && !p.in_stock) return 'outOfStock';
  return null;
}

/** The amount after one more piece was scanned (an empty amount counts from zero). */
export function countOneMore(amount: number | null | undefined): number {
  return (typeof amount === 'number' && Number.isFinite(amount) ? Math.max(Math.trunc(amount), 0) : 0) + 1;
}
