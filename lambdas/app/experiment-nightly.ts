import type { Deps } from './deps.js';
import { advanceExperimentCount } from './experiment-count.js';

/**
 * The nightly experiment count (docs/decisions/0053-experiment-counted-in-slices.md): after the model
 * fit, each club with a running experiment is counted to the end, so its figures are a night old at
 * most without anyone pressing "Count again". Locally `npm start` runs it beside the fit
 * (runtime/local-model-fit.ts); on AWS the fit's workflow calls the fit function's `count` step in a
 * bounded loop (lib/constructs/model-fit.ts).
 */

type NightlyDeps = Parameters<typeof advanceExperimentCount>[0];

/** The clubs among these whose experiment is running (a stopped one's figures do not change). */
export async function clubsWithRunningExperiment(
  deps: Pick<Deps, 'experiments'>,
  clubIds: readonly string[],
): Promise<string[]> {
  const experiments = await Promise.all(clubIds.map((clubId) => deps.experiments.get(clubId)));
  return clubIds.filter((_, i) => experiments[i]?.status === 'running');
}

/**
 * One call of the nightly count: go on with the club's count under way, or start one as of now, for
 * about `budgetMs`. True while the count is not finished (call again).
 */
export async function countOnce(deps: NightlyDeps, clubId: string, budgetMs: number): Promise<boolean> {
  const count = await advanceExperimentCount(deps, clubId, { budgetMs });
  return count?.run !== undefined;
}

/** Count the club's experiment to the end in calls of `budgetMs`, at most `maxCalls`; true when it finished. */
export async function countToTheEnd(
  deps: NightlyDeps,
  clubId: string,
  options: { readonly budgetMs: number; readonly maxCalls: number },
): Promise<boolean> {
  for (let call = 0; call < options.maxCalls; call++)
    if (!(await countOnce(deps, clubId, options.budgetMs))) return true;
  return false;
}
