// 会员价, a line's own percentage off and tax, as the desk meets them: a level made on the
// price-levels page with a price of its own for one product, an order for a customer in it
// priced by the server as it is typed, 13% tax inside the prices, and the printed 销售单
// with the customer's phone, invoice details and the tax. The shop's settings are put back.
import type { Page } from '@playwright/test';
import { addOrderLine, adminSession, api, expect, pickOption, shot, test } from './fixtures';

test.describe.configure({ mode: 'serial' });

test.beforeEach(async ({ page }) => {
  await adminSession(page);
});

async function product(page: Page, sku: string, price: string): Promise<number> {
  const found = await api<{ items: { id: number; sku: string }[] }>(page, 'GET', `/api/products?q=${sku}`);
  return (
    found.items.find((p) => p.sku === sku)?.id ??
    (await api<{ id: number }>(page, 'POST', '/api/products', { sku, name: `会员价测试 ${sku}`, price, stock_quantity: 100 })).id
  );
}

test('a level, its customer, a line off and tax: the form, the order and the 销售单 agree', async ({ page }) => {
  test.setTimeout(120_000);
  await product(page, 'PL-TEA', '10.00');
  await product(page, 'PL-CUP', '8.00');
  await api(page, 'PATCH', '/api/settings', { default_tax_rate: '13', prices_include_tax: true });
  try {
    // The level, made on its page: 10% off, and PL-CUP at 5.00.
    await page.goto('/price-levels');
    await page.getByRole('button', { name: '新建等级' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('名称').fill('批发E2E');
    await dialog.getByTestId('level-discount').fill('10');
    await dialog.locator('.ant-modal-footer .ant-btn-primary').click();
    const detail = page.getByTestId('level-detail');
    await expect(detail).toContainText('批发E2E');
    await expect(detail).toContainText('优惠 10%');
    await pickOption(page, 'product-picker', 'PL-CUP', 'PL-CUP');
    await detail.getByTestId('level-price').fill('5.00');
    await detail.getByRole('button', { name: '设定价格' }).click();
    await expect(detail.getByTestId('level-prices')).toContainText('¥5.00');
    await expect(detail.getByTestId('level-prices')).toContainText('¥8.00');
    await shot(page, 'price-levels');
    const levels = await api<{ id: number; name: string }[]>(page, 'GET', '/api/price-levels');
    const level = levels.find((l) => l.name === '批发E2E');
    expect(level).toBeDefined();

    await api(page, 'POST', '/api/customers', {
      name: '批发客户E2E',
      phone: '138 0000 1234',
      address: '杭州市西湖区文三路 1 号',
      price_level_id: level?.id,
      invoice_title: '杭州某某商贸有限公司',
      invoice_tax_id: '91330100MA2AXXXX1X',
    });

    // The order form: the server prices it as the desk types.
    await page.goto('/orders/new');
    await pickOption(page, 'customer-picker', '批发客户E2E', '批发客户E2E');
    await addOrderLine(page, 'PL-TEA', 2);
    await addOrderLine(page, 'PL-CUP', 1);
    const lines = page.getByTestId('order-lines');
    const tea = lines.locator('tr', { hasText: 'PL-TEA' });
    const cup = lines.locator('tr', { hasText: 'PL-CUP' });
    await expect(page.getByTestId('order-price-level')).toContainText('批发E2E');
    await expect(tea.getByTestId('line-total')).toHaveText('¥18.00');
    await expect(tea.getByTestId('line-unit-price')).toContainText('−10%');
    await expect(cup.getByTestId('line-unit-price')).toContainText('¥8.00');
    await expect(cup.getByTestId('line-total')).toHaveText('¥5.00');
    // This customer gets 25% off the tea today.
    await tea.getByTestId('line-off').fill('25');
    await expect(tea.getByTestId('line-total')).toHaveText('¥15.00');
    // 13% inside 15.00 is 1.73, inside 5.00 is 0.58.
    await expect(page.getByTestId('order-tax')).toContainText('¥2.31');
    await expect(page.getByTestId('order-total')).toHaveText('¥20.00');
    await shot(page, 'order-form-level-prices');
    await page.getByRole('button', { name: '提交订单' }).click();
    await expect(page).toHaveURL(/\/orders\/\d+$/);
    const id = Number(/\/orders\/(\d+)$/.exec(page.url())?.[1]);

    await expect(page.getByTestId('detail-lines-total')).toHaveText('¥20.00');
    await expect(page.getByTestId('detail-tax-included')).toHaveText('¥2.31');
    await expect(page.getByTestId('detail-invoice')).toContainText('91330100MA2AXXXX1X');
    await page.getByRole('button', { name: '打印销售单' }).click();
    await page.emulateMedia({ media: 'print' });
    await expect(page.getByTestId('slip-phone')).toHaveText('138 0000 1234');
    await expect(page.getByTestId('slip-address')).toHaveText('杭州市西湖区文三路 1 号');
    await expect(page.locator('.slip')).toContainText('杭州某某商贸有限公司');
    await expect(page.locator('.slip')).toContainText('原价 ¥8.00');
    await expect(page.getByTestId('slip-tax-included')).toHaveText('¥2.31');
    await expect(page.getByTestId('slip-in-words')).toHaveText('贰拾元整');
    await shot(page, 'receipt-with-tax');
    await page.emulateMedia({ media: 'screen' });

    // Confirmed, it is a sale: the tax report has its 13%.
    await api(page, 'POST', `/api/orders/${id}/status`, { status: 'confirmed' });
    await page.goto('/reports?tab=tax');
    await expect(page.getByTestId('tax-report').locator('tr', { hasText: '13%' })).toContainText('¥2.31');
  } finally {
    await api(page, 'PATCH', '/api/settings', { default_tax_rate: '0' });
  }
});
