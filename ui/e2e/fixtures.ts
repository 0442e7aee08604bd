// The test object every spec uses: the server's address as baseURL, and an automatic
// guard that fails a test when a request leaves the server's origin, or the page throws
// or logs an error (the browser's own "Failed to load resource" lines for the API's
// expected 4xx answers aside).
import { test as base, expect } from '@playwright/test';
import type { Download, Page } from '@playwright/test';
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export { expect };

const uiDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const SCREENSHOT_DIR = join(uiDir, 'test-results', 'screenshots');

export const SUPERADMIN = 'superAdmin';
export const FIRST_PASSWORD = 'admin123';
export const ADMIN_PASSWORD = 'Desk-Passw0rd-2026';

export interface Guard {
  requests: string[];
  problems: string[];
}

export const test = base.extend<{ guard: Guard }>({
  // eslint-disable-next-line no-empty-pattern
  baseURL: async ({}, use) => {
    const url = process.env.E2E_BASE_URL;
    if (!url) throw new Error('E2E_BASE_URL is not set: run through playwright.config.ts (globalSetup)');
    await use(url);
  },
  guard: [
    async ({ page, baseURL }, use) => {
      const origin = new URL(baseURL ?? '').origin;
      const guard: Guard = { requests: [], problems: [] };
      page.on('request', (r) => guard.requests.push(r.url()));
      page.on('pageerror', (e) => guard.problems.push(`pageerror: ${e.message}`));
      page.on('console', (m) => {
        if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) {
          guard.problems.push(`console.error: ${m.text()}`);
        }
      });
      await use(guard);
      const foreign = guard.requests.filter((u) => !u.startsWith('data:') && new URL(u).origin !== origin);
      expect(foreign, 'requests to another origin').toEqual([]);
      expect(guard.problems, 'errors in the page').toEqual([]);
    },
    { auto: true },
  ],
});

export async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.waitForLoadState('networkidle');
  await expect(page.locator('.ant-spin-spinning')).toHaveCount(0);
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}

export async function signIn(page: Page, username: string, password: string): Promise<void> {
  if (!page.url().includes('/signin')) await page.goto('/signin');
  await page.locator('#username').fill(username);
  await page.locator('#password').fill(password);
  await page.locator('form button[type="submit"]').click();
  await expect(page).not.toHaveURL(/\/signin/);
}

/** Signs in through the API (the browser context keeps the cookie): quicker than the form. */
export async function apiSignIn(page: Page, username: string, password: string): Promise<void> {
  const res = await page.request.post('/api/auth/session', {
    headers: { 'X-Requested-With': 'order-system' },
    data: { username, password },
  });
  expect(res.status()).toBe(200);
}

export async function signOut(page: Page): Promise<void> {
  await page.getByTestId('user-menu').click();
  await page.getByRole('menuitem', { name: /退出登录|Sign out/ }).click();
  await expect(page).toHaveURL(/\/signin/);
}

/** Chooses a language in the switch in the top bar. */
export async function chooseLang(page: Page, label: '中文' | 'English'): Promise<void> {
  await page.getByTestId('lang-switch').click();
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: label }).click();
}

/** Picks an option of an antd Select after typing into its search box. */
export async function pickOption(page: Page, testId: string, search: string, option: string | RegExp): Promise<void> {
  const select = page.getByTestId(testId);
  await select.click();
  if (search) await select.locator('input').fill(search);
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: option }).first().click();
}

/** Adds a product line to the order form and sets its quantity. */
export async function addOrderLine(page: Page, sku: string, quantity: number): Promise<void> {
  const picker = page.getByTestId('product-picker');
  await picker.click();
  await picker.locator('input').fill(sku);
  // Wait for the server's answer to this search (one product per SKU) before clicking.
  const options = page.locator('.ant-select-dropdown:visible .ant-select-item-option');
  await expect(options).toHaveCount(1);
  await options.filter({ hasText: sku }).click();
  const row = page.getByTestId('order-lines').locator('tr', { hasText: sku });
  await row.locator('input').fill(String(quantity));
  await row.locator('input').blur();
}

/** The number shown in the stock cell of a product's detail page. */
export async function stockOnDetail(page: Page): Promise<string> {
  return (await page.locator('.ant-descriptions [data-testid="stock-qty"]').first().innerText()).trim();
}

/** A JSON request as the signed-in browser makes it (with the CSRF header); returns the body. */
export async function api<T = unknown>(page: Page, method: 'GET' | 'POST' | 'PATCH', path: string, data?: unknown): Promise<T> {
  const res = await page.request.fetch(path, {
    method,
    headers: { 'X-Requested-With': 'order-system' },
    data,
  });
  expect(res.ok(), `${method} ${path}: ${res.status()} ${await res.text()}`).toBe(true);
  return (await res.json()) as T;
}

/** Creates an order through the API and moves it to `status` (pending stays as it is). */
export async function apiOrder(
  page: Page,
  items: { product_id: number; quantity: number }[],
  opts: { customer_id?: number; status?: 'pending' | 'confirmed' | 'shipped' | 'completed' } = {},
): Promise<{ id: number; order_number: string }> {
  const order = await api<{ id: number; order_number: string }>(page, 'POST', '/api/orders', {
    items,
    customer_id: opts.customer_id ?? null,
  });
  const path: string[] = [];
  for (const s of ['confirmed', 'shipped', 'completed'] as const) {
    if (opts.status === undefined || opts.status === 'pending') break;
    path.push(s);
    if (s === opts.status) break;
  }
  for (const status of path) await api(page, 'POST', `/api/orders/${order.id}/status`, { status });
  return order;
}

/** The rows of a downloaded CSV file (UTF-8 with a BOM, RFC 4180 quoting). */
export async function csvRows(download: Download): Promise<string[][]> {
  expect(await download.failure()).toBeNull();
  const text = readFileSync(await download.path(), 'utf8');
  expect(text.startsWith('\ufeff'), 'the file starts with a BOM, for Excel').toBe(true);
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 1; i < text.length; i += 1) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i += 1;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i += 1;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += c;
  }
  if (cell !== '' || row.length > 0) rows.push([...row, cell]);
  return rows;
}
