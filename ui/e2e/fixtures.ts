// The test object every spec uses: the server's address as baseURL, and an automatic
// guard that fails a test when a request leaves the server's origin, or the page throws
// or logs an error (the browser's own "Failed to load resource" lines for the API's
// expected 4xx answers aside).
import { test as base, expect } from '@playwright/test';
import type { Download, Locator, Page } from '@playwright/test';
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
  const options = page.locator('.ant-select-dropdown:visible .ant-select-item-option');
  if (search) {
    // Wait for the server's answer to this search (pickers that search the server ask with
    // q=...): a list still showing the earlier options can be replaced under the click, and
    // the click is lost. Pickers that filter their own options send nothing; then no wait.
    const q = `q=${encodeURIComponent(search)}`;
    const answered = page.waitForResponse((r) => r.url().includes(q), { timeout: 5_000 }).catch(() => null);
    await select.locator('input').fill(search);
    await answered;
  }
  await options.filter({ hasText: option }).first().click();
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
  const input = row.getByRole('spinbutton');
  await input.fill(String(quantity));
  await input.blur();
}

/** The number shown in the stock cell of a product's detail page. */
export async function stockOnDetail(page: Page): Promise<string> {
  return (await page.locator('.ant-descriptions [data-testid="stock-qty"]').first().innerText()).trim();
}

