import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { indexCatalog } from '../../lambdas/core/catalog-index.js';
import { EMPTY_CLUB_MODEL, modelScorer } from '../../lambdas/core/club-model.js';
import { CHROME_COPY } from '../../lambdas/core/copy.js';
import { DietTag, Restriction } from '../../lambdas/core/diet.js';
import type { OfferWithProduct, Product } from '../../lambdas/core/model.js';
import { type RankRequest, rankOffers, reasonText } from '../../lambdas/core/offers.js';
import type { PurchaseProfile } from '../../lambdas/core/profile.js';
import { EMPTY_PROFILE } from '../../lambdas/core/profile.js';
import { PickWhy } from '../../lambdas/core/scoring.js';
import { anOffer, aProduct, aProfile, CATALOG, EXPECTED_FORBIDDEN } from './fixtures.js';

const offerIds = (request: RankRequest) => rankOffers(request).picks.map((p) => p.offerId);

describe('rankOffers: hard diet exclusions', () => {
  const spaghettiLover = aProfile({ spaghetti: 50 });
  const candidates = [anOffer(CATALOG.spaghetti), anOffer(CATALOG.gfPasta), anOffer(CATALOG.crisps)];

  it('picks spaghetti first for a member who buys it 50 times and has no restrictions', () => {
    const picks = rankOffers({ profile: spaghettiLover, candidates, restrictions: [], k: 3 }).picks;
    expect(picks[0]?.offerId).toBe('offer-spaghetti');
  });

  it('never offers spaghetti to a gluten-free member, however often they bought it', () => {
    const result = rankOffers({ profile: spaghettiLover, candidates, restrictions: ['gluten-free'], k: 3 });
    expect(result.picks.map((p) => p.offerId)).not.toContain('offer-spaghetti');
    expect(result.excluded).toEqual([{ offerId: 'offer-spaghetti', tags: ['gluten'] }]);
  });

  it('still offers the gluten-free pasta in the same category to a gluten-free member', () => {
    const ids = offerIds({ profile: spaghettiLover, candidates, restrictions: ['gluten-free'], k: 3 });
    expect(ids).toEqual(['offer-gf-pasta']);
  });

  it('excludes pasta with unlabelled gluten status for a gluten-free member', () => {
    const profile = aProfile({ penne: 20 });
    const result = rankOffers({
      profile,
      candidates: [anOffer(CATALOG.unlabelledPasta)],
      restrictions: ['gluten-free'],
      k: 3,
    });
    expect(result.picks).toEqual([]);
    expect(result.excluded).toEqual([{ offerId: 'offer-penne', tags: ['gluten'] }]);
  });

  it('lists every conflicting tag of an excluded offer', () => {
    const profile = aProfile({ milk: 5 });
    const result = rankOffers({ profile, candidates: [anOffer(CATALOG.milk)], restrictions: ['vegan'], k: 3 });
    expect([...(result.excluded[0]?.tags ?? [])].sort()).toEqual(['dairy', 'lactose']);
  });

  it('excludes offers for every restriction the member has, not just the first', () => {
    const profile = aProfile({ spaghetti: 5, 'pork-chops': 5, salmon: 5, beer: 5 });
    const all = [CATALOG.spaghetti, CATALOG.porkChops, CATALOG.salmon, CATALOG.beer].map((p) => anOffer(p));
    const ids = offerIds({ profile, candidates: all, restrictions: ['pork-free', 'alcohol-free'], k: 5 });
    expect(ids.sort()).toEqual(['offer-salmon', 'offer-spaghetti']);
  });
});

