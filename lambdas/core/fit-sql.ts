import { DEFAULT_PARAMS, type NextBasketParams } from './next-basket.js';
import { DAY_MS } from './units.js';

/**
 * The club model's parts as SQL: one source for both engines, DuckDB embedded (locally, in tests and
 * benchmarks) and Athena (Trino) on AWS (docs/decisions/0024-sql-model-fit.md).
 *
 * Both engines see two relations under the same names: `receipt_lines` (the receipt archive, one row per
 * purchase line, partitioned by club and the day it was ingested) and `club_members` (the subscribed
 * members of one fit's snapshot, partitioned by club and snapshot). The text below is written in the
 * subset both dialects share, and only literal values are put into it, each one validated first:
 * - every division is over DOUBLEs (Trino divides integers as integers, DuckDB does not);
 * - numbers that are not integers are written as `CAST(n AS DOUBLE)` (a `10.5` literal is a DECIMAL in both);
 * - no lambdas, arrays, approximate aggregates or engine-only functions; ties are broken explicitly.
 * Only +, −, × and ÷ are done on doubles, which IEEE 754 rounds the same way everywhere, so the rates
 * are bit for bit what lambdas/core/next-basket.ts computes. The exponent on the buy-again rate and the
 * six-digit rounding are applied afterwards, by the same TypeScript as the in-process fit
 * (lambdas/core/fit-assembly.ts): `pow` is the one operation engines may round differently.
 * tests/unit/fit-sql-trino.test.ts parses the rendered text as Trino SQL; tests/integration/sql-fit.test.ts
 * runs it on DuckDB and compares the model with the in-process fit.
 */

/** The parts one fit asks for; each is one query. */
export const FIT_PARTS = ['summary', 'propensity', 'successors', 'popularity'] as const;
export type FitPart = (typeof FIT_PARTS)[number];

export interface FitQueryInput {
  readonly clubId: string;
  /** The member snapshot written for this fit (`club_members.snapshot`). */
  readonly snapshot: string;
  /** Receipts bought before this instant are past retention and left out. */
  readonly oldest: Date;
  /** The products the club has offers for: the model stores buy-again rates and transitions for these only. */
  readonly targets: readonly string[];
  readonly params?: NextBasketParams;
}

const SAFE_ID = /^[A-Za-z0-9_-]{1,64}$/;
const SAFE_SNAPSHOT = /^[A-Za-z0-9_-]{1,80}$/;

function id(value: string, what: string): string {
  if (!SAFE_ID.test(value)) throw new RangeError(`${what} is not a safe id: ${JSON.stringify(value)}`);
  return `'${value}'`;
}

function double(value: number, what: string): string {
  if (!Number.isFinite(value)) throw new RangeError(`${what} must be finite, got ${value}`);
  // The shortest text that reads back as the same double, which both engines parse exactly.
  return `CAST(${String(value)} AS DOUBLE)`;
}

function integer(value: number, what: string): string {
  if (!Number.isSafeInteger(value)) throw new RangeError(`${what} must be a safe integer, got ${value}`);
  return String(value);
}

/**
 * Receipt lines of subscribed members within retention, each receipt in its latest archived version,
 * as distinct (member, basket sequence, product). A basket's sequence is its place in the member's
 * receipts by time, then receipt id: the order lambdas/app/fit-club-model.ts gives them.
 */
function basketsCte(input: FitQueryInput): string {
  const oldestMs = input.oldest.getTime();
  // Files are partitioned by the day they were ingested, which is never before the purchase: a day
  // before the oldest purchase kept cannot hold a line that is kept.
  const fromDay = new Date(oldestMs - DAY_MS).toISOString().slice(0, 10);
  return `
archived AS (
  SELECT l.member_id, l.receipt_id, l.purchased_ms, l.product_id, l.ingested_ms,
    max(l.ingested_ms) OVER (PARTITION BY l.member_id, l.receipt_id) AS latest_ms
  FROM receipt_lines l
  WHERE l.club = ${id(input.clubId, 'clubId')} AND l.dt >= '${fromDay}'
),
kept_lines AS (
  SELECT DISTINCT a.member_id, a.receipt_id, a.purchased_ms, a.product_id
  FROM archived a
  JOIN (
    SELECT DISTINCT s.member_id FROM club_members s
    WHERE s.club = ${id(input.clubId, 'clubId')} AND s.snapshot = '${snapshotOf(input.snapshot)}'
  ) m ON m.member_id = a.member_id
  WHERE a.ingested_ms = a.latest_ms AND a.purchased_ms >= ${integer(oldestMs, 'oldest')}
),
basket_items AS (
  SELECT k.member_id, k.product_id,
    dense_rank() OVER (PARTITION BY k.member_id ORDER BY k.purchased_ms, k.receipt_id) AS seq
  FROM kept_lines k
),
member_baskets AS (
  SELECT b.member_id, max(b.seq) AS baskets FROM basket_items b GROUP BY b.member_id
)`;
}

function snapshotOf(snapshot: string): string {
  if (!SAFE_SNAPSHOT.test(snapshot)) throw new RangeError(`snapshot is not a safe id: ${JSON.stringify(snapshot)}`);
  return snapshot;
}

