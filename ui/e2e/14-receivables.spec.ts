// Who owes the shop what: a customer with two orders, one of them part paid, on the
// receivables page (their row and the total are the server's), their statement (balances,
// the printed 对账单 with the closing balance in capitals, the CSV file), and a customer
// login that may read only its own statement.
import type { Page } from '@playwright/test';
import {
  adminSession,
  api,
  apiOrder,
  apiSignIn,
  csvRows,
  ensureUser,
  expect,
  expectNoSidewaysScroll,
  shot,
  test,
} from './fixtures';

test.describe.configure({ mode: 'serial' });

const NAME = '孙记茶行';
const BUYER = { username: 'ar-buyer', password: 'Ar-Buyer-2026', role: 'customer' as const };

interface Ages {
  days_0_30: string;
  days_31_60: string;
  days_61_90: string;
  days_over_90: string;
}
interface Receivables {
  rows: (Ages & { customer_id: number | null; customer_name: string | null; orders: number; owed: string })[];
  totals: Ages & { orders: number; owed: string };
}
interface Statement {
  customer_name: string;
  first_day: string;
  last_day: string;
  opening_balance: string;
  charged: string;
  received: string;
  closing_balance: string;
  entries: { kind: string; order_number: string; amount: string; balance: string; reference: string | null }[];
}

/** An amount as the page shows it in yuan: "¥1,234.50", "-¥20.00". */
function yuan(amount: string): string {
  const negative = amount.startsWith('-');
  const [whole = '', frac = ''] = (negative ? amount.slice(1) : amount).split('.');
  return `${negative ? '-' : ''}¥${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${frac}`;
}

let customer: number;
let orders: { id: number; order_number: string }[];

test.beforeEach(async ({ page }) => {
  await adminSession(page);
});

/** 孙记茶行 owes 130.00: 120.00 less 50.00 paid by WeChat, and 60.00 not paid; and a walk-in owes. */
async function seed(page: Page): Promise<void> {
  const found = await api<{ items: { id: number; sku: string }[] }>(page, 'GET', '/api/products?q=AR-TEA');
  const tea =
    found.items.find((p) => p.sku === 'AR-TEA')?.id ??
    (await api<{ id: number }>(page, 'POST', '/api/products', { sku: 'AR-TEA', name: '应收测试茶', price: '60.00', stock_quantity: 100 }))
      .id;
  customer = (
    await api<{ id: number }>(page, 'POST', '/api/customers', { name: NAME, phone: '137 0000 0055', address: '杭州市龙井路 1 号' })
  ).id;
  orders = [
    await apiOrder(page, [{ product_id: tea, quantity: 2 }], { customer_id: customer, status: 'confirmed' }),
    await apiOrder(page, [{ product_id: tea, quantity: 1 }], { customer_id: customer, status: 'confirmed' }),
  ];
  await api(page, 'POST', `/api/orders/${orders[0]?.id}/payments`, { amount: '50.00', method: 'wechat', reference: '4200005555' });
  await apiOrder(page, [{ product_id: tea, quantity: 1 }], { status: 'confirmed' });
}

test('the receivables page: what each customer owes, by age, as the server counts it', async ({ page }) => {
  test.setTimeout(90_000);
  await seed(page);
  const report = await api<Receivables>(page, 'GET', '/api/reports/receivables');
  const mine = report.rows.find((r) => r.customer_id === customer);
  expect(mine).toMatchObject({ customer_name: NAME, orders: 2, owed: '130.00', days_0_30: '130.00', days_over_90: '0.00' });
  // The total is the dashboard's receivable.
  const stats = await api<{ receivable: { amount: string; orders: number } }>(page, 'GET', '/api/stats');
  expect(report.totals.owed).toBe(stats.receivable.amount);
  expect(report.totals.orders).toBe(stats.receivable.orders);

  // From the dashboard's card; in the menu right after the reports.
  await page.goto('/dashboard');
  await page.getByTestId('receivable').getByTestId('receivable-by-customer').click();
  await expect(page).toHaveURL(/\/receivables$/);
  const nav = page.getByTestId('nav');
  await expect(nav.getByRole('menuitem').nth(1)).toHaveText('报表');
  await expect(nav.getByRole('menuitem').nth(2)).toHaveText('应收款');
  await expect(page.getByRole('heading', { name: '应收款' })).toBeVisible();
  await expect(page.getByTestId('receivables-help')).toContainText('账龄从下单当天算起');

  const table = page.getByTestId('receivables-table');
  const row = table.locator('tr.ant-table-row', { hasText: NAME });
  await expect(row).toContainText('137 0000 0055');
  await expect(row.getByTestId('row-owed')).toHaveText('¥130.00');
  await expect(row.getByTestId('row-days_0_30')).toHaveText('¥130.00');
  await expect(row.getByTestId('row-days_over_90')).toHaveText('¥0.00');
  await expect(page.getByTestId('receivables-total-owed')).toHaveText(yuan(report.totals.owed));
  await expect(page.getByTestId('receivables-total-orders')).toHaveText(String(report.totals.orders));
  // The largest balance first, as the server sorts them.
  await expect(table.locator('tr.ant-table-row').first().getByTestId('row-owed')).toHaveText(yuan(report.rows[0]?.owed ?? ''));
  // Walk-in orders: one row, nobody to send a statement to.
  const walkIn = table.locator('tr.ant-table-row', { hasText: '散客' });
  await expect(walkIn).toHaveCount(1);
  await expect(walkIn.getByRole('link')).toHaveCount(0);
  await shot(page, 'receivables-zh');

  // The CSV file: the same rows.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('receivables-csv').click()]);
  expect(download.suggestedFilename()).toMatch(/\.csv$/);
  const rows = await csvRows(download);
  const line = rows.find((r) => r.includes(NAME));
  expect(line, `a row for ${NAME} in ${JSON.stringify(rows)}`).toBeDefined();
  expect(line).toContain('130.00');

  // The name opens the customer's statement.
  await row.getByRole('link', { name: NAME }).click();
  await expect(page).toHaveURL(new RegExp(`/customers/${customer}/statement$`));
  await expect(page.getByRole('heading', { name: `对账单：${NAME}` })).toBeVisible();
});

