import {
  AppstoreOutlined,
  AuditOutlined,
  BarChartOutlined,
  DashboardOutlined,
  FileTextOutlined,
  PlusCircleOutlined,
  SettingOutlined,
  ShopOutlined,
  TeamOutlined,
  UserOutlined,
  DatabaseOutlined,
} from '@ant-design/icons';
import type { ReactNode } from 'react';
import type { Role } from '../api/types';
import { atLeast } from '../lib/roles';

export type NavKey =
  | 'dashboard'
  | 'reports'
  | 'catalogue'
  | 'products'
  | 'orders'
  | 'newOrder'
  | 'customers'
  | 'users'
  | 'audit'
  | 'settings'
  | 'system';

export interface NavItem {
  key: NavKey;
  path: string;
  icon: ReactNode;
  /** Shown only to users with at least this role… */
  min: Role;
  /** …and at most this one (the catalogue is the customers' product page). */
  max?: Role;
}

export const NAV: readonly NavItem[] = [
  { key: 'dashboard', path: '/dashboard', icon: <DashboardOutlined />, min: 'staff' },
  { key: 'reports', path: '/reports', icon: <BarChartOutlined />, min: 'staff' },
  { key: 'catalogue', path: '/catalogue', icon: <ShopOutlined />, min: 'customer', max: 'customer' },
  { key: 'products', path: '/products', icon: <AppstoreOutlined />, min: 'staff' },
  { key: 'orders', path: '/orders', icon: <FileTextOutlined />, min: 'customer' },
  { key: 'newOrder', path: '/orders/new', icon: <PlusCircleOutlined />, min: 'customer' },
  { key: 'customers', path: '/customers', icon: <TeamOutlined />, min: 'staff' },
  { key: 'users', path: '/users', icon: <UserOutlined />, min: 'admin' },
  { key: 'audit', path: '/audit', icon: <AuditOutlined />, min: 'admin' },
  { key: 'settings', path: '/settings', icon: <SettingOutlined />, min: 'admin' },
  { key: 'system', path: '/system', icon: <DatabaseOutlined />, min: 'admin' },
];

/** The menu entries a role may use. */
export function navFor(role: Role): NavItem[] {
  return NAV.filter((n) => atLeast(role, n.min) && (!n.max || !atLeast(role, n.max) || role === n.max));
}

/** The menu entry a path belongs to (the longest matching prefix). */
export function activeNav(pathname: string, items: readonly NavItem[]): NavKey | undefined {
  let best: NavItem | undefined;
  for (const n of items) {
    if (pathname === n.path || pathname.startsWith(`${n.path}/`)) {
      if (!best || n.path.length > best.path.length) best = n;
    }
  }
  return best?.key;
}
