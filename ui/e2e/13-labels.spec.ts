// Every visible form control on every page and in every form has a name a screen reader reads
// and getByLabel finds (a <label>, aria-labelledby or aria-label), and no placeholder is cut
// off, in both languages, on a wide screen and on a phone.
import type { Locator, Page } from '@playwright/test';
import {
  ADMIN_PASSWORD,
  SUPERADMIN,
  adminSession,
  api,
  apiOrder,
  apiSignIn,
  chooseLang,
  cutPlaceholders,
  expect,
  seedShop,
  test,
  unnamedControls,
} from './fixtures';
import type { Shop } from './fixtures';

test.describe.configure({ mode: 'serial' });

const CUSTOMER = { username: 'label-customer', password: 'Label-cust-2026' };

interface Ids extends Shop {
  pending: number;
  user: number;
}
let ids: Ids;

/** A pending order (its edit form), and a customer login for the customers' pages. */
test.beforeAll(async ({ browser, baseURL }) => {
  const page = await browser.newPage({ baseURL });
  await adminSession(page);
  const shop = await seedShop(page);
  const pending = await apiOrder(page, [{ product_id: shop.cup, quantity: 1 }]);
  const users = await api<{ items: { id: number; username: string }[] }>(page, 'GET', `/api/users?q=${CUSTOMER.username}`);
  const user =
    users.items.find((u) => u.username === CUSTOMER.username)?.id ??
    (
      await api<{ id: number }>(page, 'POST', '/api/users', {
        username: CUSTOMER.username,
        password: CUSTOMER.password,
        role: 'customer',
        must_change_password: false,
      })
    ).id;
  ids = { ...shop, pending: pending.id, user };
  await page.close();
});

test.afterAll(async ({ browser, baseURL }) => {
  const page = await browser.newPage({ baseURL });
  await apiSignIn(page, SUPERADMIN, ADMIN_PASSWORD);
  // Give the cup back: later specs count stock.
  await api(page, 'POST', `/api/orders/${ids.pending}/status`, { status: 'cancelled' });
  await page.close();
});

interface Tally {
  places: string[];
  controls: number;
}

/** Waits until the page (or dialog) has settled, then checks its controls and placeholders. */
async function check(page: Page, tally: Tally, where: string, scope?: Locator): Promise<void> {
  await page.waitForLoadState('networkidle');
  await expect(page.locator('.ant-spin-spinning')).toHaveCount(0);
  const { checked, unnamed } = await unnamedControls(scope ?? page);
  if (process.env.LABELS_DEBUG) console.log(`${new Date().toISOString()} ${where}: ${checked}`);
  tally.places.push(where);
  tally.controls += checked;
  expect.soft(unnamed, `${where}: controls without an accessible name`).toEqual([]);
  expect.soft(await cutPlaceholders(page), `${where}: placeholders cut off`).toEqual([]);
}

async function visit(page: Page, tally: Tally, path: string, where = path): Promise<void> {
  await page.goto(path);
  await expect(page.locator('.page-header h3, .ant-card h3').first()).toBeVisible();
  await check(page, tally, where);
}

/** Opens a dialog with `open`, checks it, and closes it with its cancel button. */
async function dialog(page: Page, tally: Tally, where: string, open: Locator): Promise<void> {
  await open.click();
  const modal = page.getByRole('dialog');
  await expect(modal).toBeVisible();
  // The opening animation scales the dialog: measure it once it stands still.
  let last = '';
  await expect
    .poll(async () => {
      const box = JSON.stringify(await modal.boundingBox());
      const still = box === last;
      last = box;
      return still;
    })
    .toBe(true);
  await check(page, tally, where, modal);
  await page.keyboard.press('Escape');
  await expect(modal).toBeHidden();
}

const SIZES = [
  { name: 'wide', width: 1440, height: 900 },
  { name: 'phone', width: 390, height: 844 },
] as const;
const LANGS = [
  { code: 'zh', label: '中文' },
  { code: 'en', label: 'English' },
] as const;

