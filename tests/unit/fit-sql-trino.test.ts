import { TrinoSQL } from 'dt-sql-parser';
import { describe, expect, it } from 'vitest';
import { FIT_PARTS, fitQueries } from '../../lambdas/core/fit-sql.js';
import { DEFAULT_PARAMS } from '../../lambdas/core/next-basket.js';

const trino = new TrinoSQL();
const input = {
  clubId: 'stadsbutiken',
  snapshot: '20261207T063000123Z-ab12cd34',
  oldest: new Date('2024-11-07T06:30:00.000Z'),
  targets: ['p001', 'p002', 'gf-pasta'],
};

describe('the fit SQL as Athena runs it', () => {
  it('parses as Trino SQL, every part', () => {
    const queries = fitQueries(input);
    expect(Object.keys(queries).sort()).toEqual([...FIT_PARTS].sort());
    for (const part of FIT_PARTS)
      expect({ part, errors: trino.validate(queries[part] ?? '') }).toEqual({ part, errors: [] });
  });

  it('parses with parameters that are not whole numbers, and with one target', () => {
    const queries = fitQueries({
      ...input,
      targets: ['x'],
      params: { ...DEFAULT_PARAMS, propensityPrior: 12.5, neighboursSmoothing: 0.1 },
    });
    for (const sql of Object.values(queries)) expect(trino.validate(sql)).toEqual([]);
    expect(queries.propensity).toContain('CAST(12.5 AS DOUBLE)');
  });

  it('would catch DuckDB-only syntax: the check can fail', () => {
    const duckOnly = `${fitQueries(input).popularity ?? ''} QUALIFY row_number() OVER () = 1`;
    expect(trino.validate(duckOnly).length).toBeGreaterThan(0);
    expect(trino.validate('SELECT list_transform([1, 2], x -> x + 1)').length).toBeGreaterThan(0);
  });

  it('leaves out the rates and transitions when the club offers nothing', () => {
    expect(Object.keys(fitQueries({ ...input, targets: [] })).sort()).toEqual(['popularity', 'summary']);
  });

  it('refuses ids that could break out of a literal', () => {
    expect(() => fitQueries({ ...input, clubId: "x' OR '1'='1" })).toThrow(/not a safe id/);
    expect(() => fitQueries({ ...input, targets: ["p'1"] })).toThrow(/not a safe id/);
    expect(() => fitQueries({ ...input, snapshot: 'a/b' })).toThrow(/not a safe id/);
  });
});
