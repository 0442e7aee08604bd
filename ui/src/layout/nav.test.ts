import { describe, expect, it } from 'vitest';
import routes from '../routes.tsx?raw';
import { APP_PAGES } from '../routeTable';
import { NAV, activeNav, navFor } from './nav';

const keys = (role: Parameters<typeof navFor>[0]) => navFor(role).map((n) => n.key);

describe('menus by role', () => {
  it('customers see the catalogue and their orders only', () => {
    expect(keys('customer')).toEqual(['catalogue', 'orders', 'newOrder']);
  });

  it('staff run the desk but not the administration', () => {
    expect(keys('staff')).toEqual([
      'dashboard',
      'reports',
      'receivables',
      'products',
      'categories',
      'orders',
      'newOrder',
      'toShip',
      'purchaseOrders',
      'suppliers',
      'reorder',
      'customers',
      'priceLevels',
    ]);
  });

  it('admins and the superadmin see everything but the catalogue', () => {
    const all = [
      'dashboard',
      'reports',
      'receivables',
      'products',
      'categories',
      'orders',
      'newOrder',
      'toShip',
      'purchaseOrders',
      'suppliers',
      'reorder',
      'customers',
      'priceLevels',
      'users',
      'audit',
      'settings',
      'system',
    ];
    expect(keys('admin')).toEqual(all);
    expect(keys('superadmin')).toEqual(all);
  });

  it('highlights the entry of the current page', () => {
    const items = navFor('admin');
    expect(activeNav('/orders/new', items)).toBe('newOrder');
    expect(activeNav('/orders/12', items)).toBe('orders');
    expect(activeNav('/products/3', items)).toBe('products');
    expect(activeNav('/reports', items)).toBe('reports');
    expect(activeNav('/receivables', items)).toBe('receivables');
    expect(activeNav('/nowhere', items)).toBeUndefined();
  });

  it('takes each menu entry, its path and its role from the one route table', () => {
    const paths = APP_PAGES.map((p) => p.path);
    expect(new Set(paths).size, 'each path once').toBe(paths.length);
    const keys = NAV.map((n) => n.key);
    expect(new Set(keys).size, 'each menu key once').toBe(keys.length);
    for (const n of NAV) {
      const pages = APP_PAGES.filter((p) => `/${p.path}` === n.path);
      expect(pages, n.path).toHaveLength(1);
      expect(pages[0]?.menu?.key, n.path).toBe(n.key);
      expect(pages[0]?.min ?? 'customer', n.path).toBe(n.min);
    }
    // The menu lists the entries in the table's order.
    expect(NAV.map((n) => n.path)).toEqual(APP_PAGES.filter((p) => p.menu).map((p) => `/${p.path}`));
  });

  it('writes no page or role in the router itself', () => {
    expect(routes).toContain('APP_PAGES.map(');
    expect(routes).not.toMatch(/min="/);
    for (const p of APP_PAGES) expect(routes, p.path).not.toContain(`path="${p.path}"`);
  });

  it('keeps the administration for admins and the desk for staff', () => {
    const min = (path: string) => APP_PAGES.find((p) => p.path === path)?.min ?? 'customer';
    for (const path of ['users', 'audit', 'settings', 'system']) expect(min(path), path).toBe('admin');
    for (const path of ['dashboard', 'reports', 'receivables', 'products', 'products/:id', 'customers', 'customers/:id', 'orders/:id/edit'])
      expect(min(path), path).toBe('staff');
    for (const path of ['catalogue', 'orders', 'orders/new', 'orders/:id', 'customers/:id/statement']) expect(min(path), path).toBe('customer');
  });
});
