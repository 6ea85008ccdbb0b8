import { Hono } from 'hono';
import type { Deps } from '../../app/deps.js';
import { eraseMember, exportMember } from '../../app/gdpr.js';
import { ApiError } from '../api-error.js';
import { idParam, requireClub } from './shared.js';

/**
 * GDPR requests that arrive by other channels (letter, phone, the shop): the same export and
 * erasure the member's own page offers.
 */
export function gdprRoutes(
  deps: Pick<Deps, 'clubs' | 'members' | 'memberData' | 'suppressions' | 'surveys' | 'feedbackCases' | 'clock' | 'log'>,
): Hono {
  const routes = new Hono();

  routes.get('/members/:memberId/export', async (c) => {
    const clubId = idParam(c, 'clubId');
    const memberId = idParam(c, 'memberId');
    await requireClub(deps, clubId);
    const data = await exportMember(deps, clubId, memberId);
    if (!data) throw new ApiError(404, 'not-found', `member ${memberId} does not exist`);
    c.header('Cache-Control', 'no-store');
    c.header('Content-Disposition', `attachment; filename="${clubId}-${memberId}.json"`);
    return c.json(data);
  });

  routes.post('/members/:memberId/erase', async (c) => {
    const clubId = idParam(c, 'clubId');
    const memberId = idParam(c, 'memberId');
    await requireClub(deps, clubId);
    const outcome = await eraseMember(deps, clubId, memberId, 'marketer-api');
    if (outcome.kind === 'not-found') throw new ApiError(404, 'not-found', `member ${memberId} does not exist`);
    return c.json({ erased: memberId, deletedItems: outcome.deletedItems });
  });

  return routes;
}
