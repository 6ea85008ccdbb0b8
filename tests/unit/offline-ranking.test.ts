import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rankOffline } from '../../lambdas/app/offline-ranking.js';
import { csvRecords, toCsv } from '../../lambdas/core/csv.js';
import { DietTag, Restriction } from '../../lambdas/core/diet.js';
import { EXPECTED_FORBIDDEN } from './fixtures.js';

const file = (name: string, header: string[], rows: Array<Array<string | number>>) => ({
  name,
  text: toCsv(header, rows, { formulas: 'keep' }),
});

function ranking(csv: string) {
  const { records, fileErrors } = csvRecords(csv, ['member_id', 'rank', 'product_id', 'score', 'reason']);
  expect(fileErrors).toEqual([]);
  return records.map((r) => ({
    member: r.values.member_id ?? '',
    product: r.values.product_id ?? '',
    reason: r.values.reason ?? '',
  }));
}

interface CatalogRow {
  readonly id: string;
  readonly category: string;
  readonly contains: readonly DietTag[];
  readonly mayContain: readonly DietTag[];
  readonly freeFrom: readonly DietTag[];
  readonly labelling: '' | 'declared' | 'unknown';
}

describe('rankOffline: diet rules on any catalog', () => {
  const scenario = fc
    .record({
      products: fc.array(
        fc.record({
          category: fc.constantFrom('Bread', 'Pasta', 'Dairy', 'Snacks'),
          contains: fc.subarray(DietTag.options),
          mayContain: fc.subarray(DietTag.options, { maxLength: 2 }),
          freeFrom: fc.subarray(DietTag.options),
          labelling: fc.constantFrom<CatalogRow['labelling']>('', 'declared', 'unknown'),
        }),
        { minLength: 1, maxLength: 20 },
      ),
      // Which optional diet columns the file has.
      columns: fc.subarray(['contains', 'may_contain', 'free_from', 'labelling'] as const),
      uncatalogued: fc.nat({ max: 3 }),
      members: fc.array(
        fc.record({
          restrictions: fc.subarray(Restriction.options, { maxLength: 3 }),
          baskets: fc.array(fc.array(fc.nat({ max: 40 }), { minLength: 1, maxLength: 6 }), {
            minLength: 1,
            maxLength: 8,
          }),
        }),
        { minLength: 1, maxLength: 6 },
      ),
      k: fc.integer({ min: 1, max: 6 }),
    })
    .map((s) => ({ ...s, products: s.products.map((p, i): CatalogRow => ({ ...p, id: `p${i}` })) }));

  /** What the file says about a product, read back without the code under test. */
  function violates(row: CatalogRow | undefined, columns: readonly string[], restrictions: readonly Restriction[]) {
    if (restrictions.length === 0) return undefined;
    if (!row) return 'not in the catalog';
    const has = (c: string) => columns.includes(c);
    const labelling =
      has('labelling') && row.labelling !== '' ? row.labelling : has('contains') ? 'declared' : 'unknown';
    if (labelling === 'unknown') return 'unknown labelling';
    for (const tag of restrictions.flatMap((r) => EXPECTED_FORBIDDEN[r])) {
      if (has('contains') && row.contains.includes(tag)) return `contains ${tag}`;
      if (has('may_contain') && row.mayContain.includes(tag)) return `may contain ${tag}`;
    }
    return undefined;
  }

  it('never ranks a product that contains or may contain a forbidden tag, nor one of unknown labelling, for a restricted member', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const header = ['product_id', 'name', 'category', ...s.columns];
        const cell = (p: CatalogRow, column: string) =>
          column === 'contains'
            ? p.contains.join(';')
            : column === 'may_contain'
              ? p.mayContain.join(';')
              : column === 'free_from'
                ? p.freeFrom.join(';')
                : p.labelling;
        const catalog = file(
          'C.csv',
          header,
          s.products.map((p) => [p.id, p.id, p.category, ...s.columns.map((c) => cell(p, c))]),
        );
        const ids = [...s.products.map((p) => p.id), ...Array.from({ length: s.uncatalogued }, (_, i) => `x${i}`)];
        const history = file(
          'H.csv',
          ['member_id', 'basket_seq', 'product_id'],
          s.members.flatMap((m, mi) =>
            m.baskets.flatMap((basket, b) => basket.map((n) => [`m${mi}`, b + 1, ids[n % ids.length] ?? 'p0'])),
          ),
        );
        const members = file(
          'M.csv',
          ['member_id', 'restrictions'],
          s.members.map((m, mi) => [`m${mi}`, m.restrictions.join(';')]),
        );
        const result = rankOffline({ history, catalog, members, k: s.k });
        const rows = new Map(s.products.map((p) => [p.id, p]));
        for (const pick of ranking(result.csv)) {
          const restrictions = s.members[Number(pick.member.slice(1))]?.restrictions ?? [];
          expect(
            violates(rows.get(pick.product), s.columns, restrictions),
            `${pick.member} got ${pick.product}`,
          ).toBeUndefined();
        }
      }),
      { numRuns: 150 },
    );
  });
});

