import { z } from 'zod';
import { Id } from './model.js';

/**
 * What a marketer or machine client may do on one club (docs/decisions/0027-marketer-roles-and-approval.md).
 * The roles form a ladder: each one may do everything the ones below it may.
 * - viewer: reads;
 * - editor: changes campaigns, the catalog, members and purchases;
 * - approver: approves campaigns others wrote;
 * - admin: manages the club's team and settings.
 */
export const ClubRole = z.enum(['viewer', 'editor', 'approver', 'admin']);
export type ClubRole = z.infer<typeof ClubRole>;

/** What a route asks of its caller, one per rung of the ladder. */
export const Permission = z.enum(['read', 'write', 'approve', 'manage']);
export type Permission = z.infer<typeof Permission>;

const RANK: Readonly<Record<ClubRole, number>> = { viewer: 0, editor: 1, approver: 2, admin: 3 };
const NEEDS: Readonly<Record<Permission, ClubRole>> = {
  read: 'viewer',
  write: 'editor',
  approve: 'approver',
  manage: 'admin',
};

/** The least role that has `permission`. */
export function roleFor(permission: Permission): ClubRole {
  return NEEDS[permission];
}

export function roleAllows(role: ClubRole, permission: Permission): boolean {
  return RANK[role] >= RANK[NEEDS[permission]];
}

/** The resource server of machine scopes, on Cognito and on the local issuer alike. */
export const RESOURCE_SERVER_ID = 'club-planner';

/** `club-planner/club:<clubId>:<role>`: a machine client's role on one club. */
export function clubScope(clubId: string, role: ClubRole): string {
  return `${RESOURCE_SERVER_ID}/club:${clubId}:${role}`;
}

const SCOPE = /^club-planner\/club:([^:]+):([a-z]+)$/;

/**
 * A machine client's roles by club, from its access token's `scope` (space-separated). Scopes of
 * another shape, a malformed club id or an unknown role are ignored; two scopes for one club give
 * the higher role.
 */
export function clubRolesFromScope(scope: string | undefined): ReadonlyMap<string, ClubRole> {
  const roles = new Map<string, ClubRole>();
  for (const item of (scope ?? '').split(' ')) {
    const match = SCOPE.exec(item);
    if (!match) continue;
    const clubId = Id.safeParse(match[1]);
    const role = ClubRole.safeParse(match[2]);
    if (!clubId.success || !role.success) continue;
    const held = roles.get(clubId.data);
    if (!held || RANK[role.data] > RANK[held]) roles.set(clubId.data, role.data);
  }
  return roles;
}

/** One marketer's role on one club, as the table stores it. */
export const RoleAssignment = z.object({
  clubId: Id,
  /** The marketer's `sub` at the issuer (Cognito, or the local issuer). */
  userId: z.string().min(1).max(128),
  /** Absent for a club's creator until the directory tells it (Cognito's access tokens carry no address). */
  email: z.email().optional(),
  role: ClubRole,
  /** Who gave it (a principal id, see core/principal.ts), and when. */
  grantedBy: z.string().min(1),
  grantedAt: z.iso.datetime(),
});
export type RoleAssignment = z.infer<typeof RoleAssignment>;
