import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { ADMIN_PASSWORD, SUPERADMIN, apiSignIn, chooseLang, expect, shot, test } from './fixtures';

test.describe.configure({ mode: 'serial' });

test.beforeEach(async ({ page }) => {
  await apiSignIn(page, SUPERADMIN, ADMIN_PASSWORD);
});

const SQLITE_MAGIC = 'SQLite format 3\0';

function backupRow(page: Page, name: string) {
  return page.getByTestId('backup-table').locator('tbody tr.ant-table-row', { hasText: name });
}

test('back up now, see it verified, download it, delete it', async ({ page }) => {
  test.setTimeout(90_000);
  await page.goto('/system');
  await expect(page.getByTestId('backups')).toBeVisible();
  await expect(page.getByTestId('backups')).toContainText('还没有备份');
  await expect(page.getByTestId('backup-failure')).toHaveCount(0);

  // Hold the request a moment so the button's running state can be seen.
  await page.route('**/api/backups', async (route) => {
    if (route.request().method() === 'POST') await new Promise((r) => setTimeout(r, 800));
    await route.continue();
  });
  const created = page.waitForResponse((r) => r.url().endsWith('/api/backups') && r.request().method() === 'POST');
  await page.getByTestId('backup-now').click();
  await expect(page.getByTestId('backup-now')).toHaveClass(/ant-btn-loading/);
  const response = await created;
  expect(response.status()).toBe(201);
  expect(response.request().headers()['x-requested-with']).toBe('order-system');
  const info = (await response.json()) as { name: string; verification: string; reason: string };
  expect(info.verification).toBe('ok');
  expect(info.reason).toBe('manual');
  // The list's refetch may be inside the handler now: let it finish rather than drop it.
  await page.unrouteAll({ behavior: 'wait' });

  await expect(page.locator('.ant-message')).toContainText(`备份完成：${info.name}`);
  await expect(page.getByTestId('backup-now')).not.toHaveClass(/ant-btn-loading/);
  const row = backupRow(page, info.name);
  await expect(row).toBeVisible();
  await expect(row.locator('[data-verification="ok"]')).toHaveText('校验通过');
  await expect(row).toContainText('手动');
  await expect(row).toContainText('MB');
  await expect(page.getByTestId('backup-last-success')).toContainText(info.name);

  await shot(page, 'system-backups-zh');
  await expect(page.locator('.ant-message-notice')).toHaveCount(0);
  await chooseLang(page, 'English');
  await expect(row.locator('[data-verification="ok"]')).toHaveText('Verified');
  await expect(row).toContainText('Manual');
  await shot(page, 'system-backups-en');
  await chooseLang(page, '中文');

  // The download link: a plain link the session cookie goes along with.
  const link = row.getByTestId('backup-download');
  const href = await link.getAttribute('href');
  expect(href).toBe(`/api/backups/${info.name}`);
  await expect(link).toHaveAttribute('download', info.name);
  // Clicking it downloads the file (a download is no page response, so the same request is
  // also made directly below to see its status and headers).
  const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
  expect(await download.failure()).toBeNull();
  expect(download.suggestedFilename()).toBe(info.name);
  const file = readFileSync(await download.path());
  expect(file.subarray(0, SQLITE_MAGIC.length).toString('latin1')).toBe(SQLITE_MAGIC);
  const direct = await page.request.get(href ?? '');
  expect(direct.status()).toBe(200);
  expect(direct.headers()['content-type']).toBe('application/vnd.sqlite3');
  expect(direct.headers()['content-disposition']).toBe(`attachment; filename="${info.name}"`);
  expect((await direct.body()).subarray(0, SQLITE_MAGIC.length).toString('latin1')).toBe(SQLITE_MAGIC);

  // Delete, after a confirmation (cancelling keeps it).
  await row.getByTestId('backup-delete').click();
  const confirm = page.locator('.ant-popover:visible');
  await expect(confirm).toContainText(`确定删除备份 ${info.name} 吗？`);
  await confirm.getByRole('button', { name: '取消' }).click();
  await expect(row).toBeVisible();
  await row.getByTestId('backup-delete').click();
  const removed = page.waitForResponse(
    (r) => r.url().endsWith(`/api/backups/${info.name}`) && r.request().method() === 'DELETE',
  );
  await page.locator('.ant-popover:visible').getByRole('button', { name: '删除' }).click();
  expect((await removed).status()).toBe(204);
  await expect(page.locator('.ant-message')).toContainText('备份已删除');
  await expect(row).toHaveCount(0);
  await expect(page.getByTestId('backups')).toContainText('还没有备份');
  expect((await page.request.get(href ?? '')).status()).toBe(404);
});

