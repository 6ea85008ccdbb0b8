import type { Context, MiddlewareHandler } from 'hono';
import { roleOn } from '../../app/access.js';
import type { Deps } from '../../app/deps.js';
import { Id } from '../../core/model.js';
import { isOperator } from '../../core/principal.js';
import { roleAllows, roleFor } from '../../core/roles.js';
import { ApiError } from '../api-error.js';
import { requestPolicy, routeKey } from '../route-policy.js';
import { principalOf } from './context.js';

/** The one answer for a club the caller may not see, the same as for a club that does not exist. */
export function clubNotFound(clubId: string): ApiError {
  return new ApiError(404, 'not-found', `club ${clubId} does not exist`);
}

/** Creating a club: an operator may PUT a club id nobody holds a role on (app/club-settings.ts). */
const CREATE_CLUB = routeKey('PUT', '/api/clubs/:clubId');

/**
 * The role check of every route below `/api/clubs/:clubId` (docs/decisions/0027-marketer-roles-and-approval.md):
 * - no role on the club: 404, the very answer a club that does not exist gets, so no one learns
 *   which clubs exist;
 * - a role too low for the route's permission (route-policy.ts): 403 naming the role needed.
 * A marketer's role is read from the table on each request (a removal takes effect at once); a
 * machine client's comes from its token's scopes.
 */
export function clubAccess(deps: Pick<Deps, 'roles'>): MiddlewareHandler {
  return async (c, next) => {
    const clubId = clubIdOf(c);
    const principal = principalOf(c);
    const policy = requestPolicy(c);
    const role = await roleOn(deps, principal, clubId);
    c.set('clubRole', role);
    if (!role) {
      // The settings route decides itself whether an operator may create this club (it must not exist).
      if (policy.key === CREATE_CLUB && isOperator(principal)) return next();
      throw clubNotFound(clubId);
    }
    if (!roleAllows(role, policy.permission)) {
      throw new ApiError(
        403,
        'forbidden',
        `this needs the ${roleFor(policy.permission)} role on club ${clubId}; you are ${role}`,
      );
    }
    return next();
  };
}

function clubIdOf(c: Context): string {
  const parsed = Id.safeParse(c.req.param('clubId'));
  if (!parsed.success) throw new ApiError(400, 'validation', `clubId: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  return parsed.data;
}
