import { z } from 'zod';
import { type BudgetPolicy, checkBudget } from './budget.js';
import { checkEligibility } from './eligibility.js';
import { type Ledger, sendIdFor, sentTimes } from './ledger.js';
import type { Campaign, Member, OfferWithProduct } from './model.js';
import { type ClubModel, EMPTY_CLUB_MODEL, modelScorer } from './club-model.js';
import { rankOffers } from './offers.js';
import { type PurchaseProfile, effectiveRestrictions } from './profile.js';
import { SuppressReason } from './reasons.js';

export const DecidedOffer = z.object({
  offerId: z.string(),
  productId: z.string(),
  score: z.number(),
  why: z.enum(['often-bought', 'bought-before', 'goes-with', 'category', 'popular']),
  reason: z.string(),
});

/** What the planner decided for one member and one campaign: what the dry-run shows and the report counts. */
export const Decision = z.discriminatedUnion('outcome', [
  z.object({
    outcome: z.literal('send'),
    memberId: z.string(),
    sendId: z.string(),
    offers: z.array(DecidedOffer).min(1),
    message: z.string(),
  }),
  z.object({
    outcome: z.literal('suppress'),
    memberId: z.string(),
    reason: SuppressReason,
    message: z.string(),
  }),
]);
export type Decision = z.infer<typeof Decision>;

export interface DecideInput {
  readonly member: Member;
  readonly profile: PurchaseProfile;
  readonly ledger: Ledger;
  readonly campaign: Campaign;
  readonly candidates: readonly OfferWithProduct[];
  readonly policy: BudgetPolicy;
  readonly now: Date;
  /** Club-wide popularity per product, 0–1; what members with thin history are offered. */
  readonly popularity?: ReadonlyMap<string, number>;
  /** The club's fitted next-basket model; without one, own repeats, category and popularity only. */
  readonly model?: ClubModel;
}

/** Minimum score of the best offer for a mail to be worth sending: "nothing relevant" is a valid answer. */
export const DEFAULT_RELEVANCE_FLOOR = 0.1;

/** Eligibility, then offers under the hard diet exclusions, then the relevance floor, then the budget. */
export function decide(input: DecideInput): Decision {
  const { member, campaign, now } = input;
  const memberId = member.memberId;
  const eligibility = checkEligibility(member, 'offers', now);
  if (!eligibility.eligible) {
    return { outcome: 'suppress', memberId, reason: eligibility.reason, message: eligibility.message };
  }
  const restrictions = effectiveRestrictions(
    member.preferences.declaredRestrictions,
    input.profile.inferredRestrictions,
    member.preferences.rejectedInferences,
  );
  const ranked = rankOffers({
    scorer: modelScorer(input.model ?? EMPTY_CLUB_MODEL, input.profile, input.popularity),
    candidates: input.candidates,
    restrictions,
    k: campaign.offersPerMail,
  });
  if (input.candidates.length === 0) {
    return { outcome: 'suppress', memberId, reason: 'no-eligible-offers', message: 'The campaign has no offers in its pool.' };
  }
  if (ranked.excluded.length === input.candidates.length) {
    return {
      outcome: 'suppress',
      memberId,
      reason: 'no-eligible-offers',
      message: `Every offer in the campaign conflicts with ${restrictions.join(', ')}.`,
    };
  }
  const best = ranked.picks[0];
  const floor = campaign.relevanceFloor ?? DEFAULT_RELEVANCE_FLOOR;
  if (!best || best.score < floor) {
    return {
      outcome: 'suppress',
      memberId,
      reason: 'below-relevance-floor',
      message: `No offer scores at least ${floor} for this member.`,
    };
  }
  const budget = checkBudget(sentTimes(input.ledger), now, input.policy, member.preferences.frequency);
  if (!budget.ok) return { outcome: 'suppress', memberId, reason: budget.reason, message: budget.message };
  const excludedNote = ranked.excluded.length > 0 ? ` ${ranked.excluded.length} offers left out for ${restrictions.join(', ')}.` : '';
  return {
    outcome: 'send',
    memberId,
    sendId: sendIdFor(campaign.clubId, campaign.campaignId, memberId),
    offers: ranked.picks.map((p) => ({ ...p })),
    message: `Send ${ranked.picks.length} offers, best: ${best.reason.toLowerCase()}.${excludedNote}`,
  };
}
