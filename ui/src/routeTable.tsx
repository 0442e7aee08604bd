// The one table of the signed-in pages: the router (routes.tsx) and the side menu
// (layout/nav.tsx) both read it, so a page's path and least role are written once.
import {
  AccountBookOutlined,
  ApartmentOutlined,
  AppstoreOutlined,
  AuditOutlined,
  BarChartOutlined,
  ContactsOutlined,
  DashboardOutlined,
  DatabaseOutlined,
  FileTextOutlined,
  InboxOutlined,
  PlusCircleOutlined,
  SendOutlined,
  SettingOutlined,
  ShopOutlined,
  ShoppingCartOutlined,
  TagsOutlined,
  TeamOutlined,
  UserOutlined,
} from '@ant-design/icons';
import { lazy } from 'react';
import type { ComponentType, LazyExoticComponent, ReactNode } from 'react';
import type { Role } from './api/types';

// Every page is its own chunk: the sign-in page loads only what it needs.
const DashboardPage = lazy(() => import('./pages/dashboard/DashboardPage'));
const ReportsPage = lazy(() => import('./pages/reports/ReportsPage'));
const ReceivablesPage = lazy(() => import('./pages/receivables/ReceivablesPage'));
const ProductsPage = lazy(() => import('./pages/products/ProductsPage'));
const ProductDetailPage = lazy(() => import('./pages/products/ProductDetailPage'));
const CategoriesPage = lazy(() => import('./pages/products/CategoriesPage'));
const CataloguePage = lazy(() => import('./pages/catalogue/CataloguePage'));
const OrdersPage = lazy(() => import('./pages/orders/OrdersPage'));
const OrderDetailPage = lazy(() => import('./pages/orders/OrderDetailPage'));
const OrderFormPage = lazy(() => import('./pages/orders/OrderFormPage'));
const ToShipPage = lazy(() => import('./pages/shipping/ToShipPage'));
const PurchaseOrdersPage = lazy(() => import('./pages/purchasing/PurchaseOrdersPage'));
const PurchaseOrderFormPage = lazy(() => import('./pages/purchasing/PurchaseOrderFormPage'));
const PurchaseOrderDetailPage = lazy(() => import('./pages/purchasing/PurchaseOrderDetailPage'));
const SuppliersPage = lazy(() => import('./pages/purchasing/SuppliersPage'));
const ReorderPage = lazy(() => import('./pages/purchasing/ReorderPage'));
const PriceLevelsPage = lazy(() => import('./pages/priceLevels/PriceLevelsPage'));
const CustomersPage = lazy(() => import('./pages/customers/CustomersPage'));
const CustomerDetailPage = lazy(() => import('./pages/customers/CustomerDetailPage'));
const StatementPage = lazy(() => import('./pages/customers/StatementPage'));
const UsersPage = lazy(() => import('./pages/users/UsersPage'));
const AuditPage = lazy(() => import('./pages/audit/AuditPage'));
const SettingsPage = lazy(() => import('./pages/settings/SettingsPage'));
const SystemPage = lazy(() => import('./pages/system/SystemPage'));

/** The menu entries; each names its label, nav.<key> in the dictionaries. */
export type NavKey =
  | 'dashboard'
  | 'reports'
  | 'receivables'
  | 'catalogue'
  | 'products'
  | 'categories'
  | 'orders'
  | 'newOrder'
  | 'toShip'
  | 'purchaseOrders'
  | 'suppliers'
  | 'reorder'
  | 'customers'
  | 'priceLevels'
  | 'users'
  | 'audit'
  | 'settings'
  | 'system';

export interface MenuEntry {
  key: NavKey;
  icon: ReactNode;
  /** Shown only up to this role (the catalogue is the customers' product page). */
  max?: Role;
}

export interface AppPage {
  /** The path under the signed-in frame, without the leading slash. */
  path: string;
  page: LazyExoticComponent<ComponentType>;
  /** The least role that may open the page; any signed-in user when left out. */
  min?: Role;
  /** Its entry in the side menu, which lists the entries in this table's order; none when left out. */
  menu?: MenuEntry;
}

export const APP_PAGES: readonly AppPage[] = [
  { path: 'dashboard', page: DashboardPage, min: 'staff', menu: { key: 'dashboard', icon: <DashboardOutlined /> } },
  { path: 'reports', page: ReportsPage, min: 'staff', menu: { key: 'reports', icon: <BarChartOutlined /> } },
  { path: 'receivables', page: ReceivablesPage, min: 'staff', menu: { key: 'receivables', icon: <AccountBookOutlined /> } },
  { path: 'catalogue', page: CataloguePage, menu: { key: 'catalogue', icon: <ShopOutlined />, max: 'customer' } },
  { path: 'products', page: ProductsPage, min: 'staff', menu: { key: 'products', icon: <AppstoreOutlined /> } },
  { path: 'products/:id', page: ProductDetailPage, min: 'staff' },
  { path: 'categories', page: CategoriesPage, min: 'staff', menu: { key: 'categories', icon: <ApartmentOutlined /> } },
  { path: 'orders', page: OrdersPage, menu: { key: 'orders', icon: <FileTextOutlined /> } },
  { path: 'orders/new', page: OrderFormPage, menu: { key: 'newOrder', icon: <PlusCircleOutlined /> } },
  { path: 'to-ship', page: ToShipPage, min: 'staff', menu: { key: 'toShip', icon: <SendOutlined /> } },
  // Purchasing (采购): cost prices and suppliers are staff-only.
  { path: 'purchase-orders', page: PurchaseOrdersPage, min: 'staff', menu: { key: 'purchaseOrders', icon: <ShoppingCartOutlined /> } },
  { path: 'purchase-orders/new', page: PurchaseOrderFormPage, min: 'staff' },
  { path: 'purchase-orders/:id', page: PurchaseOrderDetailPage, min: 'staff' },
  { path: 'purchase-orders/:id/edit', page: PurchaseOrderFormPage, min: 'staff' },
  { path: 'suppliers', page: SuppliersPage, min: 'staff', menu: { key: 'suppliers', icon: <ContactsOutlined /> } },
  { path: 'reorder', page: ReorderPage, min: 'staff', menu: { key: 'reorder', icon: <InboxOutlined /> } },
  { path: 'orders/:id', page: OrderDetailPage },
  // Whether an order may be edited is the order's own answer (actions.editable).
  { path: 'orders/:id/edit', page: OrderFormPage, min: 'staff' },
  { path: 'customers', page: CustomersPage, min: 'staff', menu: { key: 'customers', icon: <TeamOutlined /> } },
  { path: 'customers/:id', page: CustomerDetailPage, min: 'staff' },
  { path: 'price-levels', page: PriceLevelsPage, min: 'staff', menu: { key: 'priceLevels', icon: <TagsOutlined /> } },
  // A customer may open their own statement; the server answers 404 for anyone else's.
  { path: 'customers/:id/statement', page: StatementPage },
  { path: 'users', page: UsersPage, min: 'admin', menu: { key: 'users', icon: <UserOutlined /> } },
  { path: 'audit', page: AuditPage, min: 'admin', menu: { key: 'audit', icon: <AuditOutlined /> } },
  { path: 'settings', page: SettingsPage, min: 'admin', menu: { key: 'settings', icon: <SettingOutlined /> } },
  { path: 'system', page: SystemPage, min: 'admin', menu: { key: 'system', icon: <DatabaseOutlined /> } },
];
