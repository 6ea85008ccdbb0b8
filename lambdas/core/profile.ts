import { z } from 'zod';
import { asCatalogIndex, type CatalogIndex } from './catalog-index.js';
import { Restriction } from './diet.js';
import { Id } from './ids.js';
import { inferRestrictions } from './inference.js';
import type { Product } from './model.js';
import { DEFAULT_PARAMS } from './next-basket.js';
import { buildActivity, PurchaseActivity } from './purchase-activity.js';
import { DAY_MS, round } from './units.js';

/** Weight of a receipt b receipts before the latest one in `basketShare`: the model's tuned repeat decay. */
export const BASKET_DECAY = DEFAULT_PARAMS.repeatDecay;

/** One line of a receipt. */
export const PurchaseLine = z.object({
  memberId: Id,
  receiptId: z.string().min(1).max(64),
  at: z.iso.datetime({ offset: true }),
  productId: Id,
  /** The line's amount in the club's currency, when the receipt carried amounts (spend rules). */
  amount: z.number().nonnegative().optional(),
});
export type PurchaseLine = z.infer<typeof PurchaseLine>;

export const ProductStats = z.object({
  count: z.number().int().nonnegative(),
  lastAt: z.iso.datetime({ offset: true }),
  firstAt: z.iso.datetime({ offset: true }).optional(),
  /** Time-decayed frequency as of the profile's `asOf`: each purchase counts 0.5^(age / half-life). */
  weight: z.number().nonnegative().optional(),
  /** Mean days between the receipts that hold the product, when bought on two or more trips. */
  cycleDays: z.number().nonnegative().optional(),
  /**
   * Share of the member's receipts (baskets) that hold the product, each weighted
   * BASKET_DECAY^(receipts since): the next-basket model's repeat signal (lambdas/core/club-model.ts).
   */
  basketShare: z.number().min(0).max(1).optional(),
});

/** Receipts kept in `recentBaskets`: the model seeds its transitions from the last two (DEFAULT_PARAMS.neighboursDepth). */
export const RECENT_BASKETS = 2;
/** Distinct products kept per recent receipt; bigger receipts keep their first ones in product-id order. */
export const MAX_RECENT_BASKET_ITEMS = 200;

/** The compact per-member summary the planner reads: one small item instead of the raw receipts. */
export const PurchaseProfile = z.object({
  receipts: z.number().int().nonnegative(),
  lines: z.number().int().nonnegative(),
  lastPurchaseAt: z.iso.datetime({ offset: true }).optional(),
  products: z.record(z.string(), ProductStats),
  categories: z.record(z.string(), z.number().int().nonnegative()),
  /** Time-decayed purchases per category as of `asOf`. */
  categoryWeights: z.record(z.string(), z.number().nonnegative()).optional(),
  /** When the decayed weights were computed. */
  asOf: z.iso.datetime({ offset: true }).optional(),
  inferredRestrictions: z.array(Restriction),
  /**
   * Product ids of the member's latest receipts, oldest first (at most RECENT_BASKETS): what the
   * next-basket model's "members who bought this bought that next" part starts from.
   */
  recentBaskets: z.array(z.array(z.string()).max(MAX_RECENT_BASKET_ITEMS)).max(RECENT_BASKETS).optional(),
  /** Shopping dates, spend and the latest dates per category and product: what audience rules read. */
  activity: PurchaseActivity.optional(),
});
export type PurchaseProfile = z.infer<typeof PurchaseProfile>;

export const EMPTY_PROFILE: PurchaseProfile = {
  receipts: 0,
  lines: 0,
  products: {},
  categories: {},
  inferredRestrictions: [],
};

/** A purchase this many days old counts half as much as one today. */
export const DECAY_HALF_LIFE_DAYS = 60;

export { INFERENCE_RULES, INFERENCE_THRESHOLDS, inferRestrictions } from './inference.js';

/**
 * Fold purchase lines into a profile. Lines for products the catalog does not know still count
 * as purchases but carry no category or diet signal. The catalog is its index (built once per
 * catalog version with `indexCatalog`), or a map of products, indexed once per map: the work is
 * proportional to the member's lines, whatever the catalog's size.
 */
