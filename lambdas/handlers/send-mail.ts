import type { SQSEvent } from 'aws-lambda';
import { deliverMail, newBatchCache } from '../app/deliver-mail.js';
import type { Deps } from '../app/deps.js';
import { SendJob } from '../core/jobs.js';
import { lazyDeps } from '../runtime/aws-deps.js';
import { eachRecord } from './sqs-batch.js';

/** Consumes the send queue: one mail per record, sent at most once. */
export const createSendMailHandler = (deps: Deps) => (event: SQSEvent) => {
  const cache = newBatchCache();
  return eachRecord(event, SendJob, deps.log, (job) => deliverMail(deps, job, cache));
};

const deps = lazyDeps();
export const handler = async (event: SQSEvent) => createSendMailHandler(await deps())(event);
