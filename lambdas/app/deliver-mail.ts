import { budgetKindOf, checkEligibility, isBigOffer, topicOf } from '../core/eligibility.js';
import { budgetFor, engagementOf } from '../core/engagement.js';
import { MailRejectedError, RetryableMailError, SenderNotVerifiedError, SendingPausedError } from '../core/errors.js';
import type { FoldedOffer } from '../core/fold.js';
import type { SendJob } from '../core/jobs.js';
import { foldedInto, foldsCarriedBy, type Ledger, sentTimes } from '../core/ledger.js';
import type { MailOffer, RenderedMail } from '../core/mail.js';
import { mailbox } from '../core/mail-address.js';
import { customHeaders, listHeaders } from '../core/mail-headers.js';
import type { Campaign, Club, Member } from '../core/model.js';
import { MAX_QUEUE_DELAY_SECONDS, type OutgoingMail } from '../core/ports.js';
import { breakerGate, DELIVERY_RANK, fullJitter } from '../core/send-protocol.js';
import { allowedAtSend, forbiddenAtSend } from '../core/send-restrictions.js';
import { SENDING_DOMAIN_NOT_VERIFIED } from '../core/sender-domain.js';
import { TemplateError } from '../core/templates.js';
import { renderCampaignMail } from './campaign-mail.js';
import { type DeliverDeps, type Delivery, type DeliveryOutcome, startDelivery } from './delivery.js';
import type { Deps } from './deps.js';
import { foldsStillAllowed } from './fold-recheck.js';
import { markRefused, reconcile } from './reconcile-mail.js';
import { type BatchCache, type CatalogEntry, cached, loadCatalog, newBatchCache } from './send-batch-cache.js';
import { holdForeignSender, holdOrDrop, senderRefusedBySes } from './sender-gate.js';

export type { DeliveryOutcome } from './delivery.js';

/** What a step returns when the delivery ends there. */
type Done = { readonly done: DeliveryOutcome };

/**
 * Send one decided mail exactly once (docs/reliability.md 11-14; the state machine is in docs/sending.md):
 * re-check the campaign, the breakers and the member just before sending; claim the sendId together
 * with the budget in one conditional write; send with the sendId as an SES tag; mark it sent. A job
 * that finds its sendId already claimed but not marked reconciles from SES's SEND event
 * (reconcile-mail.ts), and only sends after the grace period has shown SES never took it.
 */
