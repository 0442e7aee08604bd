import type { Page } from '@playwright/test';
import { ADMIN_PASSWORD, SUPERADMIN, api, apiSignIn, csvRows, expect, shot, test } from './fixtures';

test.describe.configure({ mode: 'serial' });

test.beforeEach(async ({ page }) => {
  await apiSignIn(page, SUPERADMIN, ADMIN_PASSWORD);
});

function csv(text: string): { name: string; mimeType: string; buffer: Buffer } {
  return { name: 'products.csv', mimeType: 'text/csv', buffer: Buffer.from(text, 'utf8') };
}

const BAD = csv(
  [
    'sku,name,price,status',
    'IMP-1,导入的绿茶,19.90,active',
    'IMP-2,价格不对,abc,active',
    'IMP-1,重复的 SKU,5.00,active',
    'IMP-3,状态不对,5.00,sold',
  ].join('\n'),
);
const GOOD = { ...csv('sku,name,price,stock_quantity\nIMP-1,导入的绿茶,19.90,30\nIMP-2,导入的红茶,25.00,8\n'), name: '新商品.csv' };

async function openImport(page: Page) {
  await page.getByTestId('import').click();
  const dialog = page.getByRole('dialog', { name: '导入商品' });
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText('全部或全不');
  return dialog;
}

test('export the filtered products list: the file has the rows the list shows', async ({ page }) => {
  for (const [sku, stock] of [
    ['EXP-A1', 2],
    ['EXP-A2', 50],
    ['EXP-B1', 1],
  ] as const) {
    await api(page, 'POST', '/api/products', { sku, name: `导出测试 ${sku}`, price: '9.90', stock_quantity: stock });
  }
  await page.goto('/products?q=EXP-A&low_stock=true');
  await expect(page.locator('tbody tr.ant-table-row')).toHaveCount(1);
  const link = page.getByTestId('export');
  await expect(link).toHaveAttribute('href', '/api/exports/products.csv?q=EXP-A&low_stock=true&lang=zh-CN');
  const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
  expect(download.suggestedFilename()).toMatch(/^products-\d{8}\.csv$/);
  const rows = await csvRows(download);
  expect(rows[0]?.slice(0, 6)).toEqual(['SKU', '名称', '价格', '库存', '低库存阈值', '状态']);
  expect(rows.slice(1).map((r) => r[0])).toEqual(['EXP-A1']);
  expect(rows[1]?.slice(1, 6)).toEqual(['导出测试 EXP-A1', '9.90', '2', '', '在售']);

  // Without the low-stock filter, both EXP-A products.
  await page.getByText('仅看库存不足').click();
  await expect(page.locator('tbody tr.ant-table-row')).toHaveCount(2);
  const [all] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export').click()]);
  expect((await csvRows(all)).slice(1).map((r) => r[0])).toEqual(['EXP-A1', 'EXP-A2']);
});

test('the orders list offers orders and order lines, with its filters', async ({ page }) => {
  await page.goto('/orders?status=completed');
  await page.getByTestId('export').click();
  const lines = page.getByTestId('export-order-lines');
  await expect(page.getByRole('menuitem', { name: /订单明细/ })).toContainText('只有小计');
  await expect(page.getByTestId('export-orders')).toHaveAttribute('href', '/api/exports/orders.csv?status=completed&lang=zh-CN');
  await shot(page, 'orders-export-menu-zh');
  const [download] = await Promise.all([page.waitForEvent('download'), lines.click()]);
  const rows = await csvRows(download);
  expect(rows[0]).toEqual(['订单号', '下单时间', '状态', '客户', 'SKU', '商品名称', '数量', '单价', '小计', '币种']);
  expect(rows.length).toBeGreaterThan(1);
  for (const r of rows.slice(1)) expect(r[2]).toBe('已完成');
});

test('import products: a bad file is refused with every problem listed, nothing imported', async ({ page }) => {
  await page.goto('/products?q=IMP');
  const dialog = await openImport(page);
  await dialog.locator('input[type=file]').setInputFiles(BAD);
  const failed = dialog.getByTestId('import-failed');
  await expect(failed).toContainText('文件中有 3 处问题，未导入任何数据。');
  const problems = dialog.getByTestId('import-problems').locator('tbody tr.ant-table-row');
  await expect(problems).toHaveCount(3);
  await expect(problems.nth(0)).toContainText('3');
  await expect(problems.nth(0)).toContainText('价格');
  await expect(problems.nth(0)).toContainText('abc');
  await expect(problems.nth(0)).toContainText('必须是金额，例如 "19.90"');
  await expect(problems.nth(1)).toContainText('SKU IMP-1 已在第 2 行出现过');
  await expect(problems.nth(2)).toContainText('sold');
  await expect(problems.nth(2)).toContainText('必须是「在售」或「已下架」');
  await expect(dialog.getByTestId('import-confirm')).toBeDisabled();
  await shot(page, 'import-problems-zh');
  expect((await api<{ total: number }>(page, 'GET', '/api/products?q=IMP')).total).toBe(0);

  // A file that is not UTF-8 (Excel's plain CSV on a Chinese Windows is GBK).
  const gbk = Buffer.concat([Buffer.from('sku,name,price\nGBK-1,'), Buffer.from([0xc2, 0xcc, 0xb2, 0xe8]), Buffer.from(',1\n')]);
  await dialog.locator('input[type=file]').setInputFiles({ name: 'gbk.csv', mimeType: 'text/csv', buffer: gbk });
  await expect(dialog.getByTestId('import-encoding')).toContainText('CSV UTF-8');
  await dialog.getByRole('button', { name: '取消' }).click();
  await expect(dialog).toBeHidden();
});

