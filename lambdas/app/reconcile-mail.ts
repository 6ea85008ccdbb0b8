import { checkEligibility, isBigOffer, topicOf } from '../core/eligibility.js';
import { stopHolds } from '../core/ledger.js';
import type { Campaign } from '../core/model.js';
import { MINUTE_MS } from '../core/units.js';
import type { Delivery, DeliveryOutcome } from './delivery.js';

/**
 * The sendId was claimed before, by a delivery of this job that may have died between its claim
 * and its mark (docs/reliability.md 12; docs/sending.md). Returns the outcome when there is nothing
 * (more) to send, or undefined when this worker has taken the mail over and must send it.
 */
export async function reconcile(
  d: Delivery,
  campaign: Campaign,
  claimedAt: number,
): Promise<DeliveryOutcome | undefined> {
  const { deps, job, now } = d;
  const { clubId, campaignId, memberId, sendId } = job;
  const settings = deps.sendSettings;
  const delivery = await deps.campaigns.getDelivery(clubId, campaignId, memberId);
  if (delivery && delivery.state !== 'queued' && delivery.state !== 'unknown') {
    deps.log.info('duplicate send job ignored', { clubId, campaignId, memberId, sendId, state: delivery.state });
    return { kind: 'duplicate' };
  }
  const since = delivery?.state === 'unknown' ? delivery.since : new Date(claimedAt).toISOString();
  if (delivery?.state !== 'unknown') {
    const moved = await deps.campaigns.recordDelivery(clubId, campaignId, memberId, { state: 'unknown', since });
    if (moved === 'stale') return { kind: 'duplicate' };
  }
  const sinceMs = Date.parse(since);
  const refused = delivery?.state === 'unknown' && delivery.refused === true;
  const found = refused
    ? undefined
    : await deps.deliveryStats.findSend(
        clubId,
        sendId,
        new Date(sinceMs - MINUTE_MS),
        new Date(sinceMs + settings.sendWindowMs),
      );
  if (found) {
    if (
      (await deps.campaigns.recordDelivery(clubId, campaignId, memberId, {
        state: 'sent',
        messageId: found,
        at: since,
      })) === 'moved'
    )
      d.countSent();
    deps.log.info('unknown mail reconciled from its SEND event', {
      clubId,
      campaignId,
      memberId,
      sendId,
      messageId: found,
    });
    return { kind: 'reconciled', messageId: found };
  }
  const recheckAt = sinceMs + settings.reconcileGraceMs;
  if (!refused && now.getTime() < recheckAt) {
    await d.requeue(job, recheckAt - now.getTime());
    deps.log.warn('mail state unknown: waiting for SES events before deciding', {
      clubId,
      campaignId,
      memberId,
      sendId,
      since,
    });
    return { kind: 'unknown', recheckAt: new Date(recheckAt).toISOString() };
  }
  // SES refused the last call, or no SEND event came in the whole grace period: SES does not have it.
  // A takeover writes no claim, so the ledger's stop cannot refuse it: read the member afresh.
  const fresh = await deps.members.getForSend(clubId, memberId, { consistent: true });
  const eligibility = fresh
    ? checkEligibility(fresh.member, topicOf(campaign), now, { bigOffer: isBigOffer(campaign) })
    : undefined;
  const stopped = fresh && stopHolds(fresh.ledger.stop, now) ? fresh.ledger.stop.reason : undefined;
  const refusal = !fresh
    ? 'member-gone'
    : (stopped ?? (eligibility && !eligibility.eligible ? eligibility.reason : undefined));
  if (refusal) {
    await deps.ledger.release({ clubId, memberId, sendId });
    return d.drop(refusal);
  }
  if (!(await deps.campaigns.takeOverUnknown(clubId, campaignId, memberId, since, now))) return { kind: 'duplicate' };
  deps.log.warn('no SEND event for an unknown mail within the grace period: sending it now', {
    clubId,
    campaignId,
    memberId,
    sendId,
    since,
  });
  return undefined;
}

/**
 * SES refused this worker's call: note it on the mail, keeping the claim, so the next try needs no
 * grace period. False when another worker holds the mail now.
 */
export async function markRefused(d: Delivery, tookOver: string | undefined): Promise<boolean> {
  const { deps, now } = d;
  const { clubId, campaignId, memberId } = d.job;
  if (tookOver) return deps.campaigns.takeOverUnknown(clubId, campaignId, memberId, tookOver, now, true);
  if (
    (await deps.campaigns.recordDelivery(clubId, campaignId, memberId, {
      state: 'unknown',
      since: now.toISOString(),
      refused: true,
    })) === 'moved'
  )
    return true;
  // A duplicate delivery already marked it unknown while we were at SES: we know better, say so.
  const current = await deps.campaigns.getDelivery(clubId, campaignId, memberId);
  return (
    current?.state === 'unknown' &&
    (await deps.campaigns.takeOverUnknown(clubId, campaignId, memberId, current.since, now, true))
  );
}
