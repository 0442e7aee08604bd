import type { Role } from '../api/types';

const RANK: Record<Role, number> = { customer: 0, staff: 1, admin: 2, superadmin: 3 };

/** superadmin > admin > staff > customer. */
export function atLeast(role: Role | undefined, min: Role): boolean {
  if (!role || !(role in RANK)) return false;
  return RANK[role] >= RANK[min];
}

/** The roles an actor may hand out: only the superadmin grants admin; nobody grants superadmin. */
export function grantableRoles(actor: Role): Role[] {
  if (actor === 'superadmin') return ['customer', 'staff', 'admin'];
  if (actor === 'admin') return ['customer', 'staff'];
  return [];
}

/** May the actor change this user at all? Admins and up are changed only by the superadmin. */
export function canManageUser(actor: { id: number; role: Role }, target: { id: number; role: Role }): boolean {
  if (!atLeast(actor.role, 'admin')) return false;
  if (target.role === 'superadmin') return false;
  if (actor.id === target.id) return false;
  return !atLeast(target.role, 'admin') || actor.role === 'superadmin';
}

/** The landing page for a role. */
export function homePath(role: Role): string {
  return atLeast(role, 'staff') ? '/dashboard' : '/catalogue';
}
