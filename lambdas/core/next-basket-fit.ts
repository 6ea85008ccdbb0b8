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
 * Baskets already reduced to item indices, as a caller that reads its own file keeps them: basket b
 * holds `items[start[b] .. start[b + 1])`, indices into `itemIds` (in any order; repeats count once),
 * and each member's baskets are consecutive, oldest first. Flat, so a large history is a few arrays.
 */
export interface IndexedBaskets {
  readonly itemIds: readonly string[];
  readonly items: ArrayLike<number>;
  readonly start: ArrayLike<number>;
  readonly members: ReadonlyMap<string, { readonly first: number; readonly count: number }>;
}

/**
 * The same, normalised into flat arrays: item ids sorted (so a lower index is a lower id), and every
 * basket's distinct items sorted, basket after basket: basket b is `items[start[b] .. start[b + 1])`.
 * Each member's baskets are consecutive, oldest first. No typed array per basket: one for all.
 */
export interface FitInput {
  readonly itemIds: readonly string[];
  readonly items: Int32Array;
  readonly start: Int32Array;
  readonly baskets: number;
  readonly members: Map<string, { readonly first: number; readonly count: number }>;
}

/** Compressed sparse rows: row r holds idx/val[ptr[r] .. ptr[r+1]). */
export interface Csr {
  readonly ptr: Int32Array;
  readonly idx: Int32Array;
  readonly val: Float64Array;
}

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
  const items: number[] = [];
  const start: number[] = [0];
  const members = new Map<string, { first: number; count: number }>();
  for (const [memberId, perSeq] of byMember) {
    const ordered = [...perSeq.entries()].sort((a, b) => a[0] - b[0]);
    members.set(memberId, { first: start.length - 1, count: ordered.length });
    for (const [, basket] of ordered) {
      for (const item of basket) items.push(item);
      start.push(items.length);
    }
  }
  return { itemIds, items, start, members };
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
  const items = new Int32Array(input.items.length);
  const start = new Int32Array(input.start.length);
  const members = new Map<string, { first: number; count: number }>();
  let at = 0;
  let b = 0;
  for (const [memberId, { first: from, count }] of input.members) {
    const first = b;
    for (let basket = from; basket < from + count; basket += 1) {
      const begin = input.start[basket] ?? 0;
      const end = input.start[basket + 1] ?? 0;
      for (let p = begin; p < end; p += 1) {
        const index = input.items[p] ?? -1;
        if (!(index >= 0 && index < n)) throw new RangeError(`item index ${index} out of range (member ${memberId})`);
        items[at + p - begin] = rank[index] ?? 0;
      }
      const distinct = sortDistinct(items, at, at + end - begin);
      if (distinct === 0) continue;
      at += distinct;
      b += 1;
      start[b] = at;
    }
    if (b > first) members.set(memberId, { first, count: b - first });
  }
  return { itemIds, items: items.subarray(0, at), start: start.subarray(0, b + 1), baskets: b, members };
}

/** Sort items[from, to) and keep each value once at its start; returns how many remain. */
function sortDistinct(items: Int32Array, from: number, to: number): number {
  if (to - from > 32) items.subarray(from, to).sort();
  else {
    for (let i = from + 1; i < to; i += 1) {
      const value = items[i] ?? 0;
      let j = i - 1;
      while (j >= from && (items[j] ?? 0) > value) {
        items[j + 1] = items[j] ?? 0;
        j -= 1;
      }
      items[j + 1] = value;
    }
  }
  let distinct = 0;
  for (let p = from; p < to; p += 1) {
    if (p === from || items[p] !== items[p - 1]) {
      items[from + distinct] = items[p] ?? 0;
      distinct += 1;
    }
  }
  return distinct;
}

