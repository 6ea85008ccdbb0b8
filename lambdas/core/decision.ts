import { createHash } from 'node:crypto';
import { z } from 'zod';
import { allocate } from './allocation.js';
import type { AudienceAt } from './audience.js';
import { subjectOf } from './audience-subject.js';
import { type BudgetPolicy, checkBudget } from './budget.js';
import type { CatalogIndex } from './catalog-index.js';
import { type ClubModel, EMPTY_CLUB_MODEL, modelScorer } from './club-model.js';
import { Restriction } from './diet.js';
import { budgetKindOf, checkEligibility, isBigOffer, topicOf } from './eligibility.js';
import {
  budgetFor,
  DEFAULT_ENGAGEMENT,
  defaultFloorFor,
  type Engagement,
  type EngagementPolicy,
  engagementOf,
  relevanceFloorFor,
} from './engagement.js';
import { type Beaten, FoldedOffer, foldInto } from './fold.js';
import { foldedInto, type Ledger, pendingFoldsFor, sendIdFor, sentTimes, surveyTimes } from './ledger.js';
import { memberWeight } from './mail-controls.js';
import type { Campaign, Member, OfferWithProduct } from './model.js';
import type { NameDayIndex } from './name-days.js';
import { isPersonalOccasion } from './occasions.js';
import { type RankResult, rankOffers } from './offers.js';
import { effectiveRestrictions, type PurchaseProfile } from './profile.js';
import { atLocalTime, nextSendableAt } from './quiet-hours.js';
import { DecisionReason } from './reasons.js';
import { PickWhy, type Scorer } from './scoring.js';
import { dayOf, isPersonal, isTheirOccasion } from './their-occasion.js';
import { round } from './units.js';

export const DecidedOffer = z.object({
  offerId: z.string(),
  productId: z.string(),
  score: z.number(),
  why: PickWhy,
  /** With `diet-choice`: the restriction the choice is for, so the mail can name it. */
  diet: Restriction.optional(),
  reason: z.string(),
});

/** What the planner decided for one member and one campaign: what the dry-run shows and the report counts. */
export const Decision = z.discriminatedUnion('outcome', [
  z.object({
    outcome: z.literal('send'),
    memberId: z.string(),
    sendId: z.string(),
    /** At least one for offers mail; none for a survey or a note (core/campaign-decision.ts). */
    offers: z.array(DecidedOffer),
    message: z.string(),
    /** Quiet hours in the member's time zone: the mail waits until then. */
    notBefore: z.iso.datetime({ offset: true }).optional(),
    /** Offers of campaigns the budget holds back for this member, riding along (core/fold.ts). */
    folded: z.array(FoldedOffer).optional(),
    /** The restrictions the plan inferred from purchases and applied: the send checks them again (ADR 0058). */
    inferred: z.array(Restriction).optional(),
  }),
  z.object({
    outcome: z.literal('suppress'),
    memberId: z.string(),
    reason: DecisionReason,
    message: z.string(),
    /** The reason in the member's and club's languages, where the planner words it in each (the experiment's control arm). */
    localized: z.object({ sv: z.string(), da: z.string(), en: z.string() }).optional(),
    /** Outranked by this later campaign: the plan leaves this campaign's offer for its mail (ADR 0054). */
    pendingFoldInto: z
      .string()
      .regex(/^[A-Za-z0-9_-]+$/)
      .optional(),
  }),
]);
export type Decision = z.infer<typeof Decision>;

/** Another campaign in the planning horizon that may want the same member. */
export interface Rival {
  readonly campaign: Campaign;
  readonly candidates: readonly OfferWithProduct[];
  /** Its audience: a member outside it is no rival's. */
  readonly audience?: AudienceAt;
}

