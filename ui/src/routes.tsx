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

// Every page is its own chunk: the sign-in page loads only what it needs.
const AppLayout = lazy(() => import('./layout/AppLayout'));
const SignInPage = lazy(() => import('./pages/signin/SignInPage'));
const ChangePasswordPage = lazy(() => import('./pages/signin/ChangePasswordPage'));
const DashboardPage = lazy(() => import('./pages/dashboard/DashboardPage'));
const ReportsPage = lazy(() => import('./pages/reports/ReportsPage'));
const ProductsPage = lazy(() => import('./pages/products/ProductsPage'));
const ProductDetailPage = lazy(() => import('./pages/products/ProductDetailPage'));
const CataloguePage = lazy(() => import('./pages/catalogue/CataloguePage'));
const OrdersPage = lazy(() => import('./pages/orders/OrdersPage'));
const OrderDetailPage = lazy(() => import('./pages/orders/OrderDetailPage'));
const OrderFormPage = lazy(() => import('./pages/orders/OrderFormPage'));
const CustomersPage = lazy(() => import('./pages/customers/CustomersPage'));
const CustomerDetailPage = lazy(() => import('./pages/customers/CustomerDetailPage'));
const UsersPage = lazy(() => import('./pages/users/UsersPage'));
const AuditPage = lazy(() => import('./pages/audit/AuditPage'));
const SettingsPage = lazy(() => import('./pages/settings/SettingsPage'));
const SystemPage = lazy(() => import('./pages/system/SystemPage'));

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
        <Route path="dashboard" element={<Page min="staff">{<DashboardPage />}</Page>} />
        <Route path="reports" element={<Page min="staff">{<ReportsPage />}</Page>} />
        <Route path="products" element={<Page min="staff">{<ProductsPage />}</Page>} />
        <Route path="products/:id" element={<Page min="staff">{<ProductDetailPage />}</Page>} />
        <Route path="catalogue" element={<Page>{<CataloguePage />}</Page>} />
        <Route path="orders" element={<Page>{<OrdersPage />}</Page>} />
        <Route path="orders/new" element={<Page>{<OrderFormPage />}</Page>} />
        <Route path="orders/:id" element={<Page>{<OrderDetailPage />}</Page>} />
        <Route path="orders/:id/edit" element={<Page min="staff">{<OrderFormPage />}</Page>} />
        <Route path="customers" element={<Page min="staff">{<CustomersPage />}</Page>} />
        <Route path="customers/:id" element={<Page min="staff">{<CustomerDetailPage />}</Page>} />
        <Route path="users" element={<Page min="admin">{<UsersPage />}</Page>} />
        <Route path="audit" element={<Page min="admin">{<AuditPage />}</Page>} />
        <Route path="settings" element={<Page min="admin">{<SettingsPage />}</Page>} />
        <Route path="system" element={<Page min="admin">{<SystemPage />}</Page>} />
        <Route path="*" element={<NotFound />} />
      </Route>
    </Routes>
  );
}
