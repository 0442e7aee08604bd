import { describe, expect, it } from 'vitest';
import routes from '../routes.tsx?raw';
import { NAV, activeNav, navFor } from './nav';

const keys = (role: Parameters<typeof navFor>[0]) => navFor(role).map((n) => n.key);

describe('menus by role', () => {
  it('customers see the catalogue and their orders only', () => {
    expect(keys('customer')).toEqual(['catalogue', 'orders', 'newOrder']);
  });

  it('staff run the desk but not the administration', () => {
    expect(keys('staff')).toEqual(['dashboard', 'reports', 'products', 'orders', 'newOrder', 'customers']);
  });

  it('admins and the superadmin see everything but the catalogue', () => {
    const all = ['dashboard', 'reports', 'products', 'orders', 'newOrder', 'customers', 'users', 'audit', 'settings', 'system'];
    expect(keys('admin')).toEqual(all);
    expect(keys('superadmin')).toEqual(all);
  });

  it('highlights the entry of the current page', () => {
    const items = navFor('admin');
    expect(activeNav('/orders/new', items)).toBe('newOrder');
    expect(activeNav('/orders/12', items)).toBe('orders');
    expect(activeNav('/products/3', items)).toBe('products');
    expect(activeNav('/reports', items)).toBe('reports');
    expect(activeNav('/nowhere', items)).toBeUndefined();
  });

  it('asks the same role of each menu entry as of its route', () => {
    for (const n of NAV) {
      const m = new RegExp(`path="${n.path.slice(1)}" element={<Page(?: min="(\\w+)")?>`).exec(routes);
      expect(m, n.path).not.toBeNull();
      expect(m?.[1] ?? 'customer', n.path).toBe(n.min);
    }
  });
});
