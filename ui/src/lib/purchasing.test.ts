import i18next from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseApiError } from '../api/client';
import type { PoLine, PoStatus } from '../api/types';
import { initI18n } from '../i18n';
import {
  MAX_PO_QUANTITY,
  addDraftLine,
  badCost,
  canCancel,
  canEdit,
  canOrder,
  canReceive,
  canReturn,
  defaultReceiveQuantities,
  defaultReturnQuantities,
  draftLineCents,
  draftLineFromProduct,
  draftLinesFromPo,
  draftTotal,
  isPoStatus,
  lineCostCents,
  lineIndexOfField,
  lineName,
  linesTotalCents,
  outstanding,
  quantityLines,
  removeDraftLine,
  returnableQty,
  setDraftCost,
  setDraftQuantity,
  toLineInputs,
} from './purchasing';
import { describePurchasingError, purchasingFieldText } from './purchasingErrors';

function line(over: Partial<PoLine> = {}): PoLine {
  return {
    id: 1,
    product_id: 10,
    product_name: '龙井茶',
    sku: 'TEA-001',
    quantity: 10,
    received_quantity: 0,
    returned_quantity: 0,
    unit_cost: '12.50',
    ...over,
  };
}

describe('what a line has left', () => {
  it('counts what is still to come in, never below zero', () => {
    expect(outstanding(line())).toBe(10);
    expect(outstanding(line({ received_quantity: 4 }))).toBe(6);
    expect(outstanding(line({ received_quantity: 10 }))).toBe(0);
    expect(outstanding(line({ received_quantity: 12 }))).toBe(0);
  });

  it('counts what may go back: received less returned', () => {
    expect(returnableQty(line())).toBe(0);
    expect(returnableQty(line({ received_quantity: 6, returned_quantity: 2 }))).toBe(4);
    expect(returnableQty(line({ received_quantity: 2, returned_quantity: 2 }))).toBe(0);
  });
});

describe('line totals in cents', () => {
  it('multiplies exactly, and has none without a cost', () => {
    expect(lineCostCents(3, '12.50')).toBe(3750n);
    expect(lineCostCents(3, '0.1')).toBe(30n);
    expect(lineCostCents(1_000_000, '99999999.99')).toBe(9_999_999_999_000_000n);
    expect(lineCostCents(3, null)).toBeNull();
    expect(lineCostCents(3, '')).toBeNull();
    expect(lineCostCents(3, 'abc')).toBeNull();
  });

  it('totals lines as the server does: no cost counts as nothing', () => {
    expect(linesTotalCents([{ quantity: 3, unit_cost: '0.10' }, { quantity: 7, unit_cost: '0.20' }, { quantity: 5, unit_cost: null }])).toBe(170n);
  });
});

describe('what may be done', () => {
  const po = (status: PoStatus, lines: PoLine[] = [line()]) => ({ status, lines });

  it('edits and orders only drafts', () => {
    expect(canEdit(po('draft'))).toBe(true);
    expect(canOrder(po('draft'))).toBe(true);
    for (const s of ['ordered', 'partially_received', 'received', 'cancelled'] as const) {
      expect(canEdit(po(s)), s).toBe(false);
      expect(canOrder(po(s)), s).toBe(false);
    }
  });

  it('cancels while goods are still awaited', () => {
    expect(canCancel(po('draft'))).toBe(true);
    expect(canCancel(po('ordered'))).toBe(true);
    expect(canCancel(po('partially_received'))).toBe(true);
    expect(canCancel(po('received'))).toBe(false);
    expect(canCancel(po('cancelled'))).toBe(false);
  });

  it('receives on an ordered purchase order with something left', () => {
    expect(canReceive(po('draft'))).toBe(false);
    expect(canReceive(po('ordered'))).toBe(true);
    expect(canReceive(po('partially_received', [line({ received_quantity: 3 })]))).toBe(true);
    expect(canReceive(po('partially_received', [line({ received_quantity: 10 })]))).toBe(false);
    expect(canReceive(po('cancelled'))).toBe(false);
  });

  it('returns whatever came in and has not gone back', () => {
    expect(canReturn(po('ordered'))).toBe(false);
    expect(canReturn(po('cancelled', [line({ received_quantity: 2 })]))).toBe(true);
    expect(canReturn(po('received', [line({ received_quantity: 10, returned_quantity: 10 })]))).toBe(false);
  });
});

