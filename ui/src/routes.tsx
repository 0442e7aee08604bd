import { Suspense, lazy } from 'react';
import type { ReactNode } from 'react';
import { Navigate, Route, Routes } from 'react-router';
import type { Role } from './api/types';
import { RequireRole, RequireUser } from './auth/guards';
import { useMe } from './auth/session';
import { PageErrorBoundary } from './components/ErrorBoundary';
import { NotFound } from './components/Forbidden';
import { FullPageSpin } from './components/States';
import { PublicShell } from './layout/PublicShell';
import { homePath } from './lib/roles';
import { APP_PAGES } from './routeTable';

// The signed-in pages come from routeTable.tsx (shared with the side menu); these are the frame
// and the public pages. Every page is its own chunk: the sign-in page loads only what it needs.
const AppLayout = lazy(() => import('./layout/AppLayout'));
const SignInPage = lazy(() => import('./pages/signin/SignInPage'));
const ChangePasswordPage = lazy(() => import('./pages/signin/ChangePasswordPage'));

function Page({ min, children }: { min?: Role; children: ReactNode }) {
  const page = (
    <PageErrorBoundary>
      <Suspense fallback={<FullPageSpin />}>{children}</Suspense>
    </PageErrorBoundary>
  );
  return min ? <RequireRole min={min}>{page}</RequireRole> : page;
}

function Home() {
  const me = useMe();
  return me.data ? <Navigate to={homePath(me.data.role)} replace /> : <FullPageSpin />;
}

export function AppRoutes() {
  return (
    <Routes>
      <Route element={<PublicShell />}>
        <Route path="/signin" element={<Page>{<SignInPage />}</Page>} />
        <Route path="/change-password" element={<Page>{<ChangePasswordPage />}</Page>} />
      </Route>
      <Route
        element={
          <RequireUser>
            <PageErrorBoundary resetKey="layout">
              <Suspense fallback={<FullPageSpin />}>
                <AppLayout />
              </Suspense>
            </PageErrorBoundary>
          </RequireUser>
        }
      >
        <Route index element={<Home />} />
        {APP_PAGES.map(({ path, page: PageComponent, min }) => (
          <Route key={path} path={path} element={<Page min={min}>{<PageComponent />}</Page>} />
        ))}
        <Route path="*" element={<NotFound />} />
      </Route>
    </Routes>
  );
}
