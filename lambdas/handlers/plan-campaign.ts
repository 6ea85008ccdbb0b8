import type { Context } from 'aws-lambda';
import { logLambdaContext } from '../adapters/powertools-logger.js';
import type { Deps } from '../app/deps.js';
import { startCampaign } from '../app/start-campaign.js';
import { StartCampaignJob } from '../core/jobs.js';
import { lazyDeps } from '../runtime/aws-deps.js';

/** Invoked by the campaign's one-time EventBridge schedule with `{ clubId, campaignId }`. */
export const createPlanCampaignHandler = (deps: Deps) => async (event: unknown) => {
  const job = StartCampaignJob.parse(event);
  return { outcome: await startCampaign(deps, job) };
};

const deps = lazyDeps();
export const handler = async (event: unknown, context?: Context) => {
  logLambdaContext(context);
  return createPlanCampaignHandler(await deps())(event);
};
