import { useQueryClient } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import type { Role } from '../api/types';
import { ErrorState, FullPageSpin } from '../components/States';
import { Forbidden } from '../components/Forbidden';
import { atLeast } from '../lib/roles';
import { changePasswordPath, signInPath } from './paths';
import { endedReason, useMe } from './session';

/** Renders children for a signed-in user who has chosen their own password. */
export function RequireUser({ children }: { children: ReactNode }) {
  const me = useMe();
  const client = useQueryClient();
  const location = useLocation();
  const here = location.pathname + location.search;
  if (me.isPending) return <FullPageSpin />;
  if (me.isError) return <ErrorState error={me.error} onRetry={() => void me.refetch()} />;
  if (!me.data) {
    const reason = endedReason(client);
    return <Navigate to={signInPath(reason === 'signedOut' ? null : here, reason)} replace />;
  }
  if (me.data.must_change_password) return <Navigate to={changePasswordPath(here)} replace />;
  return children;
}

/** Renders children only for users with at least the given role. */
export function RequireRole({ min, children }: { min: Role; children: ReactNode }) {
  const me = useMe();
  if (!atLeast(me.data?.role, min)) return <Forbidden />;
  return children;
}
