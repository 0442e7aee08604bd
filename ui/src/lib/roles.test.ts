import { describe, expect, it } from 'vitest';
import { atLeast, homePath } from './roles';

describe('roles', () => {
  it('orders superadmin > admin > staff > customer', () => {
    expect(atLeast('superadmin', 'admin')).toBe(true);
    expect(atLeast('admin', 'staff')).toBe(true);
    expect(atLeast('staff', 'admin')).toBe(false);
    expect(atLeast('customer', 'staff')).toBe(false);
    expect(atLeast('customer', 'customer')).toBe(true);
    expect(atLeast(undefined, 'customer')).toBe(false);
  });

  it('sends customers to the catalogue and staff to the dashboard', () => {
    expect(homePath('customer')).toBe('/catalogue');
    expect(homePath('staff')).toBe('/dashboard');
    expect(homePath('superadmin')).toBe('/dashboard');
  });
});
