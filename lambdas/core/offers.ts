import { EMPTY_CLUB_MODEL, modelScorer } from './club-model.js';
import { conflictingTags, type DietTag, forbiddenTags, type Restriction } from './diet.js';
import type { OfferWithProduct } from './model.js';
import { EMPTY_PROFILE, type PurchaseProfile } from './profile.js';
import type { PickWhy, Scorer } from './scoring.js';

/** One offer chosen for one member, with the sentence that explains the choice. */
export interface OfferPick {
  readonly offerId: string;
  readonly productId: string;
  readonly score: number;
  /** Why it was picked, as a code the mail renderer localises. */
  readonly why: PickWhy;
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
}

export interface RankResult {
  readonly picks: readonly OfferPick[];
  readonly excluded: readonly ExcludedOffer[];
}

/**
 * Rank a campaign's offers for one member. Conflicting offers are removed before scoring, so no
 * score, however high, can bring one back.
 */
export function rankOffers(request: RankRequest): RankResult {
  const forbidden = forbiddenTags(request.restrictions);
  const excluded: ExcludedOffer[] = [];
  const allowed: OfferWithProduct[] = [];
  for (const candidate of request.candidates) {
    const conflicts = conflictingTags(candidate.product, forbidden);
    if (conflicts.length > 0) excluded.push({ offerId: candidate.offer.offerId, tags: conflicts });
    else allowed.push(candidate);
  }

  const scorer = request.scorer ?? modelScorer(EMPTY_CLUB_MODEL, request.profile ?? EMPTY_PROFILE);
  const scored = allowed.map((candidate) => ({ candidate, ...scorer(candidate) }));
  scored.sort((a, b) => b.score - a.score || a.candidate.offer.offerId.localeCompare(b.candidate.offer.offerId));

  const maxPerCategory = request.maxPerCategory ?? 2;
  const perCategory = new Map<string, number>();
  const picks: OfferPick[] = [];
  for (const entry of scored) {
    if (picks.length >= request.k) break;
    if (entry.score <= 0) break;
    const category = entry.candidate.product.category;
    const used = perCategory.get(category) ?? 0;
    if (used >= maxPerCategory) continue;
    perCategory.set(category, used + 1);
    picks.push({
      offerId: entry.candidate.offer.offerId,
      productId: entry.candidate.product.productId,
      score: Math.round(entry.score * 1000) / 1000,
      why: entry.why,
      reason: reasonText(entry.why, entry.candidate),
    });
  }
  return { picks, excluded };
}

/** The English sentence for the marketer's dry-run; mail localises `why` itself. */
export function reasonText(why: PickWhy, candidate: OfferWithProduct): string {
  const name = candidate.product.name;
  switch (why) {
    case 'often-bought':
      return `You often buy ${name}`;
    case 'bought-before':
      return `You have bought ${name} before`;
    case 'goes-with':
      return `Members who shop like you often buy ${name}`;
    case 'category':
      return `You often shop ${candidate.product.category.toLowerCase()}`;
    case 'popular':
      return 'Popular with members';
  }
}
