import { Hono } from 'hono';
import { z } from 'zod';
import type { Deps } from '../../app/deps.js';
import { Member } from '../../core/model.js';
import { idParam, jsonBody, requireClub } from './shared.js';

const MembersInput = z.object({
  members: z
    .array(Member.omit({ clubId: true }))
    .min(1)
    .max(1000),
});

/** The club's members, imported from its own systems. */
export function membersRoutes(deps: Pick<Deps, 'clubs' | 'members' | 'suppressions' | 'log'>): Hono {
  const routes = new Hono();

  routes.post('/members', async (c) => {
    const clubId = idParam(c, 'clubId');
    const { members } = await jsonBody(c, MembersInput);
    await requireClub(deps, clubId);
    // An erased member stays erased (GDPR Art. 17): an address on the suppression list is not stored again.
    const suppressed: string[] = [];
    for (const member of members) {
      if (await deps.suppressions.has(clubId, member.email)) suppressed.push(member.memberId);
      else await deps.members.putMember({ ...member, clubId });
    }
    if (suppressed.length > 0) deps.log.info('erased members not re-imported', { clubId, count: suppressed.length });
    return c.json({ stored: members.length - suppressed.length, ...(suppressed.length > 0 ? { suppressed } : {}) });
  });

  return routes;
}
