// Money on an order, as the counter takes it: a discount, shipping and 抹零 on the order form; a deposit by WeChat, the rest in cash, a payment
// recorded by mistake voided with its reason, a refund after the order is cancelled, the
// payment filter on the orders list, the dashboard's takings, and the printed 销售单 with
// the amount in capitals.
import type { Page } from '@playwright/test';
import { addOrderLine, adminSession, api, apiOrder, apiSignIn, ensureUser, expect, shot, test } from './fixtures';

test.describe.configure({ mode: 'serial' });

const BUYER = { username: 'pay-buyer', password: 'Pay-Buyer-2026', role: 'customer' as const };

test.beforeEach(async ({ page }) => {
  await adminSession(page);
});

async function product(page: Page, sku: string, price: string): Promise<number> {
  const found = await api<{ items: { id: number; sku: string }[] }>(page, 'GET', `/api/products?q=${sku}`);
  return (
    found.items.find((p) => p.sku === sku)?.id ??
    (await api<{ id: number }>(page, 'POST', '/api/products', { sku, name: `收款测试 ${sku}`, price, stock_quantity: 100 })).id
  );
}

/** Fills and sends the open payment or refund dialog. */
async function recordInDialog(page: Page, fields: { amount?: string; method?: string; reason?: string; reference?: string }) {
  const dialog = page.getByRole('dialog');
  if (fields.amount !== undefined) await dialog.getByLabel(/金额/).first().fill(fields.amount);
  if (fields.method) {
    await dialog.locator('.ant-form-item', { hasText: /方式/ }).locator('.ant-select').click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: fields.method }).click();
  }
  if (fields.reference) await dialog.getByLabel('交易号').fill(fields.reference);
  if (fields.reason) await dialog.getByLabel('退款原因').fill(fields.reason);
  await dialog.locator('.ant-modal-footer .ant-btn-primary').click();
}

