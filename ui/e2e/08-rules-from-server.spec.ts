// The buttons come from the server's answers (an order's and an account's `actions`, and
// GET /api/auth/me's `grantable_roles`), not from a copy of the rules in the UI: what is
// offered works, and what is not offered the server refuses.
import type { Page } from '@playwright/test';
import { adminSession, api, apiOrder, apiSignIn, ensureUser, expect, seedShop, shot, test } from './fixtures';

test.describe.configure({ mode: 'serial' });

const STAFF = { username: 'rules-staff', password: 'Rules-Staff-2026', role: 'staff' as const };
const ADMIN = { username: 'rules-admin', password: 'Rules-Admin-2026', role: 'admin' as const };
const CUSTOMER = { username: 'rules-customer', password: 'Rules-Cust-2026', role: 'customer' as const };

const STATUSES = ['pending', 'confirmed', 'shipped', 'completed', 'cancelled'] as const;
type Status = (typeof STATUSES)[number];

interface OrderView {
  id: number;
  status: Status;
  actions: { transitions: Status[]; editable: boolean };
}

interface UserView {
  id: number;
  username: string;
  role: string;
  is_active: boolean;
  actions: {
    edit: boolean;
    roles: string[];
    disable: boolean;
    reset_password: boolean;
    delete: boolean;
    link_customer: boolean;
  };
}

test.beforeEach(async ({ page }) => {
  await adminSession(page);
});

/** The order page offers exactly the moves and the edit the server says this viewer may make. */
async function expectButtonsFromServer(page: Page, id: number): Promise<OrderView> {
  const order = await api<OrderView>(page, 'GET', `/api/orders/${id}`);
  await page.goto(`/orders/${id}`);
  await expect(page.locator(`.page-header [data-status="${order.status}"]`)).toBeVisible();
  await expect(page.locator('[data-testid^="to-"]')).toHaveCount(order.actions.transitions.length);
  for (const to of order.actions.transitions) await expect(page.getByTestId(`to-${to}`)).toBeVisible();
  await expect(page.getByRole('link', { name: '编辑' })).toHaveCount(order.actions.editable ? 1 : 0);
  return order;
}

/** Every move the page does not offer is one the server refuses, and nothing changes. */
async function expectOthersRefused(page: Page, order: OrderView): Promise<void> {
  for (const to of STATUSES) {
    if (to === order.status || order.actions.transitions.includes(to)) continue;
    const res = await page.request.post(`/api/orders/${order.id}/status`, {
      headers: { 'X-Requested-With': 'order-system' },
      data: { status: to },
    });
    expect([403, 409], `${order.status} → ${to}`).toContain(res.status());
  }
  expect((await api<OrderView>(page, 'GET', `/api/orders/${order.id}`)).status).toBe(order.status);
}

test('staff see exactly the status moves and edits the server allows them', async ({ page }) => {
  const shop = await seedShop(page);
  await ensureUser(page, STAFF);
  const { id } = await apiOrder(page, [{ product_id: shop.cup, quantity: 1 }]);

  await apiSignIn(page, STAFF.username, STAFF.password);
  let order = await expectButtonsFromServer(page, id);
  expect(order.actions).toEqual({
    transitions: ['confirmed', 'cancelled'],
    editable: true,
    record_payment: true,
    refund: false,
    void_payments: true,
    ship: false,
    return_goods: false,
    edit_ship_to: true,
  });
  await expectOthersRefused(page, order);
  await shot(page, 'order-actions-staff-zh');

  // Along the workflow: after each move the page shows what the server answered.
  for (const next of ['confirmed', 'shipped', 'completed'] as const) {
    await page.getByTestId(`to-${next}`).click();
    // Shipping and completing ask first (the ship dialog takes the carrier and tracking number).
    if (next !== 'confirmed') {
      const ok = next === 'shipped' ? '发货' : '标记为已完成';
      await page.getByRole('dialog').getByRole('button', { name: ok, exact: true }).click();
    }
    await expect(page.locator(`.page-header [data-status="${next}"]`)).toBeVisible();
    order = await expectButtonsFromServer(page, id);
    expect(order.actions.editable).toBe(false);
    await expectOthersRefused(page, order);
  }
  expect(order.actions.transitions).toEqual([]);

  // The edit page itself asks the order: a completed one cannot be edited.
  await page.goto(`/orders/${id}/edit`);
  await expect(page.getByRole('alert')).toContainText('只有待处理的订单可以修改。');
});

test('a customer may only cancel their own pending order', async ({ page }) => {
  const shop = await seedShop(page);
  await ensureUser(page, CUSTOMER);
  await apiSignIn(page, CUSTOMER.username, CUSTOMER.password);
  const { id } = await api<{ id: number }>(page, 'POST', '/api/orders', { items: [{ product_id: shop.cup, quantity: 1 }] });

  const order = await expectButtonsFromServer(page, id);
  expect(order.actions).toEqual({
    transitions: ['cancelled'],
    editable: false,
    record_payment: false,
    refund: false,
    void_payments: false,
    ship: false,
    return_goods: false,
    edit_ship_to: false,
  });
  await expectOthersRefused(page, order);

  // Once the shop has confirmed it, nothing is offered, and the server refuses a cancel.
  await adminSession(page);
  await api(page, 'POST', `/api/orders/${id}/status`, { status: 'confirmed' });
  await apiSignIn(page, CUSTOMER.username, CUSTOMER.password);
  const confirmed = await expectButtonsFromServer(page, id);
  expect(confirmed.actions.transitions).toEqual([]);
  await expectOthersRefused(page, confirmed);

  // Put the cup back.
  await adminSession(page);
  await api(page, 'POST', `/api/orders/${id}/status`, { status: 'cancelled' });
});

