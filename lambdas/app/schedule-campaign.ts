import { z } from 'zod';
import { approvalOf } from '../core/approval.js';
import { brandFit } from '../core/brand-fit.js';
import type { Campaign } from '../core/model.js';
import { fail, ok, type Result } from '../core/result.js';
import { MINUTE_MS } from '../core/units.js';
import { nextUpdate, write } from './campaign-approval.js';
import type { Deps } from './deps.js';
import type { Refusal } from './refusal.js';
import { senderNotReady } from './sender-check.js';

/** A new send time and the marketer's answer to a brand-fit clash; both keep the campaign's own when left out. */
export const ScheduleInput = z
  .object({ sendAt: z.iso.datetime({ offset: true }).optional(), brandFitOverride: z.boolean().optional() })
  .default({});
export type ScheduleInput = z.infer<typeof ScheduleInput>;

type ScheduleDeps = Pick<Deps, 'clubs' | 'campaigns' | 'scheduler' | 'clock' | 'sendingDomains' | 'identities'>;

/**
 * Schedule a draft (or move a scheduled campaign): not in the past, not with a theme that clashes
 * with the brand unless the marketer overrode it, where the club requires it only once approved, and
 * only while the club's sender is on its own sending domain and SES has verified it (sender-check.ts).
 * The schedule is armed before the status
 * moves, so a campaign marked scheduled always has a schedule behind it.
 */
export async function scheduleCampaign(
  deps: ScheduleDeps,
  clubId: string,
  campaignId: string,
  input: ScheduleInput,
): Promise<Result<{ campaign: Campaign }, Refusal>> {
  const current = await deps.campaigns.getCampaign(clubId, campaignId);
  if (!current) return fail({ why: 'not-found', message: `campaign ${campaignId} does not exist` });
  const sendAt = input.sendAt ?? current.sendAt;
  const now = deps.clock.now();
  if (Date.parse(sendAt) < now.getTime() - MINUTE_MS) {
    const message = `sendAt: ${sendAt} is in the past`;
    return fail({ why: 'invalid', message, issues: [] });
  }
  if (current.status !== 'draft' && current.status !== 'scheduled') {
    return fail({
      why: 'conflict',
      message: `campaign is ${current.status}; only a draft or scheduled campaign can be scheduled`,
    });
  }
  const override = input.brandFitOverride ?? current.brandFitOverride;
  const club = await deps.clubs.getClub(clubId);
  if (!club) return fail({ why: 'not-found', message: `club ${clubId} does not exist` });
  if (club.requireApproval) {
    const unapproved = approvalProblem(current, sendAt, override);
    if (unapproved) return fail({ why: 'conflict', message: unapproved });
  }
  const fit = brandFit(club.brand, current.theme);
  if (fit.verdict === 'clash' && !override) return fail({ why: 'brand-fit-clash', message: `theme: ${fit.message}` });
  const sender = await senderNotReady(deps, club);
  if (sender) return fail({ why: 'sender-not-ready', message: sender });
  await deps.scheduler.schedule(clubId, campaignId, new Date(sendAt));
  if (club.requireApproval) {
    // Written only if the campaign is still as it was approved: an edit meanwhile withdrew the approval.
    const at = nextUpdate(current, now);
    const next: Campaign = { ...current, status: 'scheduled', sendAt: new Date(sendAt).toISOString(), updatedAt: at };
    const written = await write(deps, current, next);
    return written.ok ? ok({ campaign: written.campaign }) : written;
  }
  const moved = await deps.campaigns.transition(clubId, campaignId, ['draft', 'scheduled'], 'scheduled', now, {
    sendAt: new Date(sendAt).toISOString(),
    brandFitOverride: override,
  });
  if (!moved.ok) {
    return fail({ why: 'conflict', message: `campaign changed meanwhile; it is ${moved.campaign?.status ?? 'gone'}` });
  }
  return ok({ campaign: moved.campaign });
}

/**
 * Why a campaign may not be scheduled where the club requires approval, or undefined: it must be
 * approved, at the send time and brand-fit answer the approver saw (changing them is an edit).
 */
function approvalProblem(campaign: Campaign, sendAt: string, override: boolean): string | undefined {
  const { state } = approvalOf(campaign);
  if (state !== 'approved') {
    return `campaign is ${state === 'none' ? 'not submitted' : state}; the club requires approval before scheduling`;
  }
  if (Date.parse(sendAt) !== Date.parse(campaign.sendAt)) {
    return 'sendAt: differs from the approved campaign; edit it (which withdraws the approval) to move it';
  }
  if (override !== campaign.brandFitOverride) {
    return 'brandFitOverride: differs from the approved campaign; edit it (which withdraws the approval)';
  }
  return undefined;
}

/** Cancel a campaign that has not started sending; its schedule goes after the status has moved. */
export async function cancelCampaign(
  deps: ScheduleDeps,
  clubId: string,
  campaignId: string,
): Promise<Result<{ campaign: Campaign }, Refusal>> {
  if (!(await deps.campaigns.getCampaign(clubId, campaignId))) {
    return fail({ why: 'not-found', message: `campaign ${campaignId} does not exist` });
  }
  const moved = await deps.campaigns.transition(
    clubId,
    campaignId,
    ['draft', 'scheduled', 'planning', 'planned'],
    'cancelled',
    deps.clock.now(),
  );
  if (!moved.ok) {
    return fail({
      why: 'conflict',
      message: `campaign is ${moved.campaign?.status ?? 'gone'} and cannot be cancelled`,
    });
  }
  await deps.scheduler.cancel(clubId, campaignId);
  return ok({ campaign: moved.campaign });
}