describe('receipt and return quantities', () => {
  const lines = [
    line({ id: 1, quantity: 10, received_quantity: 4 }),
    line({ id: 2, quantity: 5, received_quantity: 5, returned_quantity: 1 }),
    line({ id: 3, quantity: 2 }),
  ];

  it('starts a receipt at everything still to come, and a return at nothing', () => {
    expect(defaultReceiveQuantities(lines)).toEqual({ '1': 6, '3': 2 });
    expect(defaultReturnQuantities(lines)).toEqual({ '1': 0, '2': 0 });
  });

  it('sends the positive whole quantities, capped at what the line allows', () => {
    expect(quantityLines(lines, { '1': 6, '2': 3, '3': 0 }, outstanding)).toEqual([{ line_id: 1, quantity: 6 }]);
    expect(quantityLines(lines, { '1': 2.7, '3': 99 }, outstanding)).toEqual([
      { line_id: 1, quantity: 2 },
      { line_id: 3, quantity: 2 },
    ]);
    expect(quantityLines(lines, { '1': null, '2': undefined, '3': Number.NaN }, outstanding)).toEqual([]);
    expect(quantityLines(lines, { '1': 9, '2': 9 }, returnableQty)).toEqual([
      { line_id: 1, quantity: 4 },
      { line_id: 2, quantity: 4 },
    ]);
  });

  it('names a receipt line by its product', () => {
    expect(lineName(lines, 2)).toBe('龙井茶');
    expect(lineName(lines, 99)).toBe('#99');
  });
});

describe('a draft being written', () => {
  const tea = { id: 10, name: '龙井茶', sku: 'TEA-001', unit: '盒', cost_price: '12.50' };
  const cup = { id: 11, name: '茶杯', sku: 'CUP-01', cost_price: null };

  it('starts a line at one unit and the current cost price, when known', () => {
    expect(draftLineFromProduct(tea)).toEqual({ productId: 10, name: '龙井茶', sku: 'TEA-001', unit: '盒', quantity: 1, unitCost: '12.50' });
    expect(draftLineFromProduct(cup).unitCost).toBe('');
  });

  it('keeps one line per product', () => {
    let lines = addDraftLine([], draftLineFromProduct(tea));
    lines = addDraftLine(lines, draftLineFromProduct(cup));
    lines = addDraftLine(lines, draftLineFromProduct(tea));
    expect(lines.map((l) => [l.productId, l.quantity])).toEqual([
      [10, 2],
      [11, 1],
    ]);
    expect(removeDraftLine(lines, 10).map((l) => l.productId)).toEqual([11]);
  });

  it('keeps quantities whole and within the limits', () => {
    const lines = [draftLineFromProduct(tea)];
    expect(setDraftQuantity(lines, 10, 7.9)[0]?.quantity).toBe(7);
    expect(setDraftQuantity(lines, 10, 0)[0]?.quantity).toBe(1);
    expect(setDraftQuantity(lines, 10, null)[0]?.quantity).toBe(1);
    expect(setDraftQuantity(lines, 10, 5_000_000)[0]?.quantity).toBe(MAX_PO_QUANTITY);
  });

  it('totals exactly, leaving out lines without a valid cost', () => {
    let lines = [draftLineFromProduct(tea), draftLineFromProduct(cup)];
    lines = setDraftQuantity(lines, 10, 3);
    expect(draftTotal(lines)).toBe('37.50');
    lines = setDraftCost(lines, 11, '0.1');
    expect(draftTotal(lines)).toBe('37.60');
    lines = setDraftCost(lines, 11, '1.234');
    expect(badCost(lines[1]!)).toBe(true);
    expect(draftLineCents(lines[1]!)).toBeNull();
    expect(draftTotal(lines)).toBe('37.50');
    expect(badCost(setDraftCost(lines, 11, '')[1]!)).toBe(false);
    expect(badCost(setDraftCost(lines, 11, '-1')[1]!)).toBe(true);
  });

  it('sends costs normalized, and none when left empty', () => {
    const lines = setDraftCost([draftLineFromProduct(tea), draftLineFromProduct(cup)], 10, ' 12.5 ');
    expect(toLineInputs(lines)).toEqual([
      { product_id: 10, quantity: 1, unit_cost: '12.50' },
      { product_id: 11, quantity: 1, unit_cost: null },
    ]);
  });

  it('reads a saved draft back', () => {
    expect(draftLinesFromPo([line({ unit_cost: null, unit: '盒' })])).toEqual([
      { productId: 10, name: '龙井茶', sku: 'TEA-001', unit: '盒', quantity: 10, unitCost: '' },
    ]);
  });

  it('finds the line a validation error is about', () => {
    expect(lineIndexOfField('lines[2].unit_cost')).toBe(2);
    expect(lineIndexOfField('lines')).toBeUndefined();
    expect(lineIndexOfField('supplier_id')).toBeUndefined();
    expect(lineIndexOfField(undefined)).toBeUndefined();
  });

  it('knows the statuses', () => {
    expect(isPoStatus('partially_received')).toBe(true);
    expect(isPoStatus('shipped')).toBe(false);
    expect(isPoStatus(undefined)).toBe(false);
  });
});

