import type { Context } from 'hono';
import { ClubPlannerError } from '../../core/errors.js';
import type { Principal } from '../../core/principal.js';
import type { ClubRole } from '../../core/roles.js';

/** What the route changed, for the audit trail (audit-trail.ts): the record before and after. */
export interface Change {
  readonly before?: unknown;
  readonly after?: unknown;
}

declare module 'hono' {
  interface ContextVariableMap {
    /** The verified caller (bearer.ts). */
    principal: Principal;
    /** The caller's role on the club in the path, if any (club-access.ts). */
    clubRole: ClubRole | undefined;
    change: Change;
  }
}

/** The verified caller of a marketer route; the bearer middleware runs before every one. */
export function principalOf(c: Context): Principal {
  const principal = c.get('principal');
  if (!principal) throw new ClubPlannerError('a marketer route ran without the bearer middleware');
  return principal;
}

/** Note what a route changed, for the audit trail. */
export function noteChange(c: Context, change: Change): void {
  c.set('change', change);
}