/** Each row of the users page has the controls its `actions` name, and no others. */
async function expectUserControlsFromServer(page: Page, me: string): Promise<UserView[]> {
  const users = await api<{ items: UserView[] }>(page, 'GET', '/api/users?per_page=200&sort=username');
  await page.goto('/users?per_page=200');
  await expect(page.locator('tbody tr.ant-table-row')).toHaveCount(users.items.length);
  for (const u of users.items) {
    const a = u.actions;
    const row = page.locator(`tbody tr.ant-table-row[data-row-key="${u.id}"]`);
    const expected = [
      a.edit && '编辑',
      a.link_customer && '关联客户',
      a.disable && (u.is_active ? '停用' : '启用'),
      a.reset_password && '重置密码',
      u.username === me && '修改密码',
      a.delete && '删除',
    ].filter((x): x is string => typeof x === 'string');
    await expect(row.getByTestId('user-actions').getByRole('button'), u.username).toHaveText(expected);
    await expect(row.getByTestId('user-role'), u.username).toHaveCount(a.roles.length > 0 ? 1 : 0);
  }
  return users.items;
}

test("an admin's users page: the controls are the server's, their own details editable", async ({ page }) => {
  await ensureUser(page, STAFF);
  await ensureUser(page, ADMIN);
  await apiSignIn(page, ADMIN.username, ADMIN.password);
  const users = await expectUserControlsFromServer(page, ADMIN.username);

  const self = users.find((u) => u.username === ADMIN.username);
  const staff = users.find((u) => u.username === STAFF.username);
  const superAdmin = users.find((u) => u.role === 'superadmin');
  // Their own email and name, but not their own role, activity, password or account.
  expect(self?.actions).toEqual({
    edit: true,
    roles: [],
    disable: false,
    reset_password: false,
    delete: false,
    link_customer: false,
  });
  expect(superAdmin?.actions.edit).toBe(false);
  expect(staff?.actions.roles).toEqual(['customer', 'staff']);
  await shot(page, 'users-actions-admin-zh');

  // The role choices are the server's: an admin gives staff or customer, never admin.
  const staffRow = page.locator(`tbody tr.ant-table-row[data-row-key="${staff?.id}"]`);
  await staffRow.getByTestId('user-role').click();
  await expect(page.locator('.ant-select-dropdown:visible .ant-select-item-option')).toHaveText(['客户', '员工']);
  await staffRow.getByTestId('user-role').click();
  await expect(page.locator('.ant-select-dropdown:visible')).toHaveCount(0);
  await page.getByRole('button', { name: '新建用户' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByTestId('new-user-role').click();
  await expect(page.locator('.ant-select-dropdown:visible .ant-select-item-option')).toHaveText(['客户', '员工']);
  await dialog.getByTestId('new-user-role').click();
  await dialog.getByRole('button', { name: '取消' }).click();
  await expect(dialog).toBeHidden();

  // Editing one's own name works (the old UI offered nothing on one's own row).
  const selfRow = page.locator(`tbody tr.ant-table-row[data-row-key="${self?.id}"]`);
  await selfRow.getByRole('button', { name: '编辑' }).click();
  const edit = page.getByRole('dialog');
  await edit.getByLabel('姓名').fill('规则管理员');
  await edit.getByRole('button', { name: '保存' }).click();
  await expect(edit).toBeHidden();
  await expect(selfRow).toContainText('规则管理员');

  // One's own password goes through the account page, not the admin reset.
  const reset = await page.request.post(`/api/users/${self?.id}/password`, {
    headers: { 'X-Requested-With': 'order-system' },
    data: { password: 'Another-Passw0rd-1', must_change_password: false },
  });
  expect(reset.status()).toBe(409);
  expect(((await reset.json()) as { error: { code: string } }).error.code).toBe('own_account');
  await selfRow.getByRole('button', { name: '修改密码' }).click();
  await expect(page).toHaveURL(/\/change-password\?next=%2Fusers$/);
});

test('the superAdmin may give the admin role, and manages admins', async ({ page }) => {
  await ensureUser(page, ADMIN);
  const me = await api<{ role: string; grantable_roles: string[] }>(page, 'GET', '/api/auth/me');
  expect(me.grantable_roles).toEqual(['customer', 'staff', 'admin']);
  const users = await expectUserControlsFromServer(page, 'superAdmin');
  const admin = users.find((u) => u.username === ADMIN.username);
  expect(admin?.actions.disable).toBe(true);
  await page.getByRole('button', { name: '新建用户' }).click();
  await page.getByRole('dialog').getByTestId('new-user-role').click();
  await expect(page.locator('.ant-select-dropdown:visible .ant-select-item-option')).toHaveText(['客户', '员工', '管理员']);
});
