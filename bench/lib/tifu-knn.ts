import { compareIds, globalPopularity } from './baselines.js';
import type { Rankings } from './metrics.js';
import type { Histories } from './tafeng.js';

/**
 * TIFU-KNN (Hu, Thomas, He & Gu, SIGIR 2020), reimplemented from the authors' published code:
 * each basket is a 0/1 item vector scaled by withinDecay^(baskets after it); baskets are split
 * into `groupSize` consecutive groups (averaged), groups are summed with groupDecay^(groupSize-1-g)
 * and divided by the number of groups. The prediction is alpha · own vector + (1 − alpha) · the
 * plain mean of the `neighbours` nearest other members' vectors (Euclidean distance, as the
 * authors' sklearn `NearestNeighbors` default; cosine available for tuning).
 */
export interface TifuParams {
  readonly neighbours: number;
  readonly withinDecay: number;
  readonly groupDecay: number;
  readonly alpha: number;
  readonly groupSize: number;
  readonly metric: 'euclidean' | 'cosine';
}

/** The authors' Ta-Feng settings (TIFU-KNN README; the same in Cornac's tifuknn_tafeng example). */
export const TIFU_PAPER_TAFENG: TifuParams = {
  neighbours: 300,
  withinDecay: 0.9,
  groupDecay: 0.7,
  alpha: 0.7,
  groupSize: 7,
  metric: 'euclidean',
};

/**
 * Tuned on the validation split only (`npm run bench:relevance -- --tune=tifu`, coordinate search from
 * the paper's values; see docs/benchmarks.md). With groupSize 1 all baskets form one group, so
 * groupDecay has no effect and the own vector is the member's plain basket share of each item.
 */
export const TIFU_TUNED_TAFENG: TifuParams = {
  neighbours: 1000,
  withinDecay: 1,
  groupDecay: 0.8,
  alpha: 0.3,
  groupSize: 1,
  metric: 'euclidean',
};

interface Sparse {
  readonly ptr: Int32Array;
  readonly idx: Int32Array;
  readonly val: Float64Array;
}

/** Consecutive group sizes for `n` baskets and `m` groups, as the authors' `group_history_list`. */
export function groupSizes(n: number, m: number): number[] {
  if (n < m) return Array.from({ length: n }, () => 1);
  const base = Math.floor(n / m);
  const extra = n - base * m;
  return Array.from({ length: m }, (_, g) => (g < m - extra ? base : base + 1));
}

/** The member's TIFU repeat vector as item index → weight. */
export function tifuVector(baskets: readonly (readonly number[])[], params: TifuParams): Map<number, number> {
  const n = baskets.length;
  const m = params.groupSize;
  const sizes = groupSizes(n, m);
  const groups = sizes.length;
  const out = new Map<number, number>();
  let start = 0;
  sizes.forEach((size, g) => {
    const groupWeight = params.groupDecay ** (m - 1 - g) / size / groups;
    for (let j = start; j < start + size; j += 1) {
      const w = groupWeight * params.withinDecay ** (n - 1 - j);
      for (const item of baskets[j] ?? []) out.set(item, (out.get(item) ?? 0) + w);
    }
    start += size;
  });
  return out;
}

function toSparse(rows: readonly Map<number, number>[]): Sparse {
  let nnz = 0;
  for (const row of rows) nnz += row.size;
  const ptr = new Int32Array(rows.length + 1);
  const idx = new Int32Array(nnz);
  const val = new Float64Array(nnz);
  let at = 0;
  rows.forEach((row, r) => {
    const keys = [...row.keys()].sort((a, b) => a - b);
    for (const key of keys) {
      idx[at] = key;
      val[at] = row.get(key) ?? 0;
      at += 1;
    }
    ptr[r + 1] = at;
  });
  return { ptr, idx, val };
}

function transpose(matrix: Sparse, columns: number): Sparse {
  const rows = matrix.ptr.length - 1;
  const counts = new Int32Array(columns + 1);
  for (let i = 0; i < matrix.idx.length; i += 1)
    counts[(matrix.idx[i] ?? 0) + 1] = (counts[(matrix.idx[i] ?? 0) + 1] ?? 0) + 1;
  for (let c = 0; c < columns; c += 1) counts[c + 1] = (counts[c + 1] ?? 0) + (counts[c] ?? 0);
  const fillAt = counts.slice(0, columns);
  const idx = new Int32Array(matrix.idx.length);
  const val = new Float64Array(matrix.idx.length);
  for (let r = 0; r < rows; r += 1) {
    for (let p = matrix.ptr[r] ?? 0; p < (matrix.ptr[r + 1] ?? 0); p += 1) {
      const c = matrix.idx[p] ?? 0;
      const at = fillAt[c] ?? 0;
      idx[at] = r;
      val[at] = matrix.val[p] ?? 0;
      fillAt[c] = at + 1;
    }
  }
  return { ptr: counts, idx, val };
}

