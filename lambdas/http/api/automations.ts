import { Hono } from 'hono';
import { AutomationInput, automationDetail, createAutomation, stepAutomation, viewOf } from '../../app/automations.js';
import type { Deps } from '../../app/deps.js';
import { principalId } from '../../core/principal.js';
import { ApiError } from '../api-error.js';
import { noteChange, principalOf } from '../auth/context.js';
import { idParam, jsonBody, refused, requireClub } from './shared.js';

type AutomationRouteDeps = Pick<
  Deps,
  'clubs' | 'campaigns' | 'automations' | 'recurring' | 'clock' | 'sendingDomains' | 'identities'
>;

/**
 * Recurring automations (app/automations.ts): create (an editor), list with the next run, read one
 * with its runs (each a campaign with its own report), approve where the club requires it (an
 * approver who did not create it), pause, resume and stop. Route permissions are in route-policy.ts.
 */
export function automationsRoutes(deps: AutomationRouteDeps): Hono {
  const routes = new Hono();

  routes.post('/automations', async (c) => {
    const clubId = idParam(c, 'clubId');
    const input = await jsonBody(c, AutomationInput);
    const created = await createAutomation(deps, clubId, input, principalId(principalOf(c)));
    if (!created.ok) throw refused(created);
    noteChange(c, { after: created.automation });
    return c.json({ automation: viewOf(created.automation, deps.clock.now()) }, 201);
  });

  routes.get('/automations', async (c) => {
    const clubId = idParam(c, 'clubId');
    await requireClub(deps, clubId);
    const now = deps.clock.now();
    const automations = await deps.automations.list(clubId);
    return c.json({ automations: automations.map((a) => viewOf(a, now)) });
  });

  routes.get('/automations/:automationId', async (c) => {
    const automationId = idParam(c, 'automationId');
    const detail = await automationDetail(deps, idParam(c, 'clubId'), automationId);
    if (!detail) throw new ApiError(404, 'not-found', `automation ${automationId} does not exist`);
    return c.json(detail);
  });

  for (const step of ['approve', 'pause', 'resume', 'stop'] as const) {
    routes.post(`/automations/:automationId/${step}`, async (c) => {
      const actor = principalId(principalOf(c));
      const result = await stepAutomation(deps, idParam(c, 'clubId'), idParam(c, 'automationId'), step, actor);
      if (!result.ok) throw refused(result);
      noteChange(c, { before: result.before, after: result.automation });
      return c.json({ automation: viewOf(result.automation, deps.clock.now()) });
    });
  }

  return routes;
}
