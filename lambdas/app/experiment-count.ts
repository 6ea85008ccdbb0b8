import { randomUUID } from 'node:crypto';
import type { SnapshotHeader } from '../core/console-ports.js';
import type { Experiment } from '../core/experiment.js';
import type { CountRun, ExperimentCount } from '../core/experiment-figures.js';
import { monthsUntil, untilOf } from '../core/experiment-report.js';
import { tallyMembers } from '../core/experiment-tally.js';
import { MEMBER_SHARDS } from '../core/jobs.js';
import type { Campaign, Club } from '../core/model.js';
import type { Deps } from './deps.js';
import { addNextRows, finished, workOutNextMonth } from './experiment-finish.js';
import { campaignsOfExperiment, historiesOf } from './experiment-histories.js';

/**
 * The experiment report counted a slice at a time into a stored count
 * (docs/decisions/0053-experiment-counted-in-slices.md), as the campaign report is (0035). A slice is
 * one page of one member shard, a few shards at once: its members' histories are read (their receipts, and their mails from
 * the campaigns' decisions in batched reads) and tallied per month and arm as of the run's
 * `countingAt`, and the tallies are written as a row of the run keyed by shard and page. A slice
 * counted twice (a retry, two counters at once) writes the same row again, and the count's item
 * moves on only over the version it was read at. When every shard is done, the rows are added up a
 * page per step and the months worked out one per step (app/experiment-finish.ts), across calls: the
 * same report as from every member at once.
 */

/** Members per slice: one page of a member shard. */
export const COUNT_PAGE = 100;
/** Member shards counted at once (a slice each): 400 members' reads in flight. */
const SHARDS_AT_ONCE = 4;

type CountDeps = Pick<Deps, 'clubs' | 'campaigns' | 'members' | 'purchases' | 'experiments' | 'snapshots' | 'clock'>;

const rowKey = (shard: number, page: number) => `${String(shard).padStart(2, '0')}#${String(page).padStart(6, '0')}`;
const runRef = (clubId: string, run: CountRun): Pick<SnapshotHeader, 'clubId' | 'kind' | 'campaignId' | 'runId'> => ({
  clubId,
  kind: 'experiment',
  campaignId: run.experimentId,
  runId: run.runId,
});

/** Whether the run still counts this experiment as it is (a new id, or any change since it started, counts again). */
const runFits = (run: CountRun | undefined, experiment: Experiment): run is CountRun =>
  run !== undefined &&
  run.rows === 2 &&
  run.experimentId === experiment.experimentId &&
  Date.parse(experiment.updatedAt) <= Date.parse(run.startedAt);

/** What every slice of a run counts against: its instant, its months, the club's rules, the campaigns. */
interface CountFrame {
  readonly countingAt: Date;
  readonly months: ReturnType<typeof monthsUntil>;
  readonly until: number;
  readonly rules: { readonly engagement: Club['engagement']; readonly conversionWindowDays: number };
  readonly campaigns: Campaign[];
}

async function frameOf(deps: CountDeps, club: Club, experiment: Experiment, run: CountRun): Promise<CountFrame> {
  const countingAt = new Date(run.countingAt);
  return {
    countingAt,
    months: monthsUntil(experiment, countingAt.getTime()),
    until: untilOf(experiment, countingAt.getTime()),
    rules: { engagement: club.engagement, conversionWindowDays: experiment.conversionWindowDays },
    campaigns: await campaignsOfExperiment(deps, experiment),
  };
}