export function buildProfile(
  lines: readonly PurchaseLine[],
  catalog: CatalogIndex | ReadonlyMap<string, Product>,
  now: Date,
): PurchaseProfile {
  const index = asCatalogIndex(catalog);
  // Null-prototype maps: keys come from data, and a key like "__proto__" must stay a plain key.
  const products: Record<
    string,
    { count: number; lastAt: string; firstAt: string; weight: number; trips: Set<string> }
  > = Object.create(null);
  const categories: Record<string, number> = Object.create(null);
  const categoryWeights: Record<string, number> = Object.create(null);
  const decay = (at: string) => 0.5 ** (Math.max(0, now.getTime() - Date.parse(at)) / (DECAY_HALF_LIFE_DAYS * DAY_MS));
  const receipts = new Set<string>();
  let lastPurchaseAt: string | undefined;
  for (const line of lines) {
    receipts.add(line.receiptId);
    const stats = Object.hasOwn(products, line.productId) ? products[line.productId] : undefined;
    const weight = decay(line.at);
    if (stats) {
      stats.count += 1;
      stats.weight += weight;
      stats.trips.add(line.receiptId);
      if (Date.parse(line.at) > Date.parse(stats.lastAt)) stats.lastAt = line.at;
      if (Date.parse(line.at) < Date.parse(stats.firstAt)) stats.firstAt = line.at;
    } else {
      products[line.productId] = {
        count: 1,
        lastAt: line.at,
        firstAt: line.at,
        weight,
        trips: new Set([line.receiptId]),
      };
    }
    const category = index.get(line.productId)?.category;
    if (category) {
      categories[category] = (Object.hasOwn(categories, category) ? (categories[category] ?? 0) : 0) + 1;
      categoryWeights[category] =
        (Object.hasOwn(categoryWeights, category) ? (categoryWeights[category] ?? 0) : 0) + weight;
    }
    if (!lastPurchaseAt || Date.parse(line.at) > Date.parse(lastPurchaseAt)) lastPurchaseAt = line.at;
  }
  const { shares, recent } = basketSignals(lines);
  const activity = buildActivity(lines, index, now);
  return {
    receipts: receipts.size,
    lines: lines.length,
    ...(lastPurchaseAt ? { lastPurchaseAt } : {}),
    products: Object.fromEntries(
      Object.entries(products).map(([id, s]) => [
        id,
        {
          count: s.count,
          lastAt: s.lastAt,
          firstAt: s.firstAt,
          weight: round(s.weight),
          ...(s.trips.size >= 2
            ? { cycleDays: round((Date.parse(s.lastAt) - Date.parse(s.firstAt)) / DAY_MS / (s.trips.size - 1)) }
            : {}),
          basketShare: roundShare(shares.get(id) ?? 0),
        },
      ]),
    ),
    categories: { ...categories },
    categoryWeights: Object.fromEntries(Object.entries(categoryWeights).map(([c, w]) => [c, round(w)])),
    asOf: now.toISOString(),
    inferredRestrictions: inferRestrictions(lines, index, now),
    ...(recent.length > 0 ? { recentBaskets: recent } : {}),
    ...(activity ? { activity } : {}),
  };
}

/**
 * The member's receipts in time order (ties by receipt id) as baskets of distinct products:
 * each product's decayed basket share, and the products of the latest RECENT_BASKETS receipts.
 */
function basketSignals(lines: readonly PurchaseLine[]): { shares: Map<string, number>; recent: string[][] } {
  const baskets = new Map<string, { at: number; items: Set<string> }>();
  for (const line of lines) {
    const at = Date.parse(line.at);
    const basket = baskets.get(line.receiptId);
    if (basket) {
      basket.items.add(line.productId);
      basket.at = Math.min(basket.at, at);
    } else baskets.set(line.receiptId, { at, items: new Set([line.productId]) });
  }
  const ordered = [...baskets.entries()]
    .sort(([idA, a], [idB, b]) => a.at - b.at || (idA < idB ? -1 : idA > idB ? 1 : 0))
    .map(([, b]) => b.items);
  const n = ordered.length;
  let total = 0;
  const weighted = new Map<string, number>();
  ordered.forEach((items, j) => {
    const w = BASKET_DECAY ** (n - 1 - j);
    total += w;
    for (const item of items) weighted.set(item, (weighted.get(item) ?? 0) + w);
  });
  const shares = new Map([...weighted].map(([item, w]) => [item, total > 0 ? Math.min(1, w / total) : 0]));
  const recent = ordered.slice(-RECENT_BASKETS).map((items) => [...items].sort().slice(0, MAX_RECENT_BASKET_ITEMS));
  return { shares, recent };
}

/** Declared restrictions plus inferred ones the member has not rejected. */
export function effectiveRestrictions(
  declared: readonly Restriction[],
  inferred: readonly Restriction[],
  rejected: readonly Restriction[],
): Restriction[] {
  const all = new Set<Restriction>(declared);
  for (const restriction of inferred) if (!rejected.includes(restriction)) all.add(restriction);
  return [...all];
}

/** Six significant digits: shares feed scores compared to the fitted model's (tests/unit/club-model.test.ts). */
const roundShare = (value: number) => Number(value.toPrecision(6));
