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

export interface BasketRecord {
  readonly memberId: string;
  /** Order of the basket within the member's history; higher is later. */
  readonly seq: number;
  readonly items: readonly string[];
}

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

const compareIds = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

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

/** Compressed sparse rows: row r holds idx/val[ptr[r] .. ptr[r+1]). */
interface Csr {
  readonly ptr: Int32Array;
  readonly idx: Int32Array;
  readonly val: Float64Array;
}

/** Groups records into per-member baskets of distinct item indices, sorted by seq. */
function collect(baskets: Iterable<BasketRecord>): { itemIds: string[]; members: Map<string, number[][]> } {
  const byMember = new Map<string, Map<number, Set<string>>>();
  const items = new Set<string>();
  for (const record of baskets) {
    if (!Number.isFinite(record.seq))
      throw new RangeError(`basket seq must be a finite number (member ${record.memberId})`);
    let perSeq = byMember.get(record.memberId);
    if (perSeq === undefined) {
      perSeq = new Map();
      byMember.set(record.memberId, perSeq);
    }
    let basket = perSeq.get(record.seq);
    if (basket === undefined) {
      basket = new Set();
      perSeq.set(record.seq, basket);
    }
    for (const item of record.items) {
      basket.add(item);
      items.add(item);
    }
  }
  const itemIds = [...items].sort(compareIds);
  const index = new Map(itemIds.map((id, i) => [id, i]));
  const members = new Map<string, number[][]>();
  for (const [memberId, perSeq] of byMember) {
    const ordered = [...perSeq.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([, basket]) => [...basket].map((item) => index.get(item) ?? 0).sort((a, b) => a - b))
      .filter((basket) => basket.length > 0);
    if (ordered.length > 0) members.set(memberId, ordered);
  }
  return { itemIds, members };
}

/** Share of all baskets holding each item, divided by the largest share (so the top item is 1). */
function popularityOf(members: Iterable<number[][]>, itemCount: number): Float64Array {
  const pop = new Float64Array(itemCount);
  for (const baskets of members) {
    for (const basket of baskets) for (const item of basket) pop[item] = (pop[item] ?? 0) + 1;
  }
  let max = 0;
  for (const v of pop) max = Math.max(max, v);
  if (max > 0) for (let i = 0; i < itemCount; i += 1) pop[i] = (pop[i] ?? 0) / max;
  return pop;
}

/**
 * Per item: how often members buy it again after their first purchase, relative to the
 * catalogue-wide rate, smoothed towards 1 with `prior` pseudo-observations, raised to `power`.
 */
function propensityOf(members: Iterable<number[][]>, itemCount: number, prior: number, power: number): Float64Array {
  const again = new Float64Array(itemCount);
  const chances = new Float64Array(itemCount);
  const first = new Int32Array(itemCount).fill(-1);
  const count = new Int32Array(itemCount);
  for (const baskets of members) {
    const touched: number[] = [];
    baskets.forEach((basket, j) => {
      for (const item of basket) {
        if (first[item] === -1) {
          first[item] = j;
          touched.push(item);
        }
        count[item] = (count[item] ?? 0) + 1;
      }
    });
    for (const item of touched) {
      again[item] = (again[item] ?? 0) + (count[item] ?? 0) - 1;
      chances[item] = (chances[item] ?? 0) + baskets.length - 1 - (first[item] ?? 0);
      first[item] = -1;
      count[item] = 0;
    }
  }
  let totalAgain = 0;
  let totalChances = 0;
  for (let i = 0; i < itemCount; i += 1) {
    totalAgain += again[i] ?? 0;
    totalChances += chances[i] ?? 0;
  }
  const out = new Float64Array(itemCount).fill(1);
  const rate = totalChances > 0 ? totalAgain / totalChances : 0;
  if (rate <= 0 || power === 0) return out;
  for (let i = 0; i < itemCount; i += 1) {
    const smoothed = ((again[i] ?? 0) + prior * rate) / ((chances[i] ?? 0) + prior) / rate;
    out[i] = smoothed > 0 ? smoothed ** power : 0;
  }
  return out;
}

/**
 * Next-basket transitions: row i holds, for the `perItem` items j most often in the basket right
 * after a basket holding i, that count divided by (baskets holding i that have a successor +
 * smoothing). Built with counting sorts over typed arrays (no per-pair maps).
 */