test('on a phone the ages are left out, and nothing scrolls sideways', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto('/receivables');
  const row = page.getByTestId('receivables-table').locator('tr.ant-table-row', { hasText: NAME });
  await expect(row.getByTestId('row-owed')).toHaveText('¥130.00');
  await expect(row).toContainText('2 单');
  await expect(page.getByRole('columnheader', { name: '31–60 天' })).toHaveCount(0);
  await expectNoSidewaysScroll(page);
  await shot(page, 'receivables-phone-zh');
});

test("a customer's statement: balances, entries, the printed 对账单 and its file", async ({ page }) => {
  test.setTimeout(90_000);
  const s = await api<Statement>(page, 'GET', `/api/customers/${customer}/statement`);
  expect(s).toMatchObject({ opening_balance: '0.00', charged: '180.00', received: '50.00', closing_balance: '130.00' });
  expect(s.entries.map((e) => [e.kind, e.amount])).toEqual([
    ['order', '120.00'],
    ['order', '60.00'],
    ['payment', '-50.00'],
  ]);

  // From the customer's page.
  await page.goto(`/customers/${customer}`);
  await page.getByTestId('customer-statement').click();
  await expect(page).toHaveURL(new RegExp(`/customers/${customer}/statement$`));
  await expect(page.getByTestId('statement-period')).toHaveText(`${s.first_day} 至 ${s.last_day}`);
  await expect(page.getByTestId('statement-opening')).toContainText(yuan(s.opening_balance));
  await expect(page.getByTestId('statement-charged')).toContainText(yuan(s.charged));
  await expect(page.getByTestId('statement-received')).toContainText(yuan(s.received));
  await expect(page.getByTestId('statement-closing')).toContainText(yuan(s.closing_balance));
  await expect(page.getByTestId('statement-closing-side')).toHaveText('客户尚欠 ¥130.00');
  const entries = page.getByTestId('statement-entries').locator('tr.ant-table-row');
  await expect(entries).toHaveCount(s.entries.length);
  const payment = entries.nth(2);
  await expect(payment).toContainText('收款');
  await expect(payment).toContainText('微信');
  await expect(payment).toContainText('4200005555');
  await expect(payment.getByTestId('entry-amount')).toHaveText('-¥50.00');
  await expect(payment.getByTestId('entry-balance')).toHaveText(yuan(s.closing_balance));
  await expect(entries.first().getByTestId('entry-amount')).toHaveText('+¥120.00');
  await expect(entries.first().getByRole('link', { name: orders[0]?.order_number ?? '' })).toHaveAttribute(
    'href',
    `/orders/${orders[0]?.id}`,
  );
  await shot(page, 'statement-zh');

  // On paper: the shop, the customer, the period, every entry and the closing balance in capitals.
  const settings = await api<{ business_name: string }>(page, 'GET', '/api/settings');
  await page.getByTestId('statement-print').click();
  await page.emulateMedia({ media: 'print' });
  const printed = page.getByTestId('statement-printed');
  await expect(printed).toBeVisible();
  await expect(printed.locator('h1')).toHaveText(settings.business_name);
  await expect(printed.locator('h2')).toHaveText('对账单');
  await expect(printed.getByTestId('printed-customer')).toHaveText(NAME);
  await expect(printed.getByTestId('printed-period')).toHaveText(`${s.first_day} 至 ${s.last_day}`);
  await expect(printed.getByTestId('printed-opening')).toHaveText('¥0.00');
  await expect(printed.locator('tbody tr')).toHaveCount(s.entries.length + 1);
  await expect(printed.getByTestId('printed-closing')).toHaveText('¥130.00');
  await expect(printed.getByTestId('statement-in-words')).toHaveText('壹佰叁拾元整');
  await expect(printed.getByTestId('printed-side')).toHaveText('客户尚欠 ¥130.00');
  await expect(page.getByTestId('statement-entries')).toBeHidden();
  await shot(page, 'statement-printed-zh');
  await page.emulateMedia({ media: 'screen' });

  // The CSV file: the entries, each order by its number.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('statement-csv').click()]);
  expect(download.suggestedFilename()).toMatch(/\.csv$/);
  const rows = await csvRows(download);
  const first = rows.find((r) => r.includes(orders[0]?.order_number ?? ''));
  expect(first, `a row for ${orders[0]?.order_number} in ${JSON.stringify(rows)}`).toBeDefined();
  expect(first).toContain('120.00');
});

