/**
 * What audience rules read of a member's purchases (docs/decisions/0039-audiences.md): the
 * dates they shopped in the last year with what they spent, and per category and per product the
 * latest dates it was bought. Kept in the profile item, bounded whatever the member buys: one entry
 * per shopping date (at most 367), MAX_TIMES dates per category, MAX_TIMES dates for at most
 * MAX_ACTIVITY_PRODUCTS products. Dates are the receipts' own (the date part of `purchased_at`).
 */
import { z } from 'zod';
import type { CatalogIndex } from './catalog-index.js';
import { epochDay } from './local-days.js';

/** The longest window a purchase rule may ask about, in days. */
export const ACTIVITY_DAYS = 365;
/** The most times ("at least K times") a purchase rule may ask for. */
export const MAX_TIMES = 5;
/** Products whose dates are kept: the ones bought on the most dates (a heavy shopper buys hundreds). */
export const MAX_ACTIVITY_PRODUCTS = 64;
/** Dates kept: the rules' longest window, a day either side for time zones. */
const KEPT_DAYS = ACTIVITY_DAYS + 1;

const Offsets = z
  .array(
    z
      .number()
      .int()
      .min(0)
      .max(KEPT_DAYS + 1),
  )
  .max(KEPT_DAYS + 1);

export const PurchaseActivity = z.object({
  /** Epoch day (days since 1970-01-01) of the latest purchase date: every other date is an offset before it. */
  day: z.number().int(),
  /** Shopping dates, newest first, as days before `day`. */
  days: Offsets,
  /** What was spent on each of `days`, in minor units (öre, cents), when any receipt carried amounts. */
  spend: z.array(z.number().int().min(0)).optional(),
  /** Per category: its latest MAX_TIMES purchase dates, newest first, as days before `day`. */
  categories: z.record(z.string(), Offsets.max(MAX_TIMES)),
  /** Per product (at most MAX_ACTIVITY_PRODUCTS): its latest MAX_TIMES purchase dates. */
  products: z.record(z.string(), Offsets.max(MAX_TIMES)),
  /**
   * Set when products were left out: the most dates any of them was bought on. "At least K times" for
   * such a product is then known to be false for K above it, and unknown (read as false) below.
   */
  productsCut: z.number().int().min(1).optional(),
});
export type PurchaseActivity = z.infer<typeof PurchaseActivity>;

/** One purchase line as the activity reads it: its receipt's time, the product, and the line's amount. */
export interface ActivityLine {
  readonly at: string;
  readonly productId: string;
  /** The line's amount in the club's currency (two decimals at most), when the receipt carried it. */
  readonly amount?: number | undefined;
}

/** An amount in minor units: 12.5 → 1250. */
export const minorUnits = (amount: number) => Math.round(amount * 100);

/**
 * The activity of the lines bought within the kept window before `now`; undefined when there are none.
 * The work is proportional to the lines.
 */
export function buildActivity(
  lines: readonly ActivityLine[],
  catalog: CatalogIndex,
  now: Date,
): PurchaseActivity | undefined {
  const oldest = epochDay(now.toISOString()) - KEPT_DAYS;
  const spendByDay = new Map<number, number>();
  const categoryDays = new Map<string, Set<number>>();
  const productDays = new Map<string, Set<number>>();
  let withAmounts = false;
  const add = (map: Map<string, Set<number>>, key: string, day: number) => {
    const days = map.get(key);
    if (days) days.add(day);
    else map.set(key, new Set([day]));
  };
  for (const line of lines) {
    const day = epochDay(line.at);
    if (day < oldest) continue;
    spendByDay.set(day, (spendByDay.get(day) ?? 0) + (line.amount === undefined ? 0 : minorUnits(line.amount)));
    if (line.amount !== undefined) withAmounts = true;
    add(productDays, line.productId, day);
    const category = catalog.get(line.productId)?.category;
    if (category) add(categoryDays, category, day);
  }
  if (spendByDay.size === 0) return undefined;
  const days = [...spendByDay.keys()].sort((a, b) => b - a);
  const anchor = days[0] ?? 0;
  const latest = (set: Set<number>) =>
    [...set]
      .sort((a, b) => b - a)
      .slice(0, MAX_TIMES)
      .map((d) => anchor - d);
  // The products bought on the most dates, then the most recently; ties by id, so a rebuild is the same.
  const ranked = [...productDays].sort(
    ([idA, a], [idB, b]) => b.size - a.size || Math.max(...b) - Math.max(...a) || (idA < idB ? -1 : idA > idB ? 1 : 0),
  );
  const kept = ranked.slice(0, MAX_ACTIVITY_PRODUCTS);
  const cut = ranked[MAX_ACTIVITY_PRODUCTS];
  // Null-prototype records: keys come from data, and "__proto__" must stay a plain key.
  const categories: Record<string, number[]> = Object.create(null);
  for (const [category, set] of categoryDays) categories[category] = latest(set);
  const products: Record<string, number[]> = Object.create(null);
  for (const [productId, set] of kept) products[productId] = latest(set);
  return {
    day: anchor,
    days: days.map((d) => anchor - d),
    ...(withAmounts ? { spend: days.map((d) => spendByDay.get(d) ?? 0) } : {}),
    categories: { ...categories },
    products: { ...products },
    ...(cut ? { productsCut: cut[1].size } : {}),
  };
}

/** How many of the dates (offsets before `day`) fall on or after epoch day `from` and on or before `to`. */
export function datesBetween(activity: PurchaseActivity, offsets: readonly number[], from: number, to: number): number {
  let n = 0;
  for (const offset of offsets) {
    const day = activity.day - offset;
    if (day >= from && day <= to) n += 1;
  }
  return n;
}

/** Minor units spent on the dates from epoch day `from` to `to`. */
export function spendBetween(activity: PurchaseActivity, from: number, to: number): number {
  const spend = activity.spend;
  if (!spend) return 0;
  let total = 0;
  activity.days.forEach((offset, i) => {
    const day = activity.day - offset;
    if (day >= from && day <= to) total += spend[i] ?? 0;
  });
  return total;
}
