import type { Context } from 'aws-lambda';
import { z } from 'zod';
import { logLambdaContext } from '../adapters/powertools-logger.js';
import type { Deps } from '../app/deps.js';
import { runAutomation } from '../app/run-automation.js';
import { startCampaign } from '../app/start-campaign.js';
import { RunAutomationJob } from '../core/automation.js';
import { StartCampaignJob } from '../core/jobs.js';
import { lazyDeps } from '../runtime/aws-deps.js';

const ScheduledJob = z.union([StartCampaignJob, RunAutomationJob]);

/**
 * Invoked by a campaign's one-time EventBridge schedule with `{ clubId, campaignId }`, and by an
 * automation's recurring one with `{ clubId, automationId, scheduledTime }` (app/run-automation.ts).
 */
export const createPlanCampaignHandler = (deps: Deps) => async (event: unknown) => {
  const job = ScheduledJob.parse(event);
  if ('automationId' in job) return { outcome: await runAutomation(deps, job) };
  return { outcome: await startCampaign(deps, job) };
};

const deps = lazyDeps();
export const handler = async (event: unknown, context?: Context) => {
  logLambdaContext(context);
  return createPlanCampaignHandler(await deps())(event);
};
