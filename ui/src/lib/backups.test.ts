import i18next from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import { ApiError, parseApiError } from '../api/client';
import { backupDownloadUrl } from '../api/backups';
import type { BackupStatus } from '../api/types';
import { initI18n } from '../i18n';
import {
  backupErrorText,
  backupTime,
  describeBackupError,
  describeRestoreError,
  formatLocalDateTime,
  formatMegabytes,
  lastAttemptFailed,
  reasonKey,
  verificationOf,
} from './backups';

beforeAll(() => {
  initI18n('zh-CN');
});

const zh = () => i18next.getFixedT('zh-CN');
const en = () => i18next.getFixedT('en');

const NO_STATUS: BackupStatus = {
  last_success_at: null,
  last_success_name: null,
  last_success_bytes: null,
  last_failure_at: null,
  last_error: null,
};

describe('formatMegabytes', () => {
  it('shows decimal megabytes with one decimal, grouped for the language', () => {
    expect(formatMegabytes(184_320, 'zh-CN')).toBe('0.2 MB');
    expect(formatMegabytes(1_000_000, 'en')).toBe('1.0 MB');
    expect(formatMegabytes(52_428_800, 'en')).toBe('52.4 MB');
    expect(formatMegabytes(1_234_567_890, 'en')).toBe('1,234.6 MB');
    expect(formatMegabytes(1_234_567_890, 'zh-CN')).toBe('1,234.6 MB');
  });

  it('never shows a file with data as 0.0 MB', () => {
    expect(formatMegabytes(0, 'en')).toBe('0.0 MB');
    expect(formatMegabytes(4096, 'en')).toBe('< 0.1 MB');
    expect(formatMegabytes(49_999, 'en')).toBe('< 0.1 MB');
    expect(formatMegabytes(50_000, 'en')).toBe('0.1 MB');
  });

  it('shows a dash for sizes it cannot know', () => {
    expect(formatMegabytes(null, 'en')).toBe('—');
    expect(formatMegabytes(undefined, 'en')).toBe('—');
    expect(formatMegabytes(-1, 'en')).toBe('—');
    expect(formatMegabytes(Number.NaN, 'en')).toBe('—');
  });
});

describe('lastAttemptFailed', () => {
  it('is false with no attempts or only successes', () => {
    expect(lastAttemptFailed(NO_STATUS)).toBe(false);
    expect(lastAttemptFailed({ ...NO_STATUS, last_success_at: '2026-11-28T06:38:23.885Z' })).toBe(false);
  });

  it('is true when the failure is the latest attempt', () => {
    expect(lastAttemptFailed({ ...NO_STATUS, last_failure_at: '2026-11-28T06:38:26.460Z', last_error: 'x' })).toBe(true);
    expect(
      lastAttemptFailed({
        ...NO_STATUS,
        last_success_at: '2026-11-28T06:38:23.885Z',
        last_failure_at: '2026-11-28T06:38:26.460Z',
      }),
    ).toBe(true);
  });

  it('is false once a later backup succeeded', () => {
    expect(
      lastAttemptFailed({
        ...NO_STATUS,
        last_success_at: '2026-11-28T07:00:00.000Z',
        last_failure_at: '2026-11-28T06:38:26.460Z',
      }),
    ).toBe(false);
  });

  it('compares times, not strings (offsets)', () => {
    expect(
      lastAttemptFailed({
        ...NO_STATUS,
        last_success_at: '2026-11-28T15:00:00+08:00', // 07:00Z
        last_failure_at: '2026-11-28T06:59:00Z',
      }),
    ).toBe(false);
  });
});

describe('backupTime', () => {
  it('uses the recorded time', () => {
    expect(backupTime({ name: 'order-system-20261128-063823-855-manual.db', created_at: '2026-11-28T06:38:23.885Z' })).toBe(
      '2026-11-28T06:38:23.885Z',
    );
  });

  it('reads the UTC stamp of the name for a file without its record', () => {
    expect(backupTime({ name: 'order-system-20261128-063823-855-manual.db', created_at: '' })).toBe(
      '2026-11-28T06:38:23.855Z',
    );
    expect(backupTime({ name: 'order-system-20261128-053800.db', created_at: '' })).toBe('2026-11-28T05:38:00.000Z');
  });

  it("reads the name's stamp in the shop's time zone, which the server names files in", () => {
    const name = 'order-system-20261128-143823-855-manual.db';
    expect(backupTime({ name, created_at: '' }, 'Asia/Shanghai')).toBe('2026-11-28T06:38:23.855Z');
    expect(backupTime({ name: 'order-system-20260101-000500.db', created_at: '' }, 'Asia/Shanghai')).toBe(
      '2025-12-31T16:05:00.000Z',
    );
    // Summer and winter time.
    expect(backupTime({ name: 'order-system-20260715-120000.db', created_at: '' }, 'Europe/Berlin')).toBe(
      '2026-07-15T10:00:00.000Z',
    );
    expect(backupTime({ name: 'order-system-20261215-120000.db', created_at: '' }, 'Europe/Berlin')).toBe(
      '2026-12-15T11:00:00.000Z',
    );
    expect(backupTime({ name, created_at: '' }, 'Not/AZone')).toBe('2026-11-28T14:38:23.855Z');
  });

  it('gives up on names without a valid stamp', () => {
    expect(backupTime({ name: 'order-system-copy.db', created_at: '' })).toBeNull();
    expect(backupTime({ name: 'order-system-20261399-063823-manual.db', created_at: '' })).toBeNull();
  });
});