describe('rankOffers: ordering and limits', () => {
  const pastaAndBread = aProfile({ spaghetti: 10, 'gf-pasta': 4, penne: 2, sourdough: 6, 'gf-bread': 1 });
  const candidates = [
    CATALOG.spaghetti,
    CATALOG.gfPasta,
    CATALOG.unlabelledPasta,
    CATALOG.sourdough,
    CATALOG.gfBread,
  ].map((p) => anOffer(p));

  it('returns at most k picks', () => {
    expect(rankOffers({ profile: pastaAndBread, candidates, restrictions: [], k: 2 }).picks).toHaveLength(2);
  });

  it('returns no picks when k is 0', () => {
    expect(rankOffers({ profile: pastaAndBread, candidates, restrictions: [], k: 0 }).picks).toEqual([]);
  });

  it('takes at most two offers from one category by default', () => {
    const ids = offerIds({ profile: pastaAndBread, candidates, restrictions: [], k: 5 });
    // Penne (2 purchases) would beat the bread it is compared with, but pasta is already full.
    expect(ids).toEqual(['offer-spaghetti', 'offer-sourdough', 'offer-gf-pasta', 'offer-gf-bread']);
  });

  it('respects a stricter per-category cap', () => {
    const ids = offerIds({ profile: pastaAndBread, candidates, restrictions: [], k: 5, maxPerCategory: 1 });
    expect(ids).toEqual(['offer-spaghetti', 'offer-sourdough']);
  });

  it('ranks a product bought more often above one bought less often', () => {
    const profile = aProfile({ spaghetti: 2, crisps: 7 });
    const ids = offerIds({
      profile,
      candidates: [anOffer(CATALOG.spaghetti), anOffer(CATALOG.crisps)],
      restrictions: [],
      k: 2,
    });
    expect(ids).toEqual(['offer-crisps', 'offer-spaghetti']);
  });

  it('ranks a product the member buys above one that only shares a favourite category', () => {
    // 30 lines in Snacks, only one of them crisps; peanuts never bought.
    const snacky = { ...aProfile({ crisps: 1 }), lines: 30, categories: { Snacks: 30 } };
    const ids = offerIds({
      profile: snacky,
      candidates: [anOffer(CATALOG.peanuts), anOffer(CATALOG.crisps)],
      restrictions: [],
      k: 2,
    });
    expect(ids).toEqual(['offer-crisps', 'offer-peanuts']);
  });

  it('gives scores between 0 and 1, best first', () => {
    const picks = rankOffers({ profile: pastaAndBread, candidates, restrictions: [], k: 5 }).picks;
    for (const pick of picks) {
      expect(pick.score).toBeGreaterThan(0);
      expect(pick.score).toBeLessThanOrEqual(1);
    }
    const scores = picks.map((p) => p.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
  });

  it('does not fill the mail with offers that have no purchase signal for the member', () => {
    const profile = aProfile({ spaghetti: 3 });
    const ids = offerIds({
      profile,
      candidates: [anOffer(CATALOG.spaghetti), anOffer(CATALOG.salmon), anOffer(CATALOG.beer)],
      restrictions: [],
      k: 3,
    });
    expect(ids).toEqual(['offer-spaghetti']);
  });

  it('breaks score ties by offer id, whatever order the candidates come in', () => {
    const a = aProduct({ productId: 'cheddar', category: 'Cheese', freeFrom: [] });
    const b = aProduct({ productId: 'brie', category: 'Cheese', freeFrom: [] });
    const c = aProduct({ productId: 'gouda', category: 'Cheese', freeFrom: [] });
    const profile = aProfile(
      { cheddar: 2, brie: 2, gouda: 2 },
      { catalog: new Map([a, b, c].map((p) => [p.productId, p])) },
    );
    const forward = [a, b, c].map((p) => anOffer(p));
    const backward = [...forward].reverse();
    const first = offerIds({ profile, candidates: forward, restrictions: [], k: 3, maxPerCategory: 3 });
    const second = offerIds({ profile, candidates: backward, restrictions: [], k: 3, maxPerCategory: 3 });
    expect(first).toEqual(['offer-brie', 'offer-cheddar', 'offer-gouda']);
    expect(second).toEqual(first);
  });
});

describe('rankOffers: reasons', () => {
  const pick = (profile: PurchaseProfile, product: Product) => {
    const result = rankOffers({ profile, candidates: [anOffer(product)], restrictions: [], k: 1 }).picks[0];
    if (!result) throw new Error(`expected ${product.productId} to be picked`);
    return result;
  };

  it('says "You often buy X" for a product bought three times or more', () => {
    expect(pick(aProfile({ spaghetti: 3 }), CATALOG.spaghetti)).toMatchObject({
      why: 'often-bought',
      reason: 'You often buy Spaghetti',
    });
  });

  it('says "You have bought X before" for a product bought once or twice', () => {
    expect(pick(aProfile({ spaghetti: 1 }), CATALOG.spaghetti)).toMatchObject({
      why: 'bought-before',
      reason: 'You have bought Spaghetti before',
    });
    expect(pick(aProfile({ spaghetti: 2 }), CATALOG.spaghetti).why).toBe('bought-before');
  });

  it('names the category, in lower case, for a product never bought from a category the member shops', () => {
    expect(pick(aProfile({ 'gf-pasta': 4 }), CATALOG.spaghetti)).toMatchObject({
      why: 'category',
      reason: 'You often shop pasta',
    });
  });

  it('gives the reason of the offer it describes, not of a neighbour', () => {
    const profile = aProfile({ spaghetti: 5, 'gf-pasta': 1 });
    const picks = rankOffers({
      profile,
      candidates: [anOffer(CATALOG.gfPasta), anOffer(CATALOG.spaghetti)],
      restrictions: [],
      k: 2,
    }).picks;
    expect(picks.map((p) => [p.productId, p.why])).toEqual([
      ['spaghetti', 'often-bought'],
      ['gf-pasta', 'bought-before'],
    ]);
  });
});

describe('rankOffers: properties', () => {
  const CATEGORIES = ['Bread', 'Pasta', 'Dairy', 'Meat', 'Snacks'] as const;

  const catalogArb = fc
    .array(
      fc.record({
        name: fc.string({ minLength: 1, maxLength: 20 }),
        category: fc.constantFrom(...CATEGORIES),
        contains: fc.subarray(DietTag.options),
        freeFrom: fc.subarray(DietTag.options),
      }),
      { minLength: 0, maxLength: 25 },
    )
    .map((raw) => raw.map((p, i) => aProduct({ ...p, productId: `p${i}` })));

  const scenarioArb = catalogArb.chain((catalog) =>
    fc.record({
      catalog: fc.constant(catalog),
      ownCounts: fc.array(fc.nat({ max: 30 }), { minLength: catalog.length, maxLength: catalog.length }),
      categoryCounts: fc.array(fc.nat({ max: 60 }), { minLength: CATEGORIES.length, maxLength: CATEGORIES.length }),
      extraLines: fc.nat({ max: 100 }),
      restrictions: fc.subarray(Restriction.options),
      k: fc.integer({ min: 0, max: 10 }),
      maxPerCategory: fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined }),
    }),
  );

  type Scenario = typeof scenarioArb extends fc.Arbitrary<infer T> ? T : never;

  function requestOf(s: Scenario): { request: RankRequest; candidates: OfferWithProduct[] } {
    const products: PurchaseProfile['products'] = {};
    s.catalog.forEach((p, i) => {
      const count = s.ownCounts[i] ?? 0;
      if (count > 0) products[p.productId] = { count, lastAt: '2025-06-01T00:00:00.000Z' };
    });
    const categories: Record<string, number> = {};
    CATEGORIES.forEach((c, i) => {
      const count = s.categoryCounts[i] ?? 0;
      if (count > 0) categories[c] = count;
    });
    const lines = Object.values(categories).reduce((a, b) => a + b, 0) + s.extraLines;
    const profile: PurchaseProfile = { receipts: lines, lines, products, categories, inferredRestrictions: [] };
    const candidates = s.catalog.map((p) => anOffer(p));
    return {
      candidates,
      request: {
        profile,
        candidates,
        restrictions: s.restrictions,
        k: s.k,
        ...(s.maxPerCategory ? { maxPerCategory: s.maxPerCategory } : {}),
      },
    };
  }

  /** Safe by the product rule, checked without the code under test. */
  function isSafe(product: Product, restrictions: readonly Restriction[]): boolean {
    return restrictions
      .flatMap((r) => EXPECTED_FORBIDDEN[r])
      .every((tag) => product.freeFrom.includes(tag) && !product.contains.includes(tag));
  }

  it('never picks an offer that conflicts with the restrictions, and respects k, the category cap and the order', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const { request, candidates } = requestOf(s);
        const { picks, excluded } = rankOffers(request);
        const byOffer = new Map(candidates.map((c) => [c.offer.offerId, c.product]));
        const cap = request.maxPerCategory ?? 2;

        expect(picks.length).toBeLessThanOrEqual(s.k);
        expect(new Set(picks.map((p) => p.offerId)).size).toBe(picks.length);
        const perCategory = new Map<string, number>();
        for (const pick of picks) {
          const product = byOffer.get(pick.offerId);
          expect(product).toBeDefined();
          if (!product) return;
          expect(isSafe(product, s.restrictions)).toBe(true);
          expect(pick.productId).toBe(product.productId);
          perCategory.set(product.category, (perCategory.get(product.category) ?? 0) + 1);
        }
        for (const count of perCategory.values()) expect(count).toBeLessThanOrEqual(cap);
        for (let i = 1; i < picks.length; i++)
          expect(picks[i]?.score).toBeLessThanOrEqual(picks[i - 1]?.score ?? Number.NaN);

        // Exactly the unsafe offers are reported as excluded.
        const unsafe = candidates.filter((c) => !isSafe(c.product, s.restrictions)).map((c) => c.offer.offerId);
        expect(excluded.map((e) => e.offerId).sort()).toEqual(unsafe.sort());
      }),
      { numRuns: 500 },
    );
  });

  it('only leaves out a safe offer with purchase signal when the mail or its category is full', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const { request, candidates } = requestOf(s);
        const { picks } = rankOffers(request);
        const cap = request.maxPerCategory ?? 2;
        const picked = new Set(picks.map((p) => p.offerId));
        const pickedInCategory = (category: string) =>
          candidates.filter((c) => picked.has(c.offer.offerId) && c.product.category === category).length;
        for (const c of candidates) {
          if (picked.has(c.offer.offerId) || !isSafe(c.product, s.restrictions)) continue;
          const profile = request.profile ?? EMPTY_PROFILE;
          const hasSignal =
            (profile.products[c.product.productId]?.count ?? 0) > 0 ||
            (profile.categories[c.product.category] ?? 0) > 0;
          if (!hasSignal) continue;
          expect(picks.length === s.k || pickedInCategory(c.product.category) >= cap).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('gives the same picks whatever order the candidates come in', () => {
    fc.assert(
      fc.property(scenarioArb, fc.nat(), (s, seed) => {
        const { request, candidates } = requestOf(s);
        const shuffled = [...candidates].sort(
          (a, b) => ((hash(a.offer.offerId) ^ seed) >>> 0) - ((hash(b.offer.offerId) ^ seed) >>> 0),
        );
        expect(rankOffers({ ...request, candidates: shuffled }).picks).toEqual(rankOffers(request).picks);
      }),
      { numRuns: 200 },
    );
  });
});

