import { asCatalogIndex, type CatalogIndex, type IndexedProduct, TAG_MATTERS_SHARE } from './catalog-index.js';
import { type DietTag, type Restriction, TAG_BIT } from './diet.js';
import type { Product } from './model.js';
import { DAY_MS } from './units.js';

/** The restrictions purchases can show, and the tag each is about. Vegetarian and vegan cannot be proven by what one buys. */
export const INFERENCE_RULES: ReadonlyArray<{
  readonly restriction: Restriction;
  readonly tag: DietTag;
}> = [
  { restriction: 'gluten-free', tag: 'gluten' },
  { restriction: 'lactose-free', tag: 'lactose' },
  { restriction: 'nut-free', tag: 'nuts' },
];

/**
 * When purchases alone justify a restriction. Explicit on purpose: a marketer or member asking
 * "why do you think I am gluten-free?" gets these numbers as the answer.
 */
export const INFERENCE_THRESHOLDS = {
  /**
   * A category speaks to a tag when at least this share of its products (those whose status for the
   * tag is known) contain or may contain it: bread and pasta do for gluten, but bread does not for
   * lactose just because cinnamon buns contain milk.
   */
  minCategoryShareContaining: TAG_MATTERS_SHARE,
  /**
   * Share of purchases in the tag's categories (bread and pasta for gluten) that are free from it:
   * declared products that do not contain or may contain it, or products claimed free from it.
   */
  minFreeFromShare: 0.8,
  /** Purchases in those categories needed before we conclude anything. */
  minRelevantPurchases: 4,
  /** Distinct receipts among them: never infer from a single shopping trip. */
  minRelevantReceipts: 3,
  /** Any purchase containing the tag this recently rules the restriction out. */
  noContainingWithinDays: 90,
} as const;

/**
 * The member's purchases as the inference reads them, whatever shape the caller keeps them in: for
 * each purchase, the product as the catalog index has it (undefined when the catalog lacks it), its
 * receipt, and when (epoch milliseconds, or an ISO date-time parsed only if the rule needs it).
 */
export type Purchases = (
  visit: (product: IndexedProduct | undefined, receipt: string | number, at: number | string) => void,
) => void;

/**
 * The restrictions the purchases justify, by the thresholds above. One pass over the purchases with
 * the catalog index's precomputed masks: the work grows with the member's history, not with the catalog.
 */
export function inferFrom(purchases: Purchases, nowMs: number): Restriction[] {
  const recentLimit = nowMs - INFERENCE_THRESHOLDS.noContainingWithinDays * DAY_MS;
  const tally = INFERENCE_RULES.map(({ restriction, tag }) => ({
    restriction,
    bit: TAG_BIT[tag],
    relevant: 0,
    free: 0,
    containsRecently: false,
    receipts: new Set<string | number>(),
  }));
  let ruleMask = 0;
  for (const rule of tally) ruleMask |= rule.bit;
  purchases((product, receipt, at) => {
    const matters = product ? product.matters & ruleMask : 0;
    if (!product || matters === 0) return;
    for (const rule of tally) {
      if ((matters & rule.bit) === 0) continue;
      rule.relevant += 1;
      rule.receipts.add(receipt);
      if ((product.blocked & rule.bit) === 0) rule.free += 1;
      if ((product.contains & rule.bit) !== 0 && !rule.containsRecently) {
        rule.containsRecently = (typeof at === 'number' ? at : Date.parse(at)) >= recentLimit;
      }
    }
  });
  return tally
    .filter(
      (rule) =>
        rule.relevant >= INFERENCE_THRESHOLDS.minRelevantPurchases &&
        rule.receipts.size >= INFERENCE_THRESHOLDS.minRelevantReceipts &&
        rule.free / rule.relevant >= INFERENCE_THRESHOLDS.minFreeFromShare &&
        !rule.containsRecently,
    )
    .map((rule) => rule.restriction);
}

interface TimedLine {
  readonly receiptId: string;
  readonly at: string;
  readonly productId: string;
}

/** The restrictions a member's purchase lines justify (see INFERENCE_THRESHOLDS). */
export function inferRestrictions(
  lines: readonly TimedLine[],
  catalog: CatalogIndex | ReadonlyMap<string, Product>,
  now: Date,
): Restriction[] {
  const index = asCatalogIndex(catalog);
  return inferFrom((visit) => {
    for (const line of lines) visit(index.get(line.productId), line.receiptId, line.at);
  }, now.getTime());
}
