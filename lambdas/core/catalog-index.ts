import { ALL_TAGS_MASK, blockedMask, DietTag, maskOf, TAG_BIT } from './diet.js';
import type { Product } from './model.js';

/**
 * A category "speaks to" a tag when at least this share of its products whose status for the tag is
 * known contain it or may contain it: bread and pasta do for gluten, bread does not for lactose just
 * because cinnamon buns contain milk. Inference draws only on such categories, and a restricted
 * member's habit in one is what brings its free-from products forward (lambdas/core/diet-choice.ts).
 */
export const TAG_MATTERS_SHARE = 0.3;

/** One product as the index keeps it: its labels reduced to masks (one bit per DietTag). */
export interface IndexedProduct {
  readonly product: Product;
  readonly category: string;
  /** Tags the product conflicts with (lambdas/core/diet.ts `blockedMask`). */
  readonly blocked: number;
  /** Tags the product contains (not merely may contain). */
  readonly contains: number;
  /** The tags that matter in the product's category (`CatalogIndex.mattersIn`). */
  readonly matters: number;
}

/**
 * What planning, inference and the offline command need from a catalog, computed once per catalog
 * version so the work per member depends on the member's history, not on the catalog's size.
 */
export interface CatalogIndex {
  /** Products the index serves (`get`). */
  readonly size: number;
  get(productId: string): IndexedProduct | undefined;
  /** The tags that matter in a category (TAG_MATTERS_SHARE), as a mask; 0 for an unknown category. */
  mattersIn(category: string): number;
  /** The categories where a tag matters. */
  categoriesWhere(tag: DietTag): ReadonlySet<string>;
  products(): IterableIterator<IndexedProduct>;
}

const EMPTY: ReadonlySet<string> = new Set();
const memo = new WeakMap<object, CatalogIndex>();

/**
 * Index a catalog: one pass over its products. The same catalog object (a Map or an array) is
 * indexed once and the index reused, so callers holding the catalog can pass it each time.
 */
export function indexCatalog(catalog: ReadonlyMap<string, Product> | readonly Product[]): CatalogIndex {
  const known = memo.get(catalog);
  if (known) return known;
  const index = buildIndex(Array.isArray(catalog) ? catalog : [...catalog.values()]);
  memo.set(catalog, index);
  return index;
}

/** A catalog index, or the index of a catalog map (built once per map). */
export function asCatalogIndex(catalog: CatalogIndex | ReadonlyMap<string, Product>): CatalogIndex {
  return isIndex(catalog) ? catalog : indexCatalog(catalog);
}

function isIndex(catalog: CatalogIndex | ReadonlyMap<string, Product>): catalog is CatalogIndex {
  return 'mattersIn' in catalog;
}

const TAGS = DietTag.options;

interface CategoryStats {
  /** Products whose status is known for every tag (declared ones, and full claims). */
  allKnown: number;
  /** Per tag, the other products whose status for it is known. */
  readonly known: Int32Array;
  /** Per tag, products that contain or may contain it. */
  readonly containing: Int32Array;
}

/**
 * Builds an index one product at a time. `add` keeps a product to serve (`get`); `count` only adds a
 * product's labels, as masks, to its category's statistics: how a reader of a large catalog file
 * indexes the products nobody bought without holding them.
 */
export interface CatalogIndexBuilder {
  add(product: Product): void;
  count(
    category: string,
    masks: { readonly contains: number; readonly mayContain: number; readonly blocked: number },
  ): void;
  build(): CatalogIndex;
}

function buildIndex(products: readonly Product[]): CatalogIndex {
  const builder = catalogIndexBuilder();
  for (const product of products) builder.add(product);
  return builder.build();
}

export function catalogIndexBuilder(): CatalogIndexBuilder {
  const entries: Array<{ -readonly [K in keyof IndexedProduct]: IndexedProduct[K] }> = [];
  const byId = new Map<string, IndexedProduct>();
  const stats = new Map<string, CategoryStats>();
  const count: CatalogIndexBuilder['count'] = (category, { contains, mayContain, blocked }) => {
    let perCategory = stats.get(category);
    if (!perCategory) {
      perCategory = { allKnown: 0, known: new Int32Array(TAGS.length), containing: new Int32Array(TAGS.length) };
      stats.set(category, perCategory);
    }
    const containing = contains | mayContain;
    // Known: contained, may be contained, or vouched free by the labelling.
    const known = containing | (ALL_TAGS_MASK & ~blocked);
    if (known === ALL_TAGS_MASK) perCategory.allKnown += 1;
    // Most products are declared and contain little: only the bits that are set need a loop.
    const partial = known === ALL_TAGS_MASK ? 0 : known;
    for (let t = 0; (partial | containing) >> t !== 0; t += 1) {
      const bit = 1 << t;
      if ((partial & bit) !== 0) perCategory.known[t] = (perCategory.known[t] ?? 0) + 1;
      if ((containing & bit) !== 0) perCategory.containing[t] = (perCategory.containing[t] ?? 0) + 1;
    }
  };
  const add = (product: Product) => {
    const blocked = blockedMask(product);
    const contains = maskOf(product.contains);
    const entry = { product, category: product.category, blocked, contains, matters: 0 };
    entries.push(entry);
    byId.set(product.productId, entry);
    count(product.category, { contains, mayContain: maskOf(product.mayContain ?? []), blocked });
  };
  return { add, count, build: () => finish(entries, byId, stats) };
}

function finish(
  entries: Array<{ -readonly [K in keyof IndexedProduct]: IndexedProduct[K] }>,
  byId: ReadonlyMap<string, IndexedProduct>,
  stats: ReadonlyMap<string, CategoryStats>,
): CatalogIndex {
  const matters = new Map<string, number>();
  const byTag = new Map<DietTag, Set<string>>();
  for (const [category, { allKnown, known, containing }] of stats) {
    let mask = 0;
    TAGS.forEach((tag, t) => {
      const k = allKnown + (known[t] ?? 0);
      if (k > 0 && (containing[t] ?? 0) / k >= TAG_MATTERS_SHARE) {
        mask |= TAG_BIT[tag];
        const set = byTag.get(tag) ?? new Set<string>();
        set.add(category);
        byTag.set(tag, set);
      }
    });
    if (mask !== 0) matters.set(category, mask);
  }
  for (const entry of entries) entry.matters = matters.get(entry.category) ?? 0;
  return {
    size: byId.size,
    get: (productId) => byId.get(productId),
    mattersIn: (category) => matters.get(category) ?? 0,
    categoriesWhere: (tag) => byTag.get(tag) ?? EMPTY,
    products: () => byId.values(),
  };
}
