import { z } from 'zod';
import { fail, ok, type Result } from '../core/result.js';
import { ClubRole, type RoleAssignment } from '../core/roles.js';
import type { Deps } from './deps.js';
import type { Refusal } from './refusal.js';

/**
 * A club's team (docs/decisions/0027-marketer-roles-and-approval.md): the marketers with a role on
 * it, managed by its admins. Machine clients are not on the team: their roles are their scopes, set
 * by the operator in the `machineClients` context. A club keeps at least one admin once it has one.
 */
export const Invitation = z.object({ email: z.email().max(254), role: ClubRole }).strict();
export type Invitation = z.infer<typeof Invitation>;

export const RoleChange = z.object({ role: ClubRole }).strict();

type TeamDeps = Pick<Deps, 'roles' | 'directory' | 'clock' | 'log'>;
type TeamChange = Result<{ member: RoleAssignment; before?: RoleAssignment; created?: boolean }, Refusal>;

export async function listTeam(deps: Pick<Deps, 'roles'>, clubId: string): Promise<RoleAssignment[]> {
  const team = await deps.roles.list(clubId);
  return team.sort((a, b) => (a.email ?? a.userId).localeCompare(b.email ?? b.userId));
}

/**
 * Give `email` a role on the club: the directory finds the marketer's account or creates one and
 * invites them (Cognito mails a temporary password). Someone on the team already is a conflict:
 * change their role instead.
 */
export async function inviteToTeam(
  deps: TeamDeps,
  actor: string,
  clubId: string,
  invitation: Invitation,
): Promise<TeamChange> {
  const account = await deps.directory.invite(invitation.email);
  const existing = await deps.roles.get(clubId, account.userId);
  if (existing) {
    return fail({ why: 'conflict', message: `email: ${invitation.email} is on the team already, as ${existing.role}` });
  }
  const member: RoleAssignment = {
    clubId,
    userId: account.userId,
    email: account.email,
    role: invitation.role,
    grantedBy: actor,
    grantedAt: deps.clock.now().toISOString(),
  };
  await deps.roles.put(member);
  deps.log.info('marketer added to a team', {
    clubId,
    userId: account.userId,
    role: invitation.role,
    created: account.created,
  });
  return ok({ member, created: account.created });
}

export async function changeRole(
  deps: TeamDeps,
  actor: string,
  clubId: string,
  userId: string,
  role: ClubRole,
): Promise<TeamChange> {
  const before = await deps.roles.get(clubId, userId);
  if (!before) return fail({ why: 'not-found', message: `team member ${userId} does not exist` });
  if (before.role === 'admin' && role !== 'admin' && (await isLastAdmin(deps, clubId))) {
    return fail({ why: 'conflict', message: 'role: the club needs an admin; make someone else admin first' });
  }
  const member: RoleAssignment = { ...before, role, grantedBy: actor, grantedAt: deps.clock.now().toISOString() };
  await deps.roles.put(member);
  return ok({ member, before });
}

export async function removeFromTeam(deps: TeamDeps, clubId: string, userId: string): Promise<TeamChange> {
  const before = await deps.roles.get(clubId, userId);
  if (!before) return fail({ why: 'not-found', message: `team member ${userId} does not exist` });
  if (before.role === 'admin' && (await isLastAdmin(deps, clubId))) {
    return fail({ why: 'conflict', message: 'the club needs an admin; make someone else admin first' });
  }
  await deps.roles.remove(clubId, userId);
  return ok({ member: before, before });
}

async function isLastAdmin(deps: Pick<Deps, 'roles'>, clubId: string): Promise<boolean> {
  const team = await deps.roles.list(clubId);
  return team.filter((m) => m.role === 'admin').length <= 1;
}
