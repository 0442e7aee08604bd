import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useNavigate } from 'react-router';
import { setApiHooks } from '../api/client';
import type { User } from '../api/types';
import { ME_KEY, setSignedOut } from './session';
import { signInPath } from './paths';

/**
 * Installs the app-wide reactions to the API's 401 (session expired: to sign-in with a
 * message, then back here) and 403 password_change_required (to the password form).
 */
export function SessionHooks() {
  const client = useQueryClient();
  const navigate = useNavigate();

  useEffect(
    () =>
      setApiHooks({
        onUnauthorized: () => {
          const wasSignedIn = client.getQueryData<User | null>(ME_KEY);
          if (!wasSignedIn) return;
          setSignedOut(client);
          // BrowserRouter keeps window.location in step with the route.
          const here = window.location.pathname + window.location.search;
          void navigate(signInPath(here, 'expired'), { replace: true });
        },
        onPasswordChangeRequired: () => {
          const me = client.getQueryData<User | null>(ME_KEY);
          if (me && !me.must_change_password) client.setQueryData(ME_KEY, { ...me, must_change_password: true });
        },
      }),
    [client, navigate],
  );
  return null;
}
