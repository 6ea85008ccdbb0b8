import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ClubModel, EMPTY_CLUB_MODEL, modelParts, modelScorer, toClubModel } from '../../lambdas/core/club-model.js';
import { type BasketRecord, fitModel } from '../../lambdas/core/next-basket.js';
import { rankOffers } from '../../lambdas/core/offers.js';
import { buildProfile, type PurchaseLine } from '../../lambdas/core/profile.js';
import { anOffer, CATALOG, CATALOG_MAP, daysAgo, line, NOW } from './fixtures.js';

const FITTED = new Date('2025-06-14T00:00:00Z');

/** The same baskets as receipts a day apart, the way ingest stores them. */
function linesOf(memberId: string, baskets: readonly (readonly string[])[]): PurchaseLine[] {
  return baskets.flatMap((items, i) =>
    items.map((productId) => ({
      memberId,
      receiptId: `${memberId}-r${i}`,
      at: daysAgo(baskets.length - i).toISOString(),
      productId,
    })),
  );
}

const records = (members: ReadonlyMap<string, readonly (readonly string[])[]>): BasketRecord[] =>
  [...members].flatMap(([memberId, baskets]) => baskets.map((items, seq) => ({ memberId, seq, items })));

const ITEMS = ['milk', 'bread', 'cake', 'tea', 'coffee', 'apples', 'soap', 'oats'] as const;
const arbBaskets = fc.array(fc.uniqueArray(fc.constantFrom(...ITEMS), { minLength: 1, maxLength: 5 }), {
  minLength: 1,
  maxLength: 8,
});
const arbClub = fc.dictionary(fc.constantFrom('anna', 'bo', 'cy', 'dee', 'eve'), arbBaskets, { minKeys: 1 });

describe('club model', () => {
  it('scores every offered product exactly as the fitted model does, from the stored club model and the profile alone', () => {
    fc.assert(
      fc.property(arbClub, fc.subarray([...ITEMS], { minLength: 1 }), (club, offered) => {
        const members = new Map(Object.entries(club));
        const fitted = fitModel(records(members));
        const stored = ClubModel.parse(JSON.parse(JSON.stringify(toClubModel(fitted, offered, FITTED))));
        const trips = new Map<string, number>();
        for (const baskets of members.values())
          for (const b of baskets) for (const item of b) trips.set(item, (trips.get(item) ?? 0) + 1);
        const most = Math.max(...trips.values());
        const popularity = new Map([...trips].map(([id, n]) => [id, n / most]));
        for (const [memberId, baskets] of members) {
          const profile = buildProfile(linesOf(memberId, baskets), new Map(), NOW);
          const parts = modelParts(stored, profile, popularity);
          for (const expected of fitted.score(memberId, offered)) {
            const got = parts(expected.itemId);
            expect(got.repeat).toBeCloseTo(expected.parts.repeat, 4);
            expect(got.neighbours).toBeCloseTo(expected.parts.neighbours, 4);
            expect(got.popularity).toBeCloseTo(expected.parts.popularity, 9);
            expect(got.category).toBe(0);
          }
        }
      }),
      { numRuns: 150 },
    );
  });

  it('keeps only the offered products as targets, so the stored model stays small', () => {
    const fitted = fitModel(records(new Map([['anna', [['milk', 'bread'], ['cake'], ['milk', 'cake']]]])));
    const stored = toClubModel(fitted, ['cake'], FITTED);
    expect(Object.keys(stored.propensity)).toEqual(['cake']);
    for (const row of Object.values(stored.successors)) expect(Object.keys(row)).toEqual(['cake']);
    expect(stored).toMatchObject({ members: 1, baskets: 3, items: 3, fittedAt: FITTED.toISOString() });
  });

  it('explains a pick by its biggest part: a habit, what goes with the last trip, the category, or popularity', () => {
    const lines = [...[1, 8, 15].map((d, i) => line('milk', `m${i}`, daysAgo(d))), line('sourdough', 'm0', daysAgo(1))];
    const profile = buildProfile(lines, CATALOG_MAP, NOW);
    const model = ClubModel.parse({ ...EMPTY_CLUB_MODEL, successors: { sourdough: { 'gf-pasta': 0.9 } } });
    const popularity = new Map([[CATALOG.crisps.productId, 1]]);
    const pool = [CATALOG.milk, CATALOG.gfPasta, CATALOG.crisps, CATALOG.gfBread].map((p) => anOffer(p));
    const picks = rankOffers({
      scorer: modelScorer(model, profile, popularity),
      candidates: pool,
      restrictions: [],
      k: 4,
    }).picks;
    expect(Object.fromEntries(picks.map((p) => [p.productId, p.why]))).toEqual({
      milk: 'often-bought',
      'gf-pasta': 'goes-with',
      crisps: 'popular',
      'gf-bread': 'category',
    });
  });

  it('refuses a stored model with a negative rate or an unknown shape, naming the field', () => {
    const bad = ClubModel.safeParse({ ...EMPTY_CLUB_MODEL, successors: { milk: { bread: -1 } } });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.path).toEqual(['successors', 'milk', 'bread']);
  });
});
