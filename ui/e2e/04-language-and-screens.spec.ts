import type { Page } from '@playwright/test';
import { ADMIN_PASSWORD, SUPERADMIN, addOrderLine, apiSignIn, chooseLang, expect, shot, signIn, test } from './fixtures';

test.describe.configure({ mode: 'serial' });

test('the language switch changes the UI and is remembered', async ({ page }) => {
  await page.goto('/signin');
  await expect(page.getByRole('heading', { name: '登录' })).toBeVisible();
  await chooseLang(page, 'English');
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  expect(await page.evaluate(() => localStorage.getItem('lang'))).toBe('en');
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();

  // Server errors are translated in the chosen language.
  await page.locator('#username').fill(SUPERADMIN);
  await page.locator('#password').fill('wrong-password');
  await page.locator('form button[type="submit"]').click();
  await expect(page.getByRole('alert')).toHaveText('Wrong username or password.');
  await shot(page, 'signin-en');

  await signIn(page, SUPERADMIN, ADMIN_PASSWORD);
  await expect(page.getByRole('heading', { name: 'Dashboard' })).toBeVisible();
  await chooseLang(page, '中文');
  await expect(page.getByRole('heading', { name: '仪表盘' })).toBeVisible();
});

async function idOf(page: Page, path: string, rowText: string): Promise<string> {
  await page.goto(path);
  const href = await page.locator('tbody tr', { hasText: rowText }).getByRole('link').first().getAttribute('href');
  return href ?? '';
}

const LANGS = [
  { code: 'zh', label: '中文' },
  { code: 'en', label: 'English' },
] as const;

test('screenshots of every main page in both languages', async ({ page }) => {
  test.setTimeout(150_000);
  await apiSignIn(page, SUPERADMIN, ADMIN_PASSWORD);
  const product = await idOf(page, '/products', 'TEA-001');
  const order = await idOf(page, '/orders', '张三');
  const customer = await idOf(page, '/customers', '张三');

  for (const lang of LANGS) {
    await chooseLang(page, lang.label);
    const pages: [string, string][] = [
      ['dashboard', '/dashboard'],
      ['reports', '/reports'],
      ['products', '/products'],
      ['product-detail', product],
      ['orders', '/orders'],
      ['to-ship', '/to-ship'],
      ['order-detail', order],
      ['customers', '/customers'],
      ['customer-detail', customer],
      ['users', '/users'],
      ['audit', '/audit'],
      ['settings', '/settings'],
      ['system', '/system'],
    ];
    for (const [name, path] of pages) {
      await page.goto(path);
      await expect(page.locator('.page-header h3')).toBeVisible();
      await shot(page, `${name}-${lang.code}`);
    }
    await page.goto('/orders/new');
    await addOrderLine(page, 'TEA-001', 2);
    await addOrderLine(page, 'CUP-01', 5);
    await shot(page, `new-order-${lang.code}`);
  }
  await chooseLang(page, '中文');
});

test('usable on a phone: the menu is a drawer and the tables scroll', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await apiSignIn(page, SUPERADMIN, ADMIN_PASSWORD);
  await page.goto('/orders');
  await expect(page.getByTestId('menu-button')).toBeVisible();
  await shot(page, 'phone-orders-zh');
  await page.getByTestId('menu-button').click();
  await expect(page.locator('.ant-drawer').getByText('商品', { exact: true })).toBeVisible();
  await shot(page, 'phone-menu-zh');
  await page.locator('.ant-drawer').getByText('新建订单', { exact: true }).click();
  await expect(page).toHaveURL(/\/orders\/new$/);
  await expect(page.locator('.ant-drawer-open')).toHaveCount(0);
  await addOrderLine(page, 'TEA-001', 1);
  await shot(page, 'phone-new-order-zh');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
});