export interface DecideInput {
  readonly member: Member;
  readonly profile: PurchaseProfile;
  readonly ledger: Ledger;
  readonly campaign: Campaign;
  readonly candidates: readonly OfferWithProduct[];
  readonly policy: BudgetPolicy;
  /** When a member counts as passive (the club's); the product default when absent. */
  readonly engagement?: EngagementPolicy;
  readonly now: Date;
  /** Club-wide popularity per product, 0–1; what members with thin history are offered. */
  readonly popularity?: ReadonlyMap<string, number>;
  /** The club's fitted next-basket model; without one, own repeats, category and popularity only. */
  readonly model?: ClubModel;
  /** Other scheduled campaigns within the policy's planning horizon. */
  readonly rivals?: readonly Rival[];
  /**
   * Campaigns planned before this one that may have left their offer in the member's ledger for this
   * campaign's mail (pending folds, ADR 0054): judged again now, under the member's current choices.
   */
  readonly heldBack?: readonly Rival[];
  /** The club's name-day calendar, for name-day campaigns. */
  readonly nameDays?: NameDayIndex;
  /** The club's catalog index: lets a restricted member's habits bring diet choices forward (lambdas/core/diet-choice.ts). */
  readonly catalog?: CatalogIndex;
  /** Whether held-back offers ride along in the member's other mail (the club's `foldOffers`); default yes. */
  readonly foldOffers?: boolean;
  /** The campaign's audience (core/audience.ts); absent: every member. */
  readonly audience?: AudienceAt;
}

/** Minimum score of the best offer for a mail to be worth sending: "nothing relevant" is a valid answer. */
export const DEFAULT_RELEVANCE_FLOOR = 0.1;

/**
 * One member, one offers campaign (core/campaign-decision.ts decides surveys and notes, and calls
 * this for offers): the audience, eligibility, offers under the hard diet exclusions, the relevance floor
 * (higher for passive members), quiet hours, the budget (lower for passive members), the competition
 * with more valuable campaigns in the planning horizon, and last the holdout. Every suppression says why.
 */
/** Why the member is not in the campaign's saved audience, or undefined when in it (or there is none). */
export function outsideAudience(input: DecideInput): string | undefined {
  const audience = input.audience?.at(input.now);
  if (!audience || audience.test(subjectOf(input, input.engagement ?? DEFAULT_ENGAGEMENT))) return undefined;
  return `Not in the campaign's audience "${audience.name}".`;
}