/** Count the next page of each of these shards, at once, and note where each got to. */
async function countSlices(
  deps: CountDeps,
  experiment: Experiment,
  run: CountRun,
  frame: CountFrame,
  shards: readonly number[],
): Promise<void> {
  await Promise.all(
    shards.map(async (index) => {
      const shard = run.shards[index];
      if (!shard || shard.done) return;
      const page = await deps.members.listShard(experiment.clubId, index, shard.cursor, run.pageSize);
      const histories = await historiesOf(deps, experiment, frame.campaigns, page.states, frame.countingAt);
      const tallies = tallyMembers(histories, frame.months, frame.until, frame.rules);
      await deps.snapshots.putRows(runRef(experiment.clubId, run), [
        { key: rowKey(index, shard.pages), rows: tallies },
      ]);
      run.members += page.states.length;
      shard.pages += 1;
      if (page.cursor) shard.cursor = page.cursor;
      else {
        delete shard.cursor;
        shard.done = true;
      }
    }),
  );
}

/** Start a count with every shard at its beginning, as of now. */
function newRun(experiment: Experiment, now: Date, pageSize: number): CountRun {
  return {
    runId: randomUUID(),
    experimentId: experiment.experimentId,
    countingAt: now.toISOString(),
    startedAt: now.toISOString(),
    pageSize,
    shards: Array.from({ length: MEMBER_SHARDS }, () => ({ pages: 0, done: false })),
    members: 0,
    rows: 2,
  };
}

/**
 * Start the club's count when none is under way (or with `restart`, start again), and advance it for about `budgetMs`: at
 * least one round of slices per call. Undefined when the club or its experiment does not exist.
 * Returns the stored count as it is afterwards (another counter's, when it moved first).
 */
export async function advanceExperimentCount(
  deps: CountDeps,
  clubId: string,
  options: {
    readonly budgetMs: number;
    readonly restart?: boolean;
    /** Only go on with a count under way (the page's "continue"): never start one. */
    readonly onlyContinue?: boolean;
    readonly pageSize?: number;
  },
): Promise<ExperimentCount | undefined> {
  const began = Date.now();
  const [club, experiment, current] = await Promise.all([
    deps.clubs.getClub(clubId),
    deps.experiments.get(clubId),
    deps.experiments.getCount(clubId),
  ]);
  if (!club || !experiment) return undefined;
  let count: ExperimentCount = current ?? { clubId, version: 0 };
  if (options.onlyContinue && !options.restart && !runFits(count.run, experiment)) return current;
  if (options.restart || !runFits(count.run, experiment)) {
    const started: ExperimentCount = {
      ...count,
      version: count.version + 1,
      run: newRun(experiment, deps.clock.now(), options.pageSize ?? COUNT_PAGE),
    };
    if ((await deps.experiments.putCount(started, current?.version)) === 'changed')
      return deps.experiments.getCount(clubId);
    count = started;
  }
  const read = count.version;
  const run: CountRun = structuredClone(count.run ?? newRun(experiment, deps.clock.now(), COUNT_PAGE));
  const frame = await frameOf(deps, club, experiment, run);
  // A few shards at a time, then a page of rows or a month at a time, so a call overruns its budget by at
  // most one step.
  const ref = runRef(experiment.clubId, run);
  let finishing = run.finishing;
  do {
    if (run.shards.some((s) => !s.done)) {
      const open = run.shards.flatMap((s, index) => (s.done ? [] : [index]));
      await countSlices(deps, experiment, run, frame, open.slice(0, SHARDS_AT_ONCE));
    } else if (!finishing?.summed)
      finishing = await addNextRows(deps, ref, finishing ?? { slices: 0, summed: false, months: [] });
    else finishing = await workOutNextMonth(deps, ref, experiment, frame.months, finishing);
  } while (Date.now() - began < options.budgetMs && !(finishing && finished(finishing, frame.months)));
  if (finishing) run.finishing = finishing;
  let next: ExperimentCount = { ...count, version: read + 1, run };
  if (finishing && finished(finishing, frame.months)) {
    const { run: _done, ...rest } = next;
    next = {
      ...rest,
      last: {
        experimentId: run.experimentId,
        countedAt: run.countingAt,
        finishedAt: deps.clock.now().toISOString(),
        slices: finishing.slices,
        months: finishing.months,
      },
    };
  }
  if ((await deps.experiments.putCount(next, read)) === 'changed') return deps.experiments.getCount(clubId);
  return next;
}
