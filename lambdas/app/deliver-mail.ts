import { checkEligibility, isBigOffer, topicOf } from '../core/eligibility.js';
import { budgetFor, engagementOf } from '../core/engagement.js';
import { MailRejectedError, RetryableMailError, SendingPausedError } from '../core/errors.js';
import type { SendJob } from '../core/jobs.js';
import { sentTimes, stopHolds } from '../core/ledger.js';
import { type MailOffer, type RenderedMail, renderMail } from '../core/mail.js';
import type { Campaign, Club, Offer, Product } from '../core/model.js';
import { yearsAsMember } from '../core/occasions.js';
import { MAX_QUEUE_DELAY_SECONDS, type OutgoingMail } from '../core/ports.js';
import { type Breaker, breakerGate, DELIVERY_RANK, fullJitter } from '../core/send-protocol.js';
import { TemplateError } from '../core/templates.js';
import type { Theme } from '../core/theme-library.js';
import { signToken } from '../core/tokens.js';
import type { Deps } from './deps.js';
import type { SendStep } from './send-settings.js';

export type DeliveryOutcome =
  | { readonly kind: 'sent'; readonly messageId: string }
  | { readonly kind: 'reconciled'; readonly messageId: string }
  | { readonly kind: 'duplicate' }
  | { readonly kind: 'deferred'; readonly until: string }
  | { readonly kind: 'unknown'; readonly recheckAt: string }
  | { readonly kind: 'held'; readonly reason: string }
  | { readonly kind: 'dropped'; readonly reason: string };

interface CatalogEntry {
  readonly club: Club | undefined;
  readonly products: Map<string, Product>;
  readonly offers: Map<string, Offer>;
  readonly themes: Theme[];
}

/** Reads shared by the records of one batch, and the sends it counted. */
export interface BatchCache {
  readonly campaigns: Map<string, Promise<Campaign | undefined>>;
  readonly breakers: Map<string, Promise<{ account?: Breaker; club?: Breaker }>>;
  readonly clubs: Map<string, Promise<CatalogEntry>>;
  /** Sends counted per club and UTC day, added to the club's counters once per batch. */
  readonly sent: Map<string, { clubId: string; day: string; count: number }>;
}

export function newCatalogCache(): Map<string, Promise<CatalogEntry>> {
  return new Map();
}

export function newBatchCache(catalogs: Map<string, Promise<CatalogEntry>> = new Map()): BatchCache {
  return { campaigns: new Map(), breakers: new Map(), clubs: catalogs, sent: new Map() };
}

/** Add the batch's sends to the club counters: one write per club and batch, not per mail. */
export async function flushBatch(deps: Pick<Deps, 'deliveryStats'>, cache: BatchCache): Promise<void> {
  await Promise.all(
    [...cache.sent.values()].map((c) => deps.deliveryStats.add(c.clubId, c.day, undefined, { sent: c.count })),
  );
  cache.sent.clear();
}

type DeliverDeps = Pick<
  Deps,
  | 'clubs'
  | 'campaigns'
  | 'members'
  | 'ledger'
  | 'mailer'
  | 'sendQueue'
  | 'clock'
  | 'tokenKeys'
  | 'publicBaseUrl'
  | 'log'
  | 'deliveryStats'
  | 'sending'
  | 'pacer'
  | 'sendSettings'
  | 'faults'
>;

/**
 * Send one decided mail exactly once (RELIABILITY.md 11-14; the state machine is in docs/sending.md):
 * re-check the campaign, the breakers and the member just before sending; claim the sendId together
 * with the budget in one conditional write; send with the sendId as an SES tag; mark it sent. A job
 * that finds its sendId already claimed but not marked reconciles from SES's SEND event, and only
 * sends after the grace period has shown SES never took it.
 */
