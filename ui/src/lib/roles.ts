import type { Role } from '../api/types';

const RANK: Record<Role, number> = { customer: 0, staff: 1, admin: 2, superadmin: 3 };

// Roles for presentation only: which pages a role may open (route guards, the menu) and where
// it lands. What a user may do to an order or an account is the server's answer (the
// `actions` of each order and account, and GET /api/auth/me's `grantable_roles`).

/** superadmin > admin > staff > customer. */
export function atLeast(role: Role | undefined, min: Role): boolean {
  if (!role || !(role in RANK)) return false;
  return RANK[role] >= RANK[min];
}

/** The landing page for a role. */
export function homePath(role: Role): string {
  return atLeast(role, 'staff') ? '/dashboard' : '/catalogue';
}
