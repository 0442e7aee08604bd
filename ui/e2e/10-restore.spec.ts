// Restoring a backup from the System page (superAdmin only), and the app while the server is
// busy restoring (503 with Retry-After): a banner and a wait, not an error.
import type { Page } from '@playwright/test';
import { join } from 'node:path';
import { SCREENSHOT_DIR, adminSession, api, apiSignIn, ensureUser, expect, seedShop, shot, test } from './fixtures';

test.describe.configure({ mode: 'serial' });

const ADMIN = { username: 'restore-admin', password: 'Restore-Admin-2026', role: 'admin' as const };
const STAFF = { username: 'restore-staff', password: 'Restore-Staff-2026', role: 'staff' as const };

interface BackupInfo {
  name: string;
  created_at: string;
  reason: string;
}

test.beforeEach(async ({ page }) => {
  await adminSession(page);
});

function backupRow(page: Page, name: string) {
  return page.getByTestId('backup-table').locator('tbody tr.ant-table-row', { hasText: name });
}

async function deleteBackups(page: Page, names: string[]): Promise<void> {
  for (const name of names) await api(page, 'DELETE', `/api/backups/${encodeURIComponent(name)}`);
}

test('admins and staff are offered no restore, and the server refuses them', async ({ page }) => {
  await ensureUser(page, ADMIN);
  await ensureUser(page, STAFF);
  const backup = await api<BackupInfo>(page, 'POST', '/api/backups');
  await page.goto('/system');
  await expect(backupRow(page, backup.name).getByTestId('backup-restore')).toBeVisible();

  await apiSignIn(page, ADMIN.username, ADMIN.password);
  await page.goto('/system');
  const row = backupRow(page, backup.name);
  await expect(row.getByTestId('backup-download')).toBeVisible();
  await expect(page.getByTestId('backup-restore')).toHaveCount(0);
  for (const user of [ADMIN, STAFF]) {
    await apiSignIn(page, user.username, user.password);
    const res = await page.request.post(`/api/backups/${backup.name}/restore`, {
      headers: { 'X-Requested-With': 'order-system' },
      data: {},
    });
    expect(res.status(), user.username).toBe(403);
  }

  await adminSession(page);
  await deleteBackups(page, [backup.name]);
});

