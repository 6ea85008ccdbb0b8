import type { Context } from 'aws-lambda';
import { logLambdaContext } from '../adapters/powertools-logger.js';
import type { Deps } from '../app/deps.js';
import { checkOverdueCases } from '../app/feedback-cases.js';
import { lazyDeps } from '../runtime/aws-deps.js';

/**
 * Every 15 minutes (an EventBridge rule on AWS, a timer locally): count the follow-up cases past due
 * that nobody has contacted, as the metric the overdue alarm watches.
 */
export const createCheckFeedbackCasesHandler =
  (deps: Pick<Deps, 'feedbackCases' | 'metrics' | 'clock' | 'log'>) => async (_event?: unknown) =>
    checkOverdueCases(deps);

const deps = lazyDeps();
export const handler = async (event: unknown, context?: Context) => {
  logLambdaContext(context);
  return createCheckFeedbackCasesHandler(await deps())(event);
};
