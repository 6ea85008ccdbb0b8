/**
 * Next-basket ranking: which products a member is likely to buy on their next trip.
 *
 * Pure and deterministic (no IO, no clock, no randomness). Every score is the sum of three named,
 * explainable parts:
 *  - `repeat`: "you often buy X" — the member's own (recency-weighted) share of baskets that hold
 *    the item, scaled by how often members in general buy that item again once they have bought it;
 *  - `neighbours`: "members who bought what you just bought, bought X next" — item-to-item
 *    next-basket transitions from the member's latest baskets, learned over all members;
 *  - `popularity`: "popular" — the share of all baskets that hold the item.
 *
 * Measured on the real Ta-Feng baskets in docs/benchmarks.md (`npm run bench:relevance`).
 */

import {
  type BasketRecord,
  type Csr,
  collect,
  compareIds,
  type IndexedBaskets,
  normalise,
  popularityOf,
  propensityOf,
  transitionsOf,
} from './next-basket-fit.js';

export type { BasketRecord, IndexedBaskets } from './next-basket-fit.js';

export interface NextBasketParams {
  /** Weight of a basket `b` baskets before the latest one in the repeat part: repeatDecay^b (1 = plain frequency). */
  readonly repeatDecay: number;
  /** Pseudo-observations pulling an item's buy-again rate towards the catalogue-wide rate. */
  readonly propensityPrior: number;
  /** Exponent on the item's relative buy-again rate (0 = ignore it). */
  readonly propensityPower: number;
  /** Weight of the neighbours part (item-to-item next-basket transitions). */
  readonly neighboursWeight: number;
  /** How many of the member's latest baskets seed the transitions. */
  readonly neighboursDepth: number;
  /** Weight of the basket `b` before the latest one as a seed: neighboursDecay^b. */
  readonly neighboursDecay: number;
  /** Pseudo-count added to an item's basket count when turning transition counts into rates. */
  readonly neighboursSmoothing: number;
  /** Successors kept per item (the most frequent ones); bounds the work per member. */
  readonly neighboursPerItem: number;
  /** Weight of the popularity part (popularity is 1 for the most popular item). */
  readonly popularityWeight: number;
}

/**
 * Tuned ONLY on the Ta-Feng validation split (each member's last history basket held out, the
 * earlier ones as history) by coordinate search on Recall@10 — never on the future baskets.
 * See docs/benchmarks.md, "Relevance (Ta-Feng)", and `npm run bench:relevance -- --tune`.
 */
export const DEFAULT_PARAMS: NextBasketParams = {
  repeatDecay: 0.9,
  propensityPrior: 10,
  propensityPower: 0.5,
  neighboursWeight: 1.5,
  neighboursDepth: 2,
  neighboursDecay: 0.75,
  neighboursSmoothing: 20,
  neighboursPerItem: 30,
  popularityWeight: 0.3,
};

export interface ScoreParts {
  readonly repeat: number;
  readonly neighbours: number;
  readonly popularity: number;
}

export interface ScoredItem {
  readonly itemId: string;
  /** repeat + neighbours + popularity. */
  readonly score: number;
  readonly parts: ScoreParts;
}

/**
 * One member's scores, computed once from their own baskets. Valid until the model scores another
 * member (any call on the model): a stale one throws rather than answer for the wrong member.
 */
export interface MemberScores {
  /** The member's score for one item; an item never seen in the fitted baskets scores 0. */
  score(itemId: string): ScoredItem;
  /** The same for an item index (see `itemId`). */
  scoreOf(index: number): ScoredItem;
  /**
   * Item indices best first (ties by item id), lazily. The member's own and successor items are
   * merged with `tail`, the items that score popularity alone, which must be in `popularityOrder()`
   * order (a filtered copy of it, e.g. only the items a member's restrictions allow; all items by
   * default); `accept` filters the member's own and successor items the same way. A caller that
   * needs ten picks reads about ten items, whatever the catalog's size.
   */
  inOrder(tail?: ArrayLike<number>, accept?: (index: number) => boolean): Generator<number, void, undefined>;
  /** Indices of the items the member's history reaches: their own and the successors of their latest baskets. */
  reached(): Int32Array;
  /** Whether the member's history reaches an item (then it scores more than popularity alone). */
  reaches(index: number): boolean;
}

