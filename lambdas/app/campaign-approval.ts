import { approve, sendBack, submit } from '../core/approval.js';
import type { Campaign } from '../core/model.js';
import { fail, ok, type Result } from '../core/result.js';
import type { Deps } from './deps.js';
import type { Refusal } from './refusal.js';

/**
 * The approval steps as use cases (core/approval.ts has the rules): each reads the campaign, takes
 * one step as `actor` (a principal id), and writes it back only if nobody changed the campaign
 * meanwhile. The answer carries the campaign before and after, for the audit trail.
 */
export type Changed = Result<{ campaign: Campaign; before: Campaign }, Refusal>;

type Step = (campaign: Campaign, at: string) => ReturnType<typeof submit>;
type ApprovalDeps = Pick<Deps, 'campaigns' | 'clock'>;

export function submitCampaign(
  deps: ApprovalDeps,
  actor: string,
  clubId: string,
  campaignId: string,
): Promise<Changed> {
  return takeStep(deps, clubId, campaignId, (campaign, at) => submit(campaign, actor, at));
}

export function approveCampaign(
  deps: ApprovalDeps,
  actor: string,
  clubId: string,
  campaignId: string,
  comment?: string,
): Promise<Changed> {
  return takeStep(deps, clubId, campaignId, (campaign, at) => approve(campaign, actor, at, comment));
}

export function sendBackCampaign(
  deps: ApprovalDeps,
  actor: string,
  clubId: string,
  campaignId: string,
  comment: string,
): Promise<Changed> {
  return takeStep(deps, clubId, campaignId, (campaign, at) => sendBack(campaign, actor, at, comment));
}

async function takeStep(deps: ApprovalDeps, clubId: string, campaignId: string, step: Step): Promise<Changed> {
  const before = await deps.campaigns.getCampaign(clubId, campaignId);
  if (!before) return fail({ why: 'not-found', message: `campaign ${campaignId} does not exist` });
  const at = nextUpdate(before, deps.clock.now());
  const taken = step(before, at);
  if (!taken.ok) return fail({ why: taken.why, message: taken.message });
  return write(deps, before, { ...taken.campaign, updatedAt: at });
}

/** Write `next` over `before` if it is still there unchanged; otherwise a conflict to retry. */
export async function write(deps: Pick<Deps, 'campaigns'>, before: Campaign, next: Campaign): Promise<Changed> {
  const written = await deps.campaigns.replaceCampaign(next, before);
  if (written === 'changed')
    return fail({ why: 'conflict', message: 'the campaign changed meanwhile; read it and try again' });
  return ok({ campaign: next, before });
}

/**
 * The time to stamp a change with: now, but always after the campaign's last change, so the
 * `updatedAt` a concurrent writer read can never match a newer version.
 */
export function nextUpdate(campaign: Campaign, now: Date): string {
  const last = Date.parse(campaign.updatedAt);
  return new Date(Math.max(now.getTime(), last + 1)).toISOString();
}
