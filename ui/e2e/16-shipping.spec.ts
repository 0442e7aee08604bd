// Goods out and back, as the desk meets them: a customer with a saved address, an order that
// starts at it, part of it shipped with a tracking number from the order page, the rest from
// the 待发货 page with a scanner's Enter, one unit back to stock, and the 装箱单 with the
// address and the tracking numbers.
import { adminSession, api, addOrderLine, expect, pickOption, shot, test } from './fixtures';

test.describe.configure({ mode: 'serial' });

test.beforeEach(async ({ page }) => {
  await adminSession(page);
});

test('ship part with a tracking number, ship the rest, return one to stock, print the 装箱单', async ({ page }) => {
  test.setTimeout(150_000);
  const sku = 'SHIP-E2E';
  const found = await api<{ items: { id: number; sku: string }[] }>(page, 'GET', `/api/products?q=${sku}`);
  const productId =
    found.items.find((p) => p.sku === sku)?.id ??
    (await api<{ id: number }>(page, 'POST', '/api/products', { sku, name: '发货测试 金龙鱼 5L', price: '59.90', stock_quantity: 100 })).id;
  const customer = await api<{ id: number }>(page, 'POST', '/api/customers', { name: '收货客户E2E', phone: '139 0000 5678' });

  // The customer's address, saved on their page, becomes their default.
  await page.goto(`/customers/${customer.id}`);
  await page.getByTestId('add-address').click();
  const dialog = page.getByRole('dialog');
  await dialog.getByTestId('ship-to-name').fill('王收货');
  await dialog.getByTestId('ship-to-phone').fill('139 0000 5678');
  await dialog.getByTestId('ship-to-city').fill('杭州市');
  await dialog.getByTestId('ship-to-street').fill('文三路 90 号 3 楼');
  await dialog.locator('.ant-modal-footer .ant-btn-primary').click();
  await expect(page.getByTestId('addresses')).toContainText('文三路 90 号 3 楼');
  await expect(page.getByTestId('addresses')).toContainText('默认');

  // The order form starts at it.
  await page.goto('/orders/new');
  await pickOption(page, 'customer-picker', '收货客户E2E', '收货客户E2E');
  await expect(page.getByTestId('order-ship-to')).toContainText('文三路 90 号 3 楼');
  await addOrderLine(page, sku, 3);
  await page.getByRole('button', { name: '提交订单' }).click();
  await expect(page).toHaveURL(/\/orders\/\d+$/);
  const id = Number(/\/orders\/(\d+)$/.exec(page.url())?.[1]);
  await expect(page.getByTestId('ship-to')).toContainText('王收货');
  await expect(page.getByTestId('ship-to')).toContainText('杭州市 文三路 90 号 3 楼');
  const stock = async () => (await api<{ stock_quantity: number }>(page, 'GET', `/api/products/${productId}`)).stock_quantity;
  const before = await stock();

  // Confirm, then ship one of three from the order page, by SF with its tracking number.
  await page.getByTestId('to-confirmed').click();
  await expect(page.locator('.page-header [data-status="confirmed"]')).toBeVisible();
  await page.getByTestId('open-ship').click();
  const ship = page.getByRole('dialog');
  await expect(ship.getByTestId('ship-carrier')).toContainText('顺丰 SF Express');
  await ship.locator('input[data-testid^="ship-qty-"], [data-testid^="ship-qty-"] input').first().fill('1');
  await ship.getByTestId('ship-tracking').fill('SF1400000001');
  await ship.locator('.ant-modal-footer .ant-btn-primary').click();
  await expect(page.getByTestId('shipments')).toContainText('SF1400000001');
  await expect(page.getByTestId('tracking-link')).toHaveAttribute('href', /kuaidi100\.com.*SF1400000001/);
  await expect(page.locator('.page-header [data-status="confirmed"]')).toBeVisible();
  await expect(page.getByTestId('line-shipped')).toHaveText('1');
  await shot(page, 'order-part-shipped');

  // The rest from 待发货: a scanner types the number and Enter ships.
  await page.goto('/to-ship');
  await page.getByTestId(`quick-ship-${id}`).click();
  const quick = page.getByRole('dialog');
  await quick.getByTestId('ship-tracking').fill('SF1400000002');
  await quick.getByTestId('ship-tracking').press('Enter');
  await expect(page.getByTestId(`quick-ship-${id}`)).toHaveCount(0);
  await shot(page, 'to-ship');
  await page.goto(`/orders/${id}`);
  await expect(page.locator('.page-header [data-status="shipped"]')).toBeVisible();
  await expect(page.getByTestId('shipments')).toContainText('SF1400000002');
  expect(await stock()).toBe(before);

  // One unit comes back, onto the shelf.
  await page.getByTestId('open-return').click();
  const back = page.getByRole('dialog');
  await back.locator('input[data-testid^="return-qty-"], [data-testid^="return-qty-"] input').first().fill('1');
  await back.locator('.ant-modal-footer .ant-btn-primary').click();
  await page.locator('.ant-modal-confirm').getByRole('button', { name: '登记退货' }).click();
  await expect(page.getByTestId('returns')).toContainText('发货测试 金龙鱼 5L × 1');
  await expect(page.getByTestId('returns')).toContainText('退回库存');
  expect(await stock()).toBe(before + 1);

  // The 装箱单: the shop, the address and both tracking numbers.
  await page.getByRole('button', { name: '打印装箱单' }).click();
  await page.emulateMedia({ media: 'print' });
  await expect(page.getByTestId('slip-ship-to')).toHaveText('王收货');
  await expect(page.getByTestId('slip-phone')).toHaveText('139 0000 5678');
  await expect(page.getByTestId('slip-address')).toHaveText('杭州市 文三路 90 号 3 楼');
  await expect(page.getByTestId('slip-tracking')).toContainText('SF1400000001');
  await expect(page.getByTestId('slip-tracking')).toContainText('SF1400000002');
  await shot(page, 'packing-slip-ship-to');
  await page.emulateMedia({ media: 'screen' });

  const check = await api<{ ok: boolean }>(page, 'GET', '/api/maintenance/check');
  expect(check.ok).toBe(true);
});
