import { lastEngaged } from '../core/decision.js';
import { checkEligibility, isBigOffer, topicOf } from '../core/eligibility.js';
import { budgetFor, engagementOf } from '../core/engagement.js';
import { MailRejectedError, RetryableMailError, SendingPausedError } from '../core/errors.js';
import type { SendJob } from '../core/jobs.js';
import { sentTimes } from '../core/ledger.js';
import { type MailOffer, type RenderedMail, renderMail } from '../core/mail.js';
import { yearsAsMember } from '../core/occasions.js';
import { TemplateError } from '../core/templates.js';
import type { Theme } from '../core/theme-library.js';
import type { Campaign, Club, Offer, Product } from '../core/model.js';
import { signToken } from '../core/tokens.js';
import type { Deps } from './deps.js';

export type DeliveryOutcome =
  | { readonly kind: 'sent'; readonly messageId: string }
  | { readonly kind: 'duplicate' }
  | { readonly kind: 'deferred'; readonly until: string }
  | { readonly kind: 'dropped'; readonly reason: string };

/** Per-invocation reads shared by the records of one batch. */
export interface BatchCache {
  readonly campaigns: Map<string, Promise<Campaign | undefined>>;
  readonly clubs: Map<string, Promise<{ club: Club | undefined; products: Map<string, Product>; offers: Map<string, Offer>; themes: Theme[] }>>;
}

export function newBatchCache(): BatchCache {
  return { campaigns: new Map(), clubs: new Map() };
}

type DeliverDeps = Pick<
  Deps,
  'clubs' | 'campaigns' | 'members' | 'ledger' | 'mailer' | 'sendQueue' | 'clock' | 'tokenKeys' | 'publicBaseUrl' | 'log'
>;

/**
 * Send one decided mail at most once (RELIABILITY.md 11-13): re-check the campaign and the
 * member just before sending, claim the sendId together with the budget in one conditional
 * write, send, then mark the decision sent. A crash after the claim leaves it claimed and
 * unsent ("unknown"); it is never blindly resent.
 */
export async function deliverMail(deps: DeliverDeps, job: SendJob, cache: BatchCache = newBatchCache()): Promise<DeliveryOutcome> {
  const { clubId, campaignId, memberId, sendId } = job;
  const now = deps.clock.now();
  const drop = async (reason: string): Promise<DeliveryOutcome> => {
    await deps.campaigns.recordDelivery(clubId, campaignId, memberId, { state: 'dropped', reason, at: now.toISOString() });
    deps.log.info('mail dropped before sending', { clubId, campaignId, memberId, reason });
    return { kind: 'dropped', reason };
  };

  if (job.notBefore && Date.parse(job.notBefore) > now.getTime()) {
    // Quiet hours in the member's time zone: back on the queue, at most 15 minutes at a time.
    await deps.sendQueue.send([job], { delaySeconds: Math.ceil((Date.parse(job.notBefore) - now.getTime()) / 1000) });
    return { kind: 'deferred', until: job.notBefore };
  }

  const campaign = await cached(cache.campaigns, `${clubId}/${campaignId}`, () => deps.campaigns.getCampaign(clubId, campaignId));
  if (!campaign || campaign.status === 'cancelled') return drop('campaign-cancelled');

  const state = await deps.members.getState(clubId, memberId);
  if (!state) return drop('member-gone');
  const eligibility = checkEligibility(state.member, topicOf(campaign), now, { bigOffer: isBigOffer(campaign) });
  if (!eligibility.eligible) return drop(eligibility.reason);

  const catalog = await cached(cache.clubs, clubId, async () => {
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
  });
  const club = catalog.club;
  if (!club) return drop('club-gone');
  const offers: MailOffer[] = job.offers.flatMap((pick) => {
    const offer = catalog.offers.get(pick.offerId);
    const product = catalog.products.get(pick.productId);
    return offer && product ? [{ offer, product, why: pick.why }] : [];
  });
  if (offers.length === 0) return drop('offers-gone');

  const claim = await deps.ledger.claim({
    clubId,
    memberId,
    sendId,
    campaignId,
    now,
    // Passive members get the lower cap here too, so the budget holds at the one place it is enforced.
    policy: budgetFor(club.budget, engagementOf({ sentAt: sentTimes(state.ledger), ...lastEngaged(state.member, state.profile) }, club.engagement), club.engagement),
    frequency: state.member.preferences.frequency,
    kind: campaign.kind,
  });
  if (claim.kind === 'already-claimed') {
    deps.log.info('duplicate send job ignored', { clubId, campaignId, memberId, sendId });
    return { kind: 'duplicate' };
  }
  if (claim.kind === 'over-budget') return drop(claim.reason);

  const base = deps.publicBaseUrl;
  const token = (purpose: 'unsubscribe' | 'preferences') => signToken(deps.tokenKeys, { purpose, clubId, memberId }, now);
  let mail: RenderedMail;
  try {
    mail = renderMail({
      club,
      member: state.member,
      theme: job.theme,
      offers,
      links: { unsubscribe: `${base}/u/${token('unsubscribe')}`, preferences: `${base}/p/${token('preferences')}` },
      ...(campaign.occasion ? { occasion: { id: campaign.occasion.id, ...(campaign.occasion.funFact ? { funFact: campaign.occasion.funFact } : {}), yearsAsMember: yearsAsMember(state.member.joinedAt.slice(0, 10), now.toISOString().slice(0, 10)) } } : {}),
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
  try {
    const { messageId } = await deps.mailer.send({
      from: `${club.senderName} <${club.senderEmail}>`,
      to: state.member.email,
      subject: mail.subject,
      html: mail.html,
      text: mail.text,
      headers: mail.headers,
      tags: { sendId, club: clubId, campaign: campaignId },
    });
    await deps.campaigns.recordDelivery(clubId, campaignId, memberId, { state: 'sent', messageId, at: now.toISOString() });
    deps.log.info('mail sent', { clubId, campaignId, memberId, sendId, messageId });
    return { kind: 'sent', messageId };
  } catch (error: unknown) {
    if (error instanceof RetryableMailError || error instanceof SendingPausedError) {
      // SES did not take the mail: give the claim back so the redelivered job can send it.
      await deps.ledger.release({ clubId, memberId, sendId });
      throw error;
    }
    if (error instanceof MailRejectedError) return drop('rejected-by-provider');
    throw error;
  }
}

function cached<T>(map: Map<string, Promise<T>>, key: string, load: () => Promise<T>): Promise<T> {
  const hit = map.get(key);
  if (hit) return hit;
  const promise = load();
  map.set(key, promise);
  return promise;
}
