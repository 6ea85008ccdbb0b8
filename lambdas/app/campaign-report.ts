import type { Decision } from '../core/decision.js';
import type { Campaign, Club } from '../core/model.js';
import type { DecisionRecord } from '../core/ports.js';
import { inReasonOrder, QUIET_HOURS_DEFERRED } from '../core/reasons.js';
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
  /** While mail of this campaign is still to go: why the club cannot send now (GET …/sending). */
  readonly blocked?: Blocked;
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
  return { planned: decisions.length, toSend, suppressed: inReasonOrder(suppressed), deferred };
}

/** Status and counts of a campaign, read from its recorded decisions. */
export async function campaignReport(
  deps: Pick<Deps, 'campaigns' | 'deliveryStats' | 'clubs' | 'sending' | 'sendingDomains'>,
  campaign: Campaign,
): Promise<CampaignReport> {
  const [records, counters, breakers, club] = await Promise.all([
    deps.campaigns.listDecisions(campaign.clubId, campaign.campaignId),
    deps.deliveryStats.campaignCounts(campaign.clubId, campaign.campaignId),
    deps.sending.read(campaign.clubId),
    deps.clubs.getClub(campaign.clubId),
  ]);
  const deliveries = countDeliveries(records);
  const outcomes = {
    ...deliveries.outcomes,
    ...(counters.delivered ? { delivered: counters.delivered } : {}),
    ...(counters.delayed ? { delayed: counters.delayed } : {}),
  };
  const toGo =
    campaign.status === 'scheduled' ||
    campaign.status === 'planning' ||
    deliveries.queued > 0 ||
    deliveries.unknown > 0 ||
    records.some((r) => r.decision.outcome === 'send' && !r.delivery);
  const blocked = toGo ? blockedBy(breakers, club, deps.sendingDomains) : undefined;
  return {
    campaign,
    ...countDecisions(records.map((r) => r.decision)),
    ...deliveries,
    outcomes,
    ...(blocked ? { blocked } : {}),
  };
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
