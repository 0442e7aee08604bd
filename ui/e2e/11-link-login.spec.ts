// A customer's own login, linked to their customer record from either side (admins): orders
// placed with the login go to that record, and the record made for the login when it first
// ordered is folded into it.
import type { Page } from '@playwright/test';
import { adminSession, api, apiSignIn, ensureUser, expect, pickOption, seedShop, shot, test } from './fixtures';

test.describe.configure({ mode: 'serial' });

const BOB = { username: 'link-bob', password: 'Link-Bob-2026', role: 'customer' as const };
const CAROL = { username: 'link-carol', password: 'Link-Carol-2026', role: 'customer' as const };
const STAFF = { username: 'link-staff', password: 'Link-Staff-2026', role: 'staff' as const };

interface Order {
  id: number;
  customer_id?: number | null;
  customer_name?: string | null;
}

test.beforeEach(async ({ page }) => {
  await adminSession(page);
});

async function customerNamed(page: Page, name: string): Promise<number> {
  const found = await api<{ items: { id: number; name: string }[] }>(page, 'GET', `/api/customers?q=${encodeURIComponent(name)}`);
  return found.items.find((c) => c.name === name)?.id ?? (await api<{ id: number }>(page, 'POST', '/api/customers', { name })).id;
}

/** An order placed with a customer login (the server picks its customer record). */
async function orderAs(page: Page, login: { username: string; password: string }, productId: number): Promise<Order> {
  await apiSignIn(page, login.username, login.password);
  const order = await api<Order>(page, 'POST', '/api/orders', { items: [{ product_id: productId, quantity: 1 }] });
  await adminSession(page);
  return order;
}

test("from the users page: the login's orders go to the chosen record", async ({ page }) => {
  const shop = await seedShop(page);
  const bob = await ensureUser(page, BOB);
  const wang = await customerNamed(page, '王五');

  // Bob orders first: the server makes a record for the login.
  const first = await orderAs(page, BOB, shop.cup);
  const made = first.customer_id ?? 0;
  expect(made).toBeGreaterThan(0);
  expect(made).not.toBe(wang);

  await page.goto(`/users?q=${BOB.username}`);
  const row = page.locator(`tbody tr.ant-table-row[data-row-key="${bob.id}"]`);
  await expect(row.getByRole('link', { name: first.customer_name ?? '' })).toHaveAttribute('href', `/customers/${made}`);
  await row.getByRole('button', { name: '关联客户' }).click();
  const dialog = page.getByRole('dialog', { name: `${BOB.username} 的客户档案` });
  await expect(dialog.getByTestId('link-customer-picker')).toContainText(first.customer_name ?? '');
  await expect(dialog).toContainText('那份档案的订单会并入所选客户');
  await pickOption(page, 'link-customer-picker', '王五', '王五');
  await shot(page, 'users-link-customer-zh');
  const saved = page.waitForResponse((r) => r.url().endsWith(`/api/users/${bob.id}`) && r.request().method() === 'PATCH');
  await dialog.getByRole('button', { name: '保存' }).click();
  const patch = await saved;
  expect(patch.status()).toBe(200);
  expect(patch.request().postDataJSON()).toEqual({ customer_id: wang });
  await expect(dialog).toBeHidden();
  await expect(row.getByRole('link', { name: '王五' })).toHaveAttribute('href', `/customers/${wang}`);

  // The earlier order moved to 王五, and the record made for the login is gone.
  expect((await api<Order>(page, 'GET', `/api/orders/${first.id}`)).customer_id).toBe(wang);
  expect((await page.request.get(`/api/customers/${made}`)).status()).toBe(404);
  // A new order goes to 王五 too.
  const second = await orderAs(page, BOB, shop.cup);
  expect(second.customer_id).toBe(wang);

  await page.goto(`/customers/${wang}`);
  await expect(page.getByTestId('customer-login')).toContainText(BOB.username);
  for (const o of [first, second]) await expect(page.locator(`a[href="/orders/${o.id}"]`)).toBeVisible();

  // Put the cups back.
  for (const o of [first, second]) await api(page, 'POST', `/api/orders/${o.id}/status`, { status: 'cancelled' });
});

test("from the customer page: choose the record's login, or clear it", async ({ page }) => {
  const shop = await seedShop(page);
  await ensureUser(page, CAROL);
  const zhao = await customerNamed(page, '赵六');

  await page.goto(`/customers/${zhao}`);
  await expect(page.getByTestId('customer-login')).toContainText('—');
  // A login linked to another of the shop's records is not taken over from here.
  await page.getByTestId('link-login').click();
  const dialog = page.getByRole('dialog', { name: '赵六 的登录账号' });
  await pickOption(page, 'login-picker', BOB.username, BOB.username);
  await dialog.getByRole('button', { name: '保存' }).click();
  await expect(dialog.getByRole('alert')).toHaveText('该登录账号已关联其他客户。');

  // Carol has no record yet: linking works, and her orders come here.
  await pickOption(page, 'login-picker', CAROL.username, CAROL.username);
  await shot(page, 'customer-link-login-zh');
  const saved = page.waitForResponse((r) => r.url().endsWith(`/api/customers/${zhao}`) && r.request().method() === 'PATCH');
  await dialog.getByRole('button', { name: '保存' }).click();
  const carol = await ensureUser(page, CAROL);
  expect((await saved).request().postDataJSON()).toEqual({ user_id: carol.id });
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('customer-login')).toContainText(CAROL.username);
  const order = await orderAs(page, CAROL, shop.cup);
  expect(order.customer_id).toBe(zhao);
  const users = await api<{ items: { id: number; customer_id?: number | null }[] }>(page, 'GET', `/api/users?q=${CAROL.username}`);
  expect(users.items.find((u) => u.id === carol.id)?.customer_id).toBe(zhao);

  // Staff see the login but cannot pick one (the logins are the admins' to list).
  await ensureUser(page, STAFF);
  await apiSignIn(page, STAFF.username, STAFF.password);
  await page.goto(`/customers/${zhao}`);
  await expect(page.getByTestId('customer-login')).toContainText(CAROL.username);
  await expect(page.getByTestId('link-login')).toHaveCount(0);

  // Unlinking: clear the choice.
  await adminSession(page);
  await page.goto(`/customers/${zhao}`);
  await page.getByTestId('link-login').click();
  await dialog.getByTestId('login-picker').hover();
  await dialog.getByTestId('login-picker').locator('.ant-select-clear').click();
  await dialog.getByRole('button', { name: '保存' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('customer-login')).toContainText('—');
  expect((await api<{ user_id?: number | null }>(page, 'GET', `/api/customers/${zhao}`)).user_id ?? null).toBeNull();

  await api(page, 'POST', `/api/orders/${order.id}/status`, { status: 'cancelled' });
});
