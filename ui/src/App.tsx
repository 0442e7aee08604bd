import { useCallback, useEffect, useMemo, useState } from 'react';
import type { Session } from './api';
import { LANGS, LANG_NAMES, initialLang, isLang, saveLang, translator } from './i18n';
import type { Lang, MessageKey } from './i18n';
import { ChangePassword } from './pages/ChangePassword';
import { Home } from './pages/Home';
import { SignIn } from './pages/SignIn';

// setTimeout overflows past 2^31-1 ms (~24.8 days) and would fire at once.
const MAX_TIMER_MS = 2_147_483_647;

export default function App() {
  const [lang, setLang] = useState<Lang>(initialLang);
  // The token lives only here, in memory: a reload signs the user out.
  const [session, setSession] = useState<Session | null>(null);
  const [notice, setNotice] = useState<MessageKey | null>(null);
  const t = useMemo(() => translator(lang), [lang]);

  useEffect(() => {
    document.documentElement.lang = lang;
    document.title = t('appTitle');
  }, [lang, t]);

  // Forget the token when the server says it expires.
  useEffect(() => {
    if (!session || !Number.isFinite(session.expiresIn) || session.expiresIn <= 0) return;
    const ms = Math.min(session.expiresIn * 1000, MAX_TIMER_MS);
    const id = setTimeout(() => {
      setSession(null);
      setNotice('sessionExpired');
    }, ms);
    return () => clearTimeout(id);
  }, [session]);

  const changeLang = (value: string) => {
    if (!isLang(value)) return;
    setLang(value);
    saveLang(value);
  };

  const signIn = useCallback((s: Session) => {
    setNotice(null);
    setSession(s);
  }, []);
  const signOut = useCallback(() => setSession(null), []);

  let page;
  if (!session) {
    page = <SignIn t={t} notice={notice ? t(notice) : null} onSignedIn={signIn} />;
  } else if (session.user.must_change_password) {
    page = <ChangePassword t={t} session={session} onChanged={signIn} onSignOut={signOut} />;
  } else {
    page = <Home t={t} user={session.user} onSignOut={signOut} />;
  }

  return (
    <div className="app">
      <header className="topbar">
        <span className="brand">{t('appTitle')}</span>
        <label className="lang">
          <span className="visually-hidden">{t('language')}</span>
          <select value={lang} onChange={(e) => changeLang(e.target.value)}>
            {LANGS.map((l) => (
              <option key={l} value={l} lang={l}>
                {LANG_NAMES[l]}
              </option>
            ))}
          </select>
        </label>
      </header>
      <main className="content">{page}</main>
    </div>
  );
}