function transitionsOf(members: Iterable<number[][]>, itemCount: number, smoothing: number, perItem: number): Csr {
  const list = [...members];
  const seeds = new Float64Array(itemCount);
  const rowSize = new Int32Array(itemCount + 1);
  for (const baskets of list) {
    for (let t = 0; t + 1 < baskets.length; t += 1) {
      const nextSize = (baskets[t + 1] ?? []).length;
      for (const i of baskets[t] ?? []) {
        seeds[i] = (seeds[i] ?? 0) + 1;
        rowSize[i + 1] = (rowSize[i + 1] ?? 0) + nextSize;
      }
    }
  }
  for (let i = 0; i < itemCount; i += 1) rowSize[i + 1] = (rowSize[i + 1] ?? 0) + (rowSize[i] ?? 0);
  const all = new Int32Array(rowSize[itemCount] ?? 0);
  const fillAt = rowSize.slice(0, itemCount);
  for (const baskets of list) {
    for (let t = 0; t + 1 < baskets.length; t += 1) {
      const next = baskets[t + 1] ?? [];
      for (const i of baskets[t] ?? []) {
        let at = fillAt[i] ?? 0;
        for (const j of next) {
          all[at] = j;
          at += 1;
        }
        fillAt[i] = at;
      }
    }
  }
  const ptr = new Int32Array(itemCount + 1);
  const idx: number[] = [];
  const val: number[] = [];
  const rowItems: number[] = [];
  const rowCounts: number[] = [];
  for (let i = 0; i < itemCount; i += 1) {
    const row = all.subarray(rowSize[i] ?? 0, rowSize[i + 1] ?? 0).sort();
    rowItems.length = 0;
    rowCounts.length = 0;
    for (let p = 0; p < row.length; p += 1) {
      const j = row[p] ?? 0;
      if (p > 0 && row[p - 1] === j) rowCounts[rowCounts.length - 1] = (rowCounts[rowCounts.length - 1] ?? 0) + 1;
      else {
        rowItems.push(j);
        rowCounts.push(1);
      }
    }
    let keep = rowItems.map((_, n) => n);
    if (keep.length > perItem) {
      keep.sort((a, b) => (rowCounts[b] ?? 0) - (rowCounts[a] ?? 0) || a - b);
      keep = keep.slice(0, perItem).sort((a, b) => a - b);
    }
    const denominator = (seeds[i] ?? 0) + smoothing;
    for (const n of keep) {
      idx.push(rowItems[n] ?? 0);
      val.push(denominator > 0 ? (rowCounts[n] ?? 0) / denominator : 0);
    }
    ptr[i + 1] = idx.length;
  }
  return { ptr, idx: Int32Array.from(idx), val: Float64Array.from(val) };
}