/** Share of all baskets holding each item, divided by the largest share (so the top item is 1). */
export function popularityOf(input: FitInput, itemCount: number): Float64Array {
  const pop = new Float64Array(itemCount);
  const { items } = input;
  for (let p = 0; p < items.length; p += 1) {
    const item = items[p] ?? 0;
    pop[item] = (pop[item] ?? 0) + 1;
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
export function propensityOf(input: FitInput, itemCount: number, prior: number, power: number): Float64Array {
  const { items, start } = input;
  const again = new Float64Array(itemCount);
  const chances = new Float64Array(itemCount);
  const first = new Int32Array(itemCount).fill(-1);
  const count = new Int32Array(itemCount);
  const touched: number[] = [];
  for (const member of input.members.values()) {
    touched.length = 0;
    for (let j = 0; j < member.count; j += 1) {
      const b = member.first + j;
      for (let p = start[b] ?? 0, end = start[b + 1] ?? 0; p < end; p += 1) {
        const item = items[p] ?? 0;
        if (first[item] === -1) {
          first[item] = j;
          touched.push(item);
        }
        count[item] = (count[item] ?? 0) + 1;
      }
    }
    for (const item of touched) {
      again[item] = (again[item] ?? 0) + (count[item] ?? 0) - 1;
      chances[item] = (chances[item] ?? 0) + member.count - 1 - (first[item] ?? 0);
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
 * sort, then counted in one dense array: no per-pair maps.
 */
export function transitionsOf(input: FitInput, itemCount: number, smoothing: number, perItem: number): Csr {
  const { items, start } = input;
  const seeds = new Float64Array(itemCount);
  const rowStart = new Int32Array(itemCount + 1);
  for (const member of input.members.values()) {
    for (let t = 0; t + 1 < member.count; t += 1) {
      const b = member.first + t;
      const nextSize = (start[b + 2] ?? 0) - (start[b + 1] ?? 0);
      for (let p = start[b] ?? 0, end = start[b + 1] ?? 0; p < end; p += 1) {
        const i = items[p] ?? 0;
        seeds[i] = (seeds[i] ?? 0) + 1;
        rowStart[i + 1] = (rowStart[i + 1] ?? 0) + nextSize;
      }
    }
  }
  for (let i = 0; i < itemCount; i += 1) rowStart[i + 1] = (rowStart[i + 1] ?? 0) + (rowStart[i] ?? 0);
  const all = new Int32Array(rowStart[itemCount] ?? 0);
  const fillAt = rowStart.slice(0, itemCount);
  for (const member of input.members.values()) {
    for (let t = 0; t + 1 < member.count; t += 1) {
      const b = member.first + t;
      const nextFrom = start[b + 1] ?? 0;
      const nextTo = start[b + 2] ?? 0;
      for (let p = start[b] ?? 0, end = start[b + 1] ?? 0; p < end; p += 1) {
        const i = items[p] ?? 0;
        let at = fillAt[i] ?? 0;
        for (let q = nextFrom; q < nextTo; q += 1) all[at++] = items[q] ?? 0;
        fillAt[i] = at;
      }
    }
  }
  const capacity = Math.min(all.length, itemCount * perItem);
  const ptr = new Int32Array(itemCount + 1);
  const idx = new Int32Array(capacity);
  const val = new Float64Array(capacity);
  const counter = new Int32Array(itemCount);
  const distinct: number[] = [];
  const scratch = { histogram: new Int32Array(64), kept: new Int32Array(64), ties: new Int32Array(64) };
  let out = 0;
  for (let i = 0; i < itemCount; i += 1) {
    for (let p = rowStart[i] ?? 0; p < (rowStart[i + 1] ?? 0); p += 1) {
      const j = all[p] ?? 0;
      if (counter[j] === 0) distinct.push(j);
      counter[j] = (counter[j] ?? 0) + 1;
    }
    const size = keepMostFrequent(distinct, counter, perItem, scratch);
    const denominator = (seeds[i] ?? 0) + smoothing;
    for (let q = 0; q < size; q += 1) {
      const j = scratch.kept[q] ?? 0;
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
 * Chooses the `perItem` most frequent of `distinct` (ties: lower index first) into `kept`, sorted by
 * index, and returns how many. Finds the threshold count from a histogram of the counts instead of
 * sorting every successor; every buffer is reused from row to row.
 */
function keepMostFrequent(
  distinct: readonly number[],
  counter: Int32Array,
  perItem: number,
  scratch: { histogram: Int32Array; kept: Int32Array; ties: Int32Array },
): number {
  if (scratch.kept.length < Math.max(perItem, distinct.length))
    scratch.kept = new Int32Array(Math.max(perItem, distinct.length) * 2);
  const kept = scratch.kept;
  let size = 0;
  if (distinct.length <= perItem) {
    for (const j of distinct) kept[size++] = j;
  } else {
    let most = 0;
    for (const j of distinct) most = Math.max(most, counter[j] ?? 0);
    if (scratch.histogram.length <= most) scratch.histogram = new Int32Array((most + 1) * 2);
    const histogram = scratch.histogram;
    histogram.fill(0, 0, most + 1);
    for (const j of distinct) histogram[counter[j] ?? 0] = (histogram[counter[j] ?? 0] ?? 0) + 1;
    // Every count above `threshold` is kept; of those at it, the lowest indices fill what is left.
    let above = 0;
    let threshold = most;
    while (threshold > 0 && above + (histogram[threshold] ?? 0) < perItem) {
      above += histogram[threshold] ?? 0;
      threshold -= 1;
    }
    if (scratch.ties.length < distinct.length) scratch.ties = new Int32Array(distinct.length * 2);
    const ties = scratch.ties;
    let tied = 0;
    for (const j of distinct) {
      const count = counter[j] ?? 0;
      if (count > threshold) kept[size++] = j;
      else if (count === threshold) ties[tied++] = j;
    }
    const lowest = ties.subarray(0, tied).sort();
    for (let p = 0; p < perItem - above && p < tied; p += 1) kept[size++] = lowest[p] ?? 0;
  }
  kept.subarray(0, size).sort();
  return size;
}
