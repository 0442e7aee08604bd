import { useState } from 'react';
import type { FormEvent } from 'react';
import { ApiError, changePassword, openSession } from '../api';
import type { Session } from '../api';
import { describeError } from '../errors';
import type { MessageKey, Translate } from '../i18n';
import { MAX_PASSWORD_BYTES, MIN_PASSWORD_CHARS, checkNewPassword } from '../password';
import type { PasswordProblem } from '../password';

interface Props {
  t: Translate;
  session: Session;
  /** Called with the session built from the NEW token (the old one is dead). */
  onChanged: (session: Session) => void;
  onSignOut: () => void;
}

const PROBLEM_MESSAGES: Record<PasswordProblem, MessageKey> = {
  tooShort: 'errTooShort',
  tooLong: 'errTooLong',
  mismatch: 'errMismatch',
};

const LIMITS = { min: MIN_PASSWORD_CHARS, max: MAX_PASSWORD_BYTES };

export function ChangePassword({ t, session, onChanged, onSignOut }: Props) {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirm, setConfirm] = useState('');
  const [pending, setPending] = useState(false);
  const [problem, setProblem] = useState<PasswordProblem | null>(null);
  const [error, setError] = useState<unknown>(null);

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (pending) return;
    setError(null);
    const p = checkNewPassword(next, confirm);
    setProblem(p);
    if (p) return;
    setPending(true);
    try {
      const resp = await changePassword(session.token, current, next);
      onChanged(await openSession(resp));
    } catch (err) {
      setError(err);
      setPending(false);
    }
  }

  const field = error instanceof ApiError ? error.field : undefined;
  const currentInvalid = field === 'current_password' || (error instanceof ApiError && error.status === 401);
  const newInvalid = problem !== null || field === 'new_password';

  return (
    <form className="card" onSubmit={submit} noValidate>
      <h1>{t('changePasswordTitle')}</h1>
      <p className="notice">{t('changePasswordRequired')}</p>
      <label>
        <span>{t('currentPassword')}</span>
        <input
          name="current_password"
          type="password"
          autoComplete="current-password"
          required
          autoFocus
          value={current}
          onChange={(e) => setCurrent(e.target.value)}
          aria-invalid={currentInvalid || undefined}
        />
      </label>
      {/* Hidden username helps password managers file the new password. */}
      <input type="hidden" name="username" autoComplete="username" value={session.user.username} />
      <label>
        <span>{t('newPassword')}</span>
        <input
          name="new_password"
          type="password"
          autoComplete="new-password"
          required
          value={next}
          onChange={(e) => setNext(e.target.value)}
          aria-invalid={newInvalid || undefined}
          aria-describedby="password-hint"
        />
      </label>
      <p id="password-hint" className="hint">
        {t('passwordHint', LIMITS)}
      </p>
      <label>
        <span>{t('confirmPassword')}</span>
        <input
          name="confirm_password"
          type="password"
          autoComplete="new-password"
          required
          value={confirm}
          onChange={(e) => setConfirm(e.target.value)}
          aria-invalid={problem === 'mismatch' || undefined}
        />
      </label>
      {(problem || error !== null) && (
        <p className="error" role="alert">
          {problem ? t(PROBLEM_MESSAGES[problem], LIMITS) : describeError(error, t)}
        </p>
      )}
      <div className="actions">
        <button type="submit" disabled={pending} aria-busy={pending}>
          {pending ? t('saving') : t('savePassword')}
        </button>
        <button type="button" className="secondary" onClick={onSignOut}>
          {t('signOut')}
        </button>
      </div>
    </form>
  );
}
