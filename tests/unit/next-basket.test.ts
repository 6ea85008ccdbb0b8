import { describe, expect, it } from 'vitest';
import {
  type BasketRecord,
  DEFAULT_PARAMS,
  fitIndexedModel,
  fitModel,
  type NextBasketParams,
  type ScoredItem,
} from '../../lambdas/core/next-basket.js';

/** Baskets of one member, oldest first, as records with seq 1, 2, … */
const member = (memberId: string, ...baskets: string[][]): BasketRecord[] =>
  baskets.map((items, i) => ({ memberId, seq: i + 1, items }));

const ids = (scored: readonly ScoredItem[]) => scored.map((s) => s.itemId);

/** A small shop: milk and bread are everyone's staples, "cake" is popular among the others. */
const shop: BasketRecord[] = [
  ...member('anna', ['milk', 'bread'], ['milk', 'apples'], ['milk', 'bread']),
  ...member('bo', ['cake', 'milk'], ['cake', 'bread'], ['cake', 'coffee']),
  ...member('cy', ['cake', 'tea'], ['cake', 'bread', 'milk']),
  ...member('dee', ['cake'], ['cake', 'soap']),
];

describe('fitModel and score', () => {
  it('ranks the items a member bought before above items they never bought', () => {
    const model = fitModel(shop);
    const ranking = ids(model.score('anna'));
    const mine = ['milk', 'bread', 'apples'];
    const firstStranger = ranking.findIndex((item) => !mine.includes(item));
    expect(ranking.slice(0, firstStranger).sort()).toEqual([...mine].sort());
  });

  it('prefers the item repeated recently over the one repeated long ago when counts are equal', () => {
    const params: NextBasketParams = {
      ...DEFAULT_PARAMS,
      repeatDecay: 0.8,
      propensityPower: 0,
      neighboursWeight: 0,
      popularityWeight: 0,
    };
    const model = fitModel(member('eve', ['old'], ['old'], ['x'], ['new'], ['new']), params);
    const ranking = ids(model.score('eve'));
    expect(ranking.indexOf('new')).toBeLessThan(ranking.indexOf('old'));
    const flat = fitModel(member('eve', ['old'], ['old'], ['x'], ['new'], ['new']), { ...params, repeatDecay: 1 });
    const [top] = flat.score('eve');
    expect(top?.score).toBe(flat.score('eve', ['old'])[0]?.score);
  });

  it('gives a member without history the most popular items, explained by popularity alone', () => {
    const model = fitModel(shop);
    const ranking = model.score('stranger');
    expect(ranking[0]?.itemId).toBe('cake');
    for (const scored of ranking) {
      expect(scored.parts.repeat).toBe(0);
      expect(scored.parts.neighbours).toBe(0);
    }
    expect(ids(model.recommend('stranger', 2))).toEqual(['cake', 'milk']);
  });

  it('scores only the candidates when they are given, keeping unknown ones at zero', () => {
    const model = fitModel(shop);
    const ranking = model.score('anna', ['tea', 'bread', 'unheard-of', 'tea']);
    expect(ids(ranking)).toEqual(['bread', 'tea', 'unheard-of']);
    expect(ranking[2]?.score).toBe(0);
    expect(ids(model.recommend('anna', 2, ['soap', 'milk', 'coffee']))).toEqual([
      'milk',
      ids(model.score('anna', ['soap', 'coffee']))[0],
    ]);
  });

  it('makes every score the sum of its repeat, neighbours and popularity parts', () => {
    const model = fitModel(shop);
    for (const scored of model.score('bo')) {
      expect(scored.score).toBeCloseTo(scored.parts.repeat + scored.parts.neighbours + scored.parts.popularity, 12);
      expect(scored.parts.repeat).toBeGreaterThanOrEqual(0);
      expect(scored.parts.neighbours).toBeGreaterThanOrEqual(0);
      expect(scored.parts.popularity).toBeGreaterThanOrEqual(0);
    }
  });

  it("suggests what members bought right after the member's latest items, as neighbours", () => {
    const params: NextBasketParams = { ...DEFAULT_PARAMS, popularityWeight: 0 };
    const model = fitModel(
      [
        ...member('a', ['pasta'], ['sauce']),
        ...member('b', ['pasta'], ['sauce', 'soap']),
        ...member('c', ['soap'], ['pasta']),
      ],
      params,
    );
    const [top] = model.score('c').filter((s) => s.parts.repeat === 0);
    expect(top?.itemId).toBe('sauce');
    expect(top?.parts.neighbours).toBeGreaterThan(0);
    expect(top?.parts.repeat).toBe(0);
  });

  it('returns the same ranking whatever the order of the input records, breaking ties by item id', () => {
    const forward = fitModel(shop);
    const backward = fitModel([...shop].reverse());
    for (const memberId of ['anna', 'bo', 'cy', 'dee', 'stranger']) {
      expect(backward.score(memberId)).toEqual(forward.score(memberId));
      expect(forward.score(memberId)).toEqual(forward.score(memberId));
    }
    const tied = fitModel([...member('p', ['b', 'a', 'c'])], { ...DEFAULT_PARAMS, neighboursWeight: 0 });
    expect(ids(tied.score('p'))).toEqual(['a', 'b', 'c']);
  });

  it('agrees between recommend and the head of score', () => {
    const model = fitModel(shop);
    for (const memberId of ['anna', 'bo', 'cy', 'dee', 'stranger']) {
      expect(model.recommend(memberId, 3)).toEqual(model.score(memberId).slice(0, 3));
    }
  });

  it('treats records with the same member and seq as one basket and an item twice in a basket as once', () => {
    const split = fitModel([
      { memberId: 'm', seq: 1, items: ['a'] },
      { memberId: 'm', seq: 1, items: ['b', 'b'] },
      { memberId: 'm', seq: 2, items: ['a'] },
    ]);
    const joined = fitModel([...member('m', ['a', 'b'], ['a'])]);
    expect(split.score('m')).toEqual(joined.score('m'));
  });

  it('rejects parameters outside their range', () => {
    expect(() => fitModel(shop, { ...DEFAULT_PARAMS, repeatDecay: 0 })).toThrow(RangeError);
    expect(() => fitModel(shop, { ...DEFAULT_PARAMS, neighboursDepth: 1.5 })).toThrow(RangeError);
    expect(() => fitModel(shop).recommend('anna', -1)).toThrow(RangeError);
  });
});

