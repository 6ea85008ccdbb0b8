import { z } from 'zod';

/** Product tags a catalog can carry, and the restrictions members can declare or we infer. */
export const DietTag = z.enum(['gluten', 'lactose', 'dairy', 'egg', 'meat', 'pork', 'fish', 'alcohol', 'nuts']);
export type DietTag = z.infer<typeof DietTag>;

export const Restriction = z.enum([
  'gluten-free',
  'lactose-free',
  'vegetarian',
  'vegan',
  'pork-free',
  'alcohol-free',
  'nut-free',
]);
export type Restriction = z.infer<typeof Restriction>;

/** What each restriction forbids. This table is the hard rule: it is never traded off against relevance. */
export const FORBIDDEN_TAGS: Readonly<Record<Restriction, readonly DietTag[]>> = {
  'gluten-free': ['gluten'],
  'lactose-free': ['lactose'],
  vegetarian: ['meat', 'pork', 'fish'],
  vegan: ['meat', 'pork', 'fish', 'egg', 'dairy', 'lactose'],
  'pork-free': ['pork'],
  'alcohol-free': ['alcohol'],
  'nut-free': ['nuts'],
};

/** A product's diet labelling: what it contains, and what it is known to be free from. */
export interface DietLabels {
  readonly contains: readonly DietTag[];
  readonly freeFrom: readonly DietTag[];
}

export function forbiddenTags(restrictions: Iterable<Restriction>): Set<DietTag> {
  const tags = new Set<DietTag>();
  for (const restriction of restrictions) for (const tag of FORBIDDEN_TAGS[restriction]) tags.add(tag);
  return tags;
}

/**
 * The forbidden tags a product conflicts with. A tag the product neither contains nor is labelled
 * free from is unknown, and unknown counts as a conflict: we never guess that pasta is gluten-free.
 */
export function conflictingTags(product: DietLabels, forbidden: ReadonlySet<DietTag>): DietTag[] {
  const conflicts: DietTag[] = [];
  for (const tag of forbidden) {
    if (product.contains.includes(tag) || !product.freeFrom.includes(tag)) conflicts.push(tag);
  }
  return conflicts;
}
