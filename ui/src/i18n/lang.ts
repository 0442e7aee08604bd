// Which language to show: a remembered choice (localStorage "lang") wins, else the
// browser's language decides (zh* → Chinese, anything else → English).

export const LANGS = ['zh-CN', 'en'] as const;
export type Lang = (typeof LANGS)[number];
export const DEFAULT_LANG: Lang = 'zh-CN';
export const LANG_STORAGE_KEY = 'lang';

/** Human-readable name of each language, written in that language. */
export const LANG_NAMES: Record<Lang, string> = { 'zh-CN': '中文', en: 'English' };

export function isLang(v: unknown): v is Lang {
  return typeof v === 'string' && (LANGS as readonly string[]).includes(v);
}

export function pickLang(stored: string | null | undefined, browserLang: string | null | undefined): Lang {
  if (isLang(stored)) return stored;
  const nav = (browserLang ?? '').trim().toLowerCase();
  if (nav === '') return DEFAULT_LANG;
  return nav === 'zh' || nav.startsWith('zh-') || nav.startsWith('zh_') ? 'zh-CN' : 'en';
}

function readStoredLang(): string | null {
  try {
    return globalThis.localStorage?.getItem(LANG_STORAGE_KEY) ?? null;
  } catch {
    return null; // storage disabled (privacy mode, sandboxed iframe…)
  }
}

export function initialLang(): Lang {
  return pickLang(readStoredLang(), globalThis.navigator?.language);
}

export function saveLang(lang: Lang): void {
  try {
    globalThis.localStorage?.setItem(LANG_STORAGE_KEY, lang);
  } catch {
    // ignore: the choice just won't survive a reload
  }
}
