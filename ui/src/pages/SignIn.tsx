import { useState } from 'react';
import type { FormEvent } from 'react';
import { ApiError, login, openSession } from '../api';
import type { Session } from '../api';
import { describeError } from '../errors';
import type { Translate } from '../i18n';

const REQUIRED = 'required';

interface Props {
  t: Translate;
  /** Shown above the form, e.g. "session expired". */
  notice: string | null;
  onSignedIn: (session: Session) => void;
}

export function SignIn({ t, notice, onSignedIn }: Props) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [pending, setPending] = useState(false);
  // Kept raw (not as text) so that a language switch re-translates it.
  const [error, setError] = useState<unknown>(null);

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (pending) return;
    const name = username.trim();
    if (!name || !password) {
      setError(REQUIRED);
      return;
    }
    setPending(true);
    setError(null);
    try {
      onSignedIn(await openSession(await login(name, password)));
    } catch (err) {
      setError(err);
      setPending(false);
    }
  }

  const field = error instanceof ApiError ? error.field : undefined;

  return (
    <form className="card" onSubmit={submit} noValidate>
      <h1>{t('signInTitle')}</h1>
      {notice && !error && <p className="notice">{notice}</p>}
      <label>
        <span>{t('username')}</span>
        <input
          name="username"
          autoComplete="username"
          autoCapitalize="none"
          spellCheck={false}
          required
          autoFocus
          value={username}
          onChange={(e) => setUsername(e.target.value)}
          aria-invalid={field === 'username' || undefined}
        />
      </label>
      <label>
        <span>{t('password')}</span>
        <input
          name="password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          aria-invalid={field === 'password' || undefined}
        />
      </label>
      {error !== null && (
        <p className="error" role="alert">
          {error === REQUIRED ? t('errRequired') : describeError(error, t)}
        </p>
      )}
      <button type="submit" disabled={pending} aria-busy={pending}>
        {pending ? t('signingIn') : t('signIn')}
      </button>
    </form>
  );
}