describe('forMember: lazy ranking', () => {
  /** A bigger shop: 60 items, members with overlapping habits, so reached and popular items interleave. */
  const big: BasketRecord[] = Array.from({ length: 40 }, (_, m) =>
    Array.from({ length: 1 + (m % 6) }, (_, b) => ({
      memberId: `m${m}`,
      seq: b,
      items: Array.from({ length: 1 + ((m + b) % 5) }, (_, j) => `i${(m * 7 + b * 3 + j * 11) % 60}`),
    })),
  ).flat();

  it('yields every item in the order score() gives, for any member', () => {
    const model = fitModel(big);
    for (const memberId of ['m0', 'm7', 'm33', 'stranger']) {
      const expected = ids(model.score(memberId));
      const scores = model.forMember(memberId);
      expect([...scores.inOrder()].map((i) => model.itemId(i))).toEqual(expected);
    }
  });

  it('keeps the order over a filtered tail, leaving out exactly the filtered items the member does not reach', () => {
    const model = fitModel(big);
    const even = model.popularityOrder().filter((i) => i % 2 === 0);
    const scores = model.forMember('m12');
    const reached = new Set(scores.reached());
    const got = [...scores.inOrder(even)];
    const indexOf = new Map(Array.from({ length: model.itemCount }, (_, i) => [model.itemId(i), i]));
    const expected = ids(model.score('m12'))
      .map((id) => indexOf.get(id) ?? -1)
      .filter((i) => i % 2 === 0 || reached.has(i));
    expect(got).toEqual(expected);
  });

  it('reads no further than asked: the first ten of a lazy ranking match recommend', () => {
    const model = fitModel(big);
    const scores = model.forMember('m5');
    const first: string[] = [];
    for (const i of scores.inOrder()) {
      first.push(model.itemId(i));
      if (first.length === 10) break;
    }
    expect(first).toEqual(ids(model.recommend('m5', 10)));
  });

  it('refuses to answer from scores another member has replaced', () => {
    const model = fitModel(big);
    const first = model.forMember('m1');
    model.forMember('m2');
    expect(() => first.score('i1')).toThrow(/replaced/);
    expect(() => [...first.inOrder()]).toThrow(/replaced/);
  });

  it('fits the same model from pre-indexed baskets as from records', () => {
    const itemIds = ['b', 'a', 'c'];
    // x: [b, a], [a, a, c]; y: [c], [b]
    const indexed = fitIndexedModel({
      itemIds,
      items: [0, 1, 1, 1, 2, 2, 0],
      start: [0, 2, 5, 6, 7],
      members: new Map([
        ['x', { first: 0, count: 2 }],
        ['y', { first: 2, count: 2 }],
      ]),
    });
    const records = fitModel([
      { memberId: 'x', seq: 1, items: ['b', 'a'] },
      { memberId: 'x', seq: 2, items: ['a', 'c'] },
      { memberId: 'y', seq: 1, items: ['c'] },
      { memberId: 'y', seq: 2, items: ['b'] },
    ]);
    for (const m of ['x', 'y']) expect(indexed.score(m)).toEqual(records.score(m));
    expect(indexed.clubParts()).toEqual(records.clubParts());
  });
});