export async function deliverMail(
  deps: DeliverDeps,
  job: SendJob,
  cache: BatchCache = newBatchCache(),
): Promise<DeliveryOutcome> {
  const d = startDelivery(deps, job, cache);
  const { clubId, campaignId, memberId, sendId } = job;
  const now = d.now;

  if (job.notBefore && Date.parse(job.notBefore) > now.getTime()) {
    // Quiet hours in the member's time zone: back on the queue, at most 15 minutes at a time.
    await d.requeue(job, Date.parse(job.notBefore) - now.getTime());
    return { kind: 'deferred', until: job.notBefore };
  }

  const campaign = await cached(cache.campaigns, `${clubId}/${campaignId}`, () =>
    deps.campaigns.getCampaign(clubId, campaignId),
  );
  if (!campaign || campaign.status === 'cancelled') return d.drop('campaign-cancelled');
  const gate = await passBreakers(d);
  if ('done' in gate) return gate.done;

  const state = await deps.members.getForSend(clubId, memberId);
  if (!state) return d.drop('member-gone');
  // This campaign's offer rode along in another mail (core/fold.ts): that mail was this one.
  const into = foldedInto(state.ledger, sendId);
  if (into) return d.drop(`folded-into:${into}`);
  const earlierClaim = Object.hasOwn(state.ledger.sends, sendId) ? state.ledger.sends[sendId] : undefined;

  const catalog = await cached(cache.clubs, clubId, () => loadCatalog(deps, clubId));
  const club = catalog.club;
  if (!club) return d.drop('club-gone');
  const foreign = await holdForeignSender(d, club);
  if (foreign) return foreign;

  /** Set when this worker took an unknown mail over: the `since` it now holds the mail with. */
  let tookOver: string | undefined;
  /** The ledger the folds are read from: as read, or as this worker's claim wrote it. */
  let ledger = state.ledger;
  if (earlierClaim) {
    const outcome = await reconcile(d, campaign, earlierClaim.at);
    if (outcome) return outcome;
    tookOver = now.toISOString();
  } else {
    const eligibility = checkEligibility(state.member, topicOf(campaign), now, { bigOffer: isBigOffer(campaign) });
    if (!eligibility.eligible) return d.drop(eligibility.reason);
  }
  // Exclusions hold at send time too: the member may have declared a restriction since the plan, and a
  // product's labels may have changed. An offer that now breaks one is left out (core/send-restrictions.ts).
  const forbidden = forbiddenAtSend(state.member, job.inferred);
  const toMail = (pick: SendJob['offers'][number] | FoldedOffer): MailOffer[] => {
    const offer = catalog.offers.get(pick.offerId);
    const product = catalog.products.get(pick.productId);
    return offer && product && allowedAtSend(product, forbidden)
      ? [{ offer, product, why: pick.why, diet: pick.diet }]
      : [];
  };
  const offers: MailOffer[] = job.offers.flatMap(toMail);
  // Surveys and notes carry no offers; offers mail left with none is not sent, and says why.
  if (campaign.kind === 'offers' && offers.length === 0) {
    if (tookOver) await deps.ledger.release({ clubId, memberId, sendId });
    const inCatalog = job.offers.some((p) => catalog.offers.has(p.offerId) && catalog.products.has(p.productId));
    return d.drop(inCatalog ? 'no-eligible-offers' : 'offers-gone');
  }
  if (offers.length < job.offers.length) {
    deps.log.info('offers left out at send', { clubId, campaignId, memberId, left: job.offers.length - offers.length });
  }

  // The folds the member may still have (their choices since the plan win): only these are claimed and shown.
  const folds = await foldsStillAllowed(deps, cache, {
    clubId,
    folded: job.folded ?? [],
    member: state.member,
    catalog,
    forbidden,
    now,
  });
  if (!tookOver) {
    const claimed = await claimMail(d, campaign, club, state, folds);
    if ('done' in claimed) return claimed.done;
    tookOver = claimed.tookOver;
    if (claimed.ledger) ledger = claimed.ledger;
  }
  await d.fault('after-claim');

  // Only the folds this mail's claim holds: an offer whose own campaign mailed the member first stays out.
  const carried = foldsCarriedBy(
    ledger,
    campaignId,
    folds.map((f) => f.sendId),
  );
  const carriedFolds = folds.filter((f) => carried.has(f.sendId));
  const alsoThisWeek = carriedFolds.flatMap(toMail);
  const rendered = await render(d, { club, campaign, catalog, member: state.member, offers, alsoThisWeek });
  if ('done' in rendered) return rendered.done;
  // The held-back campaigns planned before this mail count these members folded into it (ADR 0054).
  const lateFolds = carriedFolds.filter((f) => f.late).map((f) => f.campaignId);
  return sendAndMark(d, { club, campaign, member: state.member, mail: rendered.mail, tookOver, gate, lateFolds });
}

type Gates = { readonly account: 'closed' | 'probe'; readonly club: 'closed' | 'probe' };

/**
 * The account's and the club's circuit breakers: hold the mail while either is open. A club breaker
 * with a probe time (its sending domain was refused, sender-gate.ts) lets mail through as probes
 * after that time, as the account's does.
 */
async function passBreakers(d: Delivery): Promise<Done | Gates> {
  const { deps, job, now, cache } = d;
  const settings = deps.sendSettings;
  const breakers = await cached(cache.breakers, job.clubId, () => deps.sending.read(job.clubId));
  const account = breakerGate(breakers.account, now);
  if (account === 'open') {
    const probeAt = breakers.account?.probeAfter
      ? Date.parse(breakers.account.probeAfter)
      : now.getTime() + settings.probeIntervalMs;
    await d.requeue(job, Math.max(1000, probeAt - now.getTime()));
    return { done: { kind: 'held', reason: 'account-paused' } };
  }
  const club = breakerGate(breakers.club, now);
  if (club === 'open') {
    if (breakers.club?.reason === SENDING_DOMAIN_NOT_VERIFIED)
      return { done: await holdOrDrop(d, SENDING_DOMAIN_NOT_VERIFIED) };
    const heldSince = job.heldSince ?? now.toISOString();
    if (now.getTime() - Date.parse(heldSince) >= settings.holdPausedMs) return { done: await d.drop('sending-paused') };
    await d.requeue({ ...job, heldSince }, MAX_QUEUE_DELAY_SECONDS * 1000);
    return { done: { kind: 'held', reason: 'club-paused' } };
  }
  return { account, club };
}

