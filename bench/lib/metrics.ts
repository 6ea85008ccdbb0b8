import type { Targets } from './tafeng.js';

/** Member id → ranked item ids, best first (only the first k are read). */
export type Rankings = ReadonlyMap<string, readonly string[]>;

export interface Scores {
  /** Mean over members of hits in the top k ÷ |future basket|. */
  readonly recall: number;
  /** Mean NDCG@k with the ideal DCG over min(k, |future basket|) positions (hits are binary). */
  readonly ndcg: number;
  /** Mean NDCG@k with the ideal DCG over all |future basket| positions (the Reality Check code's `get_NDCG`). */
  readonly ndcgWholeBasket: number;
  /** Share of members with at least one hit in the top k. */
  readonly phr: number;
  /** Members scored (every member of `targets`; a member without a ranking scores 0). */
  readonly members: number;
}

const discount = (position: number) => 1 / Math.log2(position + 2);

/** Scores `rankings` against every member of `targets`. */
export function evaluate(rankings: Rankings, targets: Targets, k: number): Scores {
  let recall = 0;
  let ndcg = 0;
  let ndcgWhole = 0;
  let hitMembers = 0;
  for (const [member, truth] of targets) {
    if (truth.size === 0) throw new Error(`empty target basket for member ${member}`);
    const ranked = rankings.get(member) ?? [];
    let hits = 0;
    let dcg = 0;
    const seen = new Set<string>();
    const limit = Math.min(k, ranked.length);
    for (let pos = 0; pos < limit; pos += 1) {
      const item = ranked[pos];
      if (item === undefined || seen.has(item)) continue;
      seen.add(item);
      if (truth.has(item)) {
        hits += 1;
        dcg += discount(pos);
      }
    }
    let idcgTopK = 0;
    let idcgWhole = 0;
    for (let pos = 0; pos < truth.size; pos += 1) {
      idcgWhole += discount(pos);
      if (pos < k) idcgTopK += discount(pos);
    }
    recall += hits / truth.size;
    ndcg += dcg / idcgTopK;
    ndcgWhole += dcg / idcgWhole;
    if (hits > 0) hitMembers += 1;
  }
  const n = targets.size;
  return n === 0
    ? { recall: 0, ndcg: 0, ndcgWholeBasket: 0, phr: 0, members: 0 }
    : { recall: recall / n, ndcg: ndcg / n, ndcgWholeBasket: ndcgWhole / n, phr: hitMembers / n, members: n };
}
