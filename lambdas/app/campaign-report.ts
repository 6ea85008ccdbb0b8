import type { Decision } from '../core/decision.js';
import type { Campaign } from '../core/model.js';
import { tallyOf } from '../core/plan-tally.js';
import type { Deps } from './deps.js';

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
  /** Plan shards done (of `campaign.shardCount`): the counts above cover these. */
  readonly shardsPlanned: number;
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
  deps: Pick<Deps, 'campaigns' | 'deliveryStats'>,
  campaign: Campaign,
): Promise<CampaignReport> {
  const [plan, deliveries, counters] = await Promise.all([
    deps.campaigns.planTally(campaign.clubId, campaign.campaignId),
    deps.campaigns.countDeliveries(campaign.clubId, campaign.campaignId),
    deps.deliveryStats.campaignCounts(campaign.clubId, campaign.campaignId),
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
  return {
    campaign,
    ...plan.tally,
    shardsPlanned: plan.shardsDone,
    sent: deliveries.sent,
    queued,
    unknown: deliveries.unknown,
    dropped: deliveries.dropped,
    outcomes,
  };
}