/**
 * Claim the sendId together with the member's budget in one conditional write. Returns the
 * takeover time when another delivery claimed it first and this one took the mail over.
 */
async function claimMail(
  d: Delivery,
  campaign: Campaign,
  club: Club,
  state: { readonly member: Member; readonly ledger: Ledger },
  folds: readonly FoldedOffer[],
): Promise<Done | { readonly tookOver: string | undefined; readonly ledger?: Ledger }> {
  const { deps, job, now } = d;
  const { clubId, campaignId, memberId, sendId } = job;
  await d.fault('before-claim');
  const lastPurchase = job.lastPurchaseAt ? Date.parse(job.lastPurchaseAt) : undefined;
  const lastEngagement = Math.max(
    lastPurchase ?? 0,
    state.member.lastEngagedAt ? Date.parse(state.member.lastEngagedAt) : 0,
  );
  // A member in an experiment arm with rules of its own is claimed under them (core/experiment.ts).
  const rules = job.claimRules ?? club;
  const claim = await deps.ledger.claim({
    clubId,
    memberId,
    sendId,
    campaignId,
    now,
    // Passive members get the lower cap here too, so the budget holds at the one place it is enforced.
    policy: budgetFor(
      rules.budget,
      engagementOf(
        { sentAt: sentTimes(state.ledger), ...(lastEngagement > 0 ? { lastEngagedAt: lastEngagement } : {}) },
        rules.engagement,
      ),
      rules.engagement,
    ),
    frequency: state.member.preferences.frequency,
    kind: budgetKindOf(campaign),
    ledger: state.ledger,
    ...(folds.length > 0 ? { folds: folds.map((f) => f.sendId) } : {}),
  });
  if (claim.kind === 'over-budget' || claim.kind === 'stopped') return { done: await d.drop(claim.reason) };
  if (claim.kind === 'folded') return { done: await d.drop(`folded-into:${claim.into}`) };
  if (claim.kind === 'claimed' && state.ledger.version === 0) {
    // A first claim ever, on a ledger that did not exist: no suppression could have bumped it (an
    // erasure deletes it), so read the member again, strongly consistent, before sending.
    const fresh = await deps.members.getForSend(clubId, memberId, { consistent: true });
    const recheck = fresh
      ? checkEligibility(fresh.member, topicOf(campaign), now, { bigOffer: isBigOffer(campaign) })
      : undefined;
    if (!fresh || (recheck && !recheck.eligible)) {
      await deps.ledger.release({ clubId, memberId, sendId });
      return { done: await d.drop(recheck && !recheck.eligible ? recheck.reason : 'member-gone') };
    }
  }
  if (claim.kind === 'already-claimed') {
    // Another delivery of the same job claimed it between our read and our write.
    const outcome = await reconcile(d, campaign, claim.at);
    if (outcome) return { done: outcome };
    return { tookOver: now.toISOString() };
  }
  return { tookOver: undefined, ledger: claim.next };
}

/** The mail with its signed links; a template that cannot render drops it (fail closed, never a hole). */
async function render(
  d: Delivery,
  input: {
    readonly club: Club;
    readonly campaign: Campaign;
    readonly catalog: CatalogEntry;
    readonly member: Member;
    readonly offers: readonly MailOffer[];
    readonly alsoThisWeek: readonly MailOffer[];
  },
): Promise<Done | { readonly mail: RenderedMail }> {
  const { deps, job, now } = d;
  const { clubId, campaignId, memberId, sendId } = job;
  const keys = await deps.tokenKeys();
  try {
    return {
      mail: renderCampaignMail({ ...input, job, keys, base: deps.publicBaseUrl, now }),
    };
  } catch (error: unknown) {
    if (!(error instanceof TemplateError)) throw error;
    // Give the claim back; the budget was not used.
    await deps.ledger.release({ clubId, memberId, sendId });
    deps.log.error('template failed; mail not sent', { clubId, campaignId, memberId, error });
    return { done: await d.drop('template-error') };
  }
}