/** Keeps the k rows with the least "badness"; ties prefer the lower row index. */
export class TopK {
  private readonly rows: Int32Array;
  private readonly bad: Float64Array;
  private size = 0;

  constructor(private readonly k: number) {
    this.rows = new Int32Array(k);
    this.bad = new Float64Array(k);
  }

  private worse(i: number, j: number): boolean {
    const bi = this.bad[i] ?? 0;
    const bj = this.bad[j] ?? 0;
    return bi > bj || (bi === bj && (this.rows[i] ?? 0) > (this.rows[j] ?? 0));
  }

  private swap(i: number, j: number): void {
    const r = this.rows[i] ?? 0;
    const b = this.bad[i] ?? 0;
    this.rows[i] = this.rows[j] ?? 0;
    this.bad[i] = this.bad[j] ?? 0;
    this.rows[j] = r;
    this.bad[j] = b;
  }

  offer(row: number, bad: number): void {
    if (this.k === 0) return;
    if (this.size < this.k) {
      this.rows[this.size] = row;
      this.bad[this.size] = bad;
      let i = this.size;
      this.size += 1;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (!this.worse(i, parent)) break;
        this.swap(i, parent);
        i = parent;
      }
      return;
    }
    const topBad = this.bad[0] ?? 0;
    if (bad > topBad || (bad === topBad && row > (this.rows[0] ?? 0))) return;
    this.rows[0] = row;
    this.bad[0] = bad;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let w = i;
      if (l < this.size && this.worse(l, w)) w = l;
      if (r < this.size && this.worse(r, w)) w = r;
      if (w === i) break;
      this.swap(i, w);
      i = w;
    }
  }

  /** Rows from least to most bad. */
  sorted(): { row: number; bad: number }[] {
    const out: { row: number; bad: number }[] = [];
    for (let i = 0; i < this.size; i += 1) out.push({ row: this.rows[i] ?? 0, bad: this.bad[i] ?? 0 });
    return out.sort((a, b) => a.bad - b.bad || a.row - b.row);
  }
}

/**
 * Exact k nearest rows of `rows` to row `query` (itself excluded), by Euclidean distance or
 * cosine similarity, using an inverted index for the dot products. Rows sharing no item with the
 * query have dot 0: under Euclidean distance the nearest of them are those with the smallest norm.
 */
class Knn {
  private readonly dot: Float64Array;
  private readonly touched: Int32Array;
  private readonly mark: Uint8Array;
  private readonly byNorm: Int32Array;
  private readonly sq: Float64Array;

  constructor(
    private readonly rows: Sparse,
    private readonly inverted: Sparse,
    private readonly metric: 'euclidean' | 'cosine',
  ) {
    const n = rows.ptr.length - 1;
    this.dot = new Float64Array(n);
    this.touched = new Int32Array(n);
    this.mark = new Uint8Array(n);
    this.sq = new Float64Array(n);
    for (let r = 0; r < n; r += 1) {
      let s = 0;
      for (let p = rows.ptr[r] ?? 0; p < (rows.ptr[r + 1] ?? 0); p += 1) s += (rows.val[p] ?? 0) ** 2;
      this.sq[r] = s;
    }
    this.byNorm = Int32Array.from({ length: n }, (_, i) => i).sort(
      (a, b) => (this.sq[a] ?? 0) - (this.sq[b] ?? 0) || a - b,
    );
  }

