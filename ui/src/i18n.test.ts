import { afterEach, describe, expect, it, vi } from 'vitest';
import { LANG_STORAGE_KEY, MESSAGES, format, initialLang, pickLang, saveLang, translator } from './i18n';

describe('pickLang', () => {
  it('maps any zh* browser language to zh-CN', () => {
    for (const l of ['zh', 'zh-CN', 'zh-TW', 'zh-Hans-CN', 'ZH-hk', 'zh_CN']) {
      expect(pickLang(null, l)).toBe('zh-CN');
    }
  });

  it('maps other browser languages to en', () => {
    for (const l of ['en-US', 'en', 'fr-FR', 'ja', 'zu']) {
      expect(pickLang(null, l)).toBe('en');
    }
  });

  it('defaults to Chinese when the browser gives no language', () => {
    expect(pickLang(null, undefined)).toBe('zh-CN');
    expect(pickLang(null, '')).toBe('zh-CN');
  });

  it('prefers a valid stored choice and ignores an invalid one', () => {
    expect(pickLang('en', 'zh-CN')).toBe('en');
    expect(pickLang('zh-CN', 'en-US')).toBe('zh-CN');
    expect(pickLang('de', 'zh-TW')).toBe('zh-CN');
    expect(pickLang('', 'en-GB')).toBe('en');
  });
});

describe('initialLang / saveLang', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  function stubStorage(): Map<string, string> {
    const data = new Map<string, string>();
    vi.stubGlobal('localStorage', {
      getItem: (k: string) => data.get(k) ?? null,
      setItem: (k: string, v: string) => void data.set(k, v),
    });
    return data;
  }

  it('remembers the choice under the "lang" key', () => {
    const data = stubStorage();
    vi.stubGlobal('navigator', { language: 'zh-CN' });
    expect(initialLang()).toBe('zh-CN');
    saveLang('en');
    expect(data.get(LANG_STORAGE_KEY)).toBe('en');
    expect(LANG_STORAGE_KEY).toBe('lang');
    expect(initialLang()).toBe('en');
  });

  it('survives storage that throws', () => {
    vi.stubGlobal('localStorage', {
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => {
        throw new Error('SecurityError');
      },
    });
    vi.stubGlobal('navigator', { language: 'en-US' });
    expect(initialLang()).toBe('en');
    expect(() => saveLang('zh-CN')).not.toThrow();
  });
});

describe('messages', () => {
  it('every language has every key, non-empty', () => {
    const keys = Object.keys(MESSAGES['zh-CN']).sort();
    for (const dict of Object.values(MESSAGES)) {
      expect(Object.keys(dict).sort()).toEqual(keys);
      for (const v of Object.values(dict)) expect(v.trim()).not.toBe('');
    }
  });

  it('uses the same placeholders in every language', () => {
    const placeholders = (s: string) => (s.match(/\{\w+\}/g) ?? []).sort();
    for (const [key, zh] of Object.entries(MESSAGES['zh-CN'])) {
      expect(placeholders(MESSAGES.en[key as keyof typeof MESSAGES.en]), key).toEqual(placeholders(zh));
    }
  });

  it('interpolates parameters', () => {
    expect(format('{a} and {b} and {c}', { a: 1, b: 'x' })).toBe('1 and x and {c}');
    expect(translator('en')('signedInAs', { username: 'alice', role: 'admin' })).toBe('Signed in as alice (admin)');
    expect(translator('zh-CN')('signedInAs', { username: 'alice', role: 'admin' })).toBe('已登录：alice（admin）');
  });
});