function targetsList(targets: readonly string[]): string {
  return [...new Set(targets)].map((t) => id(t, 'target product')).join(', ');
}

/** Members, baskets and distinct products the fit saw. */
function summarySql(input: FitQueryInput): string {
  return `WITH ${basketsCte(input)}
SELECT
  (SELECT count(*) FROM member_baskets) AS members,
  (SELECT CAST(coalesce(sum(mb.baskets), 0) AS BIGINT) FROM member_baskets mb) AS baskets,
  (SELECT count(DISTINCT b.product_id) FROM basket_items b) AS items`;
}

/**
 * Per target product: how often members buy it again after their first purchase (baskets holding it
 * after the first, over baskets after the first), relative to the catalogue-wide rate and smoothed
 * towards it with `propensityPrior` pseudo-observations. The exponent is applied in TypeScript.
 */
function propensitySql(input: FitQueryInput, params: NextBasketParams): string {
  const prior = double(params.propensityPrior, 'propensityPrior');
  return `WITH ${basketsCte(input)},
per_member AS (
  SELECT b.member_id, b.product_id, min(b.seq) AS first_seq, count(*) AS holding
  FROM basket_items b GROUP BY b.member_id, b.product_id
),
per_item AS (
  SELECT p.product_id,
    CAST(sum(p.holding - 1) AS DOUBLE) AS again,
    CAST(sum(mb.baskets - p.first_seq) AS DOUBLE) AS chances
  FROM per_member p JOIN member_baskets mb ON mb.member_id = p.member_id
  GROUP BY p.product_id
),
overall AS (
  SELECT CASE WHEN sum(i.chances) > 0 THEN sum(i.again) / sum(i.chances) ELSE CAST(0 AS DOUBLE) END AS rate
  FROM per_item i
)
SELECT i.product_id, o.rate,
  CASE WHEN o.rate > 0 THEN ((i.again + ${prior} * o.rate) / (i.chances + ${prior})) / o.rate ELSE CAST(1 AS DOUBLE) END AS smoothed
FROM per_item i CROSS JOIN overall o
WHERE i.product_id IN (${targetsList(input.targets)})
ORDER BY i.product_id`;
}

/**
 * Next-basket transitions: for every product, the `neighboursPerItem` products most often in the basket
 * right after one holding it (ties by product id), as that count over (its baskets that have a next
 * basket + `neighboursSmoothing`); only the target products among them are returned.
 */
function successorsSql(input: FitQueryInput, params: NextBasketParams): string {
  const smoothing = double(params.neighboursSmoothing, 'neighboursSmoothing');
  return `WITH ${basketsCte(input)},
pairs AS (
  SELECT a.product_id AS source_id, b.product_id AS target_id, count(*) AS together
  FROM basket_items a
  JOIN basket_items b ON b.member_id = a.member_id AND b.seq = a.seq + 1
  GROUP BY a.product_id, b.product_id
),
seeds AS (
  SELECT b.product_id, count(*) AS seeded
  FROM basket_items b JOIN member_baskets mb ON mb.member_id = b.member_id
  WHERE b.seq < mb.baskets
  GROUP BY b.product_id
),
ranked AS (
  SELECT p.source_id, p.target_id, p.together,
    row_number() OVER (PARTITION BY p.source_id ORDER BY p.together DESC, p.target_id) AS place
  FROM pairs p
)
SELECT r.source_id, r.target_id,
  CAST(r.together AS DOUBLE) / (CAST(s.seeded AS DOUBLE) + ${smoothing}) AS rate
FROM ranked r JOIN seeds s ON s.product_id = r.source_id
WHERE r.place <= ${integer(params.neighboursPerItem, 'neighboursPerItem')} AND r.target_id IN (${targetsList(input.targets)})
ORDER BY r.source_id, r.target_id`;
}

/** Baskets holding each product over those holding the most bought one (1 for the top product). */
function popularitySql(input: FitQueryInput): string {
  return `WITH ${basketsCte(input)},
trips AS (SELECT b.product_id, count(*) AS holding FROM basket_items b GROUP BY b.product_id)
SELECT t.product_id, CAST(t.holding AS DOUBLE) / CAST(m.most AS DOUBLE) AS popularity
FROM trips t CROSS JOIN (SELECT max(holding) AS most FROM trips) m
ORDER BY t.product_id`;
}

/**
 * The fit's queries. Without targets (a club with no offers) the model has no rates or transitions to
 * store, so those two queries are left out; without transitions in the params, so is that one.
 */
export function fitQueries(input: FitQueryInput): Partial<Record<FitPart, string>> {
  const params = input.params ?? DEFAULT_PARAMS;
  const hasTargets = input.targets.length > 0;
  const transitions = params.neighboursWeight > 0 && params.neighboursDepth > 0;
  return {
    summary: summarySql(input),
    ...(hasTargets ? { propensity: propensitySql(input, params) } : {}),
    ...(hasTargets && transitions ? { successors: successorsSql(input, params) } : {}),
    popularity: popularitySql(input),
  };
}