test('a deposit, the rest in cash, a mistake voided: the order is paid', async ({ page }) => {
  test.setTimeout(90_000);
  const teapot = await product(page, 'PAY-POT', '267.20');
  const order = await apiOrder(page, [{ product_id: teapot, quantity: 1 }], { status: 'confirmed' });
  await page.goto(`/orders/${order.id}`);
  const card = page.getByTestId('payments-card');
  await expect(card).toContainText('未收款');
  await expect(card.getByTestId('balance-due')).toHaveText('¥267.20');

  // A 100 yuan deposit by WeChat, with its transaction number.
  await card.getByTestId('record-payment').click();
  await expect(page.getByRole('dialog').getByLabel(/金额/).first()).toHaveValue('267.20');
  await recordInDialog(page, { amount: '100', method: '微信', reference: '4200001234' });
  await expect(page.getByText('收款已记录')).toBeVisible();
  await expect(card).toContainText('部分收款');
  await expect(card.getByTestId('paid-amount')).toHaveText('¥100.00');
  await expect(card.getByTestId('balance-due')).toHaveText('¥167.20');
  await expect(card.getByTestId('payments-journal')).toContainText('4200001234');

  // The orders list finds it among the part-paid ones.
  await page.goto('/orders?payment_status=partially_paid');
  await expect(page.getByTestId('payment-filter')).toContainText('部分收款');
  await expect(page.getByRole('link', { name: order.order_number })).toBeVisible();
  await page.goto('/orders?payment_status=paid');
  await expect(page.getByRole('link', { name: order.order_number })).toHaveCount(0);

  // A cashier types 1672.00 for 167.20: the dialog asks before marking the order overpaid.
  await page.goto(`/orders/${order.id}`);
  await card.getByTestId('record-payment').click();
  await recordInDialog(page, { amount: '1672.00', method: '现金' });
  await expect(page.locator('.ant-modal-confirm-title')).toHaveText('超出待收金额，仍然记录吗？');
  await page.getByRole('button', { name: '仍然记录（多收）' }).click();
  await expect(card).toContainText('多收');
  await expect(card.getByTestId('refund-due')).toHaveText('¥1,504.80');

  // Voided with its reason: the entry stays, struck through, and the balance comes back.
  const wrong = card.getByTestId('payments-journal').locator('tr', { hasText: '1,672.00' });
  await wrong.getByTestId('void-entry').click();
  await page.getByRole('dialog').getByLabel('冲销原因').fill('金额输错');
  await page.getByRole('dialog').getByRole('button', { name: '冲销' }).click();
  await expect(card).toContainText('部分收款');
  await expect(card.getByTestId('balance-due')).toHaveText('¥167.20');
  await expect(card.getByTestId('voided-tag')).toContainText('金额输错');
  await expect(card.getByTestId('payments-journal').locator('tr.ant-table-row')).toHaveCount(3);

  // The rest in cash: paid, nothing due; another payment would be an overpayment, and says so.
  await card.getByTestId('record-payment').click();
  await recordInDialog(page, { method: '现金' });
  await expect(card).toContainText('已收款');
  await expect(card.getByTestId('balance-due')).toHaveText('¥0.00');
  await card.getByTestId('record-payment').click();
  await expect(page.getByRole('dialog')).toContainText('此订单已无待收金额，再收款将记为多收。');
  await page.getByRole('dialog').getByRole('button', { name: '取消' }).click();
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await shot(page, 'payments-paid-zh');

  // The printed 销售单: the total in capitals, what was paid and what is due.
  await page.getByRole('button', { name: '打印销售单' }).click();
  await page.emulateMedia({ media: 'print' });
  await expect(page.locator('.slip h2')).toHaveText('销售单');
  await expect(page.getByTestId('slip-in-words')).toHaveText('贰佰陆拾柒元贰角整');
  await expect(page.getByTestId('slip-paid')).toHaveText('¥267.20');
  await expect(page.getByTestId('slip-balance')).toHaveText('¥0.00');
  await page.emulateMedia({ media: 'screen' });

  // The audit trail names each step.
  const trail = await api<{ items: { action: string }[] }>(page, 'GET', `/api/audit?entity_type=order&entity_id=${order.id}`);
  const actions = trail.items.map((e) => e.action);
  expect(actions.filter((a) => a === 'payment.record')).toHaveLength(3);
  expect(actions).toContain('payment.void');
});

test('a cancelled order shows what to refund, and the refund clears it', async ({ page }) => {
  const cup = await product(page, 'PAY-CUP', '45.00');
  const order = await apiOrder(page, [{ product_id: cup, quantity: 2 }], { status: 'confirmed' });
  await api(page, 'POST', `/api/orders/${order.id}/payments`, { amount: '90.00', method: 'alipay' });
  await api(page, 'POST', `/api/orders/${order.id}/status`, { status: 'cancelled' });

  await page.goto(`/orders/${order.id}`);
  const card = page.getByTestId('payments-card');
  await expect(card.getByTestId('refund-due-tag')).toContainText('¥90.00');
  await card.getByTestId('record-refund').click();
  await expect(page.getByRole('dialog').getByLabel(/金额/).first()).toHaveValue('90.00');
  // Without a reason the form says so, and nothing is sent.
  await page.getByRole('dialog').locator('.ant-modal-footer .ant-btn-primary').click();
  await expect(page.getByRole('dialog')).toContainText('请说明为什么退款');
  await recordInDialog(page, { reason: '客户取消', method: '支付宝' });
  await expect(page.getByText('退款已记录')).toBeVisible();
  await expect(card).toContainText('已退款');
  await expect(card.getByTestId('refund-due-tag')).toHaveCount(0);
  await expect(card.getByTestId('record-refund')).toHaveCount(0);
});