test('import products: a dry run first, then the import; the same file again is refused', async ({ page }) => {
  await page.goto('/products?q=IMP');
  await expect(page.locator('.ant-empty')).toBeVisible();
  let dialog = await openImport(page);
  const uploads: string[] = [];
  page.on('request', (r) => {
    if (r.url().includes('/api/imports/products')) uploads.push(new URL(r.url()).search);
  });
  await dialog.locator('input[type=file]').setInputFiles(GOOD);
  const checked = dialog.getByTestId('import-checked');
  await expect(checked).toContainText('检查通过：新商品.csv');
  await expect(checked).toContainText('将新建 2 条');
  expect(uploads).toEqual([`?dry_run=true&file_name=${encodeURIComponent('新商品.csv')}`]);
  // A dry run writes nothing.
  expect((await api<{ total: number }>(page, 'GET', '/api/products?q=IMP')).total).toBe(0);
  await shot(page, 'import-checked-zh');

  await dialog.getByTestId('import-confirm').click();
  await expect(dialog.getByTestId('import-done')).toContainText('新建 2 条');
  expect(uploads[1]).toBe(`?file_name=${encodeURIComponent('新商品.csv')}`);
  await shot(page, 'import-done-zh');
  await dialog.locator('.ant-modal-footer').getByRole('button', { name: '关闭' }).click();
  // The list behind it shows the new products.
  await expect(page.locator('tbody tr.ant-table-row', { hasText: 'IMP-1' })).toContainText('¥19.90');
  await expect(page.locator('tbody tr.ant-table-row', { hasText: 'IMP-2' })).toContainText('导入的红茶');

  // The same file again: the dry run finds the earlier import, and nothing is offered.
  dialog = await openImport(page);
  await dialog.locator('input[type=file]').setInputFiles(GOOD);
  const already = dialog.getByTestId('import-already');
  await expect(already).toContainText('此文件已经导入过');
  await expect(already).toContainText('新建 2 条');
  await expect(dialog.getByTestId('import-confirm')).toBeDisabled();

  // Should the list of imports not show it, the server's dry run refuses it (409), naming the
  // import, before anyone can click import.
  await page.route('**/api/imports/jobs', (route) => route.fulfill({ json: [] }));
  await expect(dialog.getByRole('button', { name: '选择其他文件' })).toBeVisible();
  const refused = page.waitForResponse((r) => r.url().includes('/api/imports/products?dry_run=true'));
  await dialog.locator('input[type=file]').setInputFiles(GOOD);
  expect((await refused).status()).toBe(409);
  await expect(dialog.getByTestId('import-already')).toContainText(/已于 .+ 导入（导入 #\d+）：新建 2 条/);
  await expect(dialog.getByTestId('import-confirm')).toBeDisabled();
  await shot(page, 'import-already-zh');
  await page.unroute('**/api/imports/jobs');
});

test('a big import is followed as it runs', async ({ page }) => {
  // The server answers 202 for an import still running after 2 s; such a file is big, so
  // the answers are played here: checking, then writing, then done.
  const base = {
    id: 999,
    kind: 'customers',
    dry_run: true,
    file_sha256: 'f'.repeat(64),
    created: 0,
    updated: 0,
    unchanged: 0,
    created_at: '2026-12-01T08:00:00Z',
  };
  await page.route(/\/api\/imports\/customers\?/, (route) =>
    route.fulfill({ status: 202, json: { ...base, status: 'validating', rows: null, rows_checked: 1200, rows_written: 0 } }),
  );
  const answers = [
    { ...base, status: 'validating', rows: null, rows_checked: 150_000, rows_written: 0 },
    { ...base, status: 'done', rows: 300_000, rows_checked: 300_000, rows_written: 0, created: 300_000 },
  ];
  const polls: number[] = [];
  await page.route('**/api/imports/jobs/999', (route) => {
    polls.push(Date.now());
    return route.fulfill({ json: answers.length > 1 ? answers.shift() : answers[0] });
  });
  await page.route('**/api/imports/jobs', (route) => route.fulfill({ json: [] }));
  await page.goto('/customers');
  await page.getByTestId('import').click();
  const dialog = page.getByRole('dialog', { name: '导入客户' });
  await dialog
    .locator('input[type=file]')
    .setInputFiles({ name: 'customers.csv', mimeType: 'text/csv', buffer: Buffer.from('name\n王五\n') });
  await expect(dialog.getByTestId('import-running')).toContainText('正在检查 customers.csv');
  await expect(dialog.getByTestId('import-running')).toContainText('已检查 150000 行');
  await expect(dialog.getByTestId('import-checked')).toContainText('共 300000 行：将新建 300000 条');
  expect(polls.length).toBeGreaterThanOrEqual(2);
  expect((polls[1] ?? 0) - (polls[0] ?? 0)).toBeGreaterThanOrEqual(900);
});

test('import customers: an export imports back; a bad email is named', async ({ page }) => {
  await page.goto('/customers?q=李四');
  await expect(page.locator('tbody tr.ant-table-row')).toHaveCount(1);
  await page.getByTestId('import').click();
  const dialog = page.getByRole('dialog', { name: '导入客户' });
  await dialog.locator('input[type=file]').setInputFiles({
    name: 'customers.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from('\ufeff姓名,电话,邮箱\n王五,138 1111 2222,wang@example.com\n赵六,,not-an-email\n', 'utf8'),
  });
  const problems = dialog.getByTestId('import-problems').locator('tbody tr.ant-table-row');
  await expect(problems).toHaveCount(1);
  await expect(problems.first()).toContainText('邮箱');
  await expect(problems.first()).toContainText('not-an-email');
  await expect(problems.first()).toContainText('必须是邮箱地址，例如 name@example.com');
});