  /** Neighbour row indices, nearest first. */
  neighbours(query: number, k: number): { row: number; bad: number }[] {
    const { rows, inverted, dot, touched, mark, sq } = this;
    let count = 0;
    for (let p = rows.ptr[query] ?? 0; p < (rows.ptr[query + 1] ?? 0); p += 1) {
      const item = rows.idx[p] ?? 0;
      const qv = rows.val[p] ?? 0;
      for (let q = inverted.ptr[item] ?? 0; q < (inverted.ptr[item + 1] ?? 0); q += 1) {
        const r = inverted.idx[q] ?? 0;
        if (mark[r] === 0) {
          mark[r] = 1;
          touched[count] = r;
          count += 1;
        }
        dot[r] = (dot[r] ?? 0) + qv * (inverted.val[q] ?? 0);
      }
    }
    const qsq = sq[query] ?? 0;
    const heap = new TopK(k);
    const offer = (row: number, bad: number) => heap.offer(row, bad);
    const qn = Math.sqrt(qsq);
    for (let t = 0; t < count; t += 1) {
      const r = touched[t] ?? 0;
      if (r === query) continue;
      const d = dot[r] ?? 0;
      const bad = this.metric === 'euclidean' ? qsq + (sq[r] ?? 0) - 2 * d : -(d / (qn * Math.sqrt(sq[r] ?? 0) || 1));
      offer(r, bad);
    }
    if (this.metric === 'euclidean') {
      let taken = 0;
      for (let i = 0; i < this.byNorm.length && taken < k; i += 1) {
        const r = this.byNorm[i] ?? 0;
        if (r === query || mark[r] === 1) continue;
        offer(r, qsq + (sq[r] ?? 0));
        taken += 1;
      }
    }
    for (let t = 0; t < count; t += 1) {
      const r = touched[t] ?? 0;
      dot[r] = 0;
      mark[r] = 0;
    }
    return heap.sorted();
  }
}

/** The k best of `candidates` by `score`, best first; ties by lower index. */
export function topItems(candidates: readonly number[], score: Float64Array, k: number): number[] {
  const best: number[] = [];
  for (const c of candidates) {
    const s = score[c] ?? 0;
    if (best.length === k) {
      const last = best[k - 1] ?? 0;
      const ls = score[last] ?? 0;
      if (s < ls || (s === ls && c > last)) continue;
      best.pop();
    }
    let i = best.length;
    while (i > 0) {
      const prev = best[i - 1] ?? 0;
      const ps = score[prev] ?? 0;
      if (ps > s || (ps === s && prev < c)) break;
      i -= 1;
    }
    best.splice(i, 0, c);
  }
  return best;
}

/** TIFU-KNN rankings (top k) for `members`, neighbours drawn from every other member of `history`. */
export function tifuKnn(history: Histories, members: Iterable<string>, k: number, params: TifuParams): Rankings {
  const popular = globalPopularity(history);
  const itemIds = [...popular].sort(compareIds);
  const itemIndex = new Map(itemIds.map((id, i) => [id, i]));
  const memberIds = [...history.keys()];
  const memberIndex = new Map(memberIds.map((id, i) => [id, i]));
  const vectors = memberIds.map((id) =>
    tifuVector(
      (history.get(id) ?? []).map((b) => b.items.map((item) => itemIndex.get(item) ?? 0)),
      params,
    ),
  );
  const rows = toSparse(vectors);
  const knn = new Knn(rows, transpose(rows, itemIds.length), params.metric);
  const score = new Float64Array(itemIds.length);
  const touched: number[] = [];
  const add = (item: number, w: number) => {
    if (score[item] === 0) touched.push(item);
    score[item] = (score[item] ?? 0) + w;
  };
  const out = new Map<string, readonly string[]>();
  for (const member of members) {
    const u = memberIndex.get(member);
    if (u === undefined) {
      out.set(member, popular.slice(0, k));
      continue;
    }
    const neighbours = knn.neighbours(u, params.neighbours);
    for (let p = rows.ptr[u] ?? 0; p < (rows.ptr[u + 1] ?? 0); p += 1)
      add(rows.idx[p] ?? 0, params.alpha * (rows.val[p] ?? 0));
    const w = neighbours.length > 0 ? (1 - params.alpha) / neighbours.length : 0;
    for (const { row: v } of neighbours) {
      for (let p = rows.ptr[v] ?? 0; p < (rows.ptr[v + 1] ?? 0); p += 1) add(rows.idx[p] ?? 0, w * (rows.val[p] ?? 0));
    }
    const top = topItems(touched, score, k).map((i) => itemIds[i] ?? '');
    for (const i of touched) score[i] = 0;
    touched.length = 0;
    for (const item of popular) {
      if (top.length >= k) break;
      if (!top.includes(item)) top.push(item);
    }
    out.set(member, top);
  }
  return out;
}
