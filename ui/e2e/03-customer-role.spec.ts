import {
  ADMIN_PASSWORD,
  SUPERADMIN,
  addOrderLine,
  api,
  apiSignIn,
  expect,
  pickOption,
  shot,
  signIn,
  signOut,
  test,
} from './fixtures';

test.describe.configure({ mode: 'serial' });

const CUSTOMER = { username: 'alice', password: 'Alice-pass-2026' };

test('staff side: a customer record, an order for them, and a customer login', async ({ page }) => {
  await apiSignIn(page, SUPERADMIN, ADMIN_PASSWORD);

  await page.goto('/customers');
  await page.getByRole('button', { name: '新建客户' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('姓名').fill('张三');
  await dialog.getByLabel('电话').fill('138 0013 8000');
  await dialog.getByRole('button', { name: '保存' }).click();
  await expect(page).toHaveURL(/\/customers\/\d+$/);
  await expect(page.getByRole('heading', { name: '张三' })).toBeVisible();

  await page.getByRole('button', { name: '新建订单' }).click();
  await expect(page.getByTestId('customer-picker')).toContainText('张三');
  await addOrderLine(page, 'CUP-01', 1);
  await page.getByRole('button', { name: '提交订单' }).click();
  await expect(page).toHaveURL(/\/orders\/\d+$/);
  await expect(page.getByRole('link', { name: '张三' })).toBeVisible();

  await page.goto('/users');
  await page.getByRole('button', { name: '新建用户' }).click();
  const form = page.getByRole('dialog');
  await form.getByLabel('用户名').fill(CUSTOMER.username);
  await pickOption(page, 'new-user-role', '', '客户');
  await form.getByLabel('初始密码').fill(CUSTOMER.password);
  await form.getByLabel('下次登录时要求修改密码').uncheck();
  await form.getByRole('button', { name: '保存' }).click();
  await expect(form).toBeHidden();
  await expect(page.locator('tr', { hasText: CUSTOMER.username })).toBeVisible();
});

test('a customer sees the catalogue and only their own orders', async ({ page }) => {
  await signIn(page, CUSTOMER.username, CUSTOMER.password);
  await expect(page).toHaveURL(/\/catalogue$/);
  const nav = page.getByTestId('nav');
  await expect(nav.getByRole('menuitem')).toHaveText(['商品目录', '订单', '新建订单']);

  await page.goto('/orders');
  await expect(page.getByRole('heading', { name: '我的订单' })).toBeVisible();
  await expect(page.locator('tbody tr.ant-table-row')).toHaveCount(0);
  await expect(page.locator('.ant-empty-description')).toHaveText('暂无数据');

  // Order from the catalogue.
  // The shop shows no SKUs and no stock numbers to customers, only whether a product is in stock.
  await page.goto('/catalogue');
  const tea = page.getByTestId('catalogue-card').filter({ hasText: '龙井茶 250g' });
  await expect(tea.getByTestId('stock-tag')).toHaveText('有货');
  await expect(page.getByTestId('catalogue')).not.toContainText('TEA-001');
  await tea.getByRole('button', { name: '下单' }).click();
  await expect(page).toHaveURL(/\/orders\/new\?product=\d+/);
  await expect(page.getByTestId('customer-picker')).toHaveCount(0);
  await expect(page.getByTestId('order-total')).toHaveText('¥19.90');
  await expect(page.getByTestId('order-lines')).not.toContainText('TEA-001');
  await page.getByRole('button', { name: '提交订单' }).click();
  await expect(page).toHaveURL(/\/orders\/\d+$/);
  await expect(page.locator('.page-header [data-status="pending"]')).toBeVisible();
  const mine = page.url();
  const number = (await page.locator('.page-header h3').innerText()).split(/\s/)[0] ?? '';

  await page.goto('/orders');
  const rows = page.locator('tbody tr.ant-table-row');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText(number);

  // Other people's orders do not exist for a customer; admin pages are closed.
  await page.goto('/orders/1');
  await expect(page.getByRole('alert')).toContainText('未找到');
  await page.goto('/users');
  await expect(page.getByText('您没有权限执行此操作。')).toBeVisible();

  // They may cancel their own pending order, and do nothing else with it.
  await page.goto(mine);
  await expect(page.locator('[data-testid^="to-"]')).toHaveCount(1);
  await page.getByTestId('to-cancelled').click();
  await page.getByRole('dialog').getByRole('button', { name: '取消订单' }).click();
  await expect(page.locator('.page-header [data-status="cancelled"]')).toBeVisible();
  await signOut(page);
});

test('a shop that shows its stock shows customers the SKU and the number; out of stock cannot be ordered', async ({
  page,
}) => {
  await apiSignIn(page, SUPERADMIN, ADMIN_PASSWORD);
  await api(page, 'PATCH', '/api/settings', { show_stock_to_customers: true });
  const empty = await api<{ id: number }>(page, 'POST', '/api/products', {
    sku: 'GONE-01',
    name: '售罄的茶',
    price: '5.00',
    stock_quantity: 0,
  });
  try {
    await apiSignIn(page, CUSTOMER.username, CUSTOMER.password);
    await page.goto('/catalogue');
    const tea = page.getByTestId('catalogue-card').filter({ hasText: '龙井茶 250g' });
    await expect(tea).toContainText('TEA-001');
    await expect(tea.getByTestId('stock-tag')).toHaveText(/^有货（\d+）$/);
    const gone = page.getByTestId('catalogue-card').filter({ hasText: '售罄的茶' });
    await expect(gone.getByTestId('stock-tag')).toHaveText('缺货');
    await expect(gone.getByRole('button', { name: '下单' })).toBeDisabled();
    await shot(page, 'catalogue-stock-shown-zh');

    // The order form's product search says the same.
    await page.goto('/orders/new');
    await page.getByTestId('product-picker').click();
    await page.getByTestId('product-picker').locator('input').fill('GONE-01');
    const option = page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: '售罄的茶' });
    await expect(option).toContainText('库存 0');
    await expect(option).toHaveClass(/ant-select-item-option-disabled/);
  } finally {
    await apiSignIn(page, SUPERADMIN, ADMIN_PASSWORD);
    await api(page, 'PATCH', '/api/settings', { show_stock_to_customers: false });
    await api(page, 'POST', `/api/products/${empty.id}/archive`);
  }
});
