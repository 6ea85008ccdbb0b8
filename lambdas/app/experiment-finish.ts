import type { SnapshotHeader } from '../core/console-ports.js';
import type { Experiment } from '../core/experiment.js';
import type { CountRun } from '../core/experiment-figures.js';
import type { Month } from '../core/experiment-outcomes.js';
import { reportMonth } from '../core/experiment-report.js';
import { type ArmTally, Tallies, TallySum } from '../core/experiment-tally.js';
import type { Deps } from './deps.js';

/**
 * The finishing step of an experiment count (docs/decisions/0053-experiment-counted-in-slices.md),
 * bounded per call as the slices are: first the slices' rows are added up a page at a time into
 * partial sums, one row per month and arm stored under the key of the last slice row added in (two
 * counters adding the same rows write the same sums under the same keys; the count's item names the
 * key it has got to and moves on only over the version it was read at); then the months are worked
 * out from the sums one at a time, each kept in the run until the last. Rows of slices are keyed
 * `SS#PPPPPP` (digits), sums `sum#SS#PPPPPP#month#arm`, which sort after every slice.
 */

/** Rows read at a time when the slices are added up. */
export const ROWS_AT_ONCE = 100;

type FinishDeps = Pick<Deps, 'snapshots'>;
type Ref = Pick<SnapshotHeader, 'clubId' | 'kind' | 'campaignId' | 'runId'>;
type Finishing = NonNullable<CountRun['finishing']>;

const SUM = 'sum#';
const isSlice = (key: string) => /^\d/.test(key);

/** Every row under `prefix`, a page at a time. */
async function rowsUnder(deps: FinishDeps, ref: Ref, prefix: string) {
  const rows: { key: string; rows: readonly unknown[] }[] = [];
  let from: string | undefined;
  for (;;) {
    const batch = await deps.snapshots.listRows(ref, prefix, from, ROWS_AT_ONCE);
    // `from` is inclusive: the row it names came with the batch before.
    rows.push(...(from === undefined ? batch.rows : batch.rows.filter((r) => r.key !== from)));
    const last = batch.rows[batch.rows.length - 1];
    if (!batch.more || !last || last.key === from) return rows;
    from = last.key;
  }
}

/** The sums through the slice row `through` (every month, or one), as stored. */
async function sumsThrough(deps: FinishDeps, ref: Ref, through: string | undefined, month = ''): Promise<Tallies> {
  if (through === undefined) return [];
  const rows = await rowsUnder(deps, ref, `${SUM}${through}#${month}`);
  return rows.flatMap((r) => Tallies.parse(r.rows));
}

/**
 * Add the next page of slice rows (after `through`) to the sums, and store the sums through the last
 * of them. Returns the finishing state afterwards.
 */
export async function addNextRows(deps: FinishDeps, ref: Ref, finishing: Finishing): Promise<Finishing> {
  const page = await deps.snapshots.listRows(ref, '', finishing.through, ROWS_AT_ONCE + 1);
  const unread = page.rows.filter((r) => isSlice(r.key) && r.key !== finishing.through);
  const rows = unread.slice(0, ROWS_AT_ONCE);
  const last = rows[rows.length - 1];
  if (!last) return { ...finishing, summed: true };
  const sum = new TallySum();
  sum.addTallies(await sumsThrough(deps, ref, finishing.through));
  for (const row of rows) sum.addTallies(Tallies.parse(row.rows));
  await deps.snapshots.putRows(
    ref,
    sum.tallies().map((t) => ({ key: `${SUM}${last.key}#${t.month}#${t.armId}`, rows: [t] })),
  );
  const lastOfPage = page.rows[page.rows.length - 1];
  const moreSlices = unread.length > rows.length || (page.more && lastOfPage !== undefined && isSlice(lastOfPage.key));
  return { ...finishing, through: last.key, slices: finishing.slices + rows.length, summed: !moreSlices };
}

/** Work out the next month not yet worked out, from its sums. */
export async function workOutNextMonth(
  deps: FinishDeps,
  ref: Ref,
  experiment: Experiment,
  months: readonly Month[],
  finishing: Finishing,
): Promise<Finishing> {
  const month = months[finishing.months.length];
  if (!month) return finishing;
  const byArm = new Map<string, ArmTally>();
  for (const t of await sumsThrough(deps, ref, finishing.through, `${month.month}#`)) byArm.set(t.armId, t);
  return { ...finishing, months: [...finishing.months, reportMonth(experiment, month, byArm)] };
}

/** Whether the count has worked out every month. */
export const finished = (finishing: Finishing, months: readonly Month[]) =>
  finishing.summed && finishing.months.length >= months.length;
