import i18next from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import { ApiError, parseApiError } from '../api/client';
import { initI18n } from '../i18n';
import { KNOWN_ERROR_CODES, describeError, fieldErrorText, translateValidation } from './errors';

beforeAll(() => {
  initI18n('zh-CN');
});

const zh = () => i18next.getFixedT('zh-CN');
const en = () => i18next.getFixedT('en');

function serverError(status: number, code: string, message: string, details: object = {}) {
  return parseApiError(status, JSON.stringify({ error: { code, message, details } }));
}

describe('describeError', () => {
  it('translates known codes instead of showing the English server message', () => {
    const err = serverError(401, 'invalid_credentials', 'Invalid username or password');
    expect(describeError(err, zh())).toBe('用户名或密码错误。');
    expect(describeError(err, en())).toBe('Wrong username or password.');
    expect(describeError(serverError(409, 'sku_taken', 'x'), zh())).toBe('该 SKU 已被其他商品使用。');
    expect(describeError(serverError(403, 'csrf_rejected', 'x'), zh())).toContain('安全');
  });

  it('spells out insufficient stock with its details', () => {
    const err = serverError(409, 'insufficient_stock', 'not enough', {
      sku: 'TEA-001',
      name: '龙井茶',
      requested: 5,
      available: 2,
    });
    expect(describeError(err, zh())).toBe('库存不足：龙井茶（TEA-001）需要 5 件，仅剩 2 件。');
    expect(describeError(err, en())).toBe('Not enough stock: 龙井茶 (TEA-001) needs 5, only 2 left.');
  });

  it('names the field of a validation error and translates the reason', () => {
    const err = serverError(422, 'validation_failed', 'items[0].quantity: must be between 1 and 100000', {
      field: 'items[0].quantity',
    });
    expect(describeError(err, zh())).toBe('items[0].quantity：必须在 1 到 100000 之间');
    expect(fieldErrorText(err, zh())).toBe('必须在 1 到 100000 之间');
    expect(fieldErrorText(err, en())).toBe('Must be between 1 and 100000');
  });

  it('tells how long to wait when rate limited', () => {
    const err = serverError(429, 'too_many_requests', 'slow down', { retry_after_secs: 30 });
    expect(describeError(err, en())).toBe('Too many attempts. Try again in 30 seconds.');
  });

  it("falls back to the server's message for unknown codes", () => {
    expect(describeError(serverError(409, 'brand_new_code', 'Something new happened'), zh())).toBe(
      'Something new happened',
    );
  });

  it('falls back by status when the server sent no message', () => {
    expect(describeError(new ApiError(0, 'network_error', 'Failed to fetch'), zh())).toBe(
      '无法连接服务器，请检查网络后重试。',
    );
    expect(describeError(parseApiError(502, 'Bad Gateway'), en())).toBe('Server error (502). Try again later.');
    expect(describeError(parseApiError(418, ''), en())).toBe('Request failed (418).');
    expect(describeError(new Error('boom'), en())).toBe('boom');
  });

  it('has a translation for every known code in both languages', () => {
    for (const code of KNOWN_ERROR_CODES) {
      for (const lang of ['zh-CN', 'en']) {
        expect(i18next.exists(`errors.${code}`, { lng: lang, fallbackLng: false }), `${lang} ${code}`).toBe(true);
      }
    }
  });
});

describe('translateValidation', () => {
  it('knows the common server messages', () => {
    const t = zh();
    expect(translateValidation('must not be empty', t)).toBe('不能为空');
    expect(translateValidation('must be at most 200 characters', t)).toBe('最多 200 个字符');
    expect(translateValidation('must be at least 8 characters', t)).toBe('至少 8 个字符');
    expect(translateValidation('is not correct', t)).toBe('不正确');
    expect(translateValidation('must not be negative', t)).toBe('不能为负数');
    expect(translateValidation('龙井 is archived and cannot be ordered', t)).toBe('龙井 已下架，不能下单');
  });

  it('keeps messages it does not know', () => {
    expect(translateValidation('must be a valid IANA time zone', zh())).toBe('must be a valid IANA time zone');
  });
});

describe('import problems', () => {
  it('translates the messages of a CSV import', () => {
    const t = zh();
    expect(translateValidation('this column appears twice', t)).toBe('此列出现了两次');
    expect(translateValidation('unknown column; the columns are sku, name, price', t)).toBe(
      '未知的列；可用的列为 sku, name, price',
    );
    expect(translateValidation('this required column is missing', t)).toBe('缺少这一必填列');
    expect(translateValidation('SKU TEA-1 already appears on line 2', t)).toBe('SKU TEA-1 已在第 2 行出现过');
    expect(translateValidation('must be a decimal amount like "19.90"', t)).toBe('必须是金额，例如 "19.90"');
    expect(translateValidation('must have at most 2 decimal places', t)).toBe('最多 2 位小数');
    expect(translateValidation('must be active or archived', t)).toContain('在售');
    expect(translateValidation('this row has 4 cells but the header has 3', t)).toBe('此行有 4 个单元格，但表头有 3 个');
    expect(translateValidation('must be at most 10000000.00', t)).toBe('不能超过 10000000.00');
    expect(translateValidation('must be an email address like name@example.com', t)).toBe(
      '必须是邮箱地址，例如 name@example.com',
    );
    expect(translateValidation('this row has 4 cells but the header has 3', en())).toBe(
      'This row has 4 cells but the header has 3',
    );
  });

  it('counts the problems of a refused file', () => {
    const err = serverError(422, 'invalid_csv', 'the file has 3 problem(s); nothing was imported', {
      error_count: 3,
      errors: [],
    });
    expect(describeError(err, zh())).toBe('文件中有 3 处问题，未导入任何数据。');
    expect(describeError(err, en())).toBe('Problems found in the file: 3. Nothing was imported.');
    expect(describeError(serverError(422, 'invalid_csv', 'unreadable CSV: bad quote'), zh())).toBe(
      '无法读取此 CSV 文件，未导入任何数据。',
    );
    expect(translateValidation('unreadable CSV: bad quote', zh())).toBe('无法读取的 CSV：bad quote');
    expect(describeError(serverError(422, 'bad_encoding', 'x'), en())).toContain('CSV UTF-8');
  });
});
