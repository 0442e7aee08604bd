// Tiny typed dictionary. zh-CN is the primary language: its keys define
// the Messages type, and every other language must provide all of them.

export const LANGS = ['zh-CN', 'en'] as const;
export type Lang = (typeof LANGS)[number];
export const DEFAULT_LANG: Lang = 'zh-CN';
export const LANG_STORAGE_KEY = 'lang';

const zhCN = {
  appTitle: '订单管理系统',
  language: '语言',
  username: '用户名',
  password: '密码',
  signIn: '登录',
  signingIn: '正在登录…',
  signInTitle: '登录',
  signOut: '退出登录',
  signedInAs: '已登录：{username}（{role}）',
  welcome: '欢迎使用订单管理系统。',
  changePasswordTitle: '修改密码',
  changePasswordRequired: '首次登录或密码已被重置，请先设置新密码。',
  currentPassword: '当前密码',
  newPassword: '新密码',
  confirmPassword: '确认新密码',
  savePassword: '保存新密码',
  saving: '正在保存…',
  passwordHint: '至少 {min} 个字符，且不超过 {max} 字节（一个汉字占 3 字节）。',
  errTooShort: '新密码至少需要 {min} 个字符。',
  errTooLong: '新密码不能超过 {max} 字节。',
  errMismatch: '两次输入的新密码不一致。',
  errRequired: '请填写用户名和密码。',
  errNetwork: '无法连接服务器，请检查网络后重试。',
  errUnauthorized: '用户名或密码错误。',
  errRateLimited: '尝试次数过多，请稍后再试。',
  errGeneric: '请求失败（{status}）。',
  sessionExpired: '登录已过期，请重新登录。',
} as const;

export type MessageKey = keyof typeof zhCN;
export type Messages = Record<MessageKey, string>;

const en: Messages = {
  appTitle: 'Order System',
  language: 'Language',
  username: 'Username',
  password: 'Password',
  signIn: 'Sign in',
  signingIn: 'Signing in…',
  signInTitle: 'Sign in',
  signOut: 'Sign out',
  signedInAs: 'Signed in as {username} ({role})',
  welcome: 'Welcome to the order system.',
  changePasswordTitle: 'Change password',
  changePasswordRequired: 'You must set a new password before continuing.',
  currentPassword: 'Current password',
  newPassword: 'New password',
  confirmPassword: 'Confirm new password',
  savePassword: 'Save new password',
  saving: 'Saving…',
  passwordHint: 'At least {min} characters and at most {max} bytes (a Chinese character takes 3 bytes).',
  errTooShort: 'The new password must be at least {min} characters.',
  errTooLong: 'The new password must be at most {max} bytes.',
  errMismatch: 'The new passwords do not match.',
  errRequired: 'Enter your username and password.',
  errNetwork: 'Cannot reach the server. Check the connection and try again.',
  errUnauthorized: 'Wrong username or password.',
  errRateLimited: 'Too many attempts. Please try again later.',
  errGeneric: 'Request failed ({status}).',
  sessionExpired: 'Your session has expired. Please sign in again.',
};

export const MESSAGES: Record<Lang, Messages> = { 'zh-CN': zhCN, en };

/** Human-readable name of each language, written in that language. */
export const LANG_NAMES: Record<Lang, string> = { 'zh-CN': '中文', en: 'English' };

export function isLang(v: unknown): v is Lang {
  return typeof v === 'string' && (LANGS as readonly string[]).includes(v);
}

/**
 * Choose the UI language: a valid stored choice wins; otherwise the
 * browser language decides (zh, zh-CN, zh-TW, zh-Hans… → zh-CN, anything
 * else → en); with no browser language at all, the primary language.
 */
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

export type Params = Record<string, string | number>;

/** Replace {name} placeholders; unknown placeholders are left as they are. */
export function format(template: string, params?: Params): string {
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (m, name: string) =>
    Object.prototype.hasOwnProperty.call(params, name) ? String(params[name]) : m,
  );
}

export type Translate = (key: MessageKey, params?: Params) => string;

export function translator(lang: Lang): Translate {
  const dict = MESSAGES[lang];
  return (key, params) => format(dict[key], params);
}
