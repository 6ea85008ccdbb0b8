import type { Rankings } from './metrics.js';
import type { Histories } from './tafeng.js';

export const compareIds = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Items by the number of history baskets that contain them, most first; ties by item id. */
export function globalPopularity(history: Histories): string[] {
  const counts = new Map<string, number>();
  for (const baskets of history.values()) {
    for (const basket of baskets) {
      for (const item of basket.items) counts.set(item, (counts.get(item) ?? 0) + 1);
    }
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || compareIds(a[0], b[0])).map(([item]) => item);
}

/** Item id → position in `globalPopularity` (0 = most popular). */
export function popularityRank(popular: readonly string[]): Map<string, number> {
  return new Map(popular.map((item, index) => [item, index]));
}

/**
 * The member's own items by the number of their baskets that contain the item, most first;
 * ties by global popularity (then item id). This tie-break is what reproduces the published
 * P-/GP-TopFreq numbers; breaking ties by recency instead scores lower (see docs/benchmarks.md).
 */
export function personalTopFreq(
  baskets: readonly { readonly items: readonly string[] }[],
  popRank: ReadonlyMap<string, number>,
): string[] {
  const count = new Map<string, number>();
  for (const basket of baskets) {
    for (const item of basket.items) count.set(item, (count.get(item) ?? 0) + 1);
  }
  const rank = (item: string) => popRank.get(item) ?? Number.MAX_SAFE_INTEGER;
  return [...count.keys()].sort(
    (a, b) => (count.get(b) ?? 0) - (count.get(a) ?? 0) || rank(a) - rank(b) || compareIds(a, b),
  );
}

function fill(ranked: string[], popular: readonly string[], k: number): string[] {
  if (ranked.length >= k) return ranked.slice(0, k);
  const out = ranked.slice();
  const seen = new Set(out);
  for (const item of popular) {
    if (out.length >= k) break;
    if (!seen.has(item)) {
      out.push(item);
      seen.add(item);
    }
  }
  return out;
}

/** G-TopFreq: the k most popular items for everyone. */
export function gTopFreq(history: Histories, members: Iterable<string>, k: number): Rankings {
  const top = globalPopularity(history).slice(0, k);
  const out = new Map<string, readonly string[]>();
  for (const member of members) out.set(member, top);
  return out;
}

/** P-TopFreq: the member's own most frequent items only (may be fewer than k). */
export function pTopFreq(history: Histories, members: Iterable<string>, k: number): Rankings {
  const popRank = popularityRank(globalPopularity(history));
  const out = new Map<string, readonly string[]>();
  for (const member of members) out.set(member, personalTopFreq(history.get(member) ?? [], popRank).slice(0, k));
  return out;
}

/** GP-TopFreq: P-TopFreq, filled up to k with G-TopFreq items not already listed. */
export function gpTopFreq(history: Histories, members: Iterable<string>, k: number): Rankings {
  const popular = globalPopularity(history);
  const popRank = popularityRank(popular);
  const out = new Map<string, readonly string[]>();
  for (const member of members) out.set(member, fill(personalTopFreq(history.get(member) ?? [], popRank), popular, k));
  return out;
}
