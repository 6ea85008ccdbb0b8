import { describe, expect, it } from 'vitest';
import { catalogIndexBuilder, indexCatalog, TAG_MATTERS_SHARE } from '../../lambdas/core/catalog-index.js';
import { blockedMask, maskOf, TAG_BIT } from '../../lambdas/core/diet.js';
import { dietChoiceIn } from '../../lambdas/core/diet-choice.js';
import { inferRestrictions } from '../../lambdas/core/inference.js';
import type { Product } from '../../lambdas/core/model.js';
import { buildProfile } from '../../lambdas/core/profile.js';
import { aProduct, daysAgo, line, NOW } from './fixtures.js';

/** A retailer's catalog: `contains` only, everything declared (what allergen labelling gives). */
const declared = (productId: string, category: string, contains: Product['contains'] = []) =>
  aProduct({ productId, name: productId, category, contains, labelling: 'declared' });

const RETAIL = [
  declared('spaghetti', 'Pasta', ['gluten']),
  declared('penne', 'Pasta', ['gluten']),
  declared('fusilli', 'Pasta', ['gluten', 'egg']),
  declared('gf-penne', 'Pasta'),
  declared('loaf', 'Bread', ['gluten']),
  declared('gf-loaf', 'Bread'),
  declared('milk', 'Dairy', ['lactose', 'dairy']),
  declared('oat-drink', 'Dairy'),
  declared('apples', 'Fruit'),
  declared('pears', 'Fruit'),
];
const RETAIL_MAP = new Map(RETAIL.map((p) => [p.productId, p]));

describe('indexCatalog', () => {
  it('marks the tags that matter in each category: at least 30 % of its labelled products contain them', () => {
    const index = indexCatalog(RETAIL);
    expect(TAG_MATTERS_SHARE).toBe(0.3);
    expect(index.mattersIn('Pasta')).toBe(TAG_BIT.gluten);
    expect(index.mattersIn('Bread')).toBe(TAG_BIT.gluten);
    expect(index.mattersIn('Dairy')).toBe(TAG_BIT.lactose | TAG_BIT.dairy);
    expect(index.mattersIn('Fruit')).toBe(0);
    expect(index.mattersIn('Nowhere')).toBe(0);
    expect([...index.categoriesWhere('gluten')].sort()).toEqual(['Bread', 'Pasta']);
  });

  it('counts "may contain" towards a category and leaves products of unknown status out of its share', () => {
    const chocolate = [
      declared('dark', 'Chocolate'),
      declared('milk-choc', 'Chocolate'),
      aProduct({ productId: 'praline', category: 'Chocolate', mayContain: ['nuts'], labelling: 'declared' }),
      // Three unlabelled bars would dilute the share to 1 of 6 if they counted.
      ...['x', 'y', 'z'].map((id) => aProduct({ productId: id, category: 'Chocolate', labelling: 'unknown' })),
    ];
    expect(indexCatalog(chocolate).mattersIn('Chocolate')).toBe(TAG_BIT.nuts);
  });

  it('keeps each product as masks: what blocks it and what it contains', () => {
    const index = indexCatalog(RETAIL);
    expect(index.get('fusilli')).toMatchObject({
      blocked: TAG_BIT.gluten | TAG_BIT.egg,
      contains: TAG_BIT.gluten | TAG_BIT.egg,
    });
    expect(index.get('gf-penne')?.blocked).toBe(0);
    expect(index.get('nope')).toBeUndefined();
    expect(index.size).toBe(RETAIL.length);
  });

  it('gives the same category statistics when most products are only counted, not kept', () => {
    const builder = catalogIndexBuilder();
    for (const product of RETAIL) {
      if (product.productId.startsWith('gf-')) builder.add(product);
      else {
        const contains = maskOf(product.contains);
        builder.count(product.category, { contains, mayContain: 0, blocked: blockedMask(product) });
      }
    }
    const partial = builder.build();
    const full = indexCatalog(RETAIL);
    for (const category of ['Pasta', 'Bread', 'Dairy', 'Fruit'])
      expect(partial.mattersIn(category)).toBe(full.mattersIn(category));
    expect(partial.size).toBe(2);
    expect(partial.get('spaghetti')).toBeUndefined();
    expect(partial.get('gf-penne')?.matters).toBe(TAG_BIT.gluten);
  });

  it('indexes the same catalog object once', () => {
    expect(indexCatalog(RETAIL_MAP)).toBe(indexCatalog(RETAIL_MAP));
    expect(indexCatalog(RETAIL)).not.toBe(indexCatalog([...RETAIL]));
  });
});