test('the statement follows the chosen days, and a shop in credit prints 负', async ({ page }) => {
  // Before the orders: nothing owed, nothing happened.
  await page.goto(`/customers/${customer}/statement?date_from=2020-01-01&date_to=2020-01-31`);
  const days = page.getByRole('textbox', { name: '日期范围' });
  await expect(days.first()).toHaveValue('2020-01-01');
  await expect(days.nth(1)).toHaveValue('2020-01-31');
  await expect(page.getByTestId('statement-closing')).toContainText('¥0.00');
  await expect(page.getByTestId('statement-closing-side')).toHaveText('已结清');
  await expect(page.getByTestId('statement-entries')).toContainText('所选期间没有往来记录。');
  const href = await page.getByTestId('statement-csv').getAttribute('href');
  expect(href).toContain('date_from=2020-01-01&date_to=2020-01-31');
  expect(href).toContain('format=csv&lang=zh-CN');

  // A customer who paid more than they owe: the shop owes them, and the capitals say so.
  await page.route((url) => url.pathname === `/api/customers/${customer}/statement`, async (route) => {
    const res = await route.fetch();
    const body = (await res.json()) as Record<string, unknown>;
    await route.fulfill({ response: res, json: { ...body, closing_balance: '-20.50' } });
  });
  await page.goto(`/customers/${customer}/statement`);
  await expect(page.getByTestId('statement-closing-side')).toHaveText('本店应退客户 ¥20.50');
  await page.getByTestId('statement-print').click();
  await page.emulateMedia({ media: 'print' });
  await expect(page.getByTestId('statement-in-words')).toHaveText('负贰拾元伍角整');
  await page.emulateMedia({ media: 'screen' });
});

test("a customer login reads its own statement, and nobody else's", async ({ page }) => {
  await ensureUser(page, BUYER);
  const tea = (await api<{ items: { id: number; sku: string }[] }>(page, 'GET', '/api/products?q=AR-TEA')).items[0]?.id ?? 0;
  await apiSignIn(page, BUYER.username, BUYER.password);
  // No customer record before the first order: no statement to show.
  await page.goto('/orders');
  await expect(page.getByRole('heading', { name: '我的订单' })).toBeVisible();
  await expect(page.getByTestId('my-statement')).toHaveCount(0);
  // The first order makes the record; the app learns its id without a reload.
  await page.goto(`/orders/new?product=${tea}`);
  await page.getByRole('button', { name: '提交订单' }).click();
  await expect(page).toHaveURL(/\/orders\/\d+$/);
  const me = await api<{ customer_id: number | null }>(page, 'GET', '/api/auth/me');
  expect(me.customer_id).toBeGreaterThan(0);
  const own = await api<Statement>(page, 'GET', `/api/customers/${me.customer_id}/statement`);
  expect(own.closing_balance).toBe('60.00');

  const other = await page.request.get(`/api/customers/${customer}/statement`);
  expect(other.status()).toBe(404);
  const otherCsv = await page.request.get(`/api/customers/${customer}/statement?format=csv&lang=zh-CN`);
  expect(otherCsv.status()).toBe(404);
  const report = await page.request.get('/api/reports/receivables');
  expect(report.status()).toBe(403);

  // Their orders page leads to it.
  await page.getByTestId('nav').getByText('订单', { exact: true }).click();
  await expect(page).toHaveURL(/\/orders$/);
  await page.getByTestId('my-statement').click();
  await expect(page).toHaveURL(new RegExp(`/customers/${me.customer_id}/statement$`));
  await expect(page.getByTestId('statement-closing')).toContainText('¥60.00');
  await expect(page.getByTestId('statement-entries').locator('tr.ant-table-row')).toHaveCount(1);
  // The receivables are the desk's.
  await page.goto('/receivables');
  await expect(page.getByText('您没有权限执行此操作。')).toBeVisible();
  await expect(page.getByTestId('receivables-table')).toHaveCount(0);
});
