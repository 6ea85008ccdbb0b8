import { type DietTag, type Restriction, conflictingTags, forbiddenTags } from './diet.js';
import type { OfferWithProduct } from './model.js';
import type { PurchaseProfile } from './profile.js';

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

export type PickWhy = 'often-bought' | 'bought-before' | 'category' | 'popular';

export interface ExcludedOffer {
  readonly offerId: string;
  readonly tags: readonly DietTag[];
}

export interface RankRequest {
  readonly profile: PurchaseProfile;
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

/** How much a product the member already buys outweighs a category they merely shop in. */
const OWN_WEIGHT = 0.75;
const CATEGORY_WEIGHT = 0.25;

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

  const totalLines = Math.max(1, request.profile.lines);
  const scored = allowed.map((candidate) => {
    const own = ownValue(request.profile.products, candidate.product.productId)?.count ?? 0;
    const inCategory = ownValue(request.profile.categories, candidate.product.category) ?? 0;
    const ownScore = own / (own + 1);
    const categoryScore = Math.min(1, (inCategory / totalLines) * 4);
    const score = OWN_WEIGHT * ownScore + CATEGORY_WEIGHT * categoryScore;
    return { candidate, score, own, inCategory };
  });
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
      ...explain(entry.candidate, entry.own, entry.inCategory),
    });
  }
  return { picks, excluded };
}

function explain(candidate: OfferWithProduct, own: number, inCategory: number): { why: PickWhy; reason: string } {
  const name = candidate.product.name;
  if (own >= 3) return { why: 'often-bought', reason: `You often buy ${name}` };
  if (own >= 1) return { why: 'bought-before', reason: `You have bought ${name} before` };
  if (inCategory > 0) return { why: 'category', reason: `You often shop ${candidate.product.category.toLowerCase()}` };
  return { why: 'popular', reason: 'Popular with members' };
}

/** A record's own entry only: keys come from data and must never reach Object.prototype. */
function ownValue<V>(record: Readonly<Record<string, V>>, key: string): V | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}
