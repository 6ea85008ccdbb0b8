import { Hono } from 'hono';
import { z } from 'zod';
import { loadCampaignContext } from '../../app/campaign-context.js';
import { campaignReport } from '../../app/campaign-report.js';
import { CampaignInput, createCampaign } from '../../app/create-campaign.js';
import type { Deps } from '../../app/deps.js';
import { dryRun } from '../../app/dry-run.js';
import { cancelCampaign, ScheduleInput, scheduleCampaign } from '../../app/schedule-campaign.js';
import { brandFit } from '../../core/brand-fit.js';
import { ApiError } from '../api-error.js';
import { modelSummary } from './model.js';
import { idParam, jsonBody, queryOf, refused, requireCampaign, requireClub } from './shared.js';

const DryRunQuery = z.object({ limit: z.coerce.number().int().min(1).max(5000).default(1000) });

/** Campaigns: create a draft, dry-run it, schedule or cancel it, and read its report. */
export function campaignsRoutes(
  deps: Pick<
    Deps,
    | 'clubs'
    | 'campaigns'
    | 'members'
    | 'popularity'
    | 'models'
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
    const created = await createCampaign(deps, clubId, await jsonBody(c, CampaignInput));
    if (!created.ok) throw refused(created);
    return c.json({ campaign: created.campaign }, 201);
  });

  routes.get('/campaigns', async (c) => {
    const clubId = idParam(c, 'clubId');
    await requireClub(deps, clubId);
    return c.json({ campaigns: await deps.campaigns.listCampaigns(clubId) });
  });

  routes.get('/campaigns/:campaignId', async (c) => {
    const campaign = await requireCampaign(deps, idParam(c, 'clubId'), idParam(c, 'campaignId'));
    return c.json({ report: await campaignReport(deps, campaign) });
  });

  routes.post('/campaigns/:campaignId/dry-run', async (c) => {
    const clubId = idParam(c, 'clubId');
    const campaignId = idParam(c, 'campaignId');
    const query = queryOf(c, DryRunQuery);
    const context = await loadCampaignContext(deps, clubId, campaignId);
    if (!context) throw new ApiError(404, 'not-found', `campaign ${campaignId} does not exist`);
    return c.json({
      dryRun: await dryRun(deps, context, query.limit),
      model: modelSummary(context.model),
      brandFit: brandFit(context.club.brand, context.campaign.theme),
    });
  });

  routes.post('/campaigns/:campaignId/schedule', async (c) => {
    const clubId = idParam(c, 'clubId');
    const campaignId = idParam(c, 'campaignId');
    const scheduled = await scheduleCampaign(deps, clubId, campaignId, await jsonBody(c, ScheduleInput, true));
    if (!scheduled.ok) throw refused(scheduled);
    return c.json({ campaign: scheduled.campaign });
  });

  routes.post('/campaigns/:campaignId/cancel', async (c) => {
    const cancelled = await cancelCampaign(deps, idParam(c, 'clubId'), idParam(c, 'campaignId'));
    if (!cancelled.ok) throw refused(cancelled);
    return c.json({ campaign: cancelled.campaign });
  });

  return routes;
}
