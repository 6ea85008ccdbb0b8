import type { CatalogIndex } from './catalog-index.js';
import { blockedMask, forbiddenMask, type Restriction } from './diet.js';
import { dietChoiceIn } from './diet-choice.js';
import type { OfferWithProduct, Product } from './model.js';
import type { MemberScores, NextBasketModel, ScoredItem } from './next-basket.js';
import { pickBest, type RankedCandidate, withDietChoice } from './offers.js';
import type { PickWhy } from './scoring.js';

/**
 * Ranking over a whole catalog with the next-basket model, for the offline command (`npm run
 * offers`): the planner's rules (hard diet exclusions, diet choices, the per-category cap, the
 * reasons) applied to the model's lazy ranking instead of a campaign's pool. Everything that depends
 * only on the catalog and the model is done once; each member costs their own history plus what the
 * picker reads, which stops as soon as k picks are made.
 */
export interface CatalogRankingOptions {
  readonly k: number;
  readonly maxPerCategory: number;
  /** The product behind each item the model knows (from the catalog, or a stand-in). */
  readonly productOf: (itemId: string) => Product;
  /** The catalog's index: with it, restricted members get diet choices in the categories they buy. */
  readonly catalog?: CatalogIndex;
  /** Only these products may be offered; every product the model knows when absent. */
  readonly pool?: readonly string[];
}

export interface MemberRequest {
  readonly memberId: string;
  readonly restrictions: readonly Restriction[];
  /**
   * The member's habit (0–1, lambdas/core/club-model.ts `habitOf`) per category they buy, for the
   * categories where one of the `forbidden` tags (a mask) matters; read for restricted members only.
   */
  readonly habits: (forbidden: number) => ReadonlyMap<string, number>;
  /** How many of the member's baskets hold a product: "you often buy" from the third. */
  readonly bought: (productId: string) => number;
}

export interface CatalogRanker {
  rank(member: MemberRequest): RankedCandidate[];
  /** Items read from the model's ranking so far, over all members: the work the early stop saves shows here. */
  readonly itemsRead: () => number;
}

interface Entry extends RankedCandidate {
  readonly index: number;
}

interface View {
  /** Allowed items (restrictions and pool) in popularity order: the model's tail for this member. */
  readonly tail: Int32Array;
  /** The same per category, built on first use. */
  byCategory?: Map<string, number[]>;
}

const before = (a: Entry, b: Entry) => b.score - a.score || a.index - b.index;

