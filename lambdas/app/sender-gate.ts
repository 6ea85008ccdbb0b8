import type { SenderNotVerifiedError } from '../core/errors.js';
import type { Club } from '../core/model.js';
import { MAX_QUEUE_DELAY_SECONDS } from '../core/ports.js';
import type { DropReason } from '../core/reasons.js';
import { SENDER_NOT_ALLOWED, SENDING_DOMAIN_NOT_VERIFIED, senderVerdict } from '../core/sender-domain.js';
import type { Delivery, DeliveryOutcome } from './delivery.js';
import { markRefused } from './reconcile-mail.js';

/**
 * The send worker's side of the sending-domain rules (docs/decisions/0030-club-sender-and-sender-check.md).
 * The api refuses to schedule while a club's sender is not its own, verified domain; these catch what
 * changes after that: the configuration, or SES's verdict on the domain.
 */

/**
 * Hold a mail whose club's sender is not on the club's own sending domain: nothing is claimed and
 * nothing reaches SES (whose send permission covers the configured domains only). The mail waits on
 * the queue, 15 minutes at a time, for a marketer to give the club a sender on its own domain; after
 * `holdPausedMs` (a day) it is dropped as `sender-not-allowed`.
 */
export async function holdForeignSender(d: Delivery, club: Club): Promise<DeliveryOutcome | undefined> {
  const verdict = senderVerdict(d.deps.sendingDomains, club.clubId, club.senderEmail);
  if (verdict.ok) return undefined;
  d.deps.log.warn('club sender is not on its own sending domain; mail held', {
    clubId: club.clubId,
    campaignId: d.job.campaignId,
    reason: verdict.reason,
  });
  return holdOrDrop(d, SENDER_NOT_ALLOWED);
}

/** Put the mail back for 15 minutes, or drop it with `reason` once it has been held `holdPausedMs`. */
export async function holdOrDrop(d: Delivery, reason: DropReason): Promise<DeliveryOutcome> {
  const { job, now } = d;
  const heldSince = job.heldSince ?? now.toISOString();
  if (now.getTime() - Date.parse(heldSince) >= d.deps.sendSettings.holdPausedMs) return d.drop(reason);
  await d.requeue({ ...job, heldSince }, MAX_QUEUE_DELAY_SECONDS * 1000);
  return { kind: 'held', reason };
}

/**
 * SES refused the mail because the sender's domain is not verified, so SES certainly does not have
 * it. As with throttling, the claim stays and the mail is marked refused; and the club's breaker
 * opens with the reason and a probe time, so the club's other mail waits on the queue instead of
 * being refused one by one. After the probe time the next mails go to SES as probes: one that gets
 * through closes the breaker. A mail refused for a day is dropped and its claim given back.
 */
export async function senderRefusedBySes(
  d: Delivery,
  error: SenderNotVerifiedError,
  tookOver: string | undefined,
): Promise<DeliveryOutcome> {
  const { deps, job, now, cache } = d;
  const { clubId, campaignId, memberId, sendId } = job;
  if (!(await markRefused(d, tookOver))) return { kind: 'duplicate' };
  const heldSince = job.heldSince ?? now.toISOString();
  if (now.getTime() - Date.parse(heldSince) >= deps.sendSettings.holdPausedMs) {
    await deps.ledger.release({ clubId, memberId, sendId });
    return d.drop(SENDING_DOMAIN_NOT_VERIFIED);
  }
  const probeAfter = new Date(now.getTime() + deps.sendSettings.probeIntervalMs);
  const opened = await deps.sending.open(
    { kind: 'club', clubId },
    {
      state: 'open',
      reason: SENDING_DOMAIN_NOT_VERIFIED,
      message: error.message,
      openedAt: now.toISOString(),
      probeAfter: probeAfter.toISOString(),
    },
  );
  if (opened) {
    deps.log.error('SES refused the club sender as not verified: the club waits until a probe gets through', {
      clubId,
      campaignId,
      error,
      probeAfter: probeAfter.toISOString(),
    });
  }
  cache.breakers.clear();
  await d.requeue({ ...job, heldSince }, deps.sendSettings.probeIntervalMs);
  return { kind: 'held', reason: SENDING_DOMAIN_NOT_VERIFIED };
}