export interface NextBasketModel {
  readonly params: NextBasketParams;
  /** Distinct items seen in the fitted baskets. */
  readonly itemCount: number;
  /** Members with at least one fitted basket. */
  readonly memberCount: number;
  /**
   * Every item (or only `candidates`, in their given spelling, duplicates dropped) scored for the
   * member, best first; ties by item id. A member without history gets popularity alone; a
   * candidate never seen in the fitted baskets scores 0.
   */
  score(memberId: string, candidates?: readonly string[]): ScoredItem[];
  /** The best `k` of `score(memberId, candidates)`, computed without scoring every item. */
  recommend(memberId: string, k: number, candidates?: readonly string[]): ScoredItem[];
  /** One member's scores, to read lazily (`inOrder`) or item by item. */
  forMember(memberId: string): MemberScores;
  /** Item indices (as `itemId` names them) by popularity, most popular first, ties by id: the order of items that score popularity alone. */
  popularityOrder(): Int32Array;
  /** The id of an item index. */
  itemId(index: number): string;
  /**
   * The club-level parts the mail planner stores (lambdas/core/club-model.ts), limited to the
   * `targets` it may offer (all items when omitted): each target's relative buy-again rate, and for
   * every item the next-basket rates of the targets among its kept successors.
   */
  clubParts(targets?: Iterable<string>): ClubParts;
}

export interface ClubParts {
  readonly basketCount: number;
  /** Relative buy-again rate per target item; a target absent from the fit has none (read as 1). */
  readonly propensity: Record<string, number>;
  /** source item → target item → transition rate (only sources with a kept target successor). */
  readonly successors: Record<string, Record<string, number>>;
}

function checkParams(params: NextBasketParams): void {
  const inUnit = (name: keyof NextBasketParams) => {
    const v = params[name];
    if (!(v > 0 && v <= 1)) throw new RangeError(`${name} must be in (0, 1], got ${v}`);
  };
  const nonNegative = (name: keyof NextBasketParams) => {
    const v = params[name];
    if (!(v >= 0 && Number.isFinite(v))) throw new RangeError(`${name} must be a finite number ≥ 0, got ${v}`);
  };
  inUnit('repeatDecay');
  inUnit('neighboursDecay');
  nonNegative('propensityPrior');
  nonNegative('propensityPower');
  nonNegative('neighboursWeight');
  nonNegative('neighboursSmoothing');
  nonNegative('popularityWeight');
  if (!Number.isInteger(params.neighboursPerItem) || params.neighboursPerItem < 0) {
    throw new RangeError(`neighboursPerItem must be an integer ≥ 0, got ${params.neighboursPerItem}`);
  }
  if (!Number.isInteger(params.neighboursDepth) || params.neighboursDepth < 0) {
    throw new RangeError(`neighboursDepth must be an integer ≥ 0, got ${params.neighboursDepth}`);
  }
}

/** Fits the model on members' baskets. Records sharing memberId and seq are one basket. */
export function fitModel(baskets: Iterable<BasketRecord>, params: NextBasketParams = DEFAULT_PARAMS): NextBasketModel {
  checkParams(params);
  return buildModel(collect(baskets), params);
}

/** The same fit from baskets a caller has already reduced to item indices (the offline command reads its file that way). */
export function fitIndexedModel(baskets: IndexedBaskets, params: NextBasketParams = DEFAULT_PARAMS): NextBasketModel {
  checkParams(params);
  return buildModel(baskets, params);
}

/** Reached items put in order before the rest is sorted: about what one mail or one ranking row needs. */
const FIRST_BATCH = 16;

/**
 * The best `m` of the reached items, best first: by value, ties by lower index (lower id). One pass
 * of insertion into a short list when m is small, a sort when it is all of them.
 */
function bestReached(
  reached: readonly number[],
  valueAt: (item: number) => number,
  m: number,
): { items: Int32Array; values: Float64Array } {
  const n = reached.length;
  if (m >= n) {
    const values = new Float64Array(n);
    const positions = Int32Array.from({ length: n }, (_, p) => p);
    for (let p = 0; p < n; p += 1) values[p] = valueAt(reached[p] ?? 0);
    positions.sort((a, b) => (values[b] ?? 0) - (values[a] ?? 0) || (reached[a] ?? 0) - (reached[b] ?? 0));
    return {
      items: positions.map((p) => reached[p] ?? 0),
      values: Float64Array.from(positions, (p) => values[p] ?? 0),
    };
  }
  const items = new Int32Array(m);
  const values = new Float64Array(m);
  let size = 0;
  for (let p = 0; p < n; p += 1) {
    const item = reached[p] ?? 0;
    const value = valueAt(item);
    if (size === m) {
      const worst = values[m - 1] ?? 0;
      if (value < worst || (value === worst && item > (items[m - 1] ?? 0))) continue;
    } else size += 1;
    let at = size - 1;
    while (at > 0) {
      const before = values[at - 1] ?? 0;
      if (before > value || (before === value && (items[at - 1] ?? 0) < item)) break;
      values[at] = before;
      items[at] = items[at - 1] ?? 0;
      at -= 1;
    }
    values[at] = value;
    items[at] = item;
  }
  return { items: items.subarray(0, size), values: values.subarray(0, size) };
}

