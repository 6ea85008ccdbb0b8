import type { Decision } from '../core/decision.js';
import type { MailControl } from '../core/mail-controls.js';
import type { Campaign, Club } from '../core/model.js';
import { tallyOf } from '../core/plan-tally.js';
import type { Breaker } from '../core/send-protocol.js';
import { SENDER_NOT_ALLOWED, type SenderRules, senderVerdict } from '../core/sender-domain.js';
import type { Deps } from './deps.js';

/** Why a campaign's mail waits now: a breaker is open, or the club's sender is not on its own domain. */
export interface Blocked {
  readonly by: 'account' | 'club' | 'sender';
  readonly reason: string;
  readonly message?: string;
  /** When mail goes to SES again as a probe (breakers that reopen by themselves). */
  readonly probeAfter?: string;
}

export interface DecisionCounts {
  /** Members the plan looked at. */
  readonly planned: number;
  /** Decided "send". */
  readonly toSend: number;
  readonly suppressed: Readonly<Record<string, number>>;
  /** Decided "send" but held for the end of quiet hours in the member's time zone. */
  readonly deferred: Readonly<Record<string, number>>;
}

export interface CampaignReport extends DecisionCounts {
  readonly campaign: Campaign;
  /** SES took the mail (whatever happened after). */
  readonly sent: number;
  readonly queued: number;
  /** Claimed, but the worker died before marking it: waiting for SES's SEND event (docs/sending.md). */
  readonly unknown: number;
  /** What SES events said after sending: delivered (counted), bounces, complaints, rejections. */
  readonly outcomes: Readonly<Record<string, number>>;
  /** Decided "send" but stopped at send time (unsubscribed meanwhile, budget spent, cancelled…). */
  readonly dropped: Readonly<Record<string, number>>;
  /** How often members used each control in this campaign's mails (and it changed their choices). */
  readonly controls: Readonly<Record<MailControl, number>>;
  /** Plan shards done (of `campaign.shardCount`): the counts above cover these. */
  readonly shardsPlanned: number;
  /** While mail of this campaign is still to go: why the club cannot send now (GET …/sending). */
  readonly blocked?: Blocked;
}

export function countDecisions(decisions: readonly Decision[]): DecisionCounts {
  return tallyOf(decisions);
}

/**
 * Status and counts of a campaign: the decisions from the plan shards' tallies (S small items), the
 * mails from their send records counted a page at a time, and what SES said from the campaign's
 * counters. Nothing in it grows with the club in memory.
 */
export async function campaignReport(
  deps: Pick<Deps, 'campaigns' | 'deliveryStats' | 'clubs' | 'sending' | 'sendingDomains'>,
  campaign: Campaign,
): Promise<CampaignReport> {
  const [plan, deliveries, counters, breakers, club] = await Promise.all([
    deps.campaigns.planTally(campaign.clubId, campaign.campaignId),
    deps.campaigns.countDeliveries(campaign.clubId, campaign.campaignId),
    deps.deliveryStats.campaignCounts(campaign.clubId, campaign.campaignId),
    deps.sending.read(campaign.clubId),
    deps.clubs.getClub(campaign.clubId),
  ]);
  const outcomes = {
    ...deliveries.outcomes,
    ...(counters.delivered ? { delivered: counters.delivered } : {}),
    ...(counters.delayed ? { delayed: counters.delayed } : {}),
  };
  const dropped = Object.values(deliveries.dropped).reduce((sum, n) => sum + n, 0);
  // A mail decided "send" has no send record until the worker takes it; while shards are still
  // planning, records can run ahead of the finished shards' tallies.
  const queued = Math.max(deliveries.queued, plan.tally.toSend - deliveries.sent - deliveries.unknown - dropped);
  // Mail is still to go while the plan runs, while a mail is queued or waits to be reconciled, or while
  // the tallies hold more "send" decisions than mails that went or were dropped: counts, never a scan.
  const toGo =
    campaign.status === 'scheduled' ||
    campaign.status === 'planning' ||
    deliveries.queued > 0 ||
    deliveries.unknown > 0 ||
    plan.tally.toSend > deliveries.sent + deliveries.unknown + dropped;
  const blocked = toGo ? blockedBy(breakers, club, deps.sendingDomains) : undefined;
  const suppressed = await withLateFolds(deps, campaign, plan.tally.suppressed, club?.foldOffers !== false);
  return {
    campaign,
    ...plan.tally,
    suppressed,
    shardsPlanned: plan.shardsDone,
    sent: deliveries.sent,
    queued,
    unknown: deliveries.unknown,
    dropped: deliveries.dropped,
    outcomes,
    controls: {
      fewer: counters.controlFewer ?? 0,
      pause: counters.controlPause ?? 0,
      'occasions-only': counters.controlOccasionsOnly ?? 0,
    },
    ...(blocked ? { blocked } : {}),
  };
}

/**
 * The suppressions with the pending folds that were carried (ADR 0054): a member the plan found
 * `outranked-by:X` whose offer then went out in X's mail counts as `folded-into:X`. The count comes from
 * X's send records that went out and name this campaign, so a cancelled X, or an X whose mail to the
 * member was dropped, leaves the member `outranked-by:X`.
 */
async function withLateFolds(
  deps: Pick<Deps, 'campaigns'>,
  campaign: Campaign,
  suppressed: Readonly<Record<string, number>>,
  foldOffers: boolean,
): Promise<Readonly<Record<string, number>>> {
  const outranked = Object.entries(suppressed).filter(([reason]) => reason.startsWith('outranked-by:'));
  if (!foldOffers || campaign.kind !== 'offers' || outranked.length === 0) return suppressed;
  const result: Record<string, number> = { ...suppressed };
  await Promise.all(
    outranked.map(async ([reason, n]) => {
      const carrier = reason.slice('outranked-by:'.length);
      const folded = Math.min(n, await deps.campaigns.countLateFolds(campaign.clubId, carrier, campaign.campaignId));
      if (folded === 0) return;
      if (n - folded > 0) result[reason] = n - folded;
      else delete result[reason];
      result[`folded-into:${carrier}`] = (result[`folded-into:${carrier}`] ?? 0) + folded;
    }),
  );
  return result;
}

/** The first thing that keeps the club's mail from going out now, if any. */
export function blockedBy(
  breakers: { readonly account?: Breaker; readonly club?: Breaker },
  club: Club | undefined,
  rules: SenderRules,
): Blocked | undefined {
  for (const by of ['account', 'club'] as const) {
    const breaker = breakers[by];
    if (breaker?.state !== 'open') continue;
    return {
      by,
      reason: breaker.reason,
      ...(breaker.message ? { message: breaker.message } : {}),
      ...(breaker.probeAfter ? { probeAfter: breaker.probeAfter } : {}),
    };
  }
  const sender = club ? senderVerdict(rules, club.clubId, club.senderEmail) : undefined;
  if (sender && !sender.ok)
    return { by: 'sender', reason: SENDER_NOT_ALLOWED, message: `senderEmail: ${sender.message}` };
  return undefined;
}
