// Goods out and back, as the order's lines count them.
import type { Carrier, LineQuantity, OrderItem, ShipTo } from '../api/types';

/** Units of a line not yet gone out. */
export function toShip(i: OrderItem): number {
  return i.quantity - i.shipped_quantity;
}

/** Units of a line that went out and have not come back. */
export function returnable(i: OrderItem): number {
  return i.shipped_quantity - i.returned_quantity;
}

/** The lines with a positive whole quantity typed for them, in the lines' order. */
export function parcelLines(items: OrderItem[], quantities: Record<string, number | null | undefined>): LineQuantity[] {
  return items
    .map((i) => ({ order_item_id: i.id, quantity: Math.trunc(quantities[String(i.id)] ?? 0) }))
    .filter((l) => l.quantity > 0);
}

/** The tracking page of a parcel, when its carrier has one (https only, as the server checks). */
export function trackingUrl(carriers: Carrier[], carrier: string | null | undefined, number: string | null | undefined): string | null {
  if (!carrier || !number) return null;
  const c = carriers.find((k) => k.name === carrier);
  const template = c?.tracking_url;
  if (!template || !template.startsWith('https://')) return null;
  return template.split('{tracking}').join(encodeURIComponent(number));
}

/** The address on one line: province, city, district and street. */
export function addressLine(to: ShipTo | null | undefined): string {
  if (!to) return '';
  return [to.province, to.city, to.district, to.street].filter((p) => p && p.trim()).join(' ');
}

/** Whether a ship-to says anything at all. */
export function hasShipTo(to: ShipTo | null | undefined): boolean {
  return !!to && [to.name, to.phone, to.province, to.city, to.district, to.street, to.postcode].some((p) => p && p.trim());
}