/** Fits the model on members' baskets. Records sharing memberId and seq are one basket. */
export function fitModel(baskets: Iterable<BasketRecord>, params: NextBasketParams = DEFAULT_PARAMS): NextBasketModel {
  checkParams(params);
  const { itemIds, members } = collect(baskets);
  const itemCount = itemIds.length;
  const itemIndex = new Map(itemIds.map((id, i) => [id, i]));
  const popularity = popularityOf(members.values(), itemCount);
  const propensity = propensityOf(members.values(), itemCount, params.propensityPrior, params.propensityPower);
  const transitions =
    params.neighboursWeight > 0 && params.neighboursDepth > 0
      ? transitionsOf(members.values(), itemCount, params.neighboursSmoothing, params.neighboursPerItem)
      : { ptr: new Int32Array(itemCount + 1), idx: new Int32Array(0), val: new Float64Array(0) };
  const byPopularity = Int32Array.from({ length: itemCount }, (_, i) => i).sort(
    (a, b) => (popularity[b] ?? 0) - (popularity[a] ?? 0) || a - b,
  );

  // Scratch space reused across calls (the model is synchronous, so calls never overlap).
  const repeat = new Float64Array(itemCount);
  const neighbours = new Float64Array(itemCount);
  const mark = new Uint8Array(itemCount);
  const touched: number[] = [];
  const touch = (item: number) => {
    if (mark[item] === 0) {
      mark[item] = 1;
      touched.push(item);
    }
  };
  const reset = () => {
    for (const item of touched) {
      repeat[item] = 0;
      neighbours[item] = 0;
      mark[item] = 0;
    }
    touched.length = 0;
  };

  /** Fills repeat/neighbours for the member's items and their transitions; marks them touched. */
  const accumulate = (memberId: string) => {
    const history = members.get(memberId);
    if (history === undefined) return;
    const n = history.length;
    let totalWeight = 0;
    for (let j = 0; j < n; j += 1) totalWeight += params.repeatDecay ** (n - 1 - j);
    history.forEach((basket, j) => {
      const w = params.repeatDecay ** (n - 1 - j) / totalWeight;
      for (const item of basket) {
        touch(item);
        repeat[item] = (repeat[item] ?? 0) + w;
      }
    });
    for (const item of touched) repeat[item] = (repeat[item] ?? 0) * (propensity[item] ?? 0);
    if (params.neighboursWeight === 0) return;
    for (let back = 0; back < params.neighboursDepth && back < n; back += 1) {
      const basket = history[n - 1 - back] ?? [];
      const w = (params.neighboursWeight * params.neighboursDecay ** back) / basket.length;
      for (const i of basket) {
        for (let p = transitions.ptr[i] ?? 0; p < (transitions.ptr[i + 1] ?? 0); p += 1) {
          const j = transitions.idx[p] ?? 0;
          touch(j);
          neighbours[j] = (neighbours[j] ?? 0) + w * (transitions.val[p] ?? 0);
        }
      }
    }
  };

  const scored = (item: number, itemId: string): ScoredItem => {
    const parts = {
      repeat: repeat[item] ?? 0,
      neighbours: neighbours[item] ?? 0,
      popularity: params.popularityWeight * (popularity[item] ?? 0),
    };
    return { itemId, score: parts.repeat + parts.neighbours + parts.popularity, parts };
  };
  const unknown = (itemId: string): ScoredItem => ({
    itemId,
    score: 0,
    parts: { repeat: 0, neighbours: 0, popularity: 0 },
  });
  const byScore = (a: ScoredItem, b: ScoredItem) => b.score - a.score || compareIds(a.itemId, b.itemId);

  /** Scores the candidate list (or every item), best first. */
  const scoreAll = (memberId: string, candidates: readonly string[] | undefined): ScoredItem[] => {
    accumulate(memberId);
    let out: ScoredItem[];
    if (candidates === undefined) {
      out = itemIds.map((id, i) => scored(i, id));
    } else {
      out = [];
      const seen = new Set<string>();
      for (const id of candidates) {
        if (seen.has(id)) continue;
        seen.add(id);
        const i = itemIndex.get(id);
        out.push(i === undefined ? unknown(id) : scored(i, id));
      }
    }
    reset();
    return out.sort(byScore);
  };

  const recommend = (memberId: string, k: number, candidates?: readonly string[]): ScoredItem[] => {
    if (!Number.isInteger(k) || k < 0) throw new RangeError(`k must be an integer ≥ 0, got ${k}`);
    if (candidates !== undefined) return scoreAll(memberId, candidates).slice(0, k);
    accumulate(memberId);
    // Any item outside the touched set scores popularity alone, so the k most popular of those suffice.
    let extra = 0;
    for (let r = 0; r < byPopularity.length && extra < k; r += 1) {
      const item = byPopularity[r] ?? 0;
      if (mark[item] === 0) {
        touch(item);
        extra += 1;
      }
    }
    // Item indices follow item-id order, so "lower index" breaks ties by item id.
    const best: number[] = [];
    const bestScore: number[] = [];
    for (const item of touched) {
      const value = (repeat[item] ?? 0) + (neighbours[item] ?? 0) + params.popularityWeight * (popularity[item] ?? 0);
      if (best.length === k) {
        const worstScore = bestScore[k - 1] ?? 0;
        if (value < worstScore || (value === worstScore && item > (best[k - 1] ?? 0))) continue;
        best.pop();
        bestScore.pop();
      }
      let at = best.length;
      while (at > 0) {
        const beforeScore = bestScore[at - 1] ?? 0;
        if (beforeScore > value || (beforeScore === value && (best[at - 1] ?? 0) < item)) break;
        at -= 1;
      }
      best.splice(at, 0, item);
      bestScore.splice(at, 0, value);
    }
    const out = best.map((item) => scored(item, itemIds[item] ?? ''));
    reset();
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
    let basketCount = 0;
    for (const baskets of members.values()) basketCount += baskets.length;
    return {
      basketCount,
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
  };
}
