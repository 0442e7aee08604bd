import { describe, expect, it } from 'vitest';
import type { OrderItem } from '../api/types';
import { addressLine, hasShipTo, parcelLines, returnable, toShip, trackingUrl } from './goods';

const line = (id: number, quantity: number, shipped: number, returned = 0) =>
  ({ id, quantity, shipped_quantity: shipped, returned_quantity: returned }) as OrderItem;

describe('goods', () => {
  it('counts what is left to ship and what can come back', () => {
    expect(toShip(line(1, 5, 2))).toBe(3);
    expect(returnable(line(1, 5, 2, 1))).toBe(1);
  });
  it('keeps only positive whole quantities', () => {
    expect(parcelLines([line(1, 5, 0), line(2, 3, 0), line(3, 1, 0)], { '1': 2.7, '2': 0, '3': null })).toEqual([
      { order_item_id: 1, quantity: 2 },
    ]);
  });
  it('links tracking numbers to https pages only, escaped', () => {
    const carriers = [
      { name: 'SF', tracking_url: 'https://t.example/?nu={tracking}' },
      { name: 'Bad', tracking_url: 'javascript:alert({tracking})' },
    ];
    expect(trackingUrl(carriers, 'SF', 'SF 1&2')).toBe('https://t.example/?nu=SF%201%262');
    expect(trackingUrl(carriers, 'Bad', 'X')).toBeNull();
    expect(trackingUrl(carriers, 'Gone', 'X')).toBeNull();
    expect(trackingUrl(carriers, 'SF', null)).toBeNull();
  });
  it('writes an address on one line', () => {
    expect(addressLine({ province: '浙江省', city: '杭州市', street: '文三路 90 号' })).toBe('浙江省 杭州市 文三路 90 号');
    expect(hasShipTo({ name: ' ' })).toBe(false);
    expect(hasShipTo({ phone: '138' })).toBe(true);
  });
});