/**
 * Send through SES and mark the mail sent. A throttled or paused SES leaves the claim and puts the
 * job back; a rejection is final. A probe that gets through closes the account's breaker.
 */
async function sendAndMark(
  d: Delivery,
  input: {
    readonly club: Club;
    readonly campaign: Campaign;
    readonly member: Member;
    readonly mail: RenderedMail;
    readonly tookOver: string | undefined;
    readonly gate: Gates;
    readonly lateFolds: readonly string[];
  },
): Promise<DeliveryOutcome> {
  const { deps, job, now, cache } = d;
  const { clubId, campaignId, memberId, sendId } = job;
  const { club, campaign, mail } = input;
  const settings = deps.sendSettings;
  const outgoing = {
    from: mailbox(club.senderName, club.senderEmail),
    to: input.member.email,
    subject: mail.subject,
    html: mail.html,
    text: mail.text,
    // RFC 8058 from the rendered mail, and the club's List-Id and Feedback-ID (docs/decisions/0031-mail-headers.md).
    headers: customHeaders([
      ...mail.headers,
      ...listHeaders({ clubId, campaignId, kind: campaign.kind, senderEmail: club.senderEmail }),
    ]),
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
      if (!(await markRefused(d, input.tookOver))) return { kind: 'duplicate' };
      const throttled = (job.throttled ?? 0) + 1;
      await d.requeue({ ...job, throttled }, 1000 + fullJitter(throttled, 2000, MAX_QUEUE_DELAY_SECONDS * 1000));
      deps.log.warn('SES throttled; mail back on the queue', { clubId, campaignId, memberId, throttled });
      return { kind: 'held', reason: 'throttled' };
    }
    if (error instanceof SendingPausedError) {
      if (!(await markRefused(d, input.tookOver))) return { kind: 'duplicate' };
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
          error,
          probeAfter: probeAfter.toISOString(),
        });
      cache.breakers.clear();
      await d.requeue(job, settings.probeIntervalMs);
      return { kind: 'held', reason: 'account-paused' };
    }
    if (error instanceof SenderNotVerifiedError) return senderRefusedBySes(d, error, input.tookOver);
    if (error instanceof MailRejectedError) {
      // Final: keep the claim, so a redelivered job sees it and never retries this mail.
      deps.log.warn('SES rejected the mail; not retried', { clubId, campaignId, memberId, error });
      return d.drop('rejected-by-provider');
    }
    throw error;
  }
  await d.fault('after-ses');
  const mark = await deps.campaigns.recordDelivery(
    clubId,
    campaignId,
    memberId,
    { state: 'sent', messageId, at: now.toISOString() },
    input.lateFolds.length > 0 ? { lateFolds: input.lateFolds } : {},
  );
  // Count the send once: when this mark moved the record, or when SES's own events for this very
  // message (a fast bounce) got there first. Not when another delivery already marked it sent.
  if (mark === 'moved' || (await movedOnByItsEvents(d, messageId))) d.countSent();
  if (input.gate.account === 'probe' && (await deps.sending.close({ kind: 'account' }, now, 'probe'))) {
    deps.log.info('SES took a probe mail: sending resumes', { clubId, campaignId });
  }
  if (
    input.gate.club === 'probe' &&
    (await deps.sending.close({ kind: 'club', clubId }, now, 'probe', { probing: true }))
  ) {
    deps.log.info("SES took a probe mail from the club's sender: its sending resumes", { clubId, campaignId });
  }
  deps.log.info('mail sent', { clubId, campaignId, memberId, sendId, messageId });
  await d.fault('after-mark');
  return { kind: 'sent', messageId };
}

/** SES's own events for this message (a fast bounce) moved the record past `sent` before our mark. */
async function movedOnByItsEvents(d: Delivery, messageId: string): Promise<boolean> {
  const { clubId, campaignId, memberId } = d.job;
  const current = await d.deps.campaigns.getDelivery(clubId, campaignId, memberId);
  return (
    current !== undefined &&
    'messageId' in current &&
    current.messageId === messageId &&
    DELIVERY_RANK[current.state] > DELIVERY_RANK.sent
  );
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