test('the superAdmin restores a backup taken here: later changes are gone, the current data kept', async ({
  page,
}) => {
  test.setTimeout(90_000);
  await seedShop(page);
  const settings = await api<{ time_zone: string }>(page, 'GET', '/api/settings');
  const backup = await api<BackupInfo>(page, 'POST', '/api/backups');
  // A change after the backup, which the restore takes away.
  await api(page, 'POST', '/api/products', { sku: 'AFTER-BACKUP', name: '备份之后的商品', price: '1.00', stock_quantity: 1 });
  expect((await api<{ total: number }>(page, 'GET', '/api/products?q=AFTER-BACKUP')).total).toBe(1);

  await page.goto('/system');
  const row = backupRow(page, backup.name);
  const shownTime = (await row.locator('.nowrap').first().innerText()).trim();
  // The time in the shop's zone, to the second.
  const expectedTime = new Intl.DateTimeFormat('zh-CN', {
    dateStyle: 'medium',
    timeStyle: 'medium',
    timeZone: settings.time_zone,
  }).format(new Date(backup.created_at));
  expect(shownTime).toBe(expectedTime);

  // The confirmation names the file and its time and says what is replaced; cancelling does nothing.
  await row.getByTestId('backup-restore').click();
  const dialog = page.getByRole('dialog', { name: '从备份恢复店铺数据？' });
  await expect(dialog).toContainText(backup.name);
  await expect(dialog.getByTestId('restore-time')).toHaveText(expectedTime);
  await expect(dialog).toContainText(`将回到 ${expectedTime} 时的状态：此后的所有更改都会被替换。`);
  await expect(dialog).toContainText('恢复前，系统会自动把当前数据另存为一份「恢复前」备份');
  const ok = dialog.getByRole('button', { name: '恢复数据' });
  await expect(ok).toBeDisabled();
  await shot(page, 'restore-confirm-zh');
  const restores: string[] = [];
  page.on('request', (r) => {
    if (r.url().endsWith('/restore')) restores.push(r.url());
  });
  await dialog.getByRole('button', { name: '取消' }).click();
  await expect(dialog).toBeHidden();
  expect(restores).toEqual([]);

  await row.getByTestId('backup-restore').click();
  await dialog.getByTestId('restore-understood').click();
  await expect(ok).toBeEnabled();
  const restored = page.waitForResponse((r) => r.url().endsWith(`/api/backups/${backup.name}/restore`));
  await ok.click();
  const response = await restored;
  expect(response.status()).toBe(200);
  expect(response.request().postDataJSON()).toEqual({});
  const report = (await response.json()) as { restored_from: string; pre_restore_backup: string | null };
  expect(report.restored_from).toContain(backup.name);
  expect(report.pre_restore_backup).toMatch(/pre-restore/);

  // The report: from where, and where the data it replaced is kept.
  const result = page.getByRole('dialog', { name: '数据已恢复' });
  await expect(result.getByTestId('restore-report')).toContainText(backup.name);
  await expect(result.getByTestId('restore-kept')).toHaveText(report.pre_restore_backup ?? '');
  await shot(page, 'restore-report-zh');
  await result.locator('.ant-modal-footer').getByRole('button', { name: '关闭' }).click();
  await expect(result).toBeHidden();

  // The list shows the kept copy; the later product is gone, in the UI and on the server.
  const kept = backupRow(page, report.pre_restore_backup ?? '');
  await expect(kept).toBeVisible();
  await expect(kept).toContainText('恢复前');
  expect((await api<{ total: number }>(page, 'GET', '/api/products?q=AFTER-BACKUP')).total).toBe(0);
  await page.goto('/products?q=AFTER-BACKUP');
  await expect(page.locator('.ant-empty')).toBeVisible();
  // Still signed in (the session was older than the backup), and the shop goes on.
  await page.goto('/products?q=CUP-01');
  await expect(page.locator('tbody tr.ant-table-row', { hasText: 'CUP-01' })).toBeVisible();

  await deleteBackups(page, [backup.name, report.pre_restore_backup ?? '']);
});

test('while the data is restored the pages wait with a banner, then carry on', async ({ page }) => {
  await seedShop(page);
  let refused = 0;
  // The server's answer while it restores: 503, service_unavailable, Retry-After.
  await page.route('**/api/products?*', async (route) => {
    if (refused < 2) {
      refused += 1;
      await route.fulfill({
        status: 503,
        headers: { 'Retry-After': '1' },
        contentType: 'application/json',
        body: JSON.stringify({
          error: {
            code: 'service_unavailable',
            message: "the shop's data is being restored from a backup; try again in a few seconds",
            details: {},
          },
        }),
      });
    } else {
      await route.continue();
    }
  });
  await page.goto('/products?q=CUP-01');
  const banner = page.getByTestId('maintenance-banner');
  await expect(banner).toContainText('正在从备份恢复店铺数据，请稍候');
  await expect(banner).toContainText('1 秒后自动重试');
  // (Not shot(): it waits for the network to settle, and the banner goes with it.)
  await page.screenshot({ path: join(SCREENSHOT_DIR, 'restore-banner-zh.png') });
  // No error on the page meanwhile, and the list comes once the server answers.
  await expect(page.locator('tbody tr.ant-table-row', { hasText: 'CUP-01' })).toBeVisible({ timeout: 15_000 });
  await expect(banner).toBeHidden();
  await expect(page.getByRole('alert')).toHaveCount(0);
  expect(refused).toBe(2);
  await page.unroute('**/api/products?*');
});