test("the dashboard shows today's takings and what is owed", async ({ page }) => {
  const stats = await api<{ today: { takings_total: string }; receivable: { amount: string; orders: number } }>(
    page,
    'GET',
    '/api/stats',
  );
  await page.goto('/dashboard');
  await expect(page.getByTestId('takings-total')).toContainText(stats.today.takings_total.replace(/\B(?=(\d{3})+(?!\d))/g, ','));
  await expect(page.getByTestId('receivable')).toContainText(`${stats.receivable.orders} 个订单未收清`);
  await page.getByTestId('receivable-partial').click();
  await expect(page).toHaveURL(/payment_status=partially_paid/);
});

test('a customer sees what they paid, and no buttons to change it', async ({ page }) => {
  const buyer = await ensureUser(page, BUYER);
  expect(buyer.id).toBeGreaterThan(0);
  const cup = await product(page, 'PAY-CUP', '45.00');
  await apiSignIn(page, BUYER.username, BUYER.password);
  const order = await api<{ id: number }>(page, 'POST', '/api/orders', { items: [{ product_id: cup, quantity: 1 }] });
  await adminSession(page);
  await api(page, 'POST', `/api/orders/${order.id}/payments`, { amount: '20.00', method: 'wechat' });

  await apiSignIn(page, BUYER.username, BUYER.password);
  await page.goto(`/orders/${order.id}`);
  const card = page.getByTestId('payments-card');
  await expect(card.getByTestId('paid-amount')).toHaveText('¥20.00');
  await expect(card.getByTestId('balance-due')).toHaveText('¥25.00');
  await expect(card.getByTestId('record-payment')).toHaveCount(0);
  await expect(card.getByTestId('record-refund')).toHaveCount(0);
  await expect(card.getByTestId('void-entry')).toHaveCount(0);
});

test('a discount, shipping and 抹零 on the order form: the total is the server\'s, and printed', async ({ page }) => {
  await product(page, 'PAY-POT', '267.20');
  await page.goto('/orders/new');
  await addOrderLine(page, 'PAY-POT', 1);
  await expect(page.getByTestId('order-total')).toHaveText('¥267.20');
  // 267.20 − 5.50 + 8.00 = 269.70, rounded down to the yuan: 269.00.
  await page.getByTestId('order-discount').fill('5.50');
  await page.getByTestId('order-shipping').fill('8');
  await page.getByTestId('order-round-down').click();
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: '抹到元' }).click();
  await expect(page.getByTestId('order-rounding')).toContainText('-¥0.70');
  await expect(page.getByTestId('order-total')).toHaveText('¥269.00');
  // A discount beyond the order cannot be sent.
  await page.getByTestId('order-discount').fill('300');
  await expect(page.getByText('优惠不能超过商品金额加运费')).toBeVisible();
  await expect(page.getByRole('button', { name: '提交订单' })).toBeDisabled();
  await page.getByTestId('order-discount').fill('5.50');
  await page.getByRole('button', { name: '提交订单' }).click();
  await expect(page).toHaveURL(/\/orders\/\d+$/);

  await expect(page.getByTestId('detail-subtotal')).toHaveText('¥267.20');
  await expect(page.getByTestId('detail-discount')).toHaveText('-¥5.50');
  await expect(page.getByTestId('detail-rounding')).toHaveText('-¥0.70');
  await expect(page.getByTestId('detail-shippingFee')).toHaveText('¥8.00');
  await expect(page.getByTestId('detail-lines-total')).toHaveText('¥269.00');
  await expect(page.getByTestId('payments-card').getByTestId('balance-due')).toHaveText('¥269.00');

  await page.getByRole('button', { name: '打印销售单' }).click();
  await page.emulateMedia({ media: 'print' });
  await expect(page.getByTestId('slip-discount')).toHaveText('-¥5.50');
  await expect(page.getByTestId('slip-total')).toHaveText('¥269.00');
  await expect(page.getByTestId('slip-in-words')).toHaveText('贰佰陆拾玖元整');
  await page.emulateMedia({ media: 'screen' });
});