function hash(s: string): number {
  let h = 7;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 31) >>> 0;
  return h;
}

describe('rankOffers: labelling as retailers send it', () => {
  const CATEGORIES = ['Bread', 'Pasta', 'Dairy', 'Meat', 'Snacks'] as const;
  const labelledArb = fc
    .array(
      fc.record({
        category: fc.constantFrom(...CATEGORIES),
        contains: fc.subarray(DietTag.options),
        mayContain: fc.option(fc.subarray(DietTag.options), { nil: undefined }),
        freeFrom: fc.subarray(DietTag.options),
        labelling: fc.constantFrom('declared', 'unknown', undefined),
      }),
      { maxLength: 30 },
    )
    .map((raw) =>
      raw.map(({ mayContain, labelling, ...p }, i) =>
        aProduct({
          ...p,
          productId: `p${i}`,
          ...(mayContain ? { mayContain } : {}),
          ...(labelling ? { labelling } : {}),
        }),
      ),
    );

  /** The rule, stated on the raw fields without the code under test. */
  function violates(product: Product, restrictions: readonly Restriction[]): string | undefined {
    if (restrictions.length === 0) return undefined;
    if (product.labelling === 'unknown') return 'unknown labelling';
    for (const tag of restrictions.flatMap((r) => EXPECTED_FORBIDDEN[r])) {
      if (product.contains.includes(tag)) return `contains ${tag}`;
      if (product.mayContain?.includes(tag)) return `may contain ${tag}`;
      if (product.labelling === undefined && !product.freeFrom.includes(tag)) return `not claimed free from ${tag}`;
    }
    return undefined;
  }

  it('never picks a product that contains or may contain a forbidden tag, nor one of unknown labelling for a restricted member', () => {
    fc.assert(
      fc.property(
        labelledArb,
        fc.subarray(Restriction.options),
        fc.array(fc.nat({ max: 20 }), { maxLength: 30 }),
        fc.integer({ min: 1, max: 10 }),
        fc.boolean(),
        (catalog, restrictions, counts, k, withIndex) => {
          const bought = Object.fromEntries(catalog.map((p, i) => [p.productId, counts[i] ?? 0]));
          const profile = aProfile(bought, { catalog: new Map(catalog.map((p) => [p.productId, p])) });
          const { picks } = rankOffers({
            profile,
            candidates: catalog.map((p) => anOffer(p)),
            restrictions,
            k,
            ...(withIndex ? { catalog: indexCatalog(catalog) } : {}),
          });
          const byId = new Map(catalog.map((p) => [p.productId, p]));
          for (const pick of picks) {
            const product = byId.get(pick.productId);
            if (!product) throw new Error(`picked an unknown product ${pick.productId}`);
            expect(violates(product, restrictions), `${pick.productId} for ${restrictions.join(',')}`).toBeUndefined();
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('gives a restricted member of a contains-only catalog k picks when k allowed products exist', () => {
    fc.assert(
      fc.property(
        fc.subarray(Restriction.options, { minLength: 1 }),
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 0, max: 12 }),
        (restrictions, k, forbiddenProducts) => {
          const forbidden = [...new Set(restrictions.flatMap((r) => EXPECTED_FORBIDDEN[r]))];
          // k allowed products, declared with nothing contained, in enough categories for the cap, beside forbidden ones.
          const allowed = Array.from({ length: k }, (_, i) =>
            aProduct({ productId: `ok${i}`, category: `C${i % 4}`, labelling: 'declared' }),
          );
          const blocked = Array.from({ length: forbiddenProducts }, (_, i) =>
            aProduct({
              productId: `no${i}`,
              category: `C${i % 4}`,
              contains: [forbidden[i % forbidden.length] ?? 'gluten'],
              labelling: 'declared',
            }),
          );
          const catalog = [...blocked, ...allowed];
          const { picks } = rankOffers({
            profile: aProfile(Object.fromEntries(catalog.map((p) => [p.productId, 1])), {
              catalog: new Map(catalog.map((p) => [p.productId, p])),
            }),
            candidates: catalog.map((p) => anOffer(p)),
            restrictions,
            k,
            maxPerCategory: 2,
            catalog: indexCatalog(catalog),
          });
          expect(picks).toHaveLength(k);
          for (const pick of picks) expect(pick.productId).toMatch(/^ok/);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('rankOffers: diet choices', () => {
  const pasta = [
    aProduct({
      productId: 'spaghetti',
      name: 'Spaghetti',
      category: 'Pasta',
      contains: ['gluten'],
      labelling: 'declared',
    }),
    aProduct({ productId: 'penne', name: 'Penne', category: 'Pasta', contains: ['gluten'], labelling: 'declared' }),
    aProduct({ productId: 'gf-penne', name: 'Gluten-free penne', category: 'Pasta', labelling: 'declared' }),
    aProduct({ productId: 'crisps', name: 'Crisps', category: 'Snacks', labelling: 'declared' }),
    aProduct({ productId: 'soap', name: 'Soap', category: 'Household', labelling: 'declared' }),
  ];
  const catalogMap = new Map(pasta.map((p) => [p.productId, p]));
  const pastaEater = aProfile({ spaghetti: 12, penne: 8, crisps: 1 }, { catalog: catalogMap });
  const candidates = pasta.map((p) => anOffer(p));
  const popular = (id: string) => (id === 'soap' ? 1 : id === 'gf-penne' ? 0.05 : 0.3);
  const scorer = modelScorer(
    EMPTY_CLUB_MODEL,
    pastaEater,
    new Map(pasta.map((p) => [p.productId, popular(p.productId)])),
  );

  it('offers the gluten-free member who buys pasta the gluten-free pasta first, saying why', () => {
    const { picks } = rankOffers({
      scorer,
      profile: pastaEater,
      candidates,
      restrictions: ['gluten-free'],
      k: 3,
      catalog: indexCatalog(pasta),
    });
    expect(picks[0]).toMatchObject({
      productId: 'gf-penne',
      why: 'diet-choice',
      diet: 'gluten-free',
      reason: 'A gluten-free choice in a category you buy',
    });
    expect(picks.map((p) => p.productId)).not.toContain('spaghetti');
  });

  it('does not lift anything for a member without restrictions, or without the catalog index', () => {
    const free = rankOffers({
      scorer,
      profile: pastaEater,
      candidates,
      restrictions: [],
      k: 5,
      catalog: indexCatalog(pasta),
    });
    expect(free.picks.every((p) => p.why !== 'diet-choice')).toBe(true);
    const noIndex = rankOffers({ scorer, profile: pastaEater, candidates, restrictions: ['gluten-free'], k: 3 });
    expect(noIndex.picks[0]?.productId).toBe('soap');
    expect(noIndex.picks.every((p) => p.why !== 'diet-choice')).toBe(true);
  });

  it('does not lift a category the member does not buy', () => {
    const snacker = aProfile({ crisps: 10 }, { catalog: catalogMap });
    const { picks } = rankOffers({
      scorer: modelScorer(EMPTY_CLUB_MODEL, snacker),
      profile: snacker,
      candidates,
      restrictions: ['gluten-free'],
      k: 3,
      catalog: indexCatalog(pasta),
    });
    expect(picks.find((p) => p.productId === 'gf-penne')?.why).not.toBe('diet-choice');
  });
});

describe('reasonText', () => {
  it('says what the English mail says, for every reason and diet', () => {
    const candidate = anOffer(CATALOG.gfPasta);
    const { name, category } = candidate.product;
    for (const why of PickWhy.options) {
      for (const diet of [undefined, ...Restriction.options]) {
        const mail = CHROME_COPY.en.why({ product: name, category, ...(diet ? { diet } : {}) })[why];
        expect(reasonText(why, candidate, diet), `${why} ${diet ?? ''}`).toBe(mail);
      }
    }
  });
});
