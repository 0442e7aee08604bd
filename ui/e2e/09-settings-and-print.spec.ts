// The shop's address, phone, stock shown to customers and logo on the settings page; the
// currency symbol wherever money is shown; the printed sales receipt with the shop's details.
import type { Locator, Page } from '@playwright/test';
import { deflateSync } from 'node:zlib';
import {
  adminSession,
  addOrderLine,
  api,
  apiSignIn,
  chooseLang,
  ensureUser,
  expect,
  seedShop,
  shot,
  test,
} from './fixtures';

test.describe.configure({ mode: 'serial' });

const CUSTOMER = { username: 'settings-customer', password: 'Settings-Cust-2026', role: 'customer' as const };
const ADDRESS = '杭州市西湖区龙井路 1 号';
const PHONE = '0571-8888 0000';

interface Settings {
  business_name: string;
  business_address?: string | null;
  business_phone?: string | null;
  currency_symbol: string;
  show_stock_to_customers: boolean;
  logo_updated_at?: string | null;
}

function crc32(data: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of data) {
    crc ^= byte;
    for (let k = 0; k < 8; k += 1) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return (crc ^ 0xffffffff) >>> 0;
}

/** A real PNG of one colour, `width` × `height`. */
function png(width: number, height: number, rgb: [number, number, number]): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // RGB
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array.from({ length: width }, () => rgb).flat())]);
  const raw = Buffer.concat(Array.from({ length: height }, () => row));
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const LOGO = png(4, 4, [31, 111, 235]);
const WIDE_LOGO = png(8, 2, [220, 40, 40]);

async function naturalWidth(img: Locator): Promise<number> {
  return img.evaluate((el) => (el as HTMLImageElement).naturalWidth);
}

function logoInput(page: Page): Locator {
  return page.getByTestId('logo-card').locator('input[type=file]');
}

async function saveSettings(page: Page): Promise<void> {
  const saved = page.waitForResponse((r) => r.url().endsWith('/api/settings') && r.request().method() === 'PATCH');
  await page.getByRole('button', { name: '保存' }).click();
  expect((await saved).status()).toBe(200);
  await expect(page.locator('.ant-message')).toContainText('已保存');
}

test.beforeEach(async ({ page }) => {
  await adminSession(page);
});

test("the shop's address, phone, and whether customers see stock counts", async ({ page }) => {
  await seedShop(page);
  await ensureUser(page, CUSTOMER);
  const before = await api<Settings>(page, 'GET', '/api/settings');

  await page.goto('/settings');
  await page.getByLabel('店铺地址').fill(ADDRESS);
  await page.getByLabel('店铺电话').fill(PHONE);
  await expect(page.getByText('开启后，客户在商品目录中能看到库存数量和 SKU；关闭时只显示「有货」或「缺货」。')).toBeVisible();
  await saveSettings(page);
  await page.reload();
  await expect(page.getByLabel('店铺地址')).toHaveValue(ADDRESS);
  await expect(page.getByLabel('店铺电话')).toHaveValue(PHONE);
  const saved = await api<Settings>(page, 'GET', '/api/settings');
  expect([saved.business_address, saved.business_phone]).toEqual([ADDRESS, PHONE]);
  await shot(page, 'settings-shop-zh');

  // The switch, both ways, as a customer sees the catalogue (ending where it started).
  for (const show of [!before.show_stock_to_customers, before.show_stock_to_customers]) {
    await page.goto('/settings');
    const toggle = page.getByLabel('向客户显示库存数量');
    await expect(toggle).toHaveAttribute('aria-checked', String(!show));
    await toggle.click();
    await saveSettings(page);
    expect((await api<Settings>(page, 'GET', '/api/settings')).show_stock_to_customers).toBe(show);

    await apiSignIn(page, CUSTOMER.username, CUSTOMER.password);
    await page.goto('/catalogue?q=CUP-01');
    const card = page.getByTestId('catalogue-card').filter({ hasText: '青瓷茶杯' });
    if (show) {
      await expect(card).toContainText('CUP-01');
      await expect(card).toContainText(/有货（\d+）/);
    } else {
      await expect(card).toContainText('有货');
      await expect(card).not.toContainText('CUP-01');
      await expect(card).not.toContainText('（');
    }
    await adminSession(page);
  }
});

