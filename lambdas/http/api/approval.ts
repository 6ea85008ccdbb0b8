import { Hono } from 'hono';
import { z } from 'zod';
import { approveCampaign, sendBackCampaign, submitCampaign } from '../../app/campaign-approval.js';
import type { Deps } from '../../app/deps.js';
import { ApprovalComment } from '../../core/model.js';
import { principalId } from '../../core/principal.js';
import { noteChange, principalOf } from '../auth/context.js';
import { idParam, jsonBody, refused } from './shared.js';

const ApproveInput = z.object({ comment: ApprovalComment.optional() }).strict().default({});
const SendBackInput = z.object({ comment: ApprovalComment }).strict();

/**
 * A campaign's approval (app/campaign-approval.ts): an editor submits it; an approver who did not
 * write it approves it or sends it back with a comment. Route permissions are in route-policy.ts.
 */
export function approvalRoutes(deps: Pick<Deps, 'campaigns' | 'clock'>): Hono {
  const routes = new Hono();

  routes.post('/campaigns/:campaignId/submit', async (c) => {
    const actor = principalId(principalOf(c));
    const result = await submitCampaign(deps, actor, idParam(c, 'clubId'), idParam(c, 'campaignId'));
    if (!result.ok) throw refused(result);
    noteChange(c, { before: result.before, after: result.campaign });
    return c.json({ campaign: result.campaign });
  });

  routes.post('/campaigns/:campaignId/approve', async (c) => {
    const actor = principalId(principalOf(c));
    const { comment } = await jsonBody(c, ApproveInput, true);
    const result = await approveCampaign(deps, actor, idParam(c, 'clubId'), idParam(c, 'campaignId'), comment);
    if (!result.ok) throw refused(result);
    noteChange(c, { before: result.before, after: result.campaign });
    return c.json({ campaign: result.campaign });
  });

  routes.post('/campaigns/:campaignId/send-back', async (c) => {
    const actor = principalId(principalOf(c));
    const { comment } = await jsonBody(c, SendBackInput);
    const result = await sendBackCampaign(deps, actor, idParam(c, 'clubId'), idParam(c, 'campaignId'), comment);
    if (!result.ok) throw refused(result);
    noteChange(c, { before: result.before, after: result.campaign });
    return c.json({ campaign: result.campaign });
  });

  return routes;
}