function buildModel(baskets: IndexedBaskets, params: NextBasketParams): NextBasketModel {
  const input = normalise(baskets);
  const { itemIds, members, items, start } = input;
  const itemCount = itemIds.length;
  const itemIndex = new Map(itemIds.map((id, i) => [id, i]));
  const popularity = popularityOf(input, itemCount);
  const propensity = propensityOf(input, itemCount, params.propensityPrior, params.propensityPower);
  const transitions: Csr =
    params.neighboursWeight > 0 && params.neighboursDepth > 0
      ? transitionsOf(input, itemCount, params.neighboursSmoothing, params.neighboursPerItem)
      : { ptr: new Int32Array(itemCount + 1), idx: new Int32Array(0), val: new Float64Array(0) };
  // Items that score popularity alone, best first: by popularity, ties by id (with no popularity weight, all tie).
  const byPopularity = Int32Array.from({ length: itemCount }, (_, i) => i);
  if (params.popularityWeight > 0) byPopularity.sort((a, b) => (popularity[b] ?? 0) - (popularity[a] ?? 0) || a - b);

  // Scratch space for the member being scored: filled by `begin`, left in place until the next one.
  const repeat = new Float64Array(itemCount);
  const neighbours = new Float64Array(itemCount);
  const mark = new Uint8Array(itemCount);
  const touched: number[] = [];
  let generation = 0;
  const touch = (item: number) => {
    if (mark[item] === 0) {
      mark[item] = 1;
      touched.push(item);
    }
  };

  /** Clears the previous member and fills repeat/neighbours for this one's items and their successors. */
  const begin = (memberId: string): number => {
    for (const item of touched) {
      repeat[item] = 0;
      neighbours[item] = 0;
      mark[item] = 0;
    }
    touched.length = 0;
    generation += 1;
    const history = members.get(memberId);
    if (history === undefined) return generation;
    const n = history.count;
    let totalWeight = 0;
    for (let j = 0; j < n; j += 1) totalWeight += params.repeatDecay ** (n - 1 - j);
    for (let j = 0; j < n; j += 1) {
      const b = history.first + j;
      const w = params.repeatDecay ** (n - 1 - j) / totalWeight;
      for (let p = start[b] ?? 0, end = start[b + 1] ?? 0; p < end; p += 1) {
        const item = items[p] ?? 0;
        touch(item);
        repeat[item] = (repeat[item] ?? 0) + w;
      }
    }
    for (let p = 0; p < touched.length; p += 1) {
      const item = touched[p] ?? 0;
      repeat[item] = (repeat[item] ?? 0) * (propensity[item] ?? 0);
    }
    if (params.neighboursWeight === 0) return generation;
    const { ptr, idx, val } = transitions;
    for (let back = 0; back < params.neighboursDepth && back < n; back += 1) {
      const b = history.first + n - 1 - back;
      const from = start[b] ?? 0;
      const to = start[b + 1] ?? 0;
      const w = (params.neighboursWeight * params.neighboursDecay ** back) / (to - from);
      for (let q = from; q < to; q += 1) {
        const i = items[q] ?? 0;
        for (let p = ptr[i] ?? 0, end = ptr[i + 1] ?? 0; p < end; p += 1) {
          const j = idx[p] ?? 0;
          touch(j);
          neighbours[j] = (neighbours[j] ?? 0) + w * (val[p] ?? 0);
        }
      }
    }
    return generation;
  };

  const valueAt = (item: number) =>
    (repeat[item] ?? 0) + (neighbours[item] ?? 0) + params.popularityWeight * (popularity[item] ?? 0);
  const scored = (item: number): ScoredItem => {
    const parts = {
      repeat: repeat[item] ?? 0,
      neighbours: neighbours[item] ?? 0,
      popularity: params.popularityWeight * (popularity[item] ?? 0),
    };
    return { itemId: itemIds[item] ?? '', score: parts.repeat + parts.neighbours + parts.popularity, parts };
  };
  const unknown = (itemId: string): ScoredItem => ({
    itemId,
    score: 0,
    parts: { repeat: 0, neighbours: 0, popularity: 0 },
  });
  const byScore = (a: ScoredItem, b: ScoredItem) => b.score - a.score || compareIds(a.itemId, b.itemId);

  const forMember = (memberId: string): MemberScores => {
    const mine = begin(memberId);
    const current = () => {
      if (generation !== mine) throw new Error(`scores of member ${memberId} were replaced by a later call`);
    };
    return {
      score: (itemId) => {
        current();
        const i = itemIndex.get(itemId);
        return i === undefined ? unknown(itemId) : scored(i);
      },
      scoreOf: (index) => {
        current();
        return index >= 0 && index < itemCount ? scored(index) : unknown('');
      },
      reached: () => {
        current();
        return Int32Array.from(touched);
      },
      reaches: (index) => {
        current();
        return mark[index] === 1;
      },
      inOrder: function* (tail = byPopularity, accept) {
        current();
        const reached = accept ? touched.filter(accept) : touched;
        // The best few reached items in one pass; all of them sorted only when a caller reads past those.
        let order = bestReached(reached, valueAt, FIRST_BATCH);
        let o = 0;
        let t = 0;
        for (;;) {
          if (generation !== mine) current();
          if (o === order.items.length && order.items.length < reached.length) {
            order = bestReached(reached, valueAt, reached.length);
          }
          while (t < tail.length && mark[tail[t] ?? 0] === 1) t += 1;
          const fromTail = t < tail.length ? (tail[t] ?? 0) : -1;
          const item = o < order.items.length ? (order.items[o] ?? 0) : -1;
          if (item < 0 && fromTail < 0) return;
          if (item >= 0) {
            const value = order.values[o] ?? 0;
            const tailValue = fromTail < 0 ? Number.NEGATIVE_INFINITY : valueAt(fromTail);
            if (value > tailValue || (value === tailValue && item < fromTail)) {
              o += 1;
              yield item;
              continue;
            }
          }
          t += 1;
          yield fromTail;
        }
      },
    };
  };

  /** Scores the candidate list (or every item), best first. */
  const scoreAll = (memberId: string, candidates: readonly string[] | undefined): ScoredItem[] => {
    begin(memberId);
    let out: ScoredItem[];
    if (candidates === undefined) {
      out = itemIds.map((_, i) => scored(i));
    } else {
      out = [];
      const seen = new Set<string>();
      for (const id of candidates) {
        if (seen.has(id)) continue;
        seen.add(id);
        const i = itemIndex.get(id);
        out.push(i === undefined ? unknown(id) : scored(i));
      }
    }
    return out.sort(byScore);
  };

  const recommend = (memberId: string, k: number, candidates?: readonly string[]): ScoredItem[] => {
    if (!Number.isInteger(k) || k < 0) throw new RangeError(`k must be an integer ≥ 0, got ${k}`);
    if (candidates !== undefined) return scoreAll(memberId, candidates).slice(0, k);
    const out: ScoredItem[] = [];
    if (k === 0) return out;
    const scores = forMember(memberId);
    for (const item of scores.inOrder()) {
      out.push(scores.scoreOf(item));
      if (out.length >= k) break;
    }
    return out;
  };

  const clubParts = (targets?: Iterable<string>): ClubParts => {
    const wanted = new Uint8Array(itemCount);
    if (targets === undefined) wanted.fill(1);
    else
      for (const id of targets) {
        const i = itemIndex.get(id);
        if (i !== undefined) wanted[i] = 1;
      }
    // Entries, then Object.fromEntries: an item id such as "__proto__" stays a plain key.
    const propensityOut: Array<[string, number]> = [];
    const successorsOut: Array<[string, Record<string, number>]> = [];
    for (let i = 0; i < itemCount; i += 1) {
      const id = itemIds[i] ?? '';
      if (wanted[i] === 1) propensityOut.push([id, propensity[i] ?? 1]);
      const row: Array<[string, number]> = [];
      for (let p = transitions.ptr[i] ?? 0; p < (transitions.ptr[i + 1] ?? 0); p += 1) {
        const j = transitions.idx[p] ?? 0;
        if (wanted[j] === 1) row.push([itemIds[j] ?? '', transitions.val[p] ?? 0]);
      }
      if (row.length > 0) successorsOut.push([id, Object.fromEntries(row)]);
    }
    return {
      basketCount: input.baskets,
      propensity: Object.fromEntries(propensityOut),
      successors: Object.fromEntries(successorsOut),
    };
  };

  return {
    params,
    itemCount,
    memberCount: members.size,
    clubParts,
    score: (memberId, candidates) => scoreAll(memberId, candidates),
    recommend,
    forMember,
    popularityOrder: () => byPopularity.slice(),
    itemId: (index) => itemIds[index] ?? '',
  };
}
