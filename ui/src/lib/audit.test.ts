import i18next from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../api/types';
import { initI18n } from '../i18n';
import en from '../i18n/en';
import zhCN from '../i18n/zh-CN';
import { AUDIT_ACTIONS, actionLabel, describeChanges, entityName, entityPath, entityTypeLabel } from './audit';
import type { Formatters } from './audit';
import { moneyFormatter } from './money';

beforeAll(() => {
  initI18n('zh-CN');
});

function fmt(lang: 'zh-CN' | 'en'): Formatters {
  return {
    t: i18next.getFixedT(lang),
    money: moneyFormatter(lang, '¥'),
    dateTime: (iso) => `at ${iso ?? ''}`,
    locale: lang,
  };
}

function entry(e: Partial<AuditEntry> & Pick<AuditEntry, 'action' | 'entity_type' | 'changes'>): AuditEntry {
  return { id: 1, at: '2026-12-01T23:30:32.097Z', entity_id: 3, ...e };
}

const text = (e: AuditEntry, lang: 'zh-CN' | 'en' = 'zh-CN') => {
  const f = fmt(lang);
  return describeChanges(e, f).map((l) =>
    l.kind === 'changed'
      ? f.t('audit.changed', { field: l.label, from: l.from, to: l.to })
      : l.kind === 'had'
        ? f.t('audit.had', { field: l.label, from: l.from })
        : f.t('audit.set', { field: l.label, to: l.to }),
  );
};

describe('actions', () => {
  it('names every action the server writes, in both languages', () => {
    const zh = i18next.getFixedT('zh-CN');
    const eng = i18next.getFixedT('en');
    for (const a of AUDIT_ACTIONS) {
      const [group, verb] = a.split('.') as [string, string];
      const zhGroup = (zhCN.audit.actions as Record<string, Record<string, string>>)[group];
      const enGroup = (en.audit.actions as Record<string, Record<string, string>>)[group];
      expect(zhGroup?.[verb], a).toBeTruthy();
      expect(enGroup?.[verb], a).toBeTruthy();
      expect(actionLabel(a, zh)).not.toBe(a);
    }
    expect(actionLabel('order.status', zh)).toBe('更改订单状态');
    expect(actionLabel('order.status', eng)).toBe('Order status changed');
  });

  it('shows an unknown action as it is', () => {
    expect(actionLabel('order.teleport', i18next.getFixedT('en'))).toBe('order.teleport');
    expect(actionLabel('auth', i18next.getFixedT('en'))).toBe('auth');
  });
});

describe('entities', () => {
  it('names the entity by its label, else its id', () => {
    expect(entityName({ entity_label: 'SO-20261202-0001', entity_id: 3 })).toBe('SO-20261202-0001');
    expect(entityName({ entity_label: null, entity_id: 3 })).toBe('#3');
    expect(entityName({ entity_label: null, entity_id: null })).toBe('');
    expect(entityTypeLabel('order', i18next.getFixedT('zh-CN'))).toBe('订单');
    expect(entityTypeLabel('spaceship', i18next.getFixedT('zh-CN'))).toBe('spaceship');
  });

  it('links to what still exists', () => {
    expect(entityPath({ action: 'order.status', entity_type: 'order', entity_id: 3, entity_label: 'SO-1' })).toBe('/orders/3');
    expect(entityPath({ action: 'order.delete', entity_type: 'order', entity_id: 3, entity_label: 'SO-1' })).toBeNull();
    expect(entityPath({ action: 'stock.adjust', entity_type: 'product', entity_id: 4, entity_label: 'TEA' })).toBe('/products/4');
    expect(entityPath({ action: 'user.update', entity_type: 'user', entity_id: 2, entity_label: 'bob' })).toBe('/users?q=bob');
    expect(entityPath({ action: 'settings.update', entity_type: 'settings', entity_id: 1, entity_label: null })).toBe('/settings');
  });
});

