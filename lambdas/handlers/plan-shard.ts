import type { Context, SQSEvent } from 'aws-lambda';
import { logLambdaContext } from '../adapters/powertools-logger.js';
import type { Deps } from '../app/deps.js';
import { planShard } from '../app/plan-shard.js';
import { PlanShardJob } from '../core/jobs.js';
import { lazyDeps } from '../runtime/aws-deps.js';
import { eachRecord } from './sqs-batch.js';

/** Consumes the plan-shard queue: one page of one member shard per record. */
export const createPlanShardHandler = (deps: Deps) => (event: SQSEvent) =>
  eachRecord(event, PlanShardJob, deps.log, (job) => planShard(deps, job));

const deps = lazyDeps();
export const handler = async (event: SQSEvent, context?: Context) => {
  logLambdaContext(context);
  return createPlanShardHandler(await deps())(event);
};
