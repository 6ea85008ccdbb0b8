import { describe, expect, it } from 'vitest';
import {
  ALL_TAGS_MASK,
  blockedMask,
  conflictingTags,
  DietTag,
  forbiddenMask,
  forbiddenTags,
  maskOf,
  Restriction,
  TAG_BIT,
  tagsOf,
} from '../../lambdas/core/diet.js';
import { EXPECTED_FORBIDDEN } from './fixtures.js';

const sorted = (tags: Iterable<string>) => [...tags].sort();

describe('forbiddenTags', () => {
  it.each(Restriction.options)('forbids exactly the documented tags for %s', (restriction) => {
    expect(sorted(forbiddenTags([restriction]))).toEqual(sorted(EXPECTED_FORBIDDEN[restriction]));
  });

  it('forbids gluten and nothing else for a gluten-free member', () => {
    expect(sorted(forbiddenTags(['gluten-free']))).toEqual(['gluten']);
  });

  it('forbids meat, pork and fish, but not dairy or egg, for a vegetarian', () => {
    const tags = forbiddenTags(['vegetarian']);
    expect(sorted(tags)).toEqual(['fish', 'meat', 'pork']);
    expect(tags.has('dairy')).toBe(false);
    expect(tags.has('egg')).toBe(false);
  });

  it('forbids everything a vegetarian does plus egg, dairy and lactose for a vegan', () => {
    const vegan = forbiddenTags(['vegan']);
    for (const tag of forbiddenTags(['vegetarian'])) expect(vegan.has(tag)).toBe(true);
    expect(sorted(vegan)).toEqual(['dairy', 'egg', 'fish', 'lactose', 'meat', 'pork']);
  });

  it('forbids the union of several restrictions, each tag once', () => {
    expect(sorted(forbiddenTags(['gluten-free', 'vegan', 'lactose-free', 'pork-free']))).toEqual(
      sorted(['gluten', 'meat', 'pork', 'fish', 'egg', 'dairy', 'lactose']),
    );
  });

  it('forbids nothing when the member has no restrictions', () => {
    expect(forbiddenTags([]).size).toBe(0);
  });

  it('gives every catalog diet tag a restriction that forbids it', () => {
    const forbiddenBySome = forbiddenTags(Restriction.options);
    expect(sorted(forbiddenBySome)).toEqual(sorted(DietTag.options));
  });
});

describe('conflictingTags', () => {
  it('reports a product that contains a forbidden tag', () => {
    expect(conflictingTags({ contains: ['gluten'], freeFrom: [] }, forbiddenTags(['gluten-free']))).toEqual(['gluten']);
  });

  it('treats a product with unknown status for a forbidden tag as a conflict', () => {
    // Neither "contains gluten" nor "free from gluten": we never guess that pasta is gluten-free.
    expect(conflictingTags({ contains: [], freeFrom: [] }, forbiddenTags(['gluten-free']))).toEqual(['gluten']);
  });

  it('does not report a product labelled free from the forbidden tag', () => {
    expect(conflictingTags({ contains: [], freeFrom: ['gluten'] }, forbiddenTags(['gluten-free']))).toEqual([]);
  });

  it('ignores tags the member has no restriction on', () => {
    const beerLabels = { contains: ['alcohol', 'gluten'] as DietTag[], freeFrom: ['nuts'] as DietTag[] };
    expect(conflictingTags(beerLabels, forbiddenTags(['nut-free']))).toEqual([]);
  });

  it('reports a product labelled both containing and free from a tag as a conflict', () => {
    // Contradictory labels must never make a product safe.
    expect(conflictingTags({ contains: ['nuts'], freeFrom: ['nuts'] }, forbiddenTags(['nut-free']))).toEqual(['nuts']);
  });

  it('reports every forbidden tag a product is not labelled free from', () => {
    const milk = { contains: ['lactose', 'dairy'] as DietTag[], freeFrom: ['meat', 'pork', 'fish'] as DietTag[] };
    expect(sorted(conflictingTags(milk, forbiddenTags(['vegan'])))).toEqual(['dairy', 'egg', 'lactose']);
  });

  it('reports nothing when nothing is forbidden, even for an unlabelled product', () => {
    expect(conflictingTags({ contains: ['pork', 'alcohol'], freeFrom: [] }, new Set())).toEqual([]);
  });
});

describe('the labelling model', () => {
  const glutenFree = forbiddenTags(['gluten-free']);

  it('reads a declared product as free of every tag it does not list', () => {
    const pasta = { contains: [] as DietTag[], freeFrom: [] as DietTag[], labelling: 'declared' as const };
    expect(conflictingTags(pasta, forbiddenTags(Restriction.options))).toEqual([]);
  });

  it('still reports what a declared product contains', () => {
    const spaghetti = { contains: ['gluten'] as DietTag[], freeFrom: [] as DietTag[], labelling: 'declared' as const };
    expect(conflictingTags(spaghetti, glutenFree)).toEqual(['gluten']);
  });

  it('treats "may contain" as a conflict, declared or not', () => {
    for (const labelling of ['declared', 'unknown', undefined] as const) {
      const muesli = { contains: [] as DietTag[], mayContain: ['nuts'] as DietTag[], freeFrom: ['nuts'] as DietTag[] };
      expect(conflictingTags({ ...muesli, labelling }, forbiddenTags(['nut-free']))).toEqual(['nuts']);
    }
  });

  it('never lets a product with unknown labelling through a restriction, whatever it claims', () => {
    const claimed = { contains: [] as DietTag[], freeFrom: [...DietTag.options], labelling: 'unknown' as const };
    for (const restriction of Restriction.options) {
      expect(conflictingTags(claimed, forbiddenTags([restriction])).length, restriction).toBeGreaterThan(0);
    }
    expect(conflictingTags(claimed, new Set())).toEqual([]);
  });

  it('keeps the earlier rule for products stored without labelling: free only of what freeFrom claims', () => {
    expect(conflictingTags({ contains: [], freeFrom: ['gluten'] }, glutenFree)).toEqual([]);
    expect(conflictingTags({ contains: [], freeFrom: ['nuts'] }, glutenFree)).toEqual(['gluten']);
  });

  it('gives each tag its own bit, in DietTag order, and reads masks back to tags', () => {
    expect(DietTag.options.map((tag) => TAG_BIT[tag])).toEqual(DietTag.options.map((_, i) => 2 ** i));
    expect(maskOf(DietTag.options)).toBe(ALL_TAGS_MASK);
    expect(tagsOf(maskOf(['pork', 'gluten']))).toEqual(['gluten', 'pork']);
    expect(tagsOf(forbiddenMask(['vegan'])).sort()).toEqual(sorted(forbiddenTags(['vegan'])));
  });

  it('agrees with conflictingTags in its mask for every labelling', () => {
    for (const labelling of ['declared', 'unknown', undefined] as const) {
      const product = {
        contains: ['egg'] as DietTag[],
        mayContain: ['nuts'] as DietTag[],
        freeFrom: ['gluten'] as DietTag[],
        labelling,
      };
      const all = new Set(DietTag.options);
      expect(tagsOf(blockedMask(product)).sort()).toEqual(sorted(conflictingTags(product, all)));
    }
  });
});
