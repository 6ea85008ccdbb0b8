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

/**
 * Whether a product's diet data is complete (docs/decisions/0017-labelling-model.md):
 * - `declared`: the product lists everything it contains (EU allergen labelling, supplier data), so
 *   it is free of every tag it does not list. Non-food items are declared with nothing contained.
 * - `unknown`: nobody vouches for the data; it is never offered to a member with a restriction.
 * A product without `labelling` (stored or sent before this existed) keeps the earlier rule: it
 * is free only of the tags its `freeFrom` claims.
 */
export const Labelling = z.enum(['declared', 'unknown']);
export type Labelling = z.infer<typeof Labelling>;

/** A product's diet labelling: what it contains, may contain (traces), claims to be free from, and how complete that is. */
export interface DietLabels {
  readonly contains: readonly DietTag[];
  readonly mayContain?: readonly DietTag[] | undefined;
  readonly freeFrom: readonly DietTag[];
  readonly labelling?: Labelling | undefined;
}

/** One bit per tag, in DietTag order: the per-catalog index keeps labels as these masks. */
export const TAG_BIT: Readonly<Record<DietTag, number>> = {
  gluten: 1,
  lactose: 2,
  dairy: 4,
  egg: 8,
  meat: 16,
  pork: 32,
  fish: 64,
  alcohol: 128,
  nuts: 256,
};
export const ALL_TAGS_MASK = (1 << DietTag.options.length) - 1;

export function maskOf(tags: Iterable<DietTag>): number {
  let mask = 0;
  for (const tag of tags) mask |= TAG_BIT[tag];
  return mask;
}

export function tagsOf(mask: number): DietTag[] {
  return DietTag.options.filter((tag) => (mask & TAG_BIT[tag]) !== 0);
}

export function forbiddenTags(restrictions: Iterable<Restriction>): Set<DietTag> {
  const tags = new Set<DietTag>();
  for (const restriction of restrictions) for (const tag of FORBIDDEN_TAGS[restriction]) tags.add(tag);
  return tags;
}

/** The tags the restrictions forbid, as a mask. */
export function forbiddenMask(restrictions: Iterable<Restriction>): number {
  let mask = 0;
  for (const restriction of restrictions) mask |= maskOf(FORBIDDEN_TAGS[restriction]);
  return mask;
}

/**
 * Every tag the product conflicts with, as a mask: what it contains or may contain, and every tag
 * its labelling cannot vouch for. Declared labelling vouches for every tag it does not list;
 * unknown labelling for none; without labelling, only the tags `freeFrom` claims.
 */
export function blockedMask(product: DietLabels): number {
  return blockedMaskOf(
    maskOf(product.contains),
    maskOf(product.mayContain ?? []),
    maskOf(product.freeFrom),
    product.labelling,
  );
}

/** The same from the labels as masks. */
export function blockedMaskOf(contains: number, mayContain: number, freeFrom: number, labelling?: Labelling): number {
  if (labelling === 'unknown') return ALL_TAGS_MASK;
  const blocked = contains | mayContain;
  return labelling === undefined ? blocked | (ALL_TAGS_MASK & ~freeFrom) : blocked;
}

/**
 * The forbidden tags a product conflicts with: contained, may be contained (traces), or not vouched
 * for by its labelling. We never guess that pasta is gluten-free.
 */
export function conflictingTags(product: DietLabels, forbidden: ReadonlySet<DietTag>): DietTag[] {
  const blocked = blockedMask(product);
  return [...forbidden].filter((tag) => (blocked & TAG_BIT[tag]) !== 0);
}
