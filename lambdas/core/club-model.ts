import { z } from 'zod';
import { DEFAULT_PARAMS, type NextBasketModel } from './next-basket.js';
import type { PurchaseProfile } from './profile.js';
import type { PickWhy, Scorer } from './scoring.js';

/**
 * The club-level half of the next-basket model (lambdas/core/next-basket.ts), as the mail planner
 * stores it: fitted from the club's receipts by lambdas/app/fit-club-model.ts and limited to the
 * products the club has offers for. The member-level half (basket shares, latest receipts) lives in
 * each member's profile, so planning one member reads one profile item and this one model.
 */
export const ClubModelParams = z.object({
  repeatDecay: z.number().gt(0).max(1),
  neighboursWeight: z.number().min(0),
  neighboursDepth: z.number().int().min(0).max(5),
  neighboursDecay: z.number().gt(0).max(1),
  popularityWeight: z.number().min(0),
  /** Weight of the member's share of purchases in the offer's category; not in the Ta-Feng fit (no categories there). */
  categoryWeight: z.number().min(0),
});
export type ClubModelParams = z.infer<typeof ClubModelParams>;

export const ClubModel = z.object({
  /** When it was fitted; absent for the empty model used before the first fit. */
  fittedAt: z.iso.datetime({ offset: true }).optional(),
  members: z.number().int().nonnegative(),
  baskets: z.number().int().nonnegative(),
  items: z.number().int().nonnegative(),
  params: ClubModelParams,
  /** Relative buy-again rate per offered product (1 = the catalogue's rate; absent = 1). */
  propensity: z.record(z.string(), z.number().nonnegative()),
  /** Product bought → offered product → rate at which it is in the next basket. */
  successors: z.record(z.string(), z.record(z.string(), z.number().nonnegative())),
});
export type ClubModel = z.infer<typeof ClubModel>;

/** The category part's weight: a small lift above plain popularity, below a real habit (not tuned: no category data in Ta-Feng). */
export const DEFAULT_CATEGORY_WEIGHT = 0.1;

export const DEFAULT_MODEL_PARAMS: ClubModelParams = {
  repeatDecay: DEFAULT_PARAMS.repeatDecay,
  neighboursWeight: DEFAULT_PARAMS.neighboursWeight,
  neighboursDepth: DEFAULT_PARAMS.neighboursDepth,
  neighboursDecay: DEFAULT_PARAMS.neighboursDecay,
  popularityWeight: DEFAULT_PARAMS.popularityWeight,
  categoryWeight: DEFAULT_CATEGORY_WEIGHT,
};

/** Before the first fit: own repeat purchases, category and popularity only. */
export const EMPTY_CLUB_MODEL: ClubModel = {
  members: 0,
  baskets: 0,
  items: 0,
  params: DEFAULT_MODEL_PARAMS,
  propensity: {},
  successors: {},
};

/** The stored form of a fitted model, limited to `targets` (the club's offered products). */
export function toClubModel(model: NextBasketModel, targets: Iterable<string>, fittedAt: Date): ClubModel {
  const parts = model.clubParts(targets);
  const round = (value: number) => Number(value.toPrecision(6));
  return {
    fittedAt: fittedAt.toISOString(),
    members: model.memberCount,
    baskets: parts.basketCount,
    items: model.itemCount,
    params: { ...DEFAULT_MODEL_PARAMS, ...pick(model.params) },
    propensity: Object.fromEntries(Object.entries(parts.propensity).map(([id, v]) => [id, round(v)])),
    successors: Object.fromEntries(
      Object.entries(parts.successors).map(([id, row]) => [
        id,
        Object.fromEntries(Object.entries(row).map(([j, v]) => [j, round(v)])),
      ]),
    ),
  };
}

function pick(params: NextBasketModel['params']): Omit<ClubModelParams, 'categoryWeight'> {
  const { repeatDecay, neighboursWeight, neighboursDepth, neighboursDecay, popularityWeight } = params;
  return { repeatDecay, neighboursWeight, neighboursDepth, neighboursDecay, popularityWeight };
}