export function decide(input: DecideInput): Decision {
  const { member, campaign, now } = input;
  const memberId = member.memberId;
  const suppress = (reason: DecisionReason, message: string): Decision => ({
    outcome: 'suppress',
    memberId,
    reason,
    message,
  });

  const outside = outsideAudience(input);
  if (outside) return suppress('not-in-audience', outside);
  // This campaign's best offer already rode along in another mail of the week: it never mails them as well.
  const into = foldedInto(input.ledger, sendIdFor(campaign.clubId, campaign.campaignId, memberId));
  if (into)
    return suppress(`folded-into:${into}`, `The member's mail from ${into} carried this campaign's best offer.`);

  const eligibility = checkEligibility(member, topicOf(campaign), now, {
    bigOffer: isBigOffer(campaign) || isPersonal(campaign),
  });
  if (!eligibility.eligible) return suppress(eligibility.reason, eligibility.message);
  const occasion = campaign.occasion?.id;
  if (
    occasion &&
    isPersonalOccasion(occasion) &&
    !isTheirOccasion(member, occasion, dayOf(campaign, member, now), input.nameDays)
  ) {
    const day = campaign.personalDay ? `on ${campaign.personalDay.date}` : 'today';
    return suppress(
      'not-their-occasion',
      `Not the member's ${occasion.replaceAll('-', ' ')} ${day} (in ${member.timeZone}).`,
    );
  }

  const restrictions = effectiveRestrictions(
    member.preferences.declaredRestrictions,
    input.profile.inferredRestrictions,
    member.preferences.rejectedInferences,
  );
  const inferred = effectiveRestrictions([], input.profile.inferredRestrictions, member.preferences.rejectedInferences);
  const scorer = modelScorer(input.model ?? EMPTY_CLUB_MODEL, input.profile, input.popularity);
  const rank = (c: Campaign, candidates: readonly OfferWithProduct[]) =>
    rankOffers({
      scorer,
      profile: input.profile,
      candidates,
      restrictions,
      k: c.offersPerMail,
      ...(input.catalog ? { catalog: input.catalog } : {}),
    });
  const ranked = rank(campaign, input.candidates);
  if (input.candidates.length === 0) return suppress('no-eligible-offers', 'The campaign has no offers in its pool.');
  if (ranked.excluded.length === input.candidates.length) {
    return suppress('no-eligible-offers', `Every offer in the campaign conflicts with ${restrictions.join(', ')}.`);
  }

  const sentAt = sentTimes(input.ledger);
  const engagementPolicy = input.engagement ?? DEFAULT_ENGAGEMENT;
  const engagement = engagementOf({ sentAt, ...lastEngaged(member, input.profile) }, engagementPolicy);
  const passiveNote =
    engagement.state === 'passive'
      ? ` (raised: no open, click or purchase after the last ${engagement.unengagedMails} mails)`
      : '';
  const best = ranked.picks[0];
  const evidence = { modelFitted: (input.model?.baskets ?? 0) > 0, receipts: input.profile.receipts };
  const defaultFloor = defaultFloorFor(DEFAULT_RELEVANCE_FLOOR, evidence, engagementPolicy);
  const floor = relevanceFloorFor(campaign.relevanceFloor ?? defaultFloor, engagement, engagementPolicy);
  if (!best || best.score < floor) {
    return suppress('below-relevance-floor', `No offer scores at least ${round(floor)}${passiveNote} for this member.`);
  }
  // "Fewer mails like this" (core/mail-controls.ts): the member's lower weight for this theme or topic.
  const weight = memberWeight(member, campaign);
  if (best.score * weight < floor) {
    return suppress(
      'fewer-like-this',
      `The member asked for fewer mails like this: the best offer's ${round(best.score)} × ${weight} is below ${round(floor)}.`,
    );
  }

  const due = dueAt(campaign, member, now);
  const at = nextSendableAt(due, member.timeZone, input.policy.quietHours);
  const policy = budgetFor(input.policy, engagement, engagementPolicy);
  const budget = checkBudget(sentAt, at, policy, member.preferences.frequency, {
    kind: budgetKindOf(campaign),
    surveySentAt: surveyTimes(input.ledger),
  });
  if (!budget.ok) {
    const passive =
      engagement.state === 'passive' && budget.reason === 'budget-window'
        ? ` The member is passive${passiveNote.slice(1, -1).replace('raised: ', ' (')}).`
        : '';
    return suppress(budget.reason, `${budget.message}${passive}`);
  }

  const arena: Contest = {
    input,
    engagement,
    policy,
    floorFor: (c) => relevanceFloorFor(c.relevanceFloor ?? defaultFloor, engagement, engagementPolicy),
    rank,
    at,
    best: best.score * weight,
  };
  const contest = compete(arena);
  if ('reason' in contest) {
    // Outranked by a later, more valuable mail: its plan may carry this campaign's offer (ADR 0054).
    const into = contest.reason.startsWith('outranked-by:') ? contest.reason.slice('outranked-by:'.length) : '';
    const leaves = into !== '' && input.foldOffers !== false && !inHoldout(campaign, memberId);
    if (!leaves) return suppress(contest.reason, contest.message);
    const note = ` Its best allowed offer waits for the ${into} mail, to ride along there.`;
    return {
      outcome: 'suppress',
      memberId,
      reason: contest.reason,
      message: `${contest.message}${note}`,
      pendingFoldInto: into,
    };
  }

  if (inHoldout(campaign, memberId)) {
    return suppress(
      'holdout',
      `In the campaign's ${Math.round(campaign.holdoutShare * 100)} % control group: not mailed, so the campaign's uplift can be measured.`,
    );
  }

  const excludedNote =
    ranked.excluded.length > 0 ? ` ${ranked.excluded.length} offers left out for ${restrictions.join(', ')}.` : '';
  const deferred = at.getTime() > now.getTime();
  const deferredNote = !deferred
    ? ''
    : due.getTime() > now.getTime()
      ? ` Waits for ${at.toISOString()}, the member's ${campaign.personalDay?.time ?? ''} in ${member.timeZone}.`
      : ` Waits for the end of quiet hours in ${member.timeZone}.`;
  const weightNote = weight < 1 ? ' Weighted down: the member asked for fewer mails like this.' : '';
  const { offers, folded } =
    input.foldOffers === false
      ? { offers: [...ranked.picks], folded: [] }
      : foldInto(ranked.picks, campaign.offersPerMail, withLeftFor(contest.beaten, leftFor(arena)), {
          clubId: campaign.clubId,
          memberId,
        });
  const foldNote =
    folded.length > 0 ? ` Also this week: ${folded.map((f) => `${f.offerId} from ${f.campaignId}`).join(', ')}.` : '';
  return {
    outcome: 'send',
    memberId,
    sendId: sendIdFor(campaign.clubId, campaign.campaignId, memberId),
    offers: offers.map((p) => ({ ...p })),
    message: `Send ${offers.length} offers, best: ${best.reason.toLowerCase()}.${excludedNote}${deferredNote}${weightNote}${foldNote}`,
    ...(deferred ? { notBefore: at.toISOString() } : {}),
    ...(folded.length > 0 ? { folded } : {}),
    ...(inferred.length > 0 ? { inferred } : {}),
  };
}

