import { AthenaClient } from '@aws-sdk/client-athena';
import type { Context } from 'aws-lambda';
import { z } from 'zod';
import { AthenaQueryResults } from '../adapters/athena-query-results.js';
import { logLambdaContext } from '../adapters/powertools-logger.js';
import type { advanceExperimentCount } from '../app/experiment-count.js';
import { clubsWithRunningExperiment, countOnce } from '../app/experiment-nightly.js';
import { completeSqlFit, prepareSqlFit, type SqlFitDeps } from '../app/fit-club-model-sql.js';
import type { FitResults } from '../core/fit-assembly.js';
import { FIT_PARTS } from '../core/fit-sql.js';
import { Id } from '../core/model.js';
import { assertNever } from '../core/units.js';
import { lazyDeps } from '../runtime/aws-deps.js';

/**
 * A call of the nightly experiment count: minutes of counting, well inside the function's 10-minute
 * timeout (a call overruns its budget by at most one step of seconds).
 */
export const COUNT_CALL_MS = 4 * 60_000;

/** One step of the nightly fit workflow (lib/constructs/model-fit.ts), as Step Functions invokes it. */
export const FitStep = z.discriminatedUnion('step', [
  z.object({ step: z.literal('clubs') }),
  z.object({ step: z.literal('prepare'), clubId: Id }),
  z.object({
    step: z.literal('store'),
    plan: z.object({ clubId: Id, snapshot: z.string().min(1), fittedAt: z.iso.datetime({ offset: true }) }),
    executions: z.array(z.object({ part: z.enum(FIT_PARTS), queryExecutionId: z.string().min(1) })),
  }),
  /** The clubs (of those the fit lists) whose experiment is running. */
  z.object({ step: z.literal('experiments') }),
  /** Count one club's experiment for a while; `calls` is the workflow's loop counter, handed back one up. */
  z.object({ step: z.literal('count'), clubId: Id, calls: z.number().int().min(0) }),
]);

type FitModelDeps = SqlFitDeps & Parameters<typeof advanceExperimentCount>[0];

export const createFitModelHandler =
  (deps: FitModelDeps, results: AthenaQueryResults, countCallMs = COUNT_CALL_MS) =>
  async (event: unknown) => {
    const input = FitStep.parse(event);
    switch (input.step) {
      case 'clubs':
        return { clubs: (await deps.receiptArchive.clubs()).map((clubId) => ({ clubId })) };
      case 'prepare': {
        const { queries, ...plan } = await prepareSqlFit(deps, input.clubId);
        return { plan, queries: Object.entries(queries).map(([part, sql]) => ({ part, sql })) };
      }
      case 'store': {
        const rows: FitResults = {};
        await Promise.all(
          input.executions.map(async (e) => {
            rows[e.part] = await results.rows(e.queryExecutionId);
          }),
        );
        const model = await completeSqlFit(deps, input.plan, rows);
        return { clubId: input.plan.clubId, members: model.members, baskets: model.baskets, items: model.items };
      }
      case 'experiments': {
        const clubs = await clubsWithRunningExperiment(deps, await deps.receiptArchive.clubs());
        return { clubs: clubs.map((clubId) => ({ clubId, calls: 0 })) };
      }
      case 'count': {
        const counting = await countOnce(deps, input.clubId, countCallMs);
        return { clubId: input.clubId, calls: input.calls + 1, counting };
      }
      default:
        return assertNever(input);
    }
  };

const deps = lazyDeps();
const results = new AthenaQueryResults(new AthenaClient({}));
export const handler = async (event: unknown, context?: Context) => {
  logLambdaContext(context);
  return createFitModelHandler(await deps(), results)(event);
};