export function catalogRanker(model: NextBasketModel, options: CatalogRankingOptions): CatalogRanker {
  const n = model.itemCount;
  const { catalog, k, maxPerCategory } = options;
  const products: Product[] = [];
  const blocked = new Int32Array(n);
  const inPool = new Uint8Array(n).fill(options.pool ? 0 : 1);
  // Categories as small numbers, so a member's reached items are matched to categories without string lookups.
  const categoryIds = new Map<string, number>();
  const categoryOf = new Int32Array(n);
  for (let i = 0; i < n; i += 1) {
    const product = options.productOf(model.itemId(i));
    products.push(product);
    blocked[i] = catalog?.get(product.productId)?.blocked ?? blockedMask(product);
    let id = categoryIds.get(product.category);
    if (id === undefined) {
      id = categoryIds.size;
      categoryIds.set(product.category, id);
    }
    categoryOf[i] = id;
  }
  /** Per category id, 1 + the slot of the current member's diet choice there (0: none). */
  const choiceSlot = new Int32Array(categoryIds.size);
  if (options.pool) {
    const wanted = new Set(options.pool);
    for (let i = 0; i < n; i += 1) if (wanted.has(model.itemId(i))) inPool[i] = 1;
  }
  const popularity = model.popularityOrder();
  const views = new Map<number, View>();
  const viewOf = (forbidden: number): View => {
    let view = views.get(forbidden);
    if (!view) {
      view = { tail: popularity.filter((i) => inPool[i] === 1 && ((blocked[i] ?? 0) & forbidden) === 0) };
      views.set(forbidden, view);
    }
    return view;
  };
  const inCategory = (view: View, category: string): readonly number[] => {
    if (!view.byCategory) {
      view.byCategory = new Map();
      for (const i of view.tail) {
        const c = products[i]?.category ?? '';
        const list = view.byCategory.get(c);
        if (list) list.push(i);
        else view.byCategory.set(c, [i]);
      }
    }
    return view.byCategory.get(category) ?? [];
  };
  const candidates: Array<OfferWithProduct | undefined> = new Array(n);
  const candidateOf = (i: number): OfferWithProduct => {
    let candidate = candidates[i];
    if (!candidate) {
      const product = products[i] ?? options.productOf(model.itemId(i));
      candidate = { offer: { offerId: product.productId, productId: product.productId, headline: 'offer' }, product };
      candidates[i] = candidate;
    }
    return candidate;
  };
  let itemsRead = 0;
  const allowedFor = (i: number, forbidden: number) => inPool[i] === 1 && ((blocked[i] ?? 0) & forbidden) === 0;

  /** The model's order for the member, without what the restrictions or the pool leave out. */
  function* plainStream(
    scores: MemberScores,
    view: View,
    forbidden: number,
    entry: (i: number, s: ScoredItem) => Entry,
  ): Generator<Entry, void, undefined> {
    const accept = (i: number) => allowedFor(i, forbidden);
    for (const i of scores.inOrder(view.tail, forbidden === 0 && !options.pool ? undefined : accept)) {
      itemsRead += 1;
      yield entry(i, scores.scoreOf(i));
    }
  }

  /** The same, with the lifted diet choices merged in at their place. */
  function* mergedStream(
    scores: MemberScores,
    view: View,
    forbidden: number,
    entry: (i: number, s: ScoredItem) => Entry,
    lifted: readonly Entry[],
  ): Generator<Entry, void, undefined> {
    const liftedIndex = new Set(lifted.map((e) => e.index));
    let l = 0;
    for (const i of scores.inOrder(view.tail, (i) => allowedFor(i, forbidden))) {
      itemsRead += 1;
      if (liftedIndex.has(i)) continue;
      const next = entry(i, scores.scoreOf(i));
      for (let head = lifted[l]; head && before(head, next) < 0; head = lifted[l]) {
        l += 1;
        yield head;
      }
      yield next;
    }
    for (; l < lifted.length; l += 1) {
      const head = lifted[l];
      if (head) yield head;
    }
  }

  /**
   * Diet choices: for each category the member buys whose usual products their restrictions forbid,
   * its best allowed items (at most the category cap), lifted, best first.
   */
  const dietChoices = (
    member: MemberRequest,
    forbidden: number,
    scores: MemberScores,
    view: View,
    index: CatalogIndex,
  ): Entry[] => {
    const choices: Array<{ category: string; id: number; diet: Restriction; habit: number; items: number[] }> = [];
    for (const [category, habit] of member.habits(forbidden)) {
      const id = categoryIds.get(category);
      const diet = habit > 0 && id !== undefined ? dietChoiceIn(category, member.restrictions, index) : undefined;
      if (diet && id !== undefined) {
        choices.push({ category, id, diet, habit, items: [] });
        choiceSlot[id] = choices.length;
      }
    }
    if (choices.length === 0) return [];
    for (const i of scores.reached()) {
      const slot = choiceSlot[categoryOf[i] ?? 0] ?? 0;
      if (slot > 0 && allowedFor(i, forbidden)) choices[slot - 1]?.items.push(i);
    }
    for (const choice of choices) choiceSlot[choice.id] = 0;
    const lifted: Entry[] = [];
    for (const { category, diet, habit, items } of choices) {
      // Items the member's history does not reach score popularity alone: their order is the view's.
      let others = 0;
      for (const i of inCategory(view, category)) {
        if (others >= maxPerCategory) break;
        if (scores.reaches(i)) continue;
        items.push(i);
        others += 1;
      }
      const best = items
        .map((i): Entry => {
          const s = scores.scoreOf(i);
          const base = { candidate: candidateOf(i), score: s.score, why: whyOf(s, member.bought(s.itemId)) };
          return { ...withDietChoice(base.candidate, base, diet, habit), index: i };
        })
        .sort(before)
        .slice(0, maxPerCategory);
      lifted.push(...best);
    }
    return lifted.sort(before);
  };

  const rank = (member: MemberRequest): RankedCandidate[] => {
    const scores = model.forMember(member.memberId);
    const forbidden = forbiddenMask(member.restrictions);
    const view = viewOf(forbidden);
    const entry = (i: number, s: ScoredItem): Entry => ({
      index: i,
      candidate: candidateOf(i),
      score: s.score,
      why: whyOf(s, member.bought(s.itemId)),
    });

    const lifted = forbidden !== 0 && catalog ? dietChoices(member, forbidden, scores, view, catalog) : [];
    const stream =
      lifted.length === 0
        ? plainStream(scores, view, forbidden, entry)
        : mergedStream(scores, view, forbidden, entry, lifted);
    return pickBest(stream, k, maxPerCategory);
  };

  return { rank, itemsRead: () => itemsRead };
}

/** The most personal true sentence: the member's own purchases first, then what the model's parts say. */
function whyOf(scored: ScoredItem, bought: number): PickWhy {
  if (bought >= 3) return 'often-bought';
  if (bought >= 1) return 'bought-before';
  return scored.parts.neighbours >= scored.parts.popularity ? 'goes-with' : 'popular';
}
