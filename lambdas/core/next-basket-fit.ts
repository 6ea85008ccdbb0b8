/**
 * The fitting half of the next-basket model (lambdas/core/next-basket.ts): baskets in, the three
 * club-level parts out (popularity, buy-again rate, next-basket transitions), over typed arrays.
 */

export interface BasketRecord {
  readonly memberId: string;
  /** Order of the basket within the member's history; higher is later. */
  readonly seq: number;
  readonly items: readonly string[];
}

/**
 * Baskets already reduced to item indices, as a caller that reads its own file keeps them:
 * `itemIds` in any order, and per member the baskets oldest first, each a list of indices into
 * `itemIds` (repeats allowed; they count once).
 */
export interface IndexedBaskets {
  readonly itemIds: readonly string[];
  readonly members: ReadonlyMap<string, ReadonlyArray<ArrayLike<number>>>;
}

/** The same, normalised: item ids sorted (so a lower index is a lower id), baskets of distinct, sorted indices, none empty. */
export interface FitInput {
  readonly itemIds: readonly string[];
  readonly members: Map<string, Int32Array[]>;
}

/** Compressed sparse rows: row r holds idx/val[ptr[r] .. ptr[r+1]). */
export interface Csr {
  readonly ptr: Int32Array;
  readonly idx: Int32Array;
  readonly val: Float64Array;
}

const EMPTY = new Int32Array(0);

export const compareIds = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Groups records into per-member baskets of item indices, ordered by seq. Records sharing memberId and seq are one basket. */
export function collect(baskets: Iterable<BasketRecord>): IndexedBaskets {
  const arrival = new Map<string, number>();
  const itemIds: string[] = [];
  const byMember = new Map<string, Map<number, number[]>>();
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
      basket = [];
      perSeq.set(record.seq, basket);
    }
    for (const item of record.items) {
      let index = arrival.get(item);
      if (index === undefined) {
        index = itemIds.length;
        itemIds.push(item);
        arrival.set(item, index);
      }
      basket.push(index);
    }
  }
  const members = new Map<string, number[][]>();
  for (const [memberId, perSeq] of byMember) {
    members.set(
      memberId,
      [...perSeq.entries()].sort((a, b) => a[0] - b[0]).map(([, basket]) => basket),
    );
  }
  return { itemIds, members };
}

/** Sort the item ids and remap every basket to distinct, sorted indices of that order; drop empty baskets and members. */
export function normalise(input: IndexedBaskets): FitInput {
  const n = input.itemIds.length;
  const order = Int32Array.from({ length: n }, (_, i) => i).sort((a, b) =>
    compareIds(input.itemIds[a] ?? '', input.itemIds[b] ?? ''),
  );
  const rank = new Int32Array(n);
  const itemIds: string[] = new Array(n);
  order.forEach((from, to) => {
    rank[from] = to;
    itemIds[to] = input.itemIds[from] ?? '';
  });
  const members = new Map<string, Int32Array[]>();
  for (const [memberId, baskets] of input.members) {
    const out: Int32Array[] = [];
    for (const basket of baskets) {
      const mapped = new Int32Array(basket.length);
      for (let p = 0; p < basket.length; p += 1) {
        const from = basket[p] ?? -1;
        if (!(from >= 0 && from < n)) throw new RangeError(`item index ${from} out of range (member ${memberId})`);
        mapped[p] = rank[from] ?? 0;
      }
      mapped.sort();
      let distinct = 0;
      for (let p = 0; p < mapped.length; p += 1) {
        if (p === 0 || mapped[p] !== mapped[p - 1]) mapped[distinct++] = mapped[p] ?? 0;
      }
      if (distinct > 0) out.push(mapped.slice(0, distinct));
    }
    if (out.length > 0) members.set(memberId, out);
  }
  return { itemIds, members };
}