export interface ModelScoreParts {
  /** "You often buy X": the member's decayed share of receipts holding X × X's buy-again rate. */
  readonly repeat: number;
  /** "Members who bought what you just bought, bought X next." */
  readonly neighbours: number;
  /** "You often shop <category>." */
  readonly category: number;
  /** "Popular with members." */
  readonly popularity: number;
}

/**
 * The planner's scorer: the next-basket model measured in docs/benchmarks.md, from the club model,
 * the member's profile and the club's live popularity counters (1 = most bought). Without category
 * data (categoryWeight 0 or no categories in the profile) it scores exactly as `fitModel` does
 * (tests/unit/club-model.test.ts).
 */
export function modelScorer(
  model: ClubModel,
  profile: PurchaseProfile,
  popularity?: ReadonlyMap<string, number>,
): Scorer {
  const parts = modelParts(model, profile, popularity);
  return (candidate) => {
    const p = parts(candidate.product.productId, candidate.product.category);
    return {
      score: p.repeat + p.neighbours + p.category + p.popularity,
      why: whyOf(p, ownCount(profile, candidate.product.productId)),
    };
  };
}

/** The four parts of one product's score for one member. */
export function modelParts(
  model: ClubModel,
  profile: PurchaseProfile,
  popularity?: ReadonlyMap<string, number>,
): (productId: string, category?: string) => ModelScoreParts {
  const { params } = model;
  const neighbours = new Map<string, number>();
  const recent = profile.recentBaskets ?? [];
  for (let back = 0; back < params.neighboursDepth && back < recent.length; back += 1) {
    const basket = recent[recent.length - 1 - back] ?? [];
    if (basket.length === 0) continue;
    const w = (params.neighboursWeight * params.neighboursDecay ** back) / basket.length;
    for (const source of basket) {
      const row = own(model.successors, source);
      if (row === undefined) continue;
      for (const [target, rate] of Object.entries(row))
        neighbours.set(target, (neighbours.get(target) ?? 0) + w * rate);
    }
  }
  return (productId, category) => {
    const stats = own(profile.products, productId);
    // Profiles written before basket shares existed: the share of receipts as a plain count.
    const share = stats?.basketShare ?? (stats ? Math.min(1, stats.count / Math.max(1, profile.receipts)) : 0);
    return {
      repeat: share * (own(model.propensity, productId) ?? 1),
      neighbours: neighbours.get(productId) ?? 0,
      category: category === undefined ? 0 : params.categoryWeight * categoryHabit(profile, category),
      popularity: params.popularityWeight * (popularity?.get(productId) ?? 0),
    };
  };
}

/**
 * How much of the member's shopping is in a category, 0–1: their share of purchase lines in it,
 * times 4, capped at 1 (a quarter of everything they buy is a full habit).
 */
export function categoryHabit(profile: Pick<PurchaseProfile, 'categories' | 'lines'>, category: string): number {
  return habitOf(own(profile.categories, category) ?? 0, profile.lines);
}

/** The same from counts: lines in the category, and all lines. */
export function habitOf(inCategory: number, lines: number): number {
  return Math.min(1, (inCategory / Math.max(1, lines)) * 4);
}

function ownCount(profile: PurchaseProfile, productId: string): number {
  return own(profile.products, productId)?.count ?? 0;
}

/** The reason is the biggest part; a repeat is "often" from the third purchase. */
function whyOf(parts: ModelScoreParts, bought: number): PickWhy {
  const biggest = Math.max(parts.repeat, parts.neighbours, parts.category, parts.popularity);
  if (bought > 0 && parts.repeat === biggest) return bought >= 3 ? 'often-bought' : 'bought-before';
  if (parts.neighbours === biggest && parts.neighbours > 0) return 'goes-with';
  if (parts.category === biggest && parts.category > 0) return 'category';
  return 'popular';
}

/** A record's own entry only: keys come from data and must never reach Object.prototype. */
function own<V>(record: Readonly<Record<string, V>>, key: string): V | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}
