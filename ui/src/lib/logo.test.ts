import i18next from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import { LOGO_MAX_BYTES, logoUrl } from '../api/admin';
import { ApiError, parseApiError } from '../api/client';
import { initI18n } from '../i18n';
import { checkLogoFile, describeLogoError } from './logo';
import { settingsPatch } from './settings';

beforeAll(() => {
  initI18n('zh-CN');
});

const zh = () => i18next.getFixedT('zh-CN');
const en = () => i18next.getFixedT('en');

describe('the logo', () => {
  it('is fetched by its change time, so a new logo is never an old cached one', () => {
    expect(logoUrl({ logo_updated_at: '2026-11-28T06:38:23.885Z' })).toBe(
      '/api/settings/logo?v=2026-11-28T06%3A38%3A23.885Z',
    );
    expect(logoUrl({ logo_updated_at: null })).toBeNull();
    expect(logoUrl({})).toBeNull();
    expect(logoUrl(undefined)).toBeNull();
  });

  it('is refused before sending when larger than the server takes', () => {
    expect(LOGO_MAX_BYTES).toBe(524_288);
    expect(checkLogoFile({ size: LOGO_MAX_BYTES }, zh())).toBeNull();
    expect(checkLogoFile({ size: LOGO_MAX_BYTES + 1 }, zh())).toBe('图片过大：标志不能超过 512 KB。');
    expect(checkLogoFile({ size: 600_000 }, en())).toBe('The image is too large: the logo can be at most 512 KB.');
  });

  it("says the server's refusals in the UI language", () => {
    const big = parseApiError(
      413,
      JSON.stringify({ error: { code: 'payload_too_large', message: 'too large', details: { limit_bytes: 524288 } } }),
    );
    expect(describeLogoError(big, zh())).toBe('图片过大：标志不能超过 512 KB。');
    const notImage = parseApiError(
      422,
      JSON.stringify({
        error: {
          code: 'validation_failed',
          message: 'logo: the logo must be a PNG, JPEG or WebP image',
          details: { field: 'logo' },
        },
      }),
    );
    expect(describeLogoError(notImage, zh())).toBe('标志必须是 PNG、JPEG 或 WebP 图片');
    expect(describeLogoError(notImage, en())).toBe('The logo must be a PNG, JPEG or WebP image');
    const empty = new ApiError(422, 'validation_failed', 'logo: the file is empty', { field: 'logo' }, true);
    expect(describeLogoError(empty, zh())).toBe('文件是空的');
    expect(describeLogoError(new ApiError(403, 'forbidden', 'admins only', {}, true), zh())).toBe(
      '您没有权限执行此操作。',
    );
  });
});

describe('the settings form', () => {
  const values = {
    business_name: '我的小店',
    currency_code: ' cny ',
    currency_symbol: 'RMB',
    time_zone: 'Asia/Shanghai',
    order_number_prefix: 'SO',
    default_low_stock_threshold: 5,
    show_stock_to_customers: true,
    payment_methods: ['cash', 'wechat'],
    units: ['件', '箱'],
    prices_include_tax: true,
    default_tax_rate: '13',
    carriers: [{ name: '顺丰 SF Express', tracking_url: 'https://t.example/{tracking}' }],
  };

  it('sends every field it edits, and nothing the PATCH does not take', () => {
    expect(settingsPatch({ ...values, business_address: ' 杭州市西湖区 1 号 ', business_phone: '0571 1234' })).toEqual({
      ...values,
      currency_code: 'CNY',
      business_address: '杭州市西湖区 1 号',
      business_phone: '0571 1234',
    });
  });

  it('clears an empty address or phone', () => {
    const patch = settingsPatch({ ...values, business_address: '  ', business_phone: undefined });
    expect(patch.business_address).toBeNull();
    expect(patch.business_phone).toBeNull();
    expect(patch).not.toHaveProperty('logo_updated_at');
  });
});
