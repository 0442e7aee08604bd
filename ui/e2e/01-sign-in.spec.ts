import { readFileSync, statSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { ADMIN_PASSWORD, FIRST_PASSWORD, SUPERADMIN, expect, shot, signIn, signOut, test } from './fixtures';

test.describe.configure({ mode: 'serial' });

const BUDGET_GZIP = 400 * 1024;

test('the sign-in page loads within its budget, from this origin only', async ({ page, guard }) => {
  await page.goto('/');
  await expect(page).toHaveURL(/\/signin/);
  await expect(page.getByRole('heading', { name: '登录' })).toBeVisible();
  await page.waitForLoadState('networkidle');

  // The budget counts every file of the first load at its gzip size (the .gz the build wrote).
  const dist = process.env.E2E_DIST_DIR ?? '';
  let total = 0;
  const files: string[] = [];
  for (const url of guard.requests) {
    const path = new URL(url).pathname;
    if (path.startsWith('/api/')) continue;
    const file = join(dist, path.endsWith('/') || !path.includes('.') ? 'index.html' : path);
    const size = existsSync(`${file}.gz`) ? statSync(`${file}.gz`).size : statSync(file).size;
    files.push(`${path} ${size}`);
    total += size;
  }
  console.log(`sign-in first load: ${files.length} files, ${total} bytes gzip\n  ${files.join('\n  ')}`);
  expect(total).toBeLessThanOrEqual(BUDGET_GZIP);

  // index.html has no inline script (CSP script-src 'self').
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
  await shot(page, 'signin-zh');
});

test('a wrong password is refused in Chinese', async ({ page }) => {
  await page.goto('/signin');
  await page.locator('#username').fill(SUPERADMIN);
  await page.locator('#password').fill('not-the-password');
  await page.locator('form button[type="submit"]').click();
  await expect(page.getByRole('alert')).toHaveText('用户名或密码错误。');
});

test('first sign-in forces a password change before anything else', async ({ page, context }) => {
  await signIn(page, SUPERADMIN, FIRST_PASSWORD);
  await expect(page).toHaveURL(/\/change-password/);
  await expect(page.getByText('首次登录或密码已被重置，请先设置新密码。')).toBeVisible();

  // Nothing else is reachable until the password is changed.
  await page.goto('/products');
  await expect(page).toHaveURL(/\/change-password\?next=%2Fproducts/);

  // The session is an HttpOnly cookie: page scripts see no token anywhere.
  const cookies = await context.cookies();
  const session = cookies.find((c) => c.name === 'order_session');
  expect(session?.httpOnly).toBe(true);
  expect(session?.sameSite).toBe('Strict');
  expect(await page.evaluate(() => document.cookie)).not.toContain('order_session');

  // A wrong current password shows on its field.
  await page.locator('#current_password').fill('wrong-password');
  await page.locator('#new_password').fill(ADMIN_PASSWORD);
  await page.locator('#confirm').fill(ADMIN_PASSWORD);
  await page.getByRole('button', { name: '保存新密码' }).click();
  await expect(page.locator('#current_password_help')).toHaveText('不正确');

  await page.locator('#current_password').fill(FIRST_PASSWORD);
  await page.getByRole('button', { name: '保存新密码' }).click();
  await expect(page).toHaveURL(/\/products$/);
  await expect(page.getByRole('heading', { name: '商品' })).toBeVisible();
});

test('the session survives a reload; nothing token-like is stored', async ({ page }) => {
  await signIn(page, SUPERADMIN, ADMIN_PASSWORD);
  await expect(page).toHaveURL(/\/dashboard/);
  await page.reload();
  await expect(page.getByRole('heading', { name: '仪表盘' })).toBeVisible();
  const stored = await page.evaluate(() => ({ ...localStorage, ...sessionStorage }));
  for (const [k, v] of Object.entries(stored)) {
    expect(k).toBe('lang');
    expect(String(v).length).toBeLessThan(10);
  }
});

test('an expired session goes to sign-in with a message, then back to the page', async ({ page, context }) => {
  await signIn(page, SUPERADMIN, ADMIN_PASSWORD);
  await page.goto('/customers');
  await expect(page.getByRole('heading', { name: '客户' })).toBeVisible();
  await context.clearCookies();
  await page.getByTestId('nav').getByText('订单', { exact: true }).click();
  await expect(page).toHaveURL(/\/signin\?next=%2Forders&reason=expired/);
  await expect(page.getByText('登录已过期，请重新登录。')).toBeVisible();
  await signIn(page, SUPERADMIN, ADMIN_PASSWORD);
  await expect(page).toHaveURL(/\/orders$/);
});

test('sign out ends the session on the server', async ({ page, context }) => {
  await signIn(page, SUPERADMIN, ADMIN_PASSWORD);
  await signOut(page);
  await expect(page.getByText('您已退出登录。')).toBeVisible();
  expect((await context.cookies()).find((c) => c.name === 'order_session')?.value ?? '').toBe('');
  await page.goto('/orders');
  await expect(page).toHaveURL(/\/signin\?next=%2Forders/);
});
