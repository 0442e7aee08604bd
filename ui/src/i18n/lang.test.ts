import { afterEach, describe, expect, it, vi } from 'vitest';
import en from './en';
import { LANG_STORAGE_KEY, initialLang, pickLang, saveLang } from './lang';
import zhCN from './zh-CN';

describe('pickLang', () => {
  it('maps any zh* browser language to zh-CN and others to en', () => {
    for (const l of ['zh', 'zh-CN', 'zh-TW', 'zh-Hans-CN', 'ZH-hk', 'zh_CN']) expect(pickLang(null, l)).toBe('zh-CN');
    for (const l of ['en-US', 'en', 'fr-FR', 'ja', 'zu']) expect(pickLang(null, l)).toBe('en');
  });

  it('defaults to Chinese without a browser language', () => {
    expect(pickLang(null, undefined)).toBe('zh-CN');
    expect(pickLang(null, '')).toBe('zh-CN');
  });

  it('prefers a valid stored choice', () => {
    expect(pickLang('en', 'zh-CN')).toBe('en');
    expect(pickLang('zh-CN', 'en-US')).toBe('zh-CN');
    expect(pickLang('de', 'zh-TW')).toBe('zh-CN');
  });
});

describe('remembering the choice', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('stores it under "lang" and reads it back', () => {
    const data = new Map<string, string>();
    vi.stubGlobal('localStorage', {
      getItem: (k: string) => data.get(k) ?? null,
      setItem: (k: string, v: string) => data.set(k, v),
    });
    vi.stubGlobal('navigator', { language: 'zh-CN' });
    expect(initialLang()).toBe('zh-CN');
    saveLang('en');
    expect(data.get(LANG_STORAGE_KEY)).toBe('en');
    expect(initialLang()).toBe('en');
  });

  it('survives storage that throws', () => {
    vi.stubGlobal('localStorage', {
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => {
        throw new Error('denied');
      },
    });
    vi.stubGlobal('navigator', { language: 'en-GB' });
    expect(initialLang()).toBe('en');
    expect(() => saveLang('zh-CN')).not.toThrow();
  });
});

type Tree = { [k: string]: string | Tree };

function leaves(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(tree)) {
    if (typeof v === 'string') out.set(prefix + k, v);
    else for (const [kk, vv] of leaves(v, `${prefix}${k}.`)) out.set(kk, vv);
  }
  return out;
}

describe('dictionaries', () => {
  const zh = leaves(zhCN);
  const e = leaves(en);

  it('have the same keys and no empty texts', () => {
    expect([...e.keys()].sort()).toEqual([...zh.keys()].sort());
    for (const [k, v] of [...zh, ...e]) expect(v.trim(), k).not.toBe('');
  });

  it('use the same placeholders in both languages', () => {
    const vars = (s: string) => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
    for (const [k, v] of zh) expect(vars(e.get(k) ?? ''), k).toEqual(vars(v));
  });
});
