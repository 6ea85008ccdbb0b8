import { z } from 'zod';
import { type ClubModel, DEFAULT_MODEL_PARAMS } from './club-model.js';
import type { FitPart } from './fit-sql.js';
import { DEFAULT_PARAMS, type NextBasketParams } from './next-basket.js';

/**
 * One result row as an engine hands it back: DuckDB gives numbers (BIGINT as bigint), Athena gives
 * every value as text (a double in the shortest form that reads back exactly).
 */
export type SqlRow = Readonly<Record<string, string | number | bigint | boolean | null>>;

const Count = z.union([z.number(), z.bigint(), z.string()]).transform((v, ctx) => {
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < 0) {
    ctx.addIssue({ code: 'custom', message: `not a count: ${String(v)}` });
    return z.NEVER;
  }
  return n;
});
const Real = z.union([z.number(), z.string()]).transform((v, ctx) => {
  const n = Number(v);
  if (!Number.isFinite(n)) {
    ctx.addIssue({ code: 'custom', message: `not a finite number: ${String(v)}` });
    return z.NEVER;
  }
  return n;
});
const ProductId = z.string().min(1);

const SummaryRow = z.object({ members: Count, baskets: Count, items: Count });
const PropensityRow = z.object({ product_id: ProductId, rate: Real, smoothed: Real });
const SuccessorRow = z.object({ source_id: ProductId, target_id: ProductId, rate: Real });
const PopularityRow = z.object({ product_id: ProductId, popularity: Real });

export type FitResults = Partial<Record<FitPart, readonly SqlRow[]>>;

/** The six significant digits the stored model keeps (the same rounding as lambdas/core/club-model.ts toClubModel). */
const round = (value: number) => Number(value.toPrecision(6));

const byId = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The stored club model from the SQL fit's rows: the same ClubModel `toClubModel(fitModel(…))` gives
 * for the same receipts (tests/integration/sql-fit.test.ts). The buy-again rate's exponent is applied
 * here, exactly as lambdas/core/next-basket.ts applies it.
 */
export function clubModelFromRows(
  results: FitResults,
  fittedAt: Date,
  params: NextBasketParams = DEFAULT_PARAMS,
): ClubModel {
  const summary = SummaryRow.parse(results.summary?.[0] ?? { members: 0, baskets: 0, items: 0 });
  const propensity: Array<[string, number]> = [];
  for (const row of results.propensity ?? []) {
    const { product_id, rate, smoothed } = PropensityRow.parse(row);
    propensity.push([product_id, round(buyAgain(rate, smoothed, params.propensityPower))]);
  }
  const rows = new Map<string, Array<[string, number]>>();
  for (const row of results.successors ?? []) {
    const { source_id, target_id, rate } = SuccessorRow.parse(row);
    const list = rows.get(source_id) ?? [];
    list.push([target_id, round(rate)]);
    rows.set(source_id, list);
  }
  const { repeatDecay, neighboursWeight, neighboursDepth, neighboursDecay, popularityWeight } = params;
  return {
    fittedAt: fittedAt.toISOString(),
    members: summary.members,
    baskets: summary.baskets,
    items: summary.items,
    params: {
      ...DEFAULT_MODEL_PARAMS,
      repeatDecay,
      neighboursWeight,
      neighboursDepth,
      neighboursDecay,
      popularityWeight,
    },
    // Entries, then Object.fromEntries, in product-id order as the in-process fit writes them.
    propensity: Object.fromEntries(propensity.sort((a, b) => byId(a[0], b[0]))),
    successors: Object.fromEntries(
      [...rows.entries()]
        .sort((a, b) => byId(a[0], b[0]))
        .map(([source, list]) => [source, Object.fromEntries(list.sort((a, b) => byId(a[0], b[0])))]),
    ),
  };
}

/** lambdas/core/next-basket.ts propensityOf, from the smoothed relative rate the SQL computed. */
function buyAgain(rate: number, smoothed: number, power: number): number {
  if (rate <= 0 || power === 0) return 1;
  return smoothed > 0 ? smoothed ** power : 0;
}

/** Club popularity per product from the SQL fit (1 = in the most baskets). */
export function popularityFromRows(rows: readonly SqlRow[] | undefined): Map<string, number> {
  const out = new Map<string, number>();
  for (const row of rows ?? []) {
    const { product_id, popularity } = PopularityRow.parse(row);
    out.set(product_id, popularity);
  }
  return out;
}
