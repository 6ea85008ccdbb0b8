import { Hono } from 'hono';
import { z } from 'zod';
import { campaignReport } from '../../app/campaign-report.js';
import { CampaignInput, createCampaign } from '../../app/create-campaign.js';
import type { Deps } from '../../app/deps.js';
import { dryRun, loadDryRunContext } from '../../app/dry-run.js';
import { CampaignPatch, editCampaign } from '../../app/edit-campaign.js';
import { cancelCampaign, ScheduleInput, scheduleCampaign } from '../../app/schedule-campaign.js';
import { brandFit } from '../../core/brand-fit.js';
import { CampaignCursor, cursorOf } from '../../core/campaign-place.js';
import { Language } from '../../core/model.js';
import { principalId } from '../../core/principal.js';
import { ApiError } from '../api-error.js';
import { noteChange, principalOf } from '../auth/context.js';
import { modelSummary } from './model.js';
import { idParam, jsonBody, queryOf, refused, requireCampaign, requireClub } from './shared.js';

const DryRunQuery = z.object({
  limit: z.coerce.number().int().min(1).max(5000).default(1000),
  /** The language of the sentences that explain a member's own choice (sv, da, en); the club's by default. */
  lang: Language.optional(),
});

/** `GET …/campaigns?limit=&after=`: a page of the list, newest first (docs/decisions/0059). */
const ListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).optional(),
  after: CampaignCursor.optional(),
});
const DEFAULT_PAGE = 100;

/** Campaigns: create a draft, edit it, dry-run it, schedule or cancel it, and read its report. */
export function campaignsRoutes(
  deps: Pick<
    Deps,
    | 'clubs'
    | 'campaigns'
    | 'members'
    | 'popularity'
    | 'models'
    | 'surveys'
    | 'experiments'
    | 'scheduler'
    | 'clock'
    | 'log'
    | 'deliveryStats'
    | 'sending'
    | 'sendingDomains'
    | 'identities'
  >,
): Hono {
  const routes = new Hono();

  routes.post('/campaigns', async (c) => {
    const clubId = idParam(c, 'clubId');
    const input = await jsonBody(c, CampaignInput);
    const created = await createCampaign(deps, clubId, input, principalId(principalOf(c)));
    if (!created.ok) throw refused(created);
    noteChange(c, { after: created.campaign });
    return c.json({ campaign: created.campaign }, 201);
  });

  routes.get('/campaigns', async (c) => {
    const clubId = idParam(c, 'clubId');
    const { limit, after } = queryOf(c, ListQuery);
    await requireClub(deps, clubId);
    // Without `limit` or `after`, every campaign, as before; with them, newest first a page at a time.
    if (limit === undefined && after === undefined)
      return c.json({ campaigns: await deps.campaigns.listCampaigns(clubId) });
    const page = await deps.campaigns.campaignPage(clubId, limit ?? DEFAULT_PAGE, after);
    return c.json({ campaigns: page.campaigns, ...(page.next ? { next: cursorOf(page.next) } : {}) });
  });

  routes.get('/campaigns/:campaignId', async (c) => {
    const campaign = await requireCampaign(deps, idParam(c, 'clubId'), idParam(c, 'campaignId'));
    return c.json({ report: await campaignReport(deps, campaign) });
  });

  // Any change withdraws a submission or approval, and a scheduled campaign goes back to draft.
  routes.patch('/campaigns/:campaignId', async (c) => {
    const clubId = idParam(c, 'clubId');
    const campaignId = idParam(c, 'campaignId');
    const patch = await jsonBody(c, CampaignPatch);
    const edited = await editCampaign(deps, principalId(principalOf(c)), clubId, campaignId, patch);
    if (!edited.ok) throw refused(edited);
    noteChange(c, { before: edited.before, after: edited.campaign });
    return c.json({ campaign: edited.campaign });
  });

  routes.post('/campaigns/:campaignId/dry-run', async (c) => {
    const clubId = idParam(c, 'clubId');
    const campaignId = idParam(c, 'campaignId');
    const query = queryOf(c, DryRunQuery);
    const context = await loadDryRunContext(deps, clubId, campaignId);
    if (!context) throw new ApiError(404, 'not-found', `campaign ${campaignId} does not exist`);
    return c.json({
      dryRun: await dryRun(deps, context, query.limit, query.lang),
      model: modelSummary(context.model),
      brandFit: brandFit(context.club.brand, context.campaign.theme),
    });
  });

  routes.post('/campaigns/:campaignId/schedule', async (c) => {
    const clubId = idParam(c, 'clubId');
    const campaignId = idParam(c, 'campaignId');
    const before = await requireCampaign(deps, clubId, campaignId);
    const scheduled = await scheduleCampaign(deps, clubId, campaignId, await jsonBody(c, ScheduleInput, true));
    if (!scheduled.ok) throw refused(scheduled);
    noteChange(c, { before, after: scheduled.campaign });
    return c.json({ campaign: scheduled.campaign });
  });

  routes.post('/campaigns/:campaignId/cancel', async (c) => {
    const clubId = idParam(c, 'clubId');
    const campaignId = idParam(c, 'campaignId');
    const before = await requireCampaign(deps, clubId, campaignId);
    const cancelled = await cancelCampaign(deps, clubId, campaignId);
    if (!cancelled.ok) throw refused(cancelled);
    noteChange(c, { before, after: cancelled.campaign });
    return c.json({ campaign: cancelled.campaign });
  });

  return routes;
}
