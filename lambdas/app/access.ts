import type { Principal } from '../core/principal.js';
import type { ClubRole } from '../core/roles.js';
import type { Deps } from './deps.js';

/**
 * The caller's role on a club: a machine client's from its token's scopes (what the operator gave it
 * in the `machineClients` context), a marketer's from the table. Undefined: no role at all.
 */
export async function roleOn(
  deps: Pick<Deps, 'roles'>,
  principal: Principal,
  clubId: string,
): Promise<ClubRole | undefined> {
  if (principal.kind === 'machine') return principal.clubRoles.get(clubId);
  return (await deps.roles.get(clubId, principal.sub))?.role;
}
