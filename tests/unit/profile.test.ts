import { describe, expect, it } from 'vitest';
import type { Product } from '../../lambdas/core/model.js';
import {
  buildProfile,
  EMPTY_PROFILE,
  effectiveRestrictions,
  INFERENCE_THRESHOLDS,
  inferRestrictions,
  type PurchaseLine,
  PurchaseProfile,
} from '../../lambdas/core/profile.js';
import { aProduct, CATALOG, CATALOG_MAP, daysAgo, line, NOW } from './fixtures.js';

describe('buildProfile', () => {
  const lines = [
    line('spaghetti', 'r1', daysAgo(10)),
    line('milk', 'r1', daysAgo(10)),
    line('spaghetti', 'r2', daysAgo(3)),
    line('gf-pasta', 'r2', daysAgo(3)),
    line('spaghetti', 'r3', daysAgo(20)),
  ];

  it('counts lines, distinct receipts and purchases per product', () => {
    const profile = buildProfile(lines, CATALOG_MAP, NOW);
    expect(profile.lines).toBe(5);
    expect(profile.receipts).toBe(3);
    expect(profile.products.spaghetti?.count).toBe(3);
    expect(profile.products.milk?.count).toBe(1);
    expect(profile.products['gf-pasta']?.count).toBe(1);
    expect(Object.keys(profile.products).sort()).toEqual(['gf-pasta', 'milk', 'spaghetti']);
  });

  it('counts purchase lines per category', () => {
    expect(buildProfile(lines, CATALOG_MAP, NOW).categories).toEqual({ Pasta: 4, Dairy: 1 });
  });

  it('records the latest purchase overall and per product, whatever order the lines come in', () => {
    const profile = buildProfile(lines, CATALOG_MAP, NOW);
    expect(profile.lastPurchaseAt).toBe(daysAgo(3).toISOString());
    expect(profile.products.spaghetti?.lastAt).toBe(daysAgo(3).toISOString());
    expect(profile.products.milk?.lastAt).toBe(daysAgo(10).toISOString());
    expect(buildProfile([...lines].reverse(), CATALOG_MAP, NOW)).toEqual(profile);
  });

  it('compares purchase times as instants, not as text, when offsets differ', () => {
    // 10:00+02:00 is 08:00Z: earlier than 09:00Z although it sorts later as text.
    const withOffset: PurchaseLine = {
      memberId: 'member-1',
      receiptId: 'r1',
      at: '2025-06-01T10:00:00+02:00',
      productId: 'milk',
    };
    const utc: PurchaseLine = { memberId: 'member-1', receiptId: 'r2', at: '2025-06-01T09:00:00Z', productId: 'milk' };
    const profile = buildProfile([utc, withOffset], CATALOG_MAP, NOW);
    expect(profile.lastPurchaseAt).toBe('2025-06-01T09:00:00Z');
    expect(profile.products.milk?.lastAt).toBe('2025-06-01T09:00:00Z');
  });

  it('counts a product the catalog does not know as a purchase without a category', () => {
    const profile = buildProfile(
      [line('mystery-box', 'r1', daysAgo(1)), line('milk', 'r1', daysAgo(1))],
      CATALOG_MAP,
      NOW,
    );
    expect(profile.lines).toBe(2);
    expect(profile.products['mystery-box']?.count).toBe(1);
    expect(profile.categories).toEqual({ Dairy: 1 });
  });

  it('builds an empty profile from no purchases', () => {
    const profile = buildProfile([], CATALOG_MAP, NOW);
    expect(profile).toEqual({ ...EMPTY_PROFILE, categoryWeights: {}, asOf: NOW.toISOString() });
    expect(profile.lastPurchaseAt).toBeUndefined();
  });

  it('decays each purchase by half every 60 days and records the repeat cycle in days', () => {
    const lines = [
      line('spaghetti', 'r1', daysAgo(120)),
      line('spaghetti', 'r2', daysAgo(60)),
      line('spaghetti', 'r3', daysAgo(0)),
    ];
    const profile = buildProfile(lines, CATALOG_MAP, NOW);
    expect(profile.products.spaghetti).toMatchObject({
      count: 3,
      weight: 1.75,
      cycleDays: 60,
      firstAt: daysAgo(120).toISOString(),
    });
    expect(profile.categoryWeights?.Pasta).toBe(1.75);
  });

  it('leaves out the repeat cycle of a product bought on a single trip, however many were bought', () => {
    const lines = [line('milk', 'r1', daysAgo(3)), line('milk', 'r1', daysAgo(3))];
    const profile = buildProfile(lines, CATALOG_MAP, NOW);
    expect(profile.products.milk?.cycleDays).toBeUndefined();
    expect(profile.products.milk?.count).toBe(2);
  });

  it('builds a profile its own schema accepts', () => {
    expect(PurchaseProfile.safeParse(buildProfile(lines, CATALOG_MAP, NOW)).success).toBe(true);
  });

  it('includes the inferred restrictions', () => {
    const glutenFree = [1, 2, 3, 4].map((i) => line('gf-bread', `r${i}`, daysAgo(i * 7)));
    expect(buildProfile(glutenFree, CATALOG_MAP, NOW).inferredRestrictions).toEqual(['gluten-free']);
  });
});