describe('formatLocalDateTime', () => {
  it('shows the time to the second, in the local time zone', () => {
    const iso = '2026-11-28T06:38:23.885Z';
    const local = new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'medium' }).format(new Date(iso));
    expect(formatLocalDateTime(iso, 'en')).toBe(local);
    expect(formatLocalDateTime(iso, 'en')).toMatch(/:23/);
    expect(formatLocalDateTime(null, 'en')).toBe('—');
    expect(formatLocalDateTime('garbage', 'en')).toBe('garbage');
  });

  it("shows it in the shop's time zone when given one", () => {
    const iso = '2026-11-28T23:38:23.885Z';
    expect(formatLocalDateTime(iso, 'en', 'Asia/Shanghai')).toBe('Nov 29, 2026, 7:38:23 AM');
    expect(formatLocalDateTime(iso, 'en', 'UTC')).toBe('Nov 28, 2026, 11:38:23 PM');
    expect(formatLocalDateTime(iso, 'zh-CN', 'Asia/Shanghai')).toBe('2026年11月29日 07:38:23');
    expect(formatLocalDateTime(iso, 'en', 'Not/AZone')).toBe(formatLocalDateTime(iso, 'en'));
  });
});

describe('reasons and verification', () => {
  it('knows the reasons the server gives', () => {
    expect(reasonKey('manual')).toBe('manual');
    expect(reasonKey('scheduled')).toBe('scheduled');
    expect(reasonKey('pre-migrate')).toBe('preMigrate');
    expect(reasonKey('pre-restore')).toBe('preRestore');
    expect(reasonKey('unknown')).toBe('unknown');
    expect(reasonKey('something-new')).toBeNull();
    expect(zh()('backups.reason.preMigrate')).toBe('升级前');
    expect(en()('backups.reason.scheduled')).toBe('Scheduled');
  });

  it('tells a verified copy from an unverified or failed one', () => {
    expect(verificationOf('ok')).toBe('ok');
    expect(verificationOf('not verified')).toBe('unverified');
    expect(verificationOf('*** in database main ***')).toBe('failed');
  });
});

describe('backup errors', () => {
  it('says a full disk in backup terms', () => {
    const full = parseApiError(
      507,
      JSON.stringify({ error: { code: 'storage_full', message: "the server's disk is full", details: {} } }),
    );
    expect(describeBackupError(full, zh())).toBe('服务器磁盘已满，备份未完成。请删除旧备份或释放磁盘空间后重试。');
    expect(describeBackupError(full, en())).toMatch(/^The server's disk is full; the backup was not taken/);
    expect(backupErrorText("the server's disk is full; the change was not saved", zh())).toContain('服务器磁盘已满');
    expect(backupErrorText('internal error: file system: No space left on device (os error 28)', en())).toMatch(
      /disk is full/,
    );
  });

  it('translates other codes as everywhere else and keeps unknown failure texts', () => {
    expect(describeBackupError(new ApiError(404, 'not_found', 'backup not found', {}, true), zh())).toBe(
      '未找到相关记录，可能已被删除。',
    );
    expect(describeBackupError(new ApiError(403, 'forbidden', 'admins only', {}, true), en())).toBe(
      en()('errors.forbidden'),
    );
    expect(backupErrorText('internal error: file system: File exists (os error 17)', zh())).toBe(
      'internal error: file system: File exists (os error 17)',
    );
  });

  it('builds download links that cannot leave the backup path', () => {
    expect(backupDownloadUrl('order-system-20261128-063823-855-manual.db')).toBe(
      '/api/backups/order-system-20261128-063823-855-manual.db',
    );
    expect(backupDownloadUrl('../secret key')).toBe('/api/backups/..%2Fsecret%20key');
  });
});

describe('restore errors', () => {
  const refused = (message: string) =>
    parseApiError(422, JSON.stringify({ error: { code: 'validation_failed', message, details: { field: 'file' } } }));
  const file = '/var/lib/order-system/backups/order-system-20261128-063823-855-manual.db';

  it("says why a backup was refused, and that the shop's data did not change", () => {
    expect(describeRestoreError(refused(`file: ${file} fails verification (*** in database main ***; 0 foreign key problems)`), zh())).toBe(
      '未能恢复，店铺数据没有改变：该备份文件未通过完整性校验。',
    );
    expect(
      describeRestoreError(
        refused(`file: ${file} comes from a newer order-system (schema version 12; this binary knows up to 10): upgrade order-system first`),
        zh(),
      ),
    ).toBe('未能恢复，店铺数据没有改变：该备份来自更新版本的订单系统（结构版本 12，本程序最高支持 10），请先升级。');
    expect(describeRestoreError(refused(`file: ${file} is not an order-system database`), en())).toBe(
      "Not restored; the shop's data did not change: the file is not an order-system database.",
    );
    expect(describeRestoreError(refused(`${file} is not a readable database: file is not a database`), zh())).toBe(
      '未能恢复，店铺数据没有改变：无法读取该备份文件。',
    );
    expect(describeRestoreError(refused('file: something new'), zh())).toBe('未能恢复，店铺数据没有改变：something new');
  });

  it('names another restore under way, and the rest as elsewhere', () => {
    const busy = new ApiError(409, 'maintenance', 'a restore is under way already', {}, true);
    expect(describeRestoreError(busy, zh())).toBe('另一个恢复正在进行中，请稍候。');
    expect(describeRestoreError(new ApiError(404, 'not_found', 'backup not found', {}, true), zh())).toBe(
      '未找到相关记录，可能已被删除。',
    );
  });
});
