import { type CatalogIndex, indexCatalog } from '../core/catalog-index.js';
import { catalogRanker } from '../core/catalog-ranking.js';
import { habitOf } from '../core/club-model.js';
import { toCsv } from '../core/csv.js';
import type { Restriction } from '../core/diet.js';
import { inferFrom } from '../core/inference.js';
import type { Product } from '../core/model.js';
import { fitIndexedModel } from '../core/next-basket.js';
import { reasonText } from '../core/offers.js';
import { effectiveRestrictions } from '../core/profile.js';
import { DAY_MS } from '../core/units.js';
import {
  type History,
  type HistoryMember,
  type InputFile,
  readCatalog,
  readHistory,
  readMembers,
  readPool,
} from './offline-input.js';

export { InputFileError } from './offline-input.js';

export interface OfflineInput {
  readonly history: InputFile;
  readonly catalog?: InputFile;
  readonly members?: InputFile;
  readonly pool?: InputFile;
  readonly k: number;
}

export interface OfflineResult {
  readonly csv: string;
  readonly members: number;
  readonly rows: number;
  /** Members whose restrictions were inferred from the history, by restriction. */
  readonly inferred: Readonly<Record<string, number>>;
  /** Members with a declared or inferred restriction, and how many of them got k picks. */
  readonly restricted: { readonly members: number; readonly full: number };
  /** Members without one, and how many of them got k picks. */
  readonly unrestricted: { readonly members: number; readonly full: number };
  /** Items read from the model's ranking, over all members (the shortlist's early stop shows here). */
  readonly itemsRead: number;
}

/**
 * The offline command behind `npm run offers`: read purchase history (and optionally a catalog,
 * members' declared restrictions and an offer pool), and rank offers for every member with the
 * product's own model and rules: the next-basket scores, the hard diet exclusions (declared and
 * inferred), diet choices, the per-category cap and the reasons (lambdas/core/catalog-ranking.ts).
 */
export function rankOffline(input: OfflineInput): OfflineResult {
  const history = readHistory(input.history);
  const products = input.catalog ? readCatalog(input.catalog) : undefined;
  const declared = input.members ? readMembers(input.members) : new Map<string, Restriction[]>();
  const pool = input.pool ? readPool(input.pool) : undefined;

  const catalog = products ? indexCatalog(products) : undefined;
  // Without a catalog every product is tag-free and its own category; with one, a product it lacks is unknown.
  const productOf = (productId: string): Product =>
    products?.get(productId) ?? {
      productId,
      name: `product ${productId}`,
      category: products ? 'uncategorised' : productId,
      contains: [],
      freeFrom: [],
      labelling: products ? 'unknown' : 'declared',
    };
  const model = fitIndexedModel({
    itemIds: history.itemIds,
    members: new Map([...history.members].map(([id, m]) => [id, m.baskets])),
  });
  const ranker = catalogRanker(model, {
    k: input.k,
    maxPerCategory: Math.max(2, Math.ceil(input.k / 3)),
    productOf,
    ...(catalog ? { catalog } : {}),
    ...(pool ? { pool } : {}),
  });

  const rows: Array<[string, number, string, string, string]> = [];
  const inferred: Record<string, number> = {};
  const restricted = { members: 0, full: 0 };
  const unrestricted = { members: 0, full: 0 };
  const now = Date.now();
  const memberIds = [...history.members.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  for (const memberId of memberIds) {
    const member = history.members.get(memberId);
    if (!member) continue;
    const inferredHere = catalog ? inferMember(member, history, catalog, now) : [];
    for (const r of inferredHere) inferred[r] = (inferred[r] ?? 0) + 1;
    const restrictions = effectiveRestrictions(declared.get(memberId) ?? [], inferredHere, []);
    const picks = ranker.rank({
      memberId,
      restrictions,
      habits: () => habits(member, history, productOf),
      bought: (productId) => basketsHolding(member, history.itemIndex(productId)),
    });
    const tally = restrictions.length > 0 ? restricted : unrestricted;
    tally.members += 1;
    if (picks.length >= input.k) tally.full += 1;
    picks.forEach((pick, i) => {
      rows.push([
        memberId,
        i + 1,
        pick.candidate.product.productId,
        pick.score.toFixed(6),
        reasonText(pick.why, pick.candidate, pick.diet),
      ]);
    });
  }
  return {
    csv: toCsv(['member_id', 'rank', 'product_id', 'score', 'reason'], rows),
    members: history.members.size,
    rows: rows.length,
    inferred,
    restricted,
    unrestricted,
    itemsRead: ranker.itemsRead(),
  };
}

/**
 * The member's inferred restrictions, with the product's own thresholds (lambdas/core/inference.ts).
 * Baskets without timestamps are read as one trip a day, so the 90-day rule spans 90 trips.
 */
function inferMember(member: HistoryMember, history: History, catalog: CatalogIndex, now: number): Restriction[] {
  const last = member.orders[member.orders.length - 1] ?? 0;
  const basketOf: number[] = [];
  const itemOf: number[] = [];
  member.baskets.forEach((basket, b) => {
    for (const item of basket) {
      basketOf.push(b);
      itemOf.push(item);
    }
  });
  const timeOf = (order: number) => (history.bySeq ? now - (last - order) * DAY_MS : order);
  return inferFrom(
    {
      count: itemOf.length,
      productId: (i) => history.itemIds[itemOf[i] ?? 0] ?? '',
      receipt: (i) => basketOf[i] ?? 0,
      time: (i) => timeOf(member.orders[basketOf[i] ?? 0] ?? 0),
    },
    catalog,
    history.bySeq ? now : last,
  );
}

/** The member's habit per category (share of their purchase lines, lambdas/core/club-model.ts). */
function habits(
  member: HistoryMember,
  history: History,
  productOf: (productId: string) => Product,
): Map<string, number> {
  const counts = new Map<string, number>();
  let lines = 0;
  for (const basket of member.baskets) {
    for (const item of basket) {
      const category = productOf(history.itemIds[item] ?? '').category;
      counts.set(category, (counts.get(category) ?? 0) + 1);
      lines += 1;
    }
  }
  return new Map([...counts].map(([category, count]) => [category, habitOf(count, lines)]));
}

/** How many of the member's baskets hold an item: read for the few items picked, so a scan beats a map per member. */
function basketsHolding(member: HistoryMember, item: number): number {
  let count = 0;
  for (const basket of member.baskets) if (basket.includes(item)) count += 1;
  return count;
}