test('the logo: upload, preview, replace, and the refusals in the UI language', async ({ page }) => {
  const start = await api<Settings>(page, 'GET', '/api/settings');
  if (start.logo_updated_at) await api(page, 'DELETE', '/api/settings/logo');
  await page.goto('/settings');
  await expect(page.getByTestId('logo-none')).toHaveText('尚未上传标志。');
  const puts: string[] = [];
  page.on('request', (r) => {
    if (r.url().endsWith('/api/settings/logo') && r.method() === 'PUT') puts.push(r.headers()['content-type'] ?? '');
  });

  let uploaded = page.waitForResponse((r) => r.url().endsWith('/api/settings/logo') && r.request().method() === 'PUT');
  await logoInput(page).setInputFiles({ name: 'logo.png', mimeType: 'image/png', buffer: LOGO });
  expect((await uploaded).status()).toBe(200);
  expect(puts).toEqual(['image/png']);
  await expect(page.locator('.ant-message')).toContainText('标志已保存');
  const preview = page.getByTestId('logo-preview');
  await expect(preview).toHaveAttribute('src', /^\/api\/settings\/logo\?v=/);
  await expect.poll(() => naturalWidth(preview)).toBe(4);
  const firstSrc = await preview.getAttribute('src');
  await expect(page.getByTestId('logo-upload')).toHaveText('更换标志');

  // Replacing it: a new address, so the browser shows the new image, not a cached one.
  uploaded = page.waitForResponse((r) => r.url().endsWith('/api/settings/logo') && r.request().method() === 'PUT');
  await logoInput(page).setInputFiles({ name: 'wide.png', mimeType: 'image/png', buffer: WIDE_LOGO });
  expect((await uploaded).status()).toBe(200);
  await expect(preview).not.toHaveAttribute('src', firstSrc ?? '');
  await expect.poll(() => naturalWidth(preview)).toBe(8);

  // Not an image: the server's 422, in Chinese, then in English; the logo stays.
  const fake = { name: 'not-a-logo.png', mimeType: 'image/png', buffer: Buffer.from('this is text, not a picture\n') };
  const refused = page.waitForResponse((r) => r.url().endsWith('/api/settings/logo') && r.request().method() === 'PUT');
  await logoInput(page).setInputFiles(fake);
  expect((await refused).status()).toBe(422);
  await expect(page.getByTestId('logo-error')).toHaveText('标志必须是 PNG、JPEG 或 WebP 图片');
  await expect.poll(() => naturalWidth(preview)).toBe(8);
  await chooseLang(page, 'English');
  await logoInput(page).setInputFiles(fake);
  await expect(page.getByTestId('logo-error')).toHaveText('The logo must be a PNG, JPEG or WebP image');
  await chooseLang(page, '中文');

  // Too big: refused before it is sent, in the same words as the server's 413.
  const big = Buffer.concat([LOGO, Buffer.alloc(600 * 1024)]);
  const sent = puts.length;
  await logoInput(page).setInputFiles({ name: 'huge.png', mimeType: 'image/png', buffer: big });
  await expect(page.getByTestId('logo-error')).toHaveText('图片过大：标志不能超过 512 KB。');
  expect(puts.length).toBe(sent);
  const direct = await page.request.put('/api/settings/logo', {
    headers: { 'X-Requested-With': 'order-system', 'Content-Type': 'image/png' },
    data: big,
  });
  expect(direct.status()).toBe(413);
  expect(((await direct.json()) as { error: { code: string } }).error.code).toBe('payload_too_large');
  await shot(page, 'settings-logo-zh');
});

