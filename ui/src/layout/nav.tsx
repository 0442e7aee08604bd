import type { ReactNode } from 'react';
import type { Role } from '../api/types';
import { atLeast } from '../lib/roles';
import { APP_PAGES } from '../routeTable';
import type { NavKey } from '../routeTable';

export type { NavKey };

export interface NavItem {
  key: NavKey;
  path: string;
  icon: ReactNode;
  /** Shown only to users with at least this role (the page's own least role)… */
  min: Role;
  /** …and at most this one (the catalogue is the customers' product page). */
  max?: Role;
}

/** The side menu: the pages of the route table that have an entry, in the table's order. */
export const NAV: readonly NavItem[] = APP_PAGES.flatMap(({ path, min, menu }) =>
  menu ? [{ key: menu.key, path: `/${path}`, icon: menu.icon, min: min ?? 'customer', max: menu.max }] : [],
);

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
