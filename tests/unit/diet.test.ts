import { describe, expect, it } from 'vitest';
import { conflictingTags, DietTag, forbiddenTags, Restriction } from '../../lambdas/core/diet.js';
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