test('the currency symbol everywhere, and the printed sales receipt with the shop', async ({ page }) => {
  const shop = await seedShop(page);
  const before = await api<Settings>(page, 'GET', '/api/settings');
  expect(before.logo_updated_at, 'the logo of the test before').toBeTruthy();

  await page.goto('/settings');
  await page.getByLabel('货币符号').fill('RMB');
  await saveSettings(page);

  // A list.
  await page.goto('/products?q=CUP-01');
  const row = page.locator('tbody tr.ant-table-row', { hasText: 'CUP-01' });
  await expect(row).toContainText('RMB 0.10');
  await expect(row).not.toContainText('¥');
  // The product form's price and cost price.
  await page.getByRole('button', { name: '新建商品' }).click();
  await expect(page.getByRole('dialog').locator('.ant-input-prefix')).toHaveText(['RMB', 'RMB']);
  await page.getByRole('dialog').getByRole('button', { name: '取消' }).click();
  // The dashboard.
  await page.goto('/dashboard');
  await expect(page.getByTestId('tile-today-sales')).toContainText('RMB');

  // The order form and the order.
  await page.goto('/orders/new');
  await addOrderLine(page, 'CUP-01', 2);
  await expect(page.getByTestId('order-total')).toHaveText('RMB 0.20');
  await expect(page.getByTestId('order-lines')).toContainText('RMB 0.10');
  await page.getByRole('button', { name: '提交订单' }).click();
  await expect(page).toHaveURL(/\/orders\/\d+$/);
  const orderId = Number(new URL(page.url()).pathname.split('/').pop());
  await expect(page.getByTestId('detail-total')).toHaveText('RMB 0.20');

  // The printed sales receipt: logo, name, address and phone; amounts with the symbol.
  await page.getByRole('button', { name: '打印销售单' }).click();
  await page.emulateMedia({ media: 'print' });
  const slip = page.locator('.slip');
  await expect(slip.locator('h1')).toHaveText(before.business_name);
  await expect(slip.getByTestId('slip-contact')).toContainText(ADDRESS);
  await expect(slip.getByTestId('slip-contact')).toContainText(PHONE);
  await expect(slip.getByTestId('slip-logo')).toBeVisible();
  await expect.poll(() => naturalWidth(slip.getByTestId('slip-logo'))).toBe(8);
  await expect(slip.locator('tbody')).toContainText('RMB 0.10');
  await expect(slip.locator('tfoot')).toContainText('RMB 0.20');
  await expect(slip).not.toContainText('¥');
  await shot(page, 'receipt-print-rmb-zh');
  // The packing slip has the shop too, but no prices.
  await page.emulateMedia({ media: 'screen' });
  await page.getByRole('button', { name: '打印装箱单' }).click();
  await page.emulateMedia({ media: 'print' });
  await expect(slip.locator('h2')).toHaveText('装箱单');
  await expect(slip.getByTestId('slip-contact')).toContainText(ADDRESS);
  await expect(slip).not.toContainText('RMB');
  await page.emulateMedia({ media: 'screen' });

  // Back as it was: the symbol, no address or phone, no logo (removed on the page), the cups.
  await api(page, 'POST', `/api/orders/${orderId}/status`, { status: 'cancelled' });
  await api(page, 'PATCH', '/api/settings', {
    currency_symbol: before.currency_symbol,
    business_address: null,
    business_phone: null,
  });
  await page.goto('/settings');
  await page.getByTestId('logo-remove').click();
  await page.locator('.ant-popover:visible').getByRole('button', { name: '移除标志' }).click();
  await expect(page.getByTestId('logo-none')).toBeVisible();
  const after = await api<Settings>(page, 'GET', '/api/settings');
  expect(after.logo_updated_at ?? null).toBeNull();
  expect(after.currency_symbol).toBe(before.currency_symbol);
  await page.goto(`/products/${shop.cup}`);
  await expect(page.locator('.ant-descriptions')).toContainText('¥0.10');
});
