import type { Decision } from '../core/decision.js';
import type { Campaign } from '../core/model.js';
import type { DecisionRecord } from '../core/ports.js';
import { QUIET_HOURS_DEFERRED } from '../core/reasons.js';
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
}

export function countDecisions(decisions: readonly Decision[]): DecisionCounts {
  const suppressed: Record<string, number> = {};
  const deferred: Record<string, number> = {};
  let toSend = 0;
  for (const d of decisions) {
    if (d.outcome === 'send') {
      toSend += 1;
      if (d.notBefore) deferred[QUIET_HOURS_DEFERRED] = (deferred[QUIET_HOURS_DEFERRED] ?? 0) + 1;
    } else suppressed[d.reason] = (suppressed[d.reason] ?? 0) + 1;
  }
  return { planned: decisions.length, toSend, suppressed, deferred };
}

/** Status and counts of a campaign, read from its recorded decisions. */
export async function campaignReport(
  deps: Pick<Deps, 'campaigns' | 'deliveryStats'>,
  campaign: Campaign,
): Promise<CampaignReport> {
  const [records, counters] = await Promise.all([
    deps.campaigns.listDecisions(campaign.clubId, campaign.campaignId),
    deps.deliveryStats.campaignCounts(campaign.clubId, campaign.campaignId),
  ]);
  const deliveries = countDeliveries(records);
  const outcomes = {
    ...deliveries.outcomes,
    ...(counters.delivered ? { delivered: counters.delivered } : {}),
    ...(counters.delayed ? { delayed: counters.delayed } : {}),
  };
  return { campaign, ...countDecisions(records.map((r) => r.decision)), ...deliveries, outcomes };
}

function countDeliveries(records: readonly DecisionRecord[]): {
  sent: number;
  queued: number;
  unknown: number;
  dropped: Record<string, number>;
  outcomes: Record<string, number>;
} {
  let sent = 0;
  let queued = 0;
  let unknown = 0;
  const dropped: Record<string, number> = {};
  const outcomes: Record<string, number> = {};
  for (const { delivery } of records) {
    if (!delivery) continue;
    if (delivery.state === 'queued') queued += 1;
    else if (delivery.state === 'unknown') unknown += 1;
    else if (delivery.state === 'dropped') dropped[delivery.reason] = (dropped[delivery.reason] ?? 0) + 1;
    else {
      sent += 1;
      if (delivery.state !== 'sent') outcomes[delivery.state] = (outcomes[delivery.state] ?? 0) + 1;
    }
  }
  return { sent, queued, unknown, dropped, outcomes };
}