export async function deliverMail(
  deps: DeliverDeps,
  job: SendJob,
  cache: BatchCache = newBatchCache(),
): Promise<DeliveryOutcome> {
  const { clubId, campaignId, memberId, sendId } = job;
  const now = deps.clock.now();
  const settings = deps.sendSettings;
  const fault = async (step: SendStep) => {
    if (deps.faults) await deps.faults(step, job);
  };
  const drop = async (reason: string): Promise<DeliveryOutcome> => {
    await deps.campaigns.recordDelivery(clubId, campaignId, memberId, {
      state: 'dropped',
      reason,
      at: now.toISOString(),
    });
    deps.log.info('mail dropped before sending', { clubId, campaignId, memberId, reason });
    return { kind: 'dropped', reason };
  };
  const requeue = async (next: SendJob, delayMs: number) => {
    await deps.sendQueue.send([next], {
      delaySeconds: Math.min(MAX_QUEUE_DELAY_SECONDS, Math.max(1, Math.ceil(delayMs / 1000))),
    });
  };
  const countSent = () => {
    const day = now.toISOString().slice(0, 10);
    const key = `${clubId}|${day}`;
    const entry = cache.sent.get(key) ?? { clubId, day, count: 0 };
    entry.count += 1;
    cache.sent.set(key, entry);
  };

  if (job.notBefore && Date.parse(job.notBefore) > now.getTime()) {
    // Quiet hours in the member's time zone: back on the queue, at most 15 minutes at a time.
    await requeue(job, Date.parse(job.notBefore) - now.getTime());
    return { kind: 'deferred', until: job.notBefore };
  }

  const campaign = await cached(cache.campaigns, `${clubId}/${campaignId}`, () =>
    deps.campaigns.getCampaign(clubId, campaignId),
  );
  if (!campaign || campaign.status === 'cancelled') return drop('campaign-cancelled');

  const breakers = await cached(cache.breakers, clubId, () => deps.sending.read(clubId));
  const accountGate = breakerGate(breakers.account, now);
  if (accountGate === 'open') {
    const probeAt = breakers.account?.probeAfter
      ? Date.parse(breakers.account.probeAfter)
      : now.getTime() + settings.probeIntervalMs;
    await requeue(job, Math.max(1000, probeAt - now.getTime()));
    return { kind: 'held', reason: 'account-paused' };
  }
  if (breakerGate(breakers.club, now) !== 'closed') {
    const heldSince = job.heldSince ?? now.toISOString();
    if (now.getTime() - Date.parse(heldSince) >= settings.holdPausedMs) return drop('sending-paused');
    await requeue({ ...job, heldSince }, MAX_QUEUE_DELAY_SECONDS * 1000);
    return { kind: 'held', reason: 'club-paused' };
  }

  const state = await deps.members.getForSend(clubId, memberId);
  if (!state) return drop('member-gone');
  const earlierClaim = Object.hasOwn(state.ledger.sends, sendId) ? state.ledger.sends[sendId] : undefined;

  const catalog = await cached(cache.clubs, clubId, () => loadCatalog(deps, clubId));
  const club = catalog.club;
  if (!club) return drop('club-gone');

  /** Set when this worker took an unknown mail over: the `since` it now holds the mail with. */
  let tookOver: string | undefined;
  if (earlierClaim) {
    const outcome = await reconcile(earlierClaim.at);
    if (outcome) return outcome;
    tookOver = now.toISOString();
  } else {
    const eligibility = checkEligibility(state.member, topicOf(campaign), now, { bigOffer: isBigOffer(campaign) });
    if (!eligibility.eligible) return drop(eligibility.reason);
  }
  const offers: MailOffer[] = job.offers.flatMap((pick) => {
    const offer = catalog.offers.get(pick.offerId);
    const product = catalog.products.get(pick.productId);
    return offer && product ? [{ offer, product, why: pick.why, diet: pick.diet }] : [];
  });
  if (offers.length === 0) {
    if (tookOver) await deps.ledger.release({ clubId, memberId, sendId });
    return drop('offers-gone');
  }

  if (!tookOver) {
    await fault('before-claim');
    const lastPurchase = job.lastPurchaseAt ? Date.parse(job.lastPurchaseAt) : undefined;
    const lastEngagement = Math.max(
      lastPurchase ?? 0,
      state.member.lastEngagedAt ? Date.parse(state.member.lastEngagedAt) : 0,
    );
    const claim = await deps.ledger.claim({
      clubId,
      memberId,
      sendId,
      campaignId,
      now,
      // Passive members get the lower cap here too, so the budget holds at the one place it is enforced.
      policy: budgetFor(
        club.budget,
        engagementOf(
          { sentAt: sentTimes(state.ledger), ...(lastEngagement > 0 ? { lastEngagedAt: lastEngagement } : {}) },
          club.engagement,
        ),
        club.engagement,
      ),
      frequency: state.member.preferences.frequency,
      kind: campaign.kind,
      ledger: state.ledger,
    });
    if (claim.kind === 'over-budget' || claim.kind === 'stopped') return drop(claim.reason);
    if (claim.kind === 'claimed' && state.ledger.version === 0) {
      // A first claim ever, on a ledger that did not exist: no suppression could have bumped it (an
      // erasure deletes it), so read the member again, strongly consistent, before sending.
      const fresh = await deps.members.getForSend(clubId, memberId, { consistent: true });
      const recheck = fresh
        ? checkEligibility(fresh.member, topicOf(campaign), now, { bigOffer: isBigOffer(campaign) })
        : undefined;
      if (!fresh || (recheck && !recheck.eligible)) {
        await deps.ledger.release({ clubId, memberId, sendId });
        return drop(recheck && !recheck.eligible ? recheck.reason : 'member-gone');
      }
    }
    if (claim.kind === 'already-claimed') {
      // Another delivery of the same job claimed it between our read and our write.
      const outcome = await reconcile(claim.at);
      if (outcome) return outcome;
      tookOver = now.toISOString();
    }
  }
  await fault('after-claim');

  const base = deps.publicBaseUrl;
  const token = (purpose: 'unsubscribe' | 'preferences') =>
    signToken(deps.tokenKeys, { purpose, clubId, memberId }, now);
  let mail: RenderedMail;
  try {
    mail = renderMail({
      club,
      member: state.member,
      theme: job.theme,
      offers,
      links: { unsubscribe: `${base}/u/${token('unsubscribe')}`, preferences: `${base}/p/${token('preferences')}` },
      ...(campaign.occasion
        ? {
            occasion: {
              id: campaign.occasion.id,
              ...(campaign.occasion.funFact ? { funFact: campaign.occasion.funFact } : {}),
              yearsAsMember: yearsAsMember(state.member.joinedAt.slice(0, 10), now.toISOString().slice(0, 10)),
            },
          }
        : {}),
      ...(campaign.template ? { template: campaign.template } : {}),
      variantKey: sendId,
      ...(campaign.themeId ? { themeId: campaign.themeId, themes: catalog.themes } : {}),
    });
  } catch (error: unknown) {
    if (!(error instanceof TemplateError)) throw error;
    // Fail closed: never a mail with a hole in it. Give the claim back; the budget was not used.
    await deps.ledger.release({ clubId, memberId, sendId });
    deps.log.error('template failed; mail not sent', { clubId, campaignId, memberId, error: error.message });
    return drop('template-error');
  }

  const outgoing = {
    from: `${club.senderName} <${club.senderEmail}>`,
    to: state.member.email,
    subject: mail.subject,
    html: mail.html,
    text: mail.text,
    headers: mail.headers,
    tags: { sendId, club: clubId, campaign: campaignId, member: memberId, kind: campaign.kind },
  };
  let messageId: string;
  try {
    messageId = await sendWithRetries(deps, outgoing);
  } catch (error: unknown) {
    if (error instanceof RetryableMailError) {
      // SES certainly did not take the mail. The claim stays (so no other delivery of this job can
      // claim afresh), the mail is marked refused, and this job tries again later with a growing,
      // jittered wait that does not use up the message's receive count.
      if (!(await markRefused())) return { kind: 'duplicate' };
      const throttled = (job.throttled ?? 0) + 1;
      await requeue({ ...job, throttled }, 1000 + fullJitter(throttled, 2000, MAX_QUEUE_DELAY_SECONDS * 1000));
      deps.log.warn('SES throttled; mail back on the queue', { clubId, campaignId, memberId, throttled });
      return { kind: 'held', reason: 'throttled' };
    }
    if (error instanceof SendingPausedError) {
      if (!(await markRefused())) return { kind: 'duplicate' };
      const probeAfter = new Date(now.getTime() + settings.probeIntervalMs);
      const opened = await deps.sending.open(
        { kind: 'account' },
        {
          state: 'open',
          reason: 'ses-sending-paused',
          message: error.message,
          openedAt: now.toISOString(),
          probeAfter: probeAfter.toISOString(),
        },
      );
      if (opened)
        deps.log.error('SES paused sending: every worker stops until a probe gets through', {
          error: error.message,
          probeAfter: probeAfter.toISOString(),
        });
      cache.breakers.clear();
      await requeue(job, settings.probeIntervalMs);
      return { kind: 'held', reason: 'account-paused' };
    }
    if (error instanceof MailRejectedError) {
      // Final: keep the claim, so a redelivered job sees it and never retries this mail.
      deps.log.warn('SES rejected the mail; not retried', { clubId, campaignId, memberId, error: error.message });
      return drop('rejected-by-provider');
    }
    throw error;
  }
  await fault('after-ses');
  const mark = await deps.campaigns.recordDelivery(clubId, campaignId, memberId, {
    state: 'sent',
    messageId,
    at: now.toISOString(),
  });
  // Count the send once: when this mark moved the record, or when SES's own events for this very
  // message (a fast bounce) got there first. Not when another delivery already marked it sent.
  if (mark === 'moved' || (await movedOnByItsEvents(messageId))) countSent();
  if (accountGate === 'probe' && (await deps.sending.close({ kind: 'account' }, now, 'probe'))) {
    deps.log.info('SES took a probe mail: sending resumes', { clubId, campaignId });
  }
  deps.log.info('mail sent', { clubId, campaignId, memberId, sendId, messageId });
  await fault('after-mark');
  return { kind: 'sent', messageId };

  async function movedOnByItsEvents(messageId: string): Promise<boolean> {
    const current = await deps.campaigns.getDelivery(clubId, campaignId, memberId);
    return (
      current !== undefined &&
      'messageId' in current &&
      current.messageId === messageId &&
      DELIVERY_RANK[current.state] > DELIVERY_RANK.sent
    );
  }

  /** SES refused this worker's call: note it on the mail, keeping the claim. False if another worker holds it now. */
  async function markRefused(): Promise<boolean> {
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

  /**
   * The sendId was claimed before, by a delivery of this job that may have died. Returns the outcome
   * when there is nothing (more) to send, or undefined when this worker has taken the mail over.
   */
  async function reconcile(claimedAt: number): Promise<DeliveryOutcome | undefined> {
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
          new Date(sinceMs - 60_000),
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
        countSent();
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
      await requeue(job, recheckAt - now.getTime());
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
      ? checkEligibility(fresh.member, topicOf(campaign ?? { kind: 'offers' }), now, {
          bigOffer: campaign ? isBigOffer(campaign) : false,
        })
      : undefined;
    const stopped = fresh && stopHolds(fresh.ledger.stop, now) ? fresh.ledger.stop.reason : undefined;
    const refusal = !fresh
      ? 'member-gone'
      : (stopped ?? (eligibility && !eligibility.eligible ? eligibility.reason : undefined));
    if (refusal) {
      await deps.ledger.release({ clubId, memberId, sendId });
      return drop(refusal);
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
}

/** SES with a few quick retries on throttling (full jitter), paced to the configured rate. */
async function sendWithRetries(
  deps: Pick<Deps, 'mailer' | 'pacer' | 'sendSettings'>,
  mail: OutgoingMail,
): Promise<string> {
  for (let attempt = 0; ; attempt++) {
    await deps.pacer.take();
    try {
      return (await deps.mailer.send(mail)).messageId;
    } catch (error: unknown) {
      if (!(error instanceof RetryableMailError) || attempt >= deps.sendSettings.throttleRetries) throw error;
      await new Promise((resolve) => setTimeout(resolve, fullJitter(attempt, 100, 2000)));
    }
  }
}

async function loadCatalog(deps: Pick<Deps, 'clubs'>, clubId: string): Promise<CatalogEntry> {
  const [club, { products, offers }, themes] = await Promise.all([
    deps.clubs.getClub(clubId),
    deps.clubs.getCatalog(clubId),
    deps.clubs.listThemes(clubId),
  ]);
  return {
    club,
    products: new Map(products.map((p) => [p.productId, p])),
    offers: new Map(offers.map((o) => [o.offerId, o])),
    themes,
  };
}

function cached<T>(map: Map<string, Promise<T>>, key: string, load: () => Promise<T>): Promise<T> {
  const hit = map.get(key);
  if (hit) return hit;
  const promise = load();
  map.set(key, promise);
  return promise;
}
