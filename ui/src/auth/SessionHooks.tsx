import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { setApiHooks } from '../api/client';
import type { User } from '../api/types';
import { ME_KEY, setSignedOut } from './session';

/**
 * Installs the app-wide reactions to the API's 401 (the session is gone: RequireUser then
 * sends the browser to sign-in with a message, and back here afterwards) and 403
 * password_change_required (RequireUser sends the browser to the password form).
 */
export function SessionHooks() {
  const client = useQueryClient();
  useEffect(
    () =>
      setApiHooks({
        onUnauthorized: () => {
          if (client.getQueryData<User | null>(ME_KEY)) setSignedOut(client, 'expired');
        },
        onPasswordChangeRequired: () => {
          const me = client.getQueryData<User | null>(ME_KEY);
          if (me && !me.must_change_password) client.setQueryData(ME_KEY, { ...me, must_change_password: true });
        },
      }),
    [client],
  );
  return null;
}
