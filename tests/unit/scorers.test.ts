import { describe, expect, it } from 'vitest';
import { EMPTY_CLUB_MODEL, modelScorer } from '../../lambdas/core/club-model.js';
import type { OfferWithProduct } from '../../lambdas/core/model.js';
import { rankOffers } from '../../lambdas/core/offers.js';
import { buildProfile, EMPTY_PROFILE } from '../../lambdas/core/profile.js';
import type { Scorer } from '../../lambdas/core/scoring.js';
import { anOffer, CATALOG, CATALOG_MAP, daysAgo, line, NOW } from './fixtures.js';

const pool: OfferWithProduct[] = [CATALOG.spaghetti, CATALOG.gfPasta, CATALOG.milk, CATALOG.crisps].map((p) =>
  anOffer(p),
);

describe('scorers', () => {
  it('fills the mail of a member without history with popular offers', () => {
    const popularity = new Map([
      [CATALOG.milk.productId, 1],
      [CATALOG.crisps.productId, 0.5],
    ]);
    const { picks } = rankOffers({
      scorer: modelScorer(EMPTY_CLUB_MODEL, EMPTY_PROFILE, popularity),
      candidates: pool,
      restrictions: [],
      k: 3,
    });
    expect(picks.map((p) => p.productId)).toEqual([CATALOG.milk.productId, CATALOG.crisps.productId]);
    expect(picks.every((p) => p.why === 'popular' && p.reason === 'Popular with members')).toBe(true);
  });

  it('ranks a recent habit above one of the same size from long ago', () => {
    const lines = [0, 7, 14].flatMap((d, i) => [
      line('milk', `new${i}`, daysAgo(d)),
      line('crisps', `old${i}`, daysAgo(300 + d)),
    ]);
    const profile = buildProfile(lines, CATALOG_MAP, NOW);
    const { picks } = rankOffers({ profile, candidates: pool, restrictions: [], k: 2 });
    expect(picks.map((p) => p.productId)).toEqual([CATALOG.milk.productId, CATALOG.crisps.productId]);
    expect(picks[0]?.score).toBeGreaterThan(picks[1]?.score ?? 1);
  });

  it('never hands a forbidden candidate to a custom scorer, and uses its reason', () => {
    const seen: string[] = [];
    const scorer: Scorer = (candidate) => {
      seen.push(candidate.product.productId);
      return { score: 1, why: 'goes-with' };
    };
    const { picks } = rankOffers({ scorer, candidates: pool, restrictions: ['gluten-free'], k: 4 });
    expect(seen).not.toContain(CATALOG.spaghetti.productId);
    expect(picks.map((p) => p.productId)).not.toContain(CATALOG.spaghetti.productId);
    expect(picks[0]?.reason).toMatch(/^Members who shop like you often buy /);
  });
});