/** A JSON request as the signed-in browser makes it (with the CSRF header); returns the body. */
export async function api<T = unknown>(
  page: Page,
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
  path: string,
  data?: unknown,
): Promise<T> {
  const res = await page.request.fetch(path, {
    method,
    headers: { 'X-Requested-With': 'order-system' },
    data,
  });
  expect(res.ok(), `${method} ${path}: ${res.status()} ${await res.text()}`).toBe(true);
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

/** The account with this username, made through the API (must_change_password off) when missing. */
export async function ensureUser(
  page: Page,
  user: { username: string; password: string; role: 'customer' | 'staff' | 'admin'; full_name?: string },
): Promise<{ id: number }> {
  const found = await api<{ items: { id: number; username: string }[] }>(page, 'GET', `/api/users?q=${encodeURIComponent(user.username)}`);
  const hit = found.items.find((u) => u.username === user.username);
  if (hit) return hit;
  return api<{ id: number }>(page, 'POST', '/api/users', { ...user, must_change_password: false });
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

/**
 * Signs in as superAdmin through the API. On a fresh server (a spec run on its own) the first
 * password is changed first, as 01-sign-in does through the form.
 */
export async function adminSession(page: Page): Promise<void> {
  const res = await page.request.post('/api/auth/session', {
    headers: { 'X-Requested-With': 'order-system' },
    data: { username: SUPERADMIN, password: ADMIN_PASSWORD },
  });
  if (res.status() === 200) return;
  await apiSignIn(page, SUPERADMIN, FIRST_PASSWORD);
  await api(page, 'POST', '/api/auth/password', { current_password: FIRST_PASSWORD, new_password: ADMIN_PASSWORD });
}

export interface Shop {
  tea: number;
  cup: number;
  customer: number;
  order: number;
}

/**
 * The products, customer and order the earlier specs make (TEA-001, CUP-01, 张三 and an order
 * for 张三), made through the API when missing: lets a spec run on its own, and changes
 * nothing when the whole suite runs.
 */
export async function seedShop(page: Page): Promise<Shop> {
  const product = async (sku: string, name: string, price: string, stock: number) => {
    const found = await api<{ items: { id: number; sku: string }[] }>(page, 'GET', `/api/products?q=${sku}`);
    const hit = found.items.find((p) => p.sku === sku);
    if (hit) return hit.id;
    return (await api<{ id: number }>(page, 'POST', '/api/products', { sku, name, price, stock_quantity: stock })).id;
  };
  const tea = await product('TEA-001', '龙井茶 250g', '19.90', 50);
  const cup = await product('CUP-01', '青瓷茶杯', '0.10', 100);
  const customers = await api<{ items: { id: number; name: string }[] }>(page, 'GET', `/api/customers?q=${encodeURIComponent('张三')}`);
  const customer =
    customers.items.find((c) => c.name === '张三')?.id ??
    (await api<{ id: number }>(page, 'POST', '/api/customers', { name: '张三', phone: '138 0013 8000' })).id;
  const orders = await api<{ items: { id: number }[] }>(page, 'GET', `/api/orders?customer_id=${customer}`);
  const order =
    orders.items[0]?.id ??
    (await apiOrder(page, [{ product_id: cup, quantity: 1 }, { product_id: tea, quantity: 1 }], { customer_id: customer })).id;
  return { tea, cup, customer, order };
}

/**
 * Fails unless the element is on screen horizontally: within 0..viewport width and not cut
 * off by a scrolling (or clipping) container around it, so it is seen without sideways
 * scrolling.
 */
export async function expectInViewport(locator: Locator, what = 'element'): Promise<void> {
  await expect(locator, what).toBeVisible();
  const width = locator.page().viewportSize()?.width ?? 0;
  await expect
    .poll(
      () =>
        locator.evaluate((el, vw) => {
          const r = el.getBoundingClientRect();
          if (r.left < -0.5 || r.right > vw + 0.5) return `at x ${Math.round(r.left)}..${Math.round(r.right)} of ${vw}`;
          for (let a = el.parentElement; a; a = a.parentElement) {
            const style = getComputedStyle(a);
            if (style.overflowX === 'visible') continue;
            const box = a.getBoundingClientRect();
            if (r.left < box.left - 0.5 || r.right > box.right + 0.5) {
              return `cut off by <${a.tagName.toLowerCase()} class="${a.className}"> (x ${Math.round(box.left)}..${Math.round(box.right)}; element at ${Math.round(r.left)}..${Math.round(r.right)})`;
            }
          }
          return 'ok';
        }, width),
      { message: `${what} is in the viewport horizontally` },
    )
    .toBe('ok');
}

/** Fails when the page scrolls sideways. */
export async function expectNoSidewaysScroll(page: Page): Promise<void> {
  await expect
    .poll(() => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth), {
      message: 'the page has no horizontal scroll',
    })
    .toBeLessThanOrEqual(0);
}

/**
 * The visible form controls (input, select, textarea, switches) that have no accessible name
 * from a <label>, aria-labelledby or aria-label — what screen readers read and getByLabel
 * finds — each described so it can be found. Also returns how many controls were checked.
 */
export async function unnamedControls(scope: Page | Locator): Promise<{ checked: number; unnamed: string[] }> {
  const root = 'locator' in scope && 'goto' in scope ? scope.locator('body') : scope;
  return root.evaluate((body) => {
    const controls = [
      ...body.querySelectorAll<HTMLElement>(
        'input:not([type="hidden"]), select, textarea, [role="switch"], [role="combobox"], [role="spinbutton"], [role="slider"]',
      ),
    ].filter((el, i, all) => all.indexOf(el) === i);
    const visible = controls.filter((el) => {
      const r = el.getBoundingClientRect();
      return r.width > 0 && r.height > 0 && el.checkVisibility({ visibilityProperty: true });
    });
    const text = (el: Element | null) => (el?.textContent ?? '').replace(/\s+/g, ' ').trim();
    const nameOf = (el: HTMLElement) => {
      const by = el.getAttribute('aria-labelledby');
      if (by) {
        const t = by
          .split(/\s+/)
          .map((id) => text(document.getElementById(id)))
          .join(' ')
          .trim();
        if (t) return t;
      }
      const aria = el.getAttribute('aria-label')?.trim();
      if (aria) return aria;
      const labels = 'labels' in el ? (el as HTMLInputElement).labels : null;
      return labels ? [...labels].map(text).join(' ').trim() : '';
    };
    const unnamed = visible
      .filter((el) => !nameOf(el))
      .map((el) => {
        const item = el.closest('.ant-form-item');
        const near = text(item?.querySelector('.ant-form-item-label') ?? null);
        const attrs = ['type', 'id', 'name', 'placeholder', 'role']
          .map((a) => (el.getAttribute(a) ? `${a}="${el.getAttribute(a)}"` : ''))
          .filter(Boolean)
          .join(' ');
        return `<${el.tagName.toLowerCase()} ${attrs} class="${el.className}">${near ? ` (in the form item "${near}")` : ''}`;
      });
    return { checked: visible.length, unnamed };
  });
}

/**
 * The placeholders that do not fit their box: inputs' (measured in their own font) and antd
 * Selects' (cut off with an ellipsis).
 */
export async function cutPlaceholders(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const ctx = document.createElement('canvas').getContext('2d');
    const cut: string[] = [];
    const shown = (el: HTMLElement) => {
      const r = el.getBoundingClientRect();
      return r.width > 0 && r.height > 0 && el.checkVisibility({ visibilityProperty: true });
    };
    for (const el of document.querySelectorAll<HTMLInputElement>('input[placeholder]')) {
      if (!ctx || !shown(el) || el.value !== '' || !el.placeholder) continue;
      const style = getComputedStyle(el);
      ctx.font = style.font;
      const room = el.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
      const need = ctx.measureText(el.placeholder).width;
      if (need > room + 0.5) cut.push(`"${el.placeholder}" needs ${Math.ceil(need)} px, has ${Math.floor(room)}`);
    }
    for (const el of document.querySelectorAll<HTMLElement>('.ant-select-placeholder, .ant-select-selection-placeholder')) {
      if (!shown(el)) continue;
      if (el.scrollWidth > el.clientWidth + 0.5) cut.push(`"${el.textContent ?? ''}" needs ${el.scrollWidth} px, has ${el.clientWidth}`);
    }
    return cut;
  });
}
