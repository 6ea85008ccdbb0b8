import type { z } from 'zod';
import { Club } from '../core/model.js';
import { isOperator, type Principal, principalId } from '../core/principal.js';
import { fail, ok, type Result } from '../core/result.js';
import type { ClubRole } from '../core/roles.js';
import type { Deps } from './deps.js';
import type { Refusal } from './refusal.js';
import { senderRefusal } from './sender-check.js';

/** A club as its admin sends it: everything but its id and creation time, replaced whole. */
export const ClubInput = Club.omit({ clubId: true, createdAt: true });
export type ClubInput = z.infer<typeof ClubInput>;

type SettingsDeps = Pick<Deps, 'clubs' | 'roles' | 'directory' | 'clock' | 'log' | 'sendingDomains'>;

/**
 * Create or replace a club's settings (docs/decisions/0027-marketer-roles-and-approval.md).
 * - An admin of the club replaces them.
 * - A club id nobody holds may be created by an operator (a marketer in the `operators` group), who
 *   becomes its first admin, or by a machine client whose scopes make it admin of that id (the
 *   operator configured it so).
 * - Anyone else gets the club's one 404, whether it exists or not.
 * - The sender must be on one of the club's own sending domains (docs/decisions/0030-club-sender-and-sender-check.md).
 */
export async function saveClubSettings(
  deps: SettingsDeps,
  caller: { principal: Principal; role: ClubRole | undefined },
  clubId: string,
  input: ClubInput,
): Promise<Result<{ club: Club; created: boolean; before?: Club }, Refusal>> {
  const notFound: Refusal = { why: 'not-found', message: `club ${clubId} does not exist` };
  const existing = await deps.clubs.getClub(clubId);
  if (existing) {
    if (caller.role !== 'admin') return fail(notFound);
    const sender = senderRefusal(deps.sendingDomains, clubId, input.senderEmail);
    if (sender) return fail(sender);
    const club: Club = Club.parse({ ...input, clubId, createdAt: existing.createdAt });
    await deps.clubs.putClub(club);
    return ok({ club, created: false, before: existing });
  }
  if (caller.role !== 'admin' && !isOperator(caller.principal)) return fail(notFound);
  const sender = senderRefusal(deps.sendingDomains, clubId, input.senderEmail);
  if (sender) return fail(sender);
  const now = deps.clock.now().toISOString();
  const club: Club = Club.parse({ ...input, clubId, createdAt: now });
  if ((await deps.clubs.createClub(club)) === 'exists') return fail(notFound);
  if (caller.principal.kind === 'user') {
    const { sub } = caller.principal;
    const email = await deps.directory.emailOf(sub).catch(() => undefined);
    await deps.roles.put({
      clubId,
      userId: sub,
      ...(email ? { email } : {}),
      role: 'admin',
      grantedBy: principalId(caller.principal),
      grantedAt: now,
    });
  }
  deps.log.info('club created', { clubId, by: principalId(caller.principal) });
  return ok({ club, created: true });
}