interface Contest {
  readonly input: DecideInput;
  readonly engagement: Engagement;
  readonly policy: BudgetPolicy;
  readonly floorFor: (campaign: Campaign) => number;
  readonly rank: (campaign: Campaign, candidates: readonly OfferWithProduct[]) => RankResult;
  readonly at: Date;
  readonly best: number;
}

/**
 * Competing campaigns (docs/decisions/0006-frequency-budget.md): every rival in the horizon that
 * would mail this member is a request; `allocate` gives the budget to the highest expected values.
 * This is the "reservation": a later, more valuable campaign keeps the budget free simply by
 * outranking the earlier one when the earlier one is planned.
 */
function compete(
  contest: Contest,
): { reason: DecisionReason; message: string } | { readonly beaten: readonly Beaten[] } {
  const { input, at } = contest;
  const { member, campaign, now } = input;
  const horizon = now.getTime() + input.policy.planningHorizonDays * 86_400_000;
  const requests = [
    { campaignId: campaign.campaignId, at: at.getTime(), relevance: contest.best, priority: priorityOf(campaign) },
  ];
  const picksOf = new Map<string, RankResult['picks']>();
  for (const rival of input.rivals ?? []) {
    const c = rival.campaign;
    const sendAt = Math.max(Date.parse(c.sendAt), now.getTime());
    if (c.campaignId === campaign.campaignId || c.clubId !== campaign.clubId || sendAt > horizon) continue;
    if (c.status !== 'scheduled' && c.status !== 'planning') continue;
    const judged = judgeRival(contest, rival, sendAt);
    if (!judged) continue;
    const rivalAt = nextSendableAt(dueAt(c, member, new Date(sendAt)), member.timeZone, input.policy.quietHours);
    picksOf.set(c.campaignId, judged.picks);
    requests.push({
      campaignId: c.campaignId,
      at: rivalAt.getTime(),
      relevance: judged.relevance,
      priority: priorityOf(c),
    });
  }
  if (requests.length === 1) return { beaten: [] };
  const results = allocate({
    requests,
    sentAt: sentTimes(input.ledger),
    policy: contest.policy,
    frequency: member.preferences.frequency,
    engagementWeight: contest.engagement.weight,
  });
  const [mine] = results;
  if (mine?.outcome === 'suppress') return { reason: mine.reason, message: mine.message };
  // The rivals the budget holds back while this mail goes, and which are worth less: their offers may fold in.
  const value = (r: { relevance: number; priority: number }) => r.relevance * r.priority;
  const own = requests[0] ? value(requests[0]) : 0;
  const beaten: Beaten[] = [];
  results.forEach((result, i) => {
    const request = requests[i];
    if (i === 0 || !request || result.outcome !== 'suppress' || value(request) >= own) return;
    beaten.push({
      campaignId: request.campaignId,
      value: value(request),
      picks: picksOf.get(request.campaignId) ?? [],
    });
  });
  return { beaten };
}

/**
 * Whether another offers campaign would mail this member now, and with which allowed picks: the
 * member's current eligibility for its topic, its personal occasion, holdout, audience, a fold already
 * claimed for it, and its relevance floor under the member's weight. Undefined when it would not.
 */
