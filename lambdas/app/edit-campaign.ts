import { z } from 'zod';
import { edited } from '../core/approval.js';
import { Campaign } from '../core/model.js';
import { fail, ok } from '../core/result.js';
import { type Changed, nextUpdate, write } from './campaign-approval.js';
import { CampaignInput, checkCampaignContent } from './create-campaign.js';
import type { Deps } from './deps.js';
import { invalid } from './refusal.js';

const field = CampaignInput.shape;

/**
 * The fields an edit may change: any of a new campaign's but its id, each optional and without the
 * defaults creation fills in (a field left out keeps its value). Strict: a misspelt field is an error.
 */
export const CampaignPatch = z
  .object({
    name: field.name.optional(),
    theme: field.theme,
    offerPool: field.offerPool.unwrap().optional(),
    offersPerMail: field.offersPerMail,
    relevanceFloor: field.relevanceFloor,
    themeId: field.themeId,
    kind: field.kind.unwrap().optional(),
    priority: field.priority.unwrap().optional(),
    holdoutShare: field.holdoutShare.unwrap().optional(),
    brandFitOverride: field.brandFitOverride.unwrap().optional(),
    occasion: field.occasion,
    template: field.template,
    /** A saved audience, or null for every member again. */
    audienceId: field.audienceId.unwrap().nullable().optional(),
    survey: field.survey,
    note: field.note,
    sendAt: field.sendAt.optional(),
  })
  .strict();
export type CampaignPatch = z.infer<typeof CampaignPatch>;

/** The fields that make up what a campaign says and when: what an approval covers. */
const CONTENT: readonly string[] = Object.keys(CampaignPatch.shape);

function content(campaign: Campaign): string {
  const entries = Object.entries(campaign).filter(([key]) => CONTENT.includes(key));
  return JSON.stringify(Object.fromEntries(entries.sort(([a], [b]) => a.localeCompare(b))));
}

/**
 * Edit a draft or scheduled campaign as `actor` (a principal id), with the same checks as on
 * creation. An edit that changes nothing changes nothing. Any other edit makes the actor an author
 * and withdraws a submission or approval (an approval covers the campaign as it was approved). A
 * scheduled campaign goes back to draft and its schedule is removed: it is scheduled again, and
 * where the club requires approval, approved again first.
 */
export async function editCampaign(
  deps: Pick<Deps, 'clubs' | 'campaigns' | 'scheduler' | 'clock'>,
  actor: string,
  clubId: string,
  campaignId: string,
  patch: CampaignPatch,
): Promise<Changed> {
  const before = await deps.campaigns.getCampaign(clubId, campaignId);
  if (!before) return fail({ why: 'not-found', message: `campaign ${campaignId} does not exist` });
  if (before.status !== 'draft' && before.status !== 'scheduled') {
    return fail({
      why: 'conflict',
      message: `campaign is ${before.status}; only a draft or scheduled one can be edited`,
    });
  }
  const { audienceId, ...rest } = patch;
  const { audienceId: previous, ...kept } = before;
  const target = audienceId === undefined ? previous : (audienceId ?? undefined);
  const merged = { ...kept, ...rest, ...(target ? { audienceId: target } : {}) };
  const { issues, theme } = await checkCampaignContent(deps, clubId, merged);
  if (issues.length > 0) return fail(invalid(issues));
  const candidate = Campaign.parse({ ...merged, theme });
  if (content(candidate) === content(before)) return ok({ campaign: before, before });
  const at = nextUpdate(before, deps.clock.now());
  const next: Campaign = { ...edited(candidate, actor, at), status: 'draft', updatedAt: at };
  const written = await write(deps, before, next);
  // After the write: a start that fires now finds a draft and does nothing (app/start-campaign.ts).
  if (written.ok && before.status === 'scheduled') await deps.scheduler.cancel(clubId, campaignId);
  return written;
}
