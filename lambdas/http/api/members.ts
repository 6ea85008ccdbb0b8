import { Hono } from 'hono';
import type { Deps } from '../../app/deps.js';
import { importMembers, MemberBatch, memberImportAnswer } from '../../app/import-members.js';
import { idParam, jsonBody, requireClub } from './shared.js';

/**
 * The club's members, synced from its own systems (docs/decisions/0020-member-sync.md): new ones are
 * created, existing ones get only the club's fields; erased addresses are not stored again.
 */
export function membersRoutes(deps: Pick<Deps, 'clubs' | 'members' | 'suppressions' | 'clock' | 'log'>): Hono {
  const routes = new Hono();

  // Up to 1,000 members and 2 MiB (route-policy.ts); bigger files are import jobs.
  routes.post('/members', async (c) => {
    const clubId = idParam(c, 'clubId');
    const { members } = await jsonBody(c, MemberBatch);
    const club = await requireClub(deps, clubId);
    // A member whose attributes do not fit the club's declarations is answered in `rejected`; the rest are stored.
    return c.json(memberImportAnswer(await importMembers(deps, clubId, members, club.attributes ?? [])));
  });

  return routes;
}
