import { describe, expect, it } from 'vitest';
import { atLeast, canManageUser, grantableRoles, homePath } from './roles';

describe('roles', () => {
  it('orders superadmin > admin > staff > customer', () => {
    expect(atLeast('superadmin', 'admin')).toBe(true);
    expect(atLeast('admin', 'staff')).toBe(true);
    expect(atLeast('staff', 'admin')).toBe(false);
    expect(atLeast('customer', 'staff')).toBe(false);
    expect(atLeast('customer', 'customer')).toBe(true);
    expect(atLeast(undefined, 'customer')).toBe(false);
  });

  it('only the superadmin hands out admin; nobody hands out superadmin', () => {
    expect(grantableRoles('superadmin')).toEqual(['customer', 'staff', 'admin']);
    expect(grantableRoles('admin')).toEqual(['customer', 'staff']);
    expect(grantableRoles('staff')).toEqual([]);
  });

  it('admins manage staff and customers; only the superadmin manages admins; nobody themselves', () => {
    const su = { id: 1, role: 'superadmin' as const };
    const admin = { id: 2, role: 'admin' as const };
    const staff = { id: 3, role: 'staff' as const };
    expect(canManageUser(su, admin)).toBe(true);
    expect(canManageUser(admin, staff)).toBe(true);
    expect(canManageUser(admin, { id: 4, role: 'admin' })).toBe(false);
    expect(canManageUser(admin, admin)).toBe(false);
    expect(canManageUser(admin, su)).toBe(false);
    expect(canManageUser(staff, { id: 5, role: 'customer' })).toBe(false);
  });

  it('sends customers to the catalogue and staff to the dashboard', () => {
    expect(homePath('customer')).toBe('/catalogue');
    expect(homePath('staff')).toBe('/dashboard');
    expect(homePath('superadmin')).toBe('/dashboard');
  });
});