describe('inference on a contains-only catalog', () => {
  /** Gluten-free pasta and bread over `n` trips a week apart, with fruit beside. */
  const trips = (n: number) =>
    Array.from({ length: n }, (_, i) => [
      line(i % 2 === 0 ? 'gf-penne' : 'gf-loaf', `t${i}`, daysAgo(7 * (i + 1))),
      line('apples', `t${i}`, daysAgo(7 * (i + 1))),
    ]).flat();

  it('infers gluten-free from declared products that do not contain gluten, with no free-from claims at all', () => {
    expect(RETAIL.every((p) => p.freeFrom.length === 0)).toBe(true);
    expect(inferRestrictions(trips(5), RETAIL_MAP, NOW)).toEqual(['gluten-free']);
    expect(buildProfile(trips(5), indexCatalog(RETAIL_MAP), NOW).inferredRestrictions).toEqual(['gluten-free']);
  });

  it('keeps the thresholds: no inference from three relevant purchases, nor with spaghetti bought last month', () => {
    expect(inferRestrictions(trips(3), RETAIL_MAP, NOW)).toEqual([]);
    expect(inferRestrictions([...trips(9), line('spaghetti', 'recent', daysAgo(30))], RETAIL_MAP, NOW)).toEqual([]);
  });

  it('does not count a product that may contain the tag, or one of unknown labelling, as free from it', () => {
    const traces = aProduct({
      productId: 'oat-penne',
      category: 'Pasta',
      mayContain: ['gluten'],
      labelling: 'declared',
    });
    const unlabelled = aProduct({ productId: 'odd-penne', category: 'Pasta', labelling: 'unknown' });
    const catalog = new Map([...RETAIL_MAP, [traces.productId, traces], [unlabelled.productId, unlabelled]]);
    const lines = Array.from({ length: 6 }, (_, i) =>
      line(['gf-penne', 'oat-penne', 'odd-penne'][i % 3] ?? '', `t${i}`, daysAgo(7 * (i + 1))),
    );
    // 2 of 6 free from gluten: far below 80 %.
    expect(inferRestrictions(lines, catalog, NOW)).toEqual([]);
  });

  it('infers lactose-free from declared dairy alternatives', () => {
    const lines = Array.from({ length: 5 }, (_, i) => line('oat-drink', `t${i}`, daysAgo(5 * (i + 1))));
    expect(inferRestrictions(lines, RETAIL_MAP, NOW)).toEqual(['lactose-free']);
  });
});

describe('dietChoiceIn', () => {
  const index = indexCatalog(RETAIL);

  it('names the restriction whose forbidden tags matter in the category', () => {
    expect(dietChoiceIn('Pasta', ['gluten-free'], index)).toBe('gluten-free');
    expect(dietChoiceIn('Dairy', ['gluten-free', 'vegan'], index)).toBe('vegan');
  });

  it('finds nothing where the usual products do not conflict', () => {
    expect(dietChoiceIn('Fruit', ['gluten-free'], index)).toBeUndefined();
    expect(dietChoiceIn('Pasta', ['lactose-free'], index)).toBeUndefined();
    expect(dietChoiceIn('Pasta', [], index)).toBeUndefined();
  });
});
