import type { Page } from '@playwright/test';
import { ADMIN_PASSWORD, SUPERADMIN, api, apiOrder, apiSignIn, chooseLang, csvRows, expect, shot, test } from './fixtures';

test.describe.configure({ mode: 'serial' });

test.beforeEach(async ({ page }) => {
  await apiSignIn(page, SUPERADMIN, ADMIN_PASSWORD);
});

interface Ids {
  product: number;
  low: number;
  customer: number;
}
let ids: Ids;

/** A few orders of today: a confirmed and a completed one for 李四 (sales), a pending walk-in (no sale). */
async function seed(page: Page): Promise<Ids> {
  const product = await api<{ id: number }>(page, 'POST', '/api/products', {
    sku: 'REP-01',
    name: '报表测试茶',
    price: '12.50',
    stock_quantity: 50,
  });
  const low = await api<{ id: number }>(page, 'POST', '/api/products', {
    sku: 'REP-LOW',
    name: '快卖完的杯子',
    price: '3.00',
    stock_quantity: 2,
  });
  const customer = await api<{ id: number }>(page, 'POST', '/api/customers', { name: '李四', phone: '139 0000 0001' });
  await apiOrder(page, [{ product_id: product.id, quantity: 2 }], { customer_id: customer.id, status: 'confirmed' });
  await apiOrder(page, [{ product_id: product.id, quantity: 1 }], { customer_id: customer.id, status: 'completed' });
  await apiOrder(page, [{ product_id: product.id, quantity: 4 }]);
  return { product: product.id, low: low.id, customer: customer.id };
}

function tab(page: Page, name: string) {
  return page.getByRole('tab', { name, exact: true });
}

test('the reports page: sales, best sellers, customers, statuses and low stock', async ({ page }) => {
  test.setTimeout(90_000);
  ids = await seed(page);

  // Between the dashboard and the receivables (then the products) in the menu.
  await page.goto('/dashboard');
  const nav = page.getByTestId('nav');
  await expect(nav.getByRole('menuitem').nth(1)).toHaveText('报表');
  await expect(nav.getByRole('menuitem').nth(2)).toHaveText('应收款');
  await expect(nav.getByRole('menuitem').nth(3)).toHaveText('商品');
  await nav.getByRole('menuitem', { name: '报表' }).click();
  await expect(page).toHaveURL(/\/reports$/);
  await expect(page.getByRole('heading', { name: '报表' })).toBeVisible();
  await expect(page.getByTestId('reports-help')).toContainText('只统计已确认、已发货和已完成的订单');

  // Sales: the server's totals for the last 30 days, today among the periods.
  const sales = await api<{ total_revenue: string; total_orders: number; first_day: string; last_day: string }>(
    page,
    'GET',
    '/api/reports/sales',
  );
  const report = page.getByTestId('report-sales');
  await expect(report).toContainText(`${sales.first_day} 至 ${sales.last_day}`);
  await expect(page.getByTestId('sales-total')).toContainText(`¥${sales.total_revenue}`);
  await expect(page.getByTestId('sales-orders')).toContainText(String(sales.total_orders));
  await expect(report.getByRole('img', { name: '各时段销售额' })).toBeVisible();
  await expect(report.locator('tbody tr.ant-table-row', { hasText: sales.last_day })).toBeVisible();
  await shot(page, 'reports-sales-zh');

  await report.getByText('按月').click();
  await expect(page).toHaveURL(/group=month/);
  await expect(report.locator('tbody tr.ant-table-row', { hasText: sales.last_day.slice(0, 7) })).toBeVisible();

  // The CSV download: the same rows, Chinese headers.
  const [download] = await Promise.all([page.waitForEvent('download'), report.getByTestId('report-csv').click()]);
  expect(download.suggestedFilename()).toBe('report-sales.csv');
  const rows = await csvRows(download);
  expect(rows[0]).toEqual(['时段', '订单数', '销售额']);
  expect(rows.some((r) => r[0] === sales.last_day.slice(0, 7))).toBe(true);

  // Best sellers: the confirmed and completed orders count, the pending one does not.
  await tab(page, '商品排行').click();
  const products = page.getByTestId('report-products');
  const row = products.locator('tbody tr.ant-table-row', { hasText: 'REP-01' });
  await expect(row).toContainText('报表测试茶');
  await expect(row.locator('td').nth(3)).toHaveText('3');
  await expect(row).toContainText('¥37.50');
  await expect(products.getByRole('img', { name: '销售额前 10 的商品' })).toBeVisible();
  await shot(page, 'reports-products-zh');
  const [productsCsv] = await Promise.all([page.waitForEvent('download'), products.getByTestId('report-csv').click()]);
  const productRows = await csvRows(productsCsv);
  expect(productRows[0]).toEqual(['SKU', '商品', '数量', '订单数', '销售额']);
  expect(productRows.find((r) => r[0] === 'REP-01')).toEqual(['REP-01', '报表测试茶', '3', '2', '37.50']);
  await row.getByRole('link', { name: '报表测试茶' }).click();
  await expect(page).toHaveURL(new RegExp(`/products/${ids.product}$`));
  await page.goBack();

  // Top customers.
  await tab(page, '客户排行').click();
  const customers = page.getByTestId('report-top-customers');
  const lisi = customers.locator('tbody tr.ant-table-row', { hasText: '李四' });
  await expect(lisi).toContainText('¥37.50');
  await expect(lisi.getByRole('link', { name: '李四' })).toHaveAttribute('href', `/customers/${ids.customer}`);
  await shot(page, 'reports-customers-zh');

  // Orders by status, translated, every status listed.
  await tab(page, '订单状态').click();
  const statuses = page.getByTestId('report-orders-by-status');
  await expect(statuses.locator('tbody tr.ant-table-row')).toHaveCount(6);
  await expect(statuses.locator('tbody tr.ant-table-row').first()).toContainText('待处理');
  await expect(statuses.getByRole('img', { name: '各状态订单数' })).toBeVisible();
  await shot(page, 'reports-status-zh');

  // Low stock now, linking to the product.
  await tab(page, '库存不足').click();
  const low = page.getByTestId('report-low-stock');
  const cup = low.locator('tbody tr.ant-table-row', { hasText: 'REP-LOW' });
  await expect(cup).toContainText('2');
  await shot(page, 'reports-low-stock-zh');
  await cup.getByRole('link', { name: '快卖完的杯子' }).click();
  await expect(page).toHaveURL(new RegExp(`/products/${ids.low}$`));
});