describe('inferRestrictions', () => {
  /** `n` gluten-free bread/pasta purchases, one per receipt, a week apart. */
  const glutenFreeTrips = (n: number, product = 'gf-bread') =>
    Array.from({ length: n }, (_, i) => line(i % 2 === 0 ? product : 'gf-pasta', `trip-${i}`, daysAgo(7 * (i + 1))));

  it('documents its thresholds: categories where 30 % contain the tag, 80 % free-from, 4 purchases, 3 receipts, none containing in 90 days', () => {
    expect(INFERENCE_THRESHOLDS).toEqual({
      minCategoryShareContaining: 0.3,
      minFreeFromShare: 0.8,
      minRelevantPurchases: 4,
      minRelevantReceipts: 3,
      noContainingWithinDays: 90,
    });
  });

  it('does not read gluten-free bread as a lactose signal when few breads contain lactose', () => {
    const labels = { freeFrom: ['gluten', 'lactose', 'dairy'] as const };
    const bakery = [
      aProduct({
        productId: 'b1',
        name: 'Sourdough',
        category: 'Bakery',
        contains: ['gluten'],
        freeFrom: ['lactose', 'dairy'],
      }),
      aProduct({
        productId: 'b2',
        name: 'Rye bread',
        category: 'Bakery',
        contains: ['gluten'],
        freeFrom: ['lactose', 'dairy'],
      }),
      aProduct({
        productId: 'b3',
        name: 'Baguette',
        category: 'Bakery',
        contains: ['gluten'],
        freeFrom: ['lactose', 'dairy'],
      }),
      aProduct({ productId: 'b4', name: 'Cinnamon bun', category: 'Bakery', contains: ['gluten', 'lactose', 'dairy'] }),
      aProduct({ productId: 'b5', name: 'Gluten-free loaf', category: 'Bakery', freeFrom: [...labels.freeFrom] }),
    ];
    const catalog = new Map(bakery.map((p) => [p.productId, p]));
    const lines = [0, 1, 2, 3, 4].flatMap((trip) => [
      line('b5', `t${trip}`, daysAgo(5 + trip * 7)),
      line('b5', `t${trip}`, daysAgo(5 + trip * 7)),
    ]);
    expect(inferRestrictions(lines, catalog, NOW)).toEqual(['gluten-free']);
  });

  it('infers gluten-free from gluten-free bread and pasta bought over several trips', () => {
    expect(inferRestrictions(glutenFreeTrips(5), CATALOG_MAP, NOW)).toEqual(['gluten-free']);
  });

  it('infers gluten-free at exactly 80 % free-from purchases', () => {
    // 4 of 5 free from gluten; the gluten purchase is old enough not to rule it out.
    const lines = [...glutenFreeTrips(4), line('sourdough', 'old-trip', daysAgo(200))];
    expect(inferRestrictions(lines, CATALOG_MAP, NOW)).toContain('gluten-free');
  });

  it('does not infer gluten-free below 80 % free-from purchases', () => {
    // 3 of 4 = 75 %.
    const lines = [...glutenFreeTrips(3), line('sourdough', 'old-trip', daysAgo(200))];
    expect(inferRestrictions(lines, CATALOG_MAP, NOW)).not.toContain('gluten-free');
  });

  it('does not infer from fewer than 4 relevant purchases', () => {
    expect(inferRestrictions(glutenFreeTrips(3), CATALOG_MAP, NOW)).toEqual([]);
  });

  it('does not infer from a single receipt, however many lines it has', () => {
    const oneBigShop = Array.from({ length: 12 }, (_, i) =>
      line(i % 2 === 0 ? 'gf-bread' : 'gf-pasta', 'r1', daysAgo(2)),
    );
    expect(inferRestrictions(oneBigShop, CATALOG_MAP, NOW)).toEqual([]);
  });

  it('does not infer from two receipts, however many lines they have', () => {
    const twoShops = Array.from({ length: 12 }, (_, i) => line('gf-bread', `r${i % 2}`, daysAgo(2 + (i % 2))));
    expect(inferRestrictions(twoShops, CATALOG_MAP, NOW)).toEqual([]);
  });

  it('does not infer gluten-free when a gluten product was bought within 90 days', () => {
    // 9 of 10 free from gluten, well above 80 %, but a sourdough loaf 30 days ago.
    const lines = [...glutenFreeTrips(9), line('sourdough', 'recent', daysAgo(30))];
    expect(inferRestrictions(lines, CATALOG_MAP, NOW)).not.toContain('gluten-free');
  });

  it('does not infer gluten-free when a gluten product was bought 89 days ago', () => {
    const lines = [...glutenFreeTrips(9), line('spaghetti', 'recent', daysAgo(89))];
    expect(inferRestrictions(lines, CATALOG_MAP, NOW)).not.toContain('gluten-free');
  });

  it('infers gluten-free when the last gluten purchase is older than 90 days', () => {
    const lines = [...glutenFreeTrips(9), line('sourdough', 'long-ago', daysAgo(91))];
    expect(inferRestrictions(lines, CATALOG_MAP, NOW)).toContain('gluten-free');
  });

  it('counts unlabelled bread or pasta against the free-from share', () => {
    // 4 free-from and 2 unlabelled penne: 67 %, and penne is not evidence of gluten-free eating.
    const lines = [...glutenFreeTrips(4), line('penne', 'p1', daysAgo(3)), line('penne', 'p2', daysAgo(4))];
    expect(inferRestrictions(lines, CATALOG_MAP, NOW)).not.toContain('gluten-free');
  });

  it('only draws on the categories where the tag matters', () => {
    // Crisps are labelled free from gluten and nuts. Snacks is where nuts matter (peanuts), so ten
    // bags of crisps say something about nuts; it is not a gluten category, so they say nothing about gluten.
    const crisps = Array.from({ length: 10 }, (_, i) => line('crisps', `r${i}`, daysAgo(i + 1)));
    expect(inferRestrictions(crisps, CATALOG_MAP, NOW)).toEqual(['nut-free']);
  });

  it('infers nothing for a tag no catalog product contains', () => {
    const noGlutenAnywhere = new Map<string, Product>([
      [CATALOG.gfBread.productId, CATALOG.gfBread],
      [CATALOG.gfPasta.productId, CATALOG.gfPasta],
    ]);
    expect(inferRestrictions(glutenFreeTrips(6), noGlutenAnywhere, NOW)).toEqual([]);
  });

  it('infers lactose-free from lactose-free dairy bought over several trips', () => {
    const lines = ['lf-milk', 'oat-drink', 'lf-milk', 'oat-drink', 'lf-milk'].map((id, i) =>
      line(id, `r${i}`, daysAgo(5 * (i + 1))),
    );
    expect(inferRestrictions(lines, CATALOG_MAP, NOW)).toEqual(['lactose-free']);
  });

  it('does not infer lactose-free from a member who also buys ordinary milk', () => {
    const lines = [
      ...['lf-milk', 'oat-drink', 'lf-milk', 'oat-drink', 'lf-milk'].map((id, i) =>
        line(id, `r${i}`, daysAgo(5 * (i + 1))),
      ),
      line('milk', 'rx', daysAgo(1)),
    ];
    expect(inferRestrictions(lines, CATALOG_MAP, NOW)).toEqual([]);
  });

  it('never infers vegetarian or vegan, which purchases cannot prove', () => {
    const lines = Array.from({ length: 20 }, (_, i) => line(i % 2 ? 'oat-drink' : 'crisps', `r${i}`, daysAgo(i + 1)));
    const inferred = inferRestrictions(lines, CATALOG_MAP, NOW);
    expect(inferred).not.toContain('vegetarian');
    expect(inferred).not.toContain('vegan');
  });
});

describe('effectiveRestrictions', () => {
  it('combines declared and inferred restrictions', () => {
    expect(effectiveRestrictions(['vegetarian'], ['gluten-free'], []).sort()).toEqual(['gluten-free', 'vegetarian']);
  });

  it('drops an inferred restriction the member rejected', () => {
    expect(effectiveRestrictions([], ['gluten-free', 'lactose-free'], ['gluten-free'])).toEqual(['lactose-free']);
  });

  it('keeps a declared restriction even if the member once rejected it as an inference', () => {
    expect(effectiveRestrictions(['gluten-free'], ['gluten-free'], ['gluten-free'])).toEqual(['gluten-free']);
  });

  it('lists a restriction that is both declared and inferred once', () => {
    expect(effectiveRestrictions(['nut-free'], ['nut-free'], [])).toEqual(['nut-free']);
  });

  it('returns nothing for a member with no restrictions', () => {
    expect(effectiveRestrictions([], [], ['gluten-free'])).toEqual([]);
  });
});
