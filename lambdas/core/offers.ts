import type { CatalogIndex } from './catalog-index.js';
import { categoryHabit, EMPTY_CLUB_MODEL, modelScorer } from './club-model.js';
import { dietChoiceReason } from './copy.js';
import { blockedMask, type DietTag, forbiddenMask, type Restriction, tagsOf } from './diet.js';
import { dietChoiceIn, dietChoiceLift } from './diet-choice.js';
import type { OfferWithProduct } from './model.js';
import { EMPTY_PROFILE, type PurchaseProfile } from './profile.js';
import type { CandidateScore, PickWhy, Scorer } from './scoring.js';

/** One offer chosen for one member, with the sentence that explains the choice. */
export interface OfferPick {
  readonly offerId: string;
  readonly productId: string;
  readonly score: number;
  /** Why it was picked, as a code the mail renderer localises. */
  readonly why: PickWhy;
  /** With `diet-choice`: the restriction the choice is for. */
  readonly diet?: Restriction;
  /** The same in plain English, for the marketer's dry-run. */
  readonly reason: string;
}

export interface ExcludedOffer {
  readonly offerId: string;
  readonly tags: readonly DietTag[];
}

export interface RankRequest {
  /** The member's profile, scored by `modelScorer` with no club model unless a `scorer` is given. */
  readonly profile?: PurchaseProfile;
  readonly scorer?: Scorer;
  readonly candidates: readonly OfferWithProduct[];
  readonly restrictions: readonly Restriction[];
  readonly k: number;
  /** At most this many picks from one category, so a mail is not five kinds of yoghurt. */
  readonly maxPerCategory?: number;
  /**
   * The club's catalog index. With it, a restricted member's habit in a category whose usual
   * products conflict lifts that category's allowed products (lambdas/core/diet-choice.ts).
   */
  readonly catalog?: CatalogIndex;
}

export interface RankResult {
  readonly picks: readonly OfferPick[];
  readonly excluded: readonly ExcludedOffer[];
}

/** A scored, allowed candidate, as the picker takes them: best first. */
export interface RankedCandidate extends CandidateScore {
  readonly candidate: OfferWithProduct;
}

export const DEFAULT_MAX_PER_CATEGORY = 2;

/**
 * Rank a campaign's offers for one member. Conflicting offers are removed before scoring, so no
 * score, however high, can bring one back.
 */
export function rankOffers(request: RankRequest): RankResult {
  const forbidden = forbiddenMask(request.restrictions);
  const excluded: ExcludedOffer[] = [];
  const allowed: OfferWithProduct[] = [];
  for (const candidate of request.candidates) {
    const conflicts = blockedMask(candidate.product) & forbidden;
    if (conflicts !== 0) excluded.push({ offerId: candidate.offer.offerId, tags: tagsOf(conflicts) });
    else allowed.push(candidate);
  }

  const profile = request.profile ?? EMPTY_PROFILE;
  const scorer = request.scorer ?? modelScorer(EMPTY_CLUB_MODEL, profile);
  const { catalog } = request;
  const scored = allowed.map((candidate): RankedCandidate => {
    const base = scorer(candidate);
    if (!catalog || forbidden === 0) return { candidate, ...base };
    const category = candidate.product.category;
    const diet = dietChoiceIn(category, request.restrictions, catalog);
    return diet ? withDietChoice(candidate, base, diet, categoryHabit(profile, category)) : { candidate, ...base };
  });
  scored.sort((a, b) => b.score - a.score || a.candidate.offer.offerId.localeCompare(b.candidate.offer.offerId));
  return {
    picks: pickBest(scored, request.k, request.maxPerCategory ?? DEFAULT_MAX_PER_CATEGORY).map(toPick),
    excluded,
  };
}

/**
 * An allowed candidate in a category whose usual products the member's restrictions forbid: its
 * score plus the diet-choice lift for the member's habit there. The lift is the reason when it
 * outweighs everything else.
 */
export function withDietChoice(
  candidate: OfferWithProduct,
  base: CandidateScore,
  diet: Restriction,
  habit: number,
): RankedCandidate {
  const lift = dietChoiceLift(habit);
  if (lift <= 0) return { candidate, ...base };
  return lift >= base.score
    ? { candidate, score: base.score + lift, why: 'diet-choice', diet }
    : { candidate, ...base, score: base.score + lift };
}

/**
 * Take candidates best first until there are k: a category at its cap is skipped, and a score of 0
 * or less ends the list. Reads the candidates no further than it needs, so a lazy ranking (the
 * offline command's) stops as soon as the mail is full.
 */
export function pickBest<T extends RankedCandidate>(ordered: Iterable<T>, k: number, maxPerCategory: number): T[] {
  const perCategory = new Map<string, number>();
  const picks: T[] = [];
  if (k <= 0) return picks;
  for (const entry of ordered) {
    if (entry.score <= 0) break;
    const category = entry.candidate.product.category;
    const used = perCategory.get(category) ?? 0;
    if (used >= maxPerCategory) continue;
    perCategory.set(category, used + 1);
    picks.push(entry);
    if (picks.length >= k) break;
  }
  return picks;
}

/** A chosen candidate as the planner records it: score to three decimals, and the reason in English. */
export function toPick(entry: RankedCandidate): OfferPick {
  return {
    offerId: entry.candidate.offer.offerId,
    productId: entry.candidate.product.productId,
    score: Math.round(entry.score * 1000) / 1000,
    why: entry.why,
    ...(entry.why === 'diet-choice' && entry.diet ? { diet: entry.diet } : {}),
    reason: reasonText(entry.why, entry.candidate, entry.diet),
  };
}

/**
 * The English sentence for the marketer's dry-run and the offline command, as the English mail says
 * it (lambdas/core/copy.ts; tests/unit/offers.test.ts holds them equal). Built directly: the offline
 * command writes one per row.
 */
export function reasonText(why: PickWhy, candidate: OfferWithProduct, diet?: Restriction): string {
  const { name, category } = candidate.product;
  switch (why) {
    case 'often-bought':
      return `You often buy ${name}`;
    case 'bought-before':
      return `You have bought ${name} before`;
    case 'goes-with':
      return `Members who shop like you often buy ${name}`;
    case 'category':
      return `You often shop ${category.toLowerCase()}`;
    case 'popular':
      return 'Popular with members';
    case 'diet-choice':
      return diet ? dietChoiceReason('en', diet) : `You often shop ${category.toLowerCase()}`;
  }
}
