import { Hono } from 'hono';
import { z } from 'zod';
import { estimateAudience } from '../../app/audience-estimate.js';
import { AudienceInput, deleteAudience, saveAudience } from '../../app/audiences.js';
import type { Deps } from '../../app/deps.js';
import { Topic } from '../../core/model.js';
import { principalId } from '../../core/principal.js';
import { ApiError } from '../api-error.js';
import { noteChange, principalOf } from '../auth/context.js';
import { idParam, jsonBody, queryOf, refused, requireClub } from './shared.js';

const EstimateQuery = z.object({ topic: Topic.default('offers') });

/**
 * The club's saved audiences (docs/decisions/0039-audiences.md): whom a campaign is for, as a rule
 * over attributes, purchases and lifecycle (never diets), and how many members one reaches now.
 */
export function audiencesRoutes(
  deps: Pick<Deps, 'clubs' | 'campaigns' | 'files' | 'importQueue' | 'experiments' | 'clock' | 'log'>,
): Hono {
  const routes = new Hono();

  routes.get('/audiences', async (c) => {
    const clubId = idParam(c, 'clubId');
    await requireClub(deps, clubId);
    return c.json({ audiences: await deps.clubs.listAudiences(clubId) });
  });

  routes.get('/audiences/:audienceId', async (c) => {
    const clubId = idParam(c, 'clubId');
    const audienceId = idParam(c, 'audienceId');
    await requireClub(deps, clubId);
    const audience = (await deps.clubs.listAudiences(clubId)).find((a) => a.audienceId === audienceId);
    if (!audience) throw new ApiError(404, 'not-found', `audience ${audienceId} does not exist`);
    return c.json({ audience });
  });

  routes.put('/audiences/:audienceId', async (c) => {
    const clubId = idParam(c, 'clubId');
    const audienceId = idParam(c, 'audienceId');
    const input = await jsonBody(c, AudienceInput);
    const saved = await saveAudience(deps, clubId, audienceId, input, principalId(principalOf(c)));
    if (!saved.ok) throw refused(saved);
    noteChange(c, { after: saved.audience });
    return c.json({ audience: saved.audience }, saved.created ? 201 : 200);
  });

  routes.delete('/audiences/:audienceId', async (c) => {
    const clubId = idParam(c, 'clubId');
    const deleted = await deleteAudience(deps, clubId, idParam(c, 'audienceId'));
    if (!deleted.ok) throw refused(deleted);
    noteChange(c, { before: deleted.audience });
    return c.json({ deleted: deleted.audience.audienceId });
  });

  // Counts without writing a member: a reader's (route-policy.ts). The facts it counts are rebuilt by
  // the import worker when missing or over an hour old; until the first are written it answers 202.
  routes.post('/audiences/:audienceId/estimate', async (c) => {
    const clubId = idParam(c, 'clubId');
    const audienceId = idParam(c, 'audienceId');
    const { topic } = queryOf(c, EstimateQuery);
    await requireClub(deps, clubId);
    const saved = await deps.clubs.listAudiences(clubId);
    const audience = saved.find((a) => a.audienceId === audienceId);
    if (!audience) throw new ApiError(404, 'not-found', `audience ${audienceId} does not exist`);
    const outcome = await estimateAudience(deps, audience, saved, topic);
    if (outcome.kind === 'preparing' || outcome.stale)
      await deps.importQueue.send([{ step: 'audience-facts', clubId }]);
    if (outcome.kind === 'preparing') {
      c.header('retry-after', '5');
      return c.json({ status: 'preparing', message: "the club's audience facts are being written; ask again" }, 202);
    }
    return c.json({ estimate: outcome.estimate, ...(outcome.stale ? { refreshing: true } : {}) });
  });

  return routes;
}