describe('purchasing errors', () => {
  beforeAll(() => {
    initI18n('zh-CN');
  });
  const zh = () => i18next.getFixedT('zh-CN');
  const en = () => i18next.getFixedT('en');
  const serverError = (status: number, code: string, message: string, details: object = {}) =>
    parseApiError(status, JSON.stringify({ error: { code, message, details } }));

  it('translates the purchasing conflicts with their details', () => {
    expect(describePurchasingError(serverError(409, 'supplier_in_use', 'x', { purchase_orders: 2 }), zh())).toContain('归档');
    expect(describePurchasingError(serverError(409, 'purchase_order_status', 'x', { status: 'received' }), zh())).toContain('已入库');
    expect(describePurchasingError(serverError(409, 'already_in_status', 'x', { status: 'ordered' }), en())).toContain('Ordered');
    expect(describePurchasingError(serverError(409, 'more_than_ordered', 'x', { line_id: 1, left: 3, requested: 5 }), zh())).toContain('3');
    expect(describePurchasingError(serverError(409, 'more_than_received', 'x', { kept: 4 }), en())).toContain('4');
  });

  it('translates the purchasing validation messages', () => {
    const missing = serverError(422, 'validation_failed', 'lines[1].unit_cost: give the cost of 龙井茶 before ordering', {
      field: 'lines[1].unit_cost',
    });
    expect(describePurchasingError(missing, zh())).toBe('请先填写「龙井茶」的成本单价再下单。');
    expect(purchasingFieldText(missing, en())).toBe('Enter the unit cost of 龙井茶 before ordering.');
    const archived = serverError(422, 'validation_failed', 'supplier_id: 华东经销部 is archived: restore it to order from it', {
      field: 'supplier_id',
    });
    expect(describePurchasingError(archived, zh())).toContain('华东经销部');
    // Messages every route shares still go through the app-wide translations.
    const qty = serverError(422, 'validation_failed', 'lines[0].quantity: must be between 1 and 1000000', { field: 'lines[0].quantity' });
    expect(purchasingFieldText(qty, zh())).not.toContain('must be');
  });

  it('falls back to the app-wide messages', () => {
    expect(describePurchasingError(serverError(404, 'not_found', 'no such purchase order'), zh())).toBe('未找到相关记录，可能已被删除。');
  });
});