test('a chosen date range applies to the reports and to their files', async ({ page }) => {
  // A range without today's orders: nothing sold.
  await page.goto('/reports?date_from=2020-01-01&date_to=2020-01-31');
  const days = page.getByRole('textbox', { name: '日期范围' });
  await expect(days.first()).toHaveValue('2020-01-01');
  await expect(days.nth(1)).toHaveValue('2020-01-31');
  await expect(page.getByTestId('report-sales')).toContainText('所选日期内没有销售。');
  const href = await page.getByTestId('report-sales').getByTestId('report-csv').getAttribute('href');
  expect(href).toContain('date_from=2020-01-01&date_to=2020-01-31');
  expect(href).toContain('format=csv&lang=zh-CN');

  // A preset brings today back.
  await days.first().click();
  await page.locator('.ant-picker-presets').getByText('近 7 天').click();
  await expect(page).not.toHaveURL(/2020-01-01/);
  await expect(days.first()).not.toHaveValue('2020-01-01');
  await expect(page.getByTestId('report-sales').locator('tbody tr.ant-table-row').first()).toBeVisible();
});

test('in English, the reports and their files are in English', async ({ page }) => {
  await page.goto('/reports?tab=products');
  await chooseLang(page, 'English');
  const products = page.getByTestId('report-products');
  await expect(page.getByRole('tab', { name: 'Top products' })).toHaveAttribute('aria-selected', 'true');
  await expect(products.getByRole('link', { name: 'Download CSV: Top products' })).toBeVisible();
  const [download] = await Promise.all([page.waitForEvent('download'), products.getByTestId('report-csv').click()]);
  expect((await csvRows(download))[0]).toEqual(['sku', 'name', 'quantity', 'orders', 'revenue']);
  await page.goto('/reports');
  await shot(page, 'reports-sales-en');
  await chooseLang(page, '中文');
});

test('the dashboard answers how today is going, and its tiles open the lists', async ({ page }) => {
  const stats = await api<{
    today: { orders: number; sale_orders: number; sales: string };
    to_confirm: number;
    to_ship: number;
    low_stock_count: number;
  }>(page, 'GET', '/api/stats');
  await page.goto('/dashboard');
  await expect(page.getByTestId('tile-today-sales')).toContainText(`¥${stats.today.sales}`);
  await expect(page.getByTestId('tile-today-sales')).toContainText(`${stats.today.sale_orders} 单计入销售额`);
  await expect(page.getByTestId('tile-today-orders')).toContainText(String(stats.today.orders));
  await expect(page.getByTestId('tile-to-ship')).toContainText(String(stats.to_ship));
  await expect(page.getByTestId('tile-low-stock')).toContainText(String(stats.low_stock_count));
  await expect(page.getByText('用户数')).toHaveCount(0);
  await expect(page.getByTestId('getting-started')).toHaveCount(0);
  await shot(page, 'dashboard-today-zh');

  await page.getByTestId('tile-to-confirm').click();
  await expect(page).toHaveURL(/\/orders\?status=pending$/);
  await expect(page.getByTestId('status-filter')).toContainText('待处理');
  await expect(page.locator('tbody tr.ant-table-row')).toHaveCount(stats.to_confirm);
  await page.goBack();
  await page.getByTestId('tile-to-ship').click();
  await expect(page).toHaveURL(/\/orders\?status=confirmed$/);
  await page.goBack();
  await page.getByTestId('tile-low-stock').click();
  await expect(page).toHaveURL(/\/products\?low_stock=true$/);
  await expect(page.locator('tbody tr.ant-table-row', { hasText: 'REP-LOW' })).toBeVisible();
});

test('an empty shop gets a getting-started list instead of empty charts', async ({ page }) => {
  // This shop has orders by now: the server's answer for a new one, named but without orders.
  await page.route('**/api/stats', async (route) => {
    const res = await route.fetch();
    const body = (await res.json()) as Record<string, unknown>;
    await route.fulfill({
      response: res,
      json: { ...body, getting_started: { shop_named: true, has_products: true, has_orders: false } },
    });
  });
  await page.goto('/dashboard');
  const steps = page.getByTestId('getting-started');
  await expect(steps).toBeVisible();
  await expect(page.getByRole('img', { name: '各状态订单' })).toHaveCount(0);
  await expect(steps.getByTestId('step-shopNamed')).toHaveAttribute('data-done', 'true');
  await expect(steps.getByTestId('step-shopNamed')).toContainText('已完成');
  await expect(steps.getByTestId('step-products')).toHaveAttribute('data-done', 'true');
  await expect(steps.getByTestId('step-firstOrder')).toHaveAttribute('data-done', 'false');
  await shot(page, 'dashboard-getting-started-zh');
  await steps.getByRole('link', { name: '接第一笔订单' }).click();
  await expect(page).toHaveURL(/\/orders\/new$/);
});
