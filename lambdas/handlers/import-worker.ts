import type { SQSEvent } from 'aws-lambda';
import type { Deps } from '../app/deps.js';
import { runImportStep } from '../app/import-steps.js';
import { ImportMessage } from '../core/import-job.js';
import { lazyDeps } from '../runtime/aws-deps.js';
import { eachRecord } from './sqs-batch.js';

/** Consumes the import queue: one step of one import job per record (read the file, a chunk, finish). */
export const createImportWorkerHandler = (deps: Deps) => (event: SQSEvent) =>
  eachRecord(event, ImportMessage, deps.log, (message) => runImportStep(deps, message));

const deps = lazyDeps();
export const handler = async (event: SQSEvent) => createImportWorkerHandler(await deps())(event);