/** Share of all baskets holding each item, divided by the largest share (so the top item is 1). */
export function popularityOf(members: Iterable<Int32Array[]>, itemCount: number): Float64Array {
  const pop = new Float64Array(itemCount);
  for (const baskets of members) {
    for (const basket of baskets) {
      for (let p = 0; p < basket.length; p += 1) {
        const item = basket[p] ?? 0;
        pop[item] = (pop[item] ?? 0) + 1;
      }
    }
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
export function propensityOf(
  members: Iterable<Int32Array[]>,
  itemCount: number,
  prior: number,
  power: number,
): Float64Array {
  const again = new Float64Array(itemCount);
  const chances = new Float64Array(itemCount);
  const first = new Int32Array(itemCount).fill(-1);
  const count = new Int32Array(itemCount);
  for (const baskets of members) {
    const touched: number[] = [];
    for (let j = 0; j < baskets.length; j += 1) {
      const basket = baskets[j] ?? EMPTY;
      for (let p = 0; p < basket.length; p += 1) {
        const item = basket[p] ?? 0;
        if (first[item] === -1) {
          first[item] = j;
          touched.push(item);
        }
        count[item] = (count[item] ?? 0) + 1;
      }
    }
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
 * after a basket holding i (ties: lower j first), that count divided by (baskets holding i that
 * have a successor + smoothing), sorted by j. Successor lists are grouped by source with a counting
 * sort, then counted in one dense array: no per-pair maps, no comparator sorts for small catalogs.
 */
export function transitionsOf(
  members: Iterable<Int32Array[]>,
  itemCount: number,
  smoothing: number,
  perItem: number,
): Csr {
  const list = [...members];
  const seeds = new Float64Array(itemCount);
  const rowStart = new Int32Array(itemCount + 1);
  for (const baskets of list) {
    for (let t = 0; t + 1 < baskets.length; t += 1) {
      const nextSize = (baskets[t + 1] ?? EMPTY).length;
      const basket = baskets[t] ?? EMPTY;
      for (let p = 0; p < basket.length; p += 1) {
        const i = basket[p] ?? 0;
        seeds[i] = (seeds[i] ?? 0) + 1;
        rowStart[i + 1] = (rowStart[i + 1] ?? 0) + nextSize;
      }
    }
  }
  for (let i = 0; i < itemCount; i += 1) rowStart[i + 1] = (rowStart[i + 1] ?? 0) + (rowStart[i] ?? 0);
  const all = new Int32Array(rowStart[itemCount] ?? 0);
  const fillAt = rowStart.slice(0, itemCount);
  for (const baskets of list) {
    for (let t = 0; t + 1 < baskets.length; t += 1) {
      const next = baskets[t + 1] ?? EMPTY;
      const basket = baskets[t] ?? EMPTY;
      for (let p = 0; p < basket.length; p += 1) {
        const i = basket[p] ?? 0;
        const at = fillAt[i] ?? 0;
        all.set(next, at);
        fillAt[i] = at + next.length;
      }
    }
  }
  const capacity = Math.min(all.length, itemCount * perItem);
  const ptr = new Int32Array(itemCount + 1);
  const idx = new Int32Array(capacity);
  const val = new Float64Array(capacity);
  const counter = new Int32Array(itemCount);
  const distinct: number[] = [];
  let out = 0;
  for (let i = 0; i < itemCount; i += 1) {
    for (let p = rowStart[i] ?? 0; p < (rowStart[i + 1] ?? 0); p += 1) {
      const j = all[p] ?? 0;
      if (counter[j] === 0) distinct.push(j);
      counter[j] = (counter[j] ?? 0) + 1;
    }
    const kept = keepMostFrequent(distinct, counter, perItem);
    const denominator = (seeds[i] ?? 0) + smoothing;
    for (const j of kept) {
      idx[out] = j;
      val[out] = denominator > 0 ? (counter[j] ?? 0) / denominator : 0;
      out += 1;
    }
    ptr[i + 1] = out;
    for (const j of distinct) counter[j] = 0;
    distinct.length = 0;
  }
  return { ptr, idx: idx.slice(0, out), val: val.slice(0, out) };
}

/**
 * The `perItem` most frequent of `distinct` (ties: lower index first), sorted by index. Finds the
 * threshold count from a histogram of the counts instead of sorting every successor.
 */
function keepMostFrequent(distinct: readonly number[], counter: Int32Array, perItem: number): Int32Array {
  if (distinct.length <= perItem) return Int32Array.from(distinct).sort();
  let most = 0;
  for (const j of distinct) most = Math.max(most, counter[j] ?? 0);
  const histogram = new Int32Array(most + 1);
  for (const j of distinct) histogram[counter[j] ?? 0] = (histogram[counter[j] ?? 0] ?? 0) + 1;
  // Every count above `threshold` is kept; of those at it, the lowest indices fill what is left.
  let above = 0;
  let threshold = most;
  while (threshold > 0 && above + (histogram[threshold] ?? 0) < perItem) {
    above += histogram[threshold] ?? 0;
    threshold -= 1;
  }
  const kept: number[] = [];
  const ties: number[] = [];
  for (const j of distinct) {
    const count = counter[j] ?? 0;
    if (count > threshold) kept.push(j);
    else if (count === threshold) ties.push(j);
  }
  const lowest = Int32Array.from(ties).sort();
  for (let p = 0; p < perItem - above && p < lowest.length; p += 1) kept.push(lowest[p] ?? 0);
  return Int32Array.from(kept).sort();
}