function judgeRival(
  contest: Contest,
  rival: Rival,
  sendAt: number,
): { readonly picks: RankResult['picks']; readonly relevance: number } | undefined {
  const { input } = contest;
  const { member, now } = input;
  const c = rival.campaign;
  // Surveys have caps of their own, and a note carries no offers to weigh: only offers mail competes.
  if (c.kind !== 'offers') return undefined;
  if (!checkEligibility(member, topicOf(c), now, { bigOffer: isBigOffer(c) || isPersonal(c) }).eligible)
    return undefined;
  const occasion = c.occasion?.id;
  const day = dayOf(c, member, new Date(sendAt));
  if (occasion && isPersonalOccasion(occasion) && !isTheirOccasion(member, occasion, day, input.nameDays))
    return undefined;
  if (inHoldout(c, member.memberId)) return undefined;
  if (foldedInto(input.ledger, sendIdFor(c.clubId, c.campaignId, member.memberId))) return undefined;
  const audience = rival.audience?.at(now);
  if (audience && !audience.test(subjectOf(input, input.engagement ?? DEFAULT_ENGAGEMENT))) return undefined;
  const picks = contest.rank(c, rival.candidates).picks;
  const best = picks[0]?.score ?? 0;
  const weight = memberWeight(member, c);
  if (best < contest.floorFor(c) || best * weight < contest.floorFor(c)) return undefined;
  return { picks, relevance: best * weight };
}

/**
 * The campaigns planned earlier that the budget held back for this member in favour of this mail and
 * that left their offer in the ledger for it (ADR 0054): each judged again now, as a rival would be, so
 * an unsubscribe, a pause, a topic turned off or a restriction added since their plan wins.
 */
function leftFor(contest: Contest): Beaten[] {
  const { input } = contest;
  const { member, campaign, now } = input;
  const ids = { clubId: campaign.clubId, campaignId: campaign.campaignId, memberId: member.memberId };
  const waiting = pendingFoldsFor(input.ledger, ids);
  return waiting.flatMap((campaignId) => {
    // A plan's cached context may still hold it as a rival (scheduled when the context was read).
    const rival = [...(input.heldBack ?? []), ...(input.rivals ?? [])].find(
      (r) => r.campaign.campaignId === campaignId,
    );
    const c = rival?.campaign;
    if (!rival || !c || c.clubId !== campaign.clubId || c.status === 'cancelled' || c.status === 'draft') return [];
    const judged = judgeRival(contest, rival, Math.max(Date.parse(c.sendAt), now.getTime()));
    if (!judged) return [];
    return [{ campaignId, value: judged.relevance * priorityOf(c), picks: judged.picks, late: true }];
  });
}

/** The beaten rivals and the left folds, each campaign once: a fold its plan left counts as left. */
function withLeftFor(beaten: readonly Beaten[], left: readonly Beaten[]): Beaten[] {
  return [...beaten.filter((b) => !left.some((l) => l.campaignId === b.campaignId)), ...left];
}

/** A member's own occasion (birthday, anniversary, name day) outranks other campaigns, and uses the budget like them. */
function priorityOf(campaign: Campaign): number {
  return isPersonal(campaign) ? Math.max(campaign.priority, 3) : campaign.priority;
}

/**
 * When the campaign's mail is due for this member: a personal-occasion run's time on its day in the member's
 * own time zone (or at once, when that is past), otherwise `at` itself.
 */
export function dueAt(campaign: Campaign, member: Member, at: Date): Date {
  const day = campaign.personalDay;
  if (!day) return at;
  const local = atLocalTime(day.date, day.time, member.timeZone);
  return local.getTime() > at.getTime() ? local : at;
}

/** The member's latest open, click or purchase, as epoch ms. */
export function lastEngaged(member: Member, profile: PurchaseProfile): { lastEngagedAt?: number } {
  const times = [member.lastEngagedAt, profile.lastPurchaseAt].flatMap((t) => (t ? [Date.parse(t)] : []));
  return times.length > 0 ? { lastEngagedAt: Math.max(...times) } : {};
}

/**
 * Whether the member is in the campaign's control group: a hash of (campaign, member), so the same
 * members are held out on every replay and the group is a uniform random share of those mailed.
 */
export function inHoldout(campaign: Pick<Campaign, 'campaignId' | 'holdoutShare'>, memberId: string): boolean {
  if (campaign.holdoutShare <= 0) return false;
  const hash = createHash('sha256').update(`holdout\u0000${campaign.campaignId}\u0000${memberId}`).digest();
  return hash.readUInt32BE(0) / 2 ** 32 < campaign.holdoutShare;
}

export type { Scorer };