for (const lang of LANGS) {
  for (const size of SIZES) {
    test(`every control has a name and every placeholder fits (${lang.code}, ${size.name})`, async ({ page }) => {
      test.setTimeout(240_000);
      await page.setViewportSize({ width: size.width, height: size.height });
      const tally: Tally = { places: [], controls: 0 };
      const zh = lang.code === 'zh';

      // Signed out: the sign-in page.
      await page.goto('/signin');
      // The switch re-renders as the page settles: choose once the form is there.
      await expect(page.locator('form')).toBeVisible();
      await chooseLang(page, lang.label);
      await check(page, tally, 'sign-in');

      await adminSession(page);
      await page.goto('/change-password');
      await expect(page.locator('#current_password')).toBeVisible();
      await check(page, tally, 'change password');

      await visit(page, tally, '/dashboard');
      for (const tab of ['', 'products', 'customers', 'status', 'lowStock']) {
        await visit(page, tally, tab ? `/reports?tab=${tab}` : '/reports', `reports ${tab || 'sales'}`);
      }
      await visit(page, tally, '/receivables');

      await visit(page, tally, '/products');
      await dialog(page, tally, 'new product', page.getByRole('button', { name: zh ? '新建商品' : 'New product' }));
      await dialog(page, tally, 'edit product (list)', page.locator('tbody tr.ant-table-row').first().getByRole('button', { name: zh ? '编辑' : 'Edit' }));
      await dialog(page, tally, 'import products', page.getByTestId('import'));
      await visit(page, tally, `/products/${ids.tea}`, 'product detail');
      await dialog(page, tally, 'stock adjustment', page.getByRole('button', { name: zh ? '调整库存' : 'Adjust stock' }));
      await dialog(page, tally, 'edit product', page.locator('.page-header').getByRole('button', { name: zh ? '编辑' : 'Edit' }));

      await visit(page, tally, '/orders');
      await visit(page, tally, `/orders/${ids.order}`, 'order detail');
      await visit(page, tally, '/orders/new', 'new order');
      await visit(page, tally, `/orders/${ids.pending}/edit`, 'edit order');
      // The edit form's fields: the customer (fixed), each line's quantity, the note.
      await expect(page.getByLabel(zh ? '备注' : 'Note')).toBeVisible();
      await expect(page.getByLabel(zh ? '青瓷茶杯 的数量' : 'Quantity of 青瓷茶杯')).toBeVisible();

      await visit(page, tally, '/customers');
      await dialog(page, tally, 'new customer', page.getByRole('button', { name: zh ? '新建客户' : 'New customer' }));
      await dialog(page, tally, 'import customers', page.getByTestId('import'));
      await visit(page, tally, `/customers/${ids.customer}/statement`, 'statement');
      await visit(page, tally, `/customers/${ids.customer}`, 'customer detail');
      await dialog(page, tally, 'edit customer', page.locator('.page-header').getByRole('button', { name: zh ? '编辑' : 'Edit' }));
      const link = page.getByTestId('link-login');
      if (await link.isVisible()) await dialog(page, tally, 'link a login', link);

      await visit(page, tally, '/users');
      await dialog(page, tally, 'new user', page.getByRole('button', { name: zh ? '新建用户' : 'New user' }));
      const row = page.locator('tbody tr.ant-table-row', { hasText: CUSTOMER.username });
      await dialog(page, tally, 'reset password', row.getByRole('button', { name: zh ? '重置密码' : 'Reset password' }));

      await visit(page, tally, '/audit');
      await visit(page, tally, '/settings');
      await visit(page, tally, '/system');

      // A customer's pages.
      await apiSignIn(page, CUSTOMER.username, CUSTOMER.password);
      await visit(page, tally, '/catalogue', 'catalogue (customer)');
      await visit(page, tally, '/orders', 'orders (customer)');
      await visit(page, tally, `/orders/new?product=${ids.tea}`, 'new order (customer)');

      console.log(`${lang.code} ${size.width}px: ${tally.controls} controls on ${tally.places.length} pages and dialogs`);
      expect(tally.places.length).toBeGreaterThanOrEqual(30);
      await apiSignIn(page, SUPERADMIN, ADMIN_PASSWORD);
      if (!zh) {
        await page.goto('/dashboard');
        await chooseLang(page, '中文');
      }
    });
  }
}