describe('changes', () => {
  it('translates status values and formats money', () => {
    const status = entry({
      action: 'order.status',
      entity_type: 'order',
      before: { status: 'pending' },
      after: { status: 'confirmed' },
      changes: [{ field: 'status', from: 'pending', to: 'confirmed' }],
    });
    expect(text(status)).toEqual(['状态：待处理 → 已确认']);
    expect(text(status, 'en')).toEqual(['Status: Pending → Confirmed']);

    const price = entry({
      action: 'product.update',
      entity_type: 'product',
      before: { price: '19.90', name: '龙井茶' },
      after: { price: '21.00', name: '龙井茶 250g' },
      changes: [
        { field: 'name', from: '龙井茶', to: '龙井茶 250g' },
        { field: 'price', from: '19.90', to: '21.00' },
      ],
    });
    expect(text(price)).toEqual(['名称：龙井茶 → 龙井茶 250g', '价格：¥19.90 → ¥21.00']);
  });

  it('shows empty values and booleans in words', () => {
    const e = entry({
      action: 'user.update',
      entity_type: 'user',
      before: { is_active: true, role: 'staff', email: null },
      after: { is_active: false, role: 'admin', email: 'b@example.com' },
      changes: [
        { field: 'is_active', from: true, to: false },
        { field: 'role', from: 'staff', to: 'admin' },
        { field: 'email', from: null, to: 'b@example.com' },
      ],
    });
    expect(text(e, 'en')).toEqual([
      'Account enabled: Yes → No',
      'Role: Staff → Admin',
      'Email: (empty) → b@example.com',
    ]);
  });

  it('lists what a creation set, without empty fields, bookkeeping or the label', () => {
    const e = entry({
      action: 'order.create',
      entity_type: 'order',
      entity_label: 'SO-20261202-0001',
      before: null,
      after: { order_number: 'SO-20261202-0001' },
      changes: [
        { field: 'created_at', from: null, to: '2026-12-01T23:30:32.097Z' },
        { field: 'created_by', from: null, to: 'superAdmin' },
        { field: 'customer_id', from: null, to: 1 },
        { field: 'customer_name', from: null, to: '张三' },
        {
          field: 'items',
          from: null,
          to: [
            { id: 1, product_name: '龙井茶 250g', sku: 'TEA-001', quantity: 2, line_total: '42.00' },
            { id: 2, product_name: '青瓷茶杯', sku: 'CUP-01', quantity: 1, line_total: '0.10' },
          ],
        },
        { field: 'note', from: null, to: null },
        { field: 'order_number', from: null, to: 'SO-20261202-0001' },
        { field: 'status', from: null, to: 'pending' },
        { field: 'status_history', from: null, to: [{ to_status: 'pending' }] },
        { field: 'total_amount', from: null, to: '42.10' },
      ],
    });
    expect(text(e)).toEqual(['客户：张三', '商品：龙井茶 250g × 2、青瓷茶杯 × 1', '状态：待处理', '合计：¥42.10']);
  });

  it('lists what a deletion removed', () => {
    const e = entry({
      action: 'customer.delete',
      entity_type: 'customer',
      entity_label: '王五',
      before: { name: '王五', phone: '139' },
      after: null,
      changes: [
        { field: 'name', from: '王五', to: null },
        { field: 'phone', from: '139', to: null },
        { field: 'order_count', from: 0, to: null },
      ],
    });
    expect(text(e)).toEqual(['电话：139']);
  });

  it('says what a stock adjustment did', () => {
    const e = entry({
      action: 'stock.adjust',
      entity_type: 'product',
      before: { stock_quantity: 5 },
      after: { stock_quantity: 8, reason: 'restock', quantity_delta: 3 },
      changes: [
        { field: 'stock_quantity', from: 5, to: 8 },
        { field: 'quantity_delta', from: null, to: 3 },
        { field: 'reason', from: null, to: 'restock' },
      ],
    });
    expect(text(e)).toEqual(['库存：5 → 8', '变动：+3', '原因：补货']);
  });

  it('translates sign-in facts and keeps unknown fields readable', () => {
    const failed = entry({
      action: 'auth.login_failed',
      entity_type: 'user',
      before: null,
      after: { reason: 'wrong_password' },
      changes: [{ field: 'reason', from: null, to: 'wrong_password' }],
    });
    expect(text(failed, 'en')).toEqual(['Reason: Wrong password']);
    const odd = entry({
      action: 'settings.update',
      entity_type: 'settings',
      before: { shiny: 1 },
      after: { shiny: { a: 1 } },
      changes: [{ field: 'shiny', from: 1, to: { a: 1 } }],
    });
    expect(text(odd, 'en')).toEqual(['shiny: 1 → {"a":1}']);
  });

  it('says which customer a merge folded in', () => {
    const e = entry({
      action: 'customer.merge',
      entity_type: 'customer',
      before: { name: 'alice', phone: null },
      after: { merged_from: 7, orders_moved: 2 },
      changes: [
        { field: 'name', from: 'alice', to: null },
        { field: 'merged_from', from: null, to: 7 },
        { field: 'orders_moved', from: null, to: 2 },
      ],
    });
    expect(text(e)).toEqual(['并入的客户：alice (#7)', '转移的订单数：2']);
  });
});
