import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import en from './en';
import { initialLang, saveLang } from './lang';
import type { Lang } from './lang';
import zhCN from './zh-CN';

export const resources = {
  'zh-CN': { translation: zhCN },
  en: { translation: en },
} as const;

/** Starts i18next synchronously (the dictionaries are bundled) in the initial language. */
export function initI18n(lang: Lang = initialLang()) {
  void i18next.use(initReactI18next).init({
    resources,
    lng: lang,
    fallbackLng: 'zh-CN',
    supportedLngs: ['zh-CN', 'en'],
    interpolation: { escapeValue: false },
    initAsync: false,
    returnNull: false,
  });
  return i18next;
}

/** Switches the language and remembers the choice. */
export function changeLanguage(lang: Lang): void {
  saveLang(lang);
  void i18next.changeLanguage(lang);
}
