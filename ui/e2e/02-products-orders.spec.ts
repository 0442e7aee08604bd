import type { Page } from '@playwright/test';
import { ADMIN_PASSWORD, SUPERADMIN, addOrderLine, apiSignIn, expect, shot, stockOnDetail, test } from './fixtures';

test.describe.configure({ mode: 'serial' });

test.beforeEach(async ({ page }) => {
  await apiSignIn(page, SUPERADMIN, ADMIN_PASSWORD);
});

async function createProduct(page: Page, p: { sku: string; name: string; price: string; stock: number }) {
  await page.goto('/products');
  await page.getByRole('button', { name: '新建商品' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('SKU').fill(p.sku);
  await dialog.getByLabel('名称').fill(p.name);
  await dialog.getByLabel('价格').fill(p.price);
  await dialog.getByLabel('初始库存').fill(String(p.stock));
  await dialog.getByRole('button', { name: '保存' }).click();
}

const productPaths = new Map<string, string>();

async function openProduct(page: Page, sku: string) {
  const known = productPaths.get(sku);
  if (known) {
    await page.goto(known);
  } else {
    await page.goto(`/products?q=${sku}`);
    await page.locator('tr', { hasText: sku }).getByRole('link').click();
    await expect(page).toHaveURL(/\/products\/\d+$/);
    productPaths.set(sku, new URL(page.url()).pathname);
  }
  await expect(page.getByTestId('stock-qty')).toBeVisible();
}

test('create products; the server validation lands on the right field', async ({ page }) => {
  await createProduct(page, { sku: 'TEA 001', name: '龙井茶 250g', price: '19.90', stock: 5 });
  const dialog = page.getByRole('dialog');
  await expect(dialog.locator('#product_sku_help')).toHaveText('不能包含空格');
  await dialog.getByLabel('SKU').fill('TEA-001');
  await dialog.getByRole('button', { name: '保存' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.locator('tr', { hasText: 'TEA-001' })).toContainText('¥19.90');

  await createProduct(page, { sku: 'TEA-001', name: '重复', price: '1', stock: 1 });
  await expect(page.getByRole('dialog').locator('#product_sku_help')).toHaveText('该 SKU 已被其他商品使用。');
  await page.getByRole('dialog').getByRole('button', { name: '取消' }).click();

  await createProduct(page, { sku: 'CUP-01', name: '青瓷茶杯', price: '0.10', stock: 100 });
  await expect(page.locator('tr', { hasText: 'CUP-01' })).toContainText('¥0.10');
});

test('search, filter and sort products on the server', async ({ page }) => {
  await page.goto('/products');
  await page.getByPlaceholder('按名称或 SKU 搜索').fill('CUP');
  await page.getByPlaceholder('按名称或 SKU 搜索').press('Enter');
  await expect(page).toHaveURL(/q=CUP/);
  await expect(page.locator('tbody tr.ant-table-row')).toHaveCount(1);
  await page.goto('/products?sort=-price');
  await expect(page.locator('tbody tr.ant-table-row').first()).toContainText('TEA-001');
  await page.goto('/products?sort=price');
  await expect(page.locator('tbody tr.ant-table-row').first()).toContainText('CUP-01');
  await page.goto('/products?low_stock=true');
  await expect(page.locator('tbody tr.ant-table-row')).toHaveCount(1);
  await expect(page.locator('tbody tr.ant-table-row')).toContainText('TEA-001');
});

test('take an order: the total updates live, exactly', async ({ page }) => {
  await page.goto('/orders/new');
  await addOrderLine(page, 'TEA-001', 2);
  await addOrderLine(page, 'CUP-01', 3);
  await expect(page.getByTestId('order-total')).toHaveText('¥40.10');
  await page.getByRole('button', { name: '提交订单' }).click();
  await expect(page).toHaveURL(/\/orders\/\d+$/);
  await expect(page.locator('[data-status="pending"]').first()).toBeVisible();
  await expect(page.getByTestId('detail-total')).toHaveText('¥40.10');
});

test('edit a pending order: new lines, new total', async ({ page }) => {
  await page.goto('/orders/new');
  await addOrderLine(page, 'CUP-01', 1);
  await page.getByRole('button', { name: '提交订单' }).click();
  await expect(page.getByTestId('detail-total')).toHaveText('¥0.10');
  await page.getByRole('link', { name: '编辑' }).click();
  await expect(page).toHaveURL(/\/orders\/\d+\/edit$/);
  const row = page.getByTestId('order-lines').locator('tr', { hasText: 'CUP-01' });
  await row.getByRole('spinbutton').fill('4');
  await row.getByRole('spinbutton').blur();
  await expect(page.getByTestId('order-total')).toHaveText('¥0.40');
  await page.getByRole('button', { name: '保存' }).click();
  await expect(page).toHaveURL(/\/orders\/\d+$/);
  await expect(page.getByTestId('detail-total')).toHaveText('¥0.40');
  // Put the cups back for the tests that follow.
  await page.getByTestId('to-cancelled').click();
  await page.getByRole('dialog').getByRole('button', { name: '取消订单' }).click();
  await expect(page.locator('.page-header [data-status="cancelled"]')).toBeVisible();
});

test('insufficient stock is shown clearly', async ({ page }) => {
  await page.goto('/orders/new');
  await addOrderLine(page, 'TEA-001', 10);
  await expect(page.getByText('库存仅剩 3')).toBeVisible();
  await page.getByRole('button', { name: '提交订单' }).click();
  await expect(page.getByTestId('order-error')).toContainText(
    '库存不足：龙井茶 250g（TEA-001）需要 10 件，仅剩 3 件。',
  );
  await expect(page).toHaveURL(/\/orders\/new/);
});

test('move an order to completed; only allowed transitions are offered', async ({ page }) => {
  await page.goto('/orders?status=pending');
  await page.locator('tbody tr.ant-table-row', { hasText: '¥40.10' }).getByRole('link').click();
  await expect(page.getByTestId('to-confirmed')).toBeVisible();
  await expect(page.getByTestId('to-cancelled')).toBeVisible();
  await expect(page.getByTestId('to-shipped')).toHaveCount(0);
  await page.getByTestId('to-confirmed').click();
  await expect(page.locator('.page-header [data-status="confirmed"]')).toBeVisible();
  // Shipping asks for the carrier and tracking number; completing asks first.
  await page.getByTestId('to-shipped').click();
  await page.getByRole('dialog').locator('.ant-modal-footer .ant-btn-primary').click();
  await expect(page.locator('.page-header [data-status="shipped"]')).toBeVisible();
  await expect(page.getByTestId('to-cancelled')).toHaveCount(0);
  await page.getByTestId('to-completed').click();
  await page.getByRole('dialog').getByRole('button', { name: '标记为已完成' }).click();
  await expect(page.locator('.page-header [data-status="completed"]')).toBeVisible();
  await expect(page.locator('[data-testid^="to-"]')).toHaveCount(0);

  // The printed sales receipt (销售单): shop name, lines and total; none of the app around it.
  await page.getByRole('button', { name: '打印销售单' }).click();
  await page.emulateMedia({ media: 'print' });
  const slip = page.locator('.slip');
  await expect(slip).toBeVisible();
  await expect(slip.locator('h2')).toHaveText('销售单');
  await expect(slip.locator('tfoot')).toContainText('¥40.10');
  await expect(page.locator('.ant-layout-sider')).toBeHidden();
  await shot(page, 'receipt-print-zh');
  await page.emulateMedia({ media: 'screen' });
});

test('cancelling an order gives its stock back', async ({ page }) => {
  await openProduct(page, 'TEA-001');
  expect(await stockOnDetail(page)).toBe('3');

  await page.goto('/orders/new');
  await addOrderLine(page, 'TEA-001', 2);
  await page.getByRole('button', { name: '提交订单' }).click();
  await expect(page).toHaveURL(/\/orders\/\d+$/);
  const orderUrl = page.url();

  await openProduct(page, 'TEA-001');
  expect(await stockOnDetail(page)).toBe('1');

  await page.goto(orderUrl);
  await page.getByTestId('to-cancelled').click();
  const confirm = page.getByRole('dialog');
  await expect(confirm).toContainText('取消后商品库存将退回');
  await confirm.getByRole('button', { name: '取消订单' }).click();
  await expect(page.locator('.page-header [data-status="cancelled"]')).toBeVisible();

  await openProduct(page, 'TEA-001');
  expect(await stockOnDetail(page)).toBe('3');
  const ledger = page.getByTestId('movements');
  await expect(ledger.locator('tbody tr.ant-table-row').first()).toContainText('取消退回');
  await expect(ledger.locator('tbody tr.ant-table-row').first()).toContainText('+2');
});

test('adjust stock with a reason; the ledger records it', async ({ page }) => {
  await openProduct(page, 'TEA-001');
  await page.getByRole('button', { name: '调整库存' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('数量（件）').fill('10');
  await dialog.getByLabel('备注').fill('到货');
  await expect(dialog).toContainText('变动 +10');
  await dialog.getByRole('button', { name: '保存' }).click();
  await expect(dialog).toBeHidden();
  await expect.poll(() => stockOnDetail(page)).toBe('13');
  const first = page.getByTestId('movements').locator('tbody tr.ant-table-row').first();
  await expect(first).toContainText('补货');
  await expect(first).toContainText('到货');
});
