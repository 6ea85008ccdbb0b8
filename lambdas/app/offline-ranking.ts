import type { IndexedProduct } from '../core/catalog-index.js';
import { catalogRanker } from '../core/catalog-ranking.js';
import { habitOf } from '../core/club-model.js';
import { csvLine } from '../core/csv.js';
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
  // Only products of the history can be ranked; every row of the catalog still counts in its category.
  const read = input.catalog ? readCatalog(input.catalog, (id) => history.itemIndex(id) >= 0) : undefined;
  const declared = input.members ? readMembers(input.members) : new Map<string, Restriction[]>();
  const pool = input.pool ? readPool(input.pool) : undefined;

  const products = read?.products;
  const catalog = read?.index;
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
  const model = fitIndexedModel(history);
  const ranker = catalogRanker(model, {
    k: input.k,
    maxPerCategory: Math.max(2, Math.ceil(input.k / 3)),
    productOf,
    ...(catalog ? { catalog } : {}),
    ...(pool ? { pool } : {}),
  });

  const out = new TextSink();
  out.write(`${csvLine(['member_id', 'rank', 'product_id', 'score', 'reason'])}\n`);
  let rows = 0;
  const inferred: Record<string, number> = {};
  const restricted = { members: 0, full: 0 };
  const unrestricted = { members: 0, full: 0 };
  const now = Date.now();
  const bought = basketCounter(history);
  // Per product of the history, once: the catalog's entry (its masks and category).
  const entries = catalog ? history.itemIds.map((id) => catalog.get(id)) : [];
  const memberIds = [...history.members.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  for (const memberId of memberIds) {
    const member = history.members.get(memberId);
    if (!member) continue;
    const inferredHere = catalog ? inferMember(member, history, entries, now) : [];
    for (const r of inferredHere) inferred[r] = (inferred[r] ?? 0) + 1;
    const restrictions = effectiveRestrictions(declared.get(memberId) ?? [], inferredHere, []);
    const picks = ranker.rank({
      memberId,
      restrictions,
      habits: (forbidden) => habits(member, history, entries, forbidden),
      bought: (productId) => bought.count(member, history.itemIndex(productId)),
    });
    const tally = restrictions.length > 0 ? restricted : unrestricted;
    tally.members += 1;
    if (picks.length >= input.k) tally.full += 1;
    picks.forEach((pick, i) => {
      const row = [
        memberId,
        i + 1,
        pick.candidate.product.productId,
        pick.score.toFixed(6),
        reasonText(pick.why, pick.candidate, pick.diet),
      ];
      out.write(`${csvLine(row)}\n`);
    });
    rows += picks.length;
  }
  return {
    csv: out.text(),
    members: history.members.size,
    rows,
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
function inferMember(
  member: HistoryMember,
  history: History,
  entries: ReadonlyArray<IndexedProduct | undefined>,
  now: number,
): Restriction[] {
  const { items, start, orders, bySeq } = history;
  const last = orders[member.first + member.count - 1] ?? 0;
  return inferFrom(
    (visit) => {
      for (let b = member.first; b < member.first + member.count; b += 1) {
        const order = orders[b] ?? 0;
        const at = bySeq ? now - (last - order) * DAY_MS : order;
        for (let p = start[b] ?? 0; p < (start[b + 1] ?? 0); p += 1) visit(entries[items[p] ?? 0], b, at);
      }
    },
    bySeq ? now : last,
  );
}

/**
 * The member's habit per category (share of their purchase lines, lambdas/core/club-model.ts), for
 * the categories where a `forbidden` tag matters: the only ones a diet choice can come from.
 */
function habits(
  member: HistoryMember,
  history: History,
  entries: ReadonlyArray<IndexedProduct | undefined>,
  forbidden: number,
): Map<string, number> {
  const { items, start } = history;
  const from = start[member.first] ?? 0;
  const to = start[member.first + member.count] ?? 0;
  const counts = new Map<string, number>();
  for (let p = from; p < to; p += 1) {
    const entry = entries[items[p] ?? 0];
    if (entry && (entry.matters & forbidden) !== 0) counts.set(entry.category, (counts.get(entry.category) ?? 0) + 1);
  }
  return new Map([...counts].map(([category, count]) => [category, habitOf(count, to - from)]));
}

/**
 * How many of a member's baskets hold an item, counted once per member into arrays reused across
 * members (the reasons need it for a dozen items per member; a map per member would be garbage).
 */
function basketCounter(history: History): { count(member: HistoryMember, item: number): number } {
  const { items, start } = history;
  const counts = new Int32Array(history.itemIds.length);
  const lastBasket = new Int32Array(history.itemIds.length).fill(-1);
  const counted: number[] = [];
  let countedFor: HistoryMember | undefined;
  return {
    count(member, item) {
      if (countedFor !== member) {
        for (const i of counted) {
          counts[i] = 0;
          lastBasket[i] = -1;
        }
        counted.length = 0;
        for (let b = member.first; b < member.first + member.count; b += 1) {
          for (let p = start[b] ?? 0; p < (start[b + 1] ?? 0); p += 1) {
            const i = items[p] ?? 0;
            if (lastBasket[i] === b) continue;
            if (lastBasket[i] === -1) counted.push(i);
            lastBasket[i] = b;
            counts[i] = (counts[i] ?? 0) + 1;
          }
        }
        countedFor = member;
      }
      return item < 0 ? 0 : (counts[item] ?? 0);
    },
  };
}

/**
 * Text written as UTF-8 into one growing byte buffer: each line is encoded as it is made and its
 * string dies young, where appending to one string would keep a rope of every piece alive until the end.
 */
class TextSink {
  private bytes = new Uint8Array(1 << 20);
  private length = 0;
  private readonly encoder = new TextEncoder();

  write(text: string): void {
    // UTF-8 needs at most 3 bytes per UTF-16 unit.
    if (this.length + text.length * 3 > this.bytes.length) {
      const bigger = new Uint8Array(Math.max(this.bytes.length * 2, this.length + text.length * 3));
      bigger.set(this.bytes.subarray(0, this.length));
      this.bytes = bigger;
    }
    this.length += this.encoder.encodeInto(text, this.bytes.subarray(this.length)).written;
  }

  text(): string {
    return new TextDecoder().decode(this.bytes.subarray(0, this.length));
  }
}
