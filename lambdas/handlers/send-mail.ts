import type { Context, SQSEvent } from 'aws-lambda';
import { logLambdaContext } from '../adapters/powertools-logger.js';
import { deliverMail } from '../app/deliver-mail.js';
import type { Deps } from '../app/deps.js';
import { flushBatch, newBatchCache, newCatalogCache } from '../app/send-batch-cache.js';
import { SendJob } from '../core/jobs.js';
import { lazyDeps } from '../runtime/aws-deps.js';
import { perColdStart } from '../runtime/cold-start.js';
import { eachRecord } from './sqs-batch.js';

/**
 * Consumes the send queue: one mail per record, sent exactly once. The campaign and the breakers
 * are read once per batch, the catalog once a minute per instance, and the batch's sends are
 * counted in one write per club.
 */
export const createSendMailHandler = (deps: Deps) => {
  let catalogs = newCatalogCache();
  let catalogsAt = Date.now();
  return async (event: SQSEvent) => {
    if (Date.now() - catalogsAt >= deps.sendSettings.catalogTtlMs) {
      catalogs = newCatalogCache();
      catalogsAt = Date.now();
    }
    const cache = newBatchCache(catalogs);
    const response = await eachRecord(event, SendJob, deps.log, (job) => deliverMail(deps, job, cache));
    try {
      await flushBatch(deps, cache);
    } catch (error: unknown) {
      // The mails went; a lost count only makes the club's rates look worse, the safe side.
      deps.log.error('could not count the batch sends', { error });
    }
    return response;
  };
};

// Built once per cold start: a handler built per invocation would start each batch with an empty catalog cache.
const sendMail = perColdStart(lazyDeps(), createSendMailHandler);
export const handler = async (event: SQSEvent, context?: Context) => {
  logLambdaContext(context);
  return (await sendMail())(event);
};