describe('rankOffline: a contains-only catalog', () => {
  // Ten allowed products in five aisles, and gluten everywhere else, as a retailer's product data says.
  const products = [
    ...Array.from({ length: 10 }, (_, i) => [`ok${i}`, `Allowed ${i}`, `Aisle ${i % 5}`, '']),
    ...Array.from({ length: 10 }, (_, i) => [`gl${i}`, `Wheat thing ${i}`, `Aisle ${i % 5}`, 'gluten']),
  ];
  const catalog = file('C.csv', ['product_id', 'name', 'category', 'contains'], products);
  const history = file(
    'H.csv',
    ['member_id', 'basket_seq', 'product_id'],
    [
      // Everyone else buys everything, so every product is known to the model.
      ...products.flatMap(([id], i) => [['crowd', i + 1, id ?? ''] as [string, number, string]]),
      ['gf', 1, 'gl1'],
      ['gf', 2, 'gl2'],
      ['gf', 3, 'ok1'],
    ],
  );

  it('gives a restricted member k picks when k allowed products exist', () => {
    const members = file('M.csv', ['member_id', 'restrictions'], [['gf', 'gluten-free']]);
    for (const k of [1, 5, 10]) {
      const result = rankOffline({ history, catalog, members, k });
      const picks = ranking(result.csv).filter((r) => r.member === 'gf');
      expect(picks, `k = ${k}`).toHaveLength(k);
      for (const pick of picks) expect(pick.product).toMatch(/^ok/);
      expect(result.restricted).toEqual({ members: 1, full: 1 });
    }
  });

  it('reads a semicolon-delimited catalog with a byte order mark the same way', () => {
    const members = file('M.csv', ['member_id', 'restrictions'], [['gf', 'gluten-free']]);
    const semicolons = {
      name: 'C.csv',
      text: `\uFEFF${['product_id;name;category;contains', ...products.map((p) => p.join(';'))].join('\r\n')}\r\n`,
    };
    expect(rankOffline({ history, catalog: semicolons, members, k: 5 }).csv).toBe(
      rankOffline({ history, catalog, members, k: 5 }).csv,
    );
  });

  it('stops reading the model once the picks are made', () => {
    const many = Array.from({ length: 2000 }, (_, i) => [
      `p${i}`,
      `P ${i}`,
      `Aisle ${i % 50}`,
      i % 3 === 0 ? 'gluten' : '',
    ]);
    const big = file(
      'H.csv',
      ['member_id', 'basket_seq', 'product_id'],
      [...many.map(([id], i) => ['crowd', i + 1, id ?? '']), ['gf', 1, 'p1'], ['gf', 2, 'p2']],
    );
    const result = rankOffline({
      history: big,
      catalog: file('C.csv', ['product_id', 'name', 'category', 'contains'], many),
      members: file('M.csv', ['member_id', 'restrictions'], [['gf', 'gluten-free']]),
      k: 10,
    });
    expect(result.rows).toBe(20);
    // Two members, ten picks each, out of 2,000 products: the lazy ranking reads a few dozen.
    expect(result.itemsRead).toBeLessThan(100);
  });
});

describe('rankOffline: diet choices and labelling columns', () => {
  const catalog = file(
    'C.csv',
    ['product_id', 'name', 'category', 'contains', 'may_contain', 'labelling'],
    [
      ['spaghetti', 'Spaghetti', 'Pasta', 'gluten', '', ''],
      ['penne', 'Penne', 'Pasta', 'gluten', '', ''],
      ['gf-penne', 'Gluten-free penne', 'Pasta', '', '', ''],
      ['oat-penne', 'Oat penne', 'Pasta', '', 'gluten', ''],
      ['mystery', 'Mystery pasta', 'Pasta', '', '', 'unknown'],
      ['soap', 'Soap', 'Household', '', '', ''],
    ],
  );
  const history = file(
    'H.csv',
    ['member_id', 'basket_seq', 'product_id'],
    [
      ...['spaghetti', 'penne', 'gf-penne', 'oat-penne', 'mystery', 'soap'].flatMap((id, i) => [
        ['crowd', i + 1, id],
        ['crowd2', i + 1, id],
      ]),
      ...[1, 2, 3, 4].flatMap((b) => [
        ['crowd', 10 + b, 'soap'],
        ['crowd2', 10 + b, 'soap'],
      ]),
      ['gf', 1, 'spaghetti'],
      ['gf', 2, 'penne'],
      ['gf', 3, 'spaghetti'],
    ],
  );

  it('offers the gluten-free member who buys pasta the gluten-free pasta, saying why', () => {
    const members = file('M.csv', ['member_id', 'restrictions'], [['gf', 'gluten-free']]);
    const picks = ranking(rankOffline({ history, catalog, members, k: 3 }).csv).filter((r) => r.member === 'gf');
    expect(picks[0]).toEqual({
      member: 'gf',
      product: 'gf-penne',
      reason: 'A gluten-free choice in a category you buy',
    });
    expect(picks.map((p) => p.product)).not.toContain('oat-penne');
    expect(picks.map((p) => p.product)).not.toContain('mystery');
  });

  it('names the file, line and field of a labelling nobody knows', () => {
    const bad = file(
      'C.csv',
      ['product_id', 'name', 'category', 'contains', 'labelling'],
      [['p', 'P', 'X', '', 'maybe']],
    );
    expect(() => rankOffline({ history, catalog: bad, k: 3 })).toThrow(
      /C\.csv line 2: labelling: unknown value "maybe"/,
    );
  });
});

describe('rankOffline: spreadsheet safety', () => {
  it('neutralises ids and names that would run as formulas in R.csv', () => {
    const history = file(
      'H.csv',
      ['member_id', 'basket_seq', 'product_id'],
      [
        ['=1+1', 1, '@SUM(A1)'],
        ['=1+1', 2, '@SUM(A1)'],
        ['+cmd', 1, '-2+3'],
      ],
    );
    const csv = rankOffline({ history, k: 2 }).csv;
    for (const cell of csv.split(/[,\n]/)) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
    expect(csv).toContain("'=1+1,1,'@SUM(A1)");
  });
});