test('a failed backup is shown in red, translated', async ({ page }) => {
  // The server's answers when the disk is full (a real full disk cannot be made here).
  const failedList = {
    directory: '/var/lib/order-system/backups',
    status: {
      last_success_at: '2026-11-28T06:00:00.000Z',
      last_success_name: 'order-system-20261128-060000-000-scheduled.db',
      last_success_bytes: 52_428_800,
      last_failure_at: '2026-11-28T07:00:00.000Z',
      last_error: "the server's disk is full; the change was not saved",
    },
    items: [
      {
        name: 'order-system-20261128-060000-000-scheduled.db',
        size_bytes: 52_428_800,
        created_at: '2026-11-28T06:00:00.000Z',
        schema_version: 4,
        verification: 'ok',
        reason: 'scheduled',
        duration_ms: 900,
      },
      {
        name: 'order-system-20261127-020000-000-pre-migrate.db',
        size_bytes: 51_000_000,
        created_at: '',
        schema_version: 0,
        verification: 'not verified',
        reason: 'unknown',
        duration_ms: 0,
      },
    ],
    problem: null,
    can_restore: true,
  };
  await page.route('**/api/backups', async (route) => {
    if (route.request().method() === 'POST') {
      await route.fulfill({
        status: 507,
        contentType: 'application/json',
        body: JSON.stringify({ error: { code: 'storage_full', message: "the server's disk is full", details: {} } }),
      });
    } else {
      await route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(failedList) });
    }
  });
  await page.goto('/system');
  const failure = page.getByTestId('backup-failure');
  await expect(failure).toBeVisible();
  await expect(failure).toHaveClass(/ant-alert-error/);
  await expect(failure).toContainText('最近一次备份失败');
  await expect(failure).toContainText('服务器磁盘已满，备份未完成。');
  await expect(backupRow(page, '060000-000-scheduled')).toContainText('52.4 MB');
  await expect(backupRow(page, '060000-000-scheduled')).toContainText('定时');
  await expect(backupRow(page, 'pre-migrate')).toContainText('未校验');

  await page.getByTestId('backup-now').click();
  await expect(page.locator('.ant-message')).toContainText('服务器磁盘已满，备份未完成。');
  await shot(page, 'system-backup-failed-zh');

  // An unreadable backup directory is shown too.
  await page.unroute('**/api/backups');
  await page.route('**/api/backups', (route) =>
    route.fulfill({
      status: 200,
      contentType: 'application/json',
      body: JSON.stringify({
        ...failedList,
        status: { ...failedList.status, last_failure_at: null, last_error: null },
        items: [],
        problem: 'internal error: file system: Not a directory (os error 20)',
      }),
    }),
  );
  await page.reload();
  await expect(page.getByTestId('backup-problem')).toContainText('无法读取备份目录');
  await expect(page.getByTestId('backup-problem')).toContainText('Not a directory');
  await expect(page.getByTestId('backup-failure')).toHaveCount(0);
  await expect(page.getByTestId('backups')).not.toContainText('还没有备份');

  // A list that cannot be loaded: the error, translated, with a retry.
  await page.unroute('**/api/backups');
  await page.route('**/api/backups', (route) =>
    route.fulfill({
      status: 403,
      contentType: 'application/json',
      body: JSON.stringify({ error: { code: 'forbidden', message: 'admins only', details: {} } }),
    }),
  );
  await page.reload();
  const error = page.getByTestId('backups').getByRole('alert');
  await expect(error).toHaveText(/您没有权限执行此操作。/);
  await page.unroute('**/api/backups');
  await error.getByRole('button', { name: '重试' }).click();
  await expect(page.getByTestId('backups')).toContainText('还没有备份');
  await expect(page.getByTestId('backups').getByRole('alert')).toHaveCount(0);
});

test('the backups fit a phone', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto('/system');
  await page.getByTestId('backup-now').click();
  await expect(page.getByTestId('backup-table').locator('[data-verification="ok"]')).toHaveCount(1);
  await shot(page, 'phone-system-zh');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  // One summary column and the actions: the table itself needs no sideways scroll either.
  const table = page.getByTestId('backup-table').locator('.ant-table-content');
  expect(await table.evaluate((el) => el.scrollWidth - el.clientWidth)).toBeLessThanOrEqual(0);
  // Leave no backup behind.
  await page.getByTestId('backup-table').getByTestId('backup-delete').click();
  await page.locator('.ant-popover:visible').getByRole('button', { name: '删除' }).click();
  await expect(page.getByTestId('backups')).toContainText('还没有备份');
});
