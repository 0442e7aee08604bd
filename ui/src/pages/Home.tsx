import type { User } from '../api';
import type { Translate } from '../i18n';

interface Props {
  t: Translate;
  user: User;
  onSignOut: () => void;
}

export function Home({ t, user, onSignOut }: Props) {
  return (
    <section className="card">
      <p className="signed-in">{t('signedInAs', { username: user.username, role: user.role })}</p>
      <p>{t('welcome')}</p>
      <div className="actions">
        <button type="button" className="secondary" onClick={onSignOut}>
          {t('signOut')}
        </button>
      </div>
    </section>
  );
}
