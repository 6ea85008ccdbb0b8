import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { z } from 'zod';
import { ClubPlannerError } from '../core/errors.js';
import type { Logger } from '../core/ports.js';

/** A record that can never succeed as it is: after five receives it rests in the DLQ. */
class UnreadableRecordError extends ClubPlannerError {
  constructor(message: string) {
    super(message);
    this.name = 'UnreadableRecordError';
  }
}

/**
 * Run `work` for every record of an SQS batch, concurrently, with Powertools' partial-batch
 * processor, reporting only the failed ones (ReportBatchItemFailures), so one poison record never
 * re-runs its neighbours. A record that is not JSON or does not match `schema` fails too: after
 * five receives it rests in the DLQ for a human to look at. A batch whose every record failed is
 * reported like any other, not thrown.
 */
export async function eachRecord<T>(
  event: SQSEvent,
  schema: z.ZodType<T>,
  log: Logger,
  work: (job: T) => Promise<unknown>,
): Promise<SQSBatchResponse> {
  const handle = async (record: SQSRecord): Promise<void> => {
    const job = parseRecord(record, schema, log);
    try {
      await work(job);
    } catch (error: unknown) {
      log.warn('SQS record failed; it will be retried', {
        messageId: record.messageId,
        receiveCount: record.attributes.ApproximateReceiveCount,
        error,
      });
      throw error;
    }
  };
  // One processor per batch: a local run may hand the same handler several batches at once.
  return processPartialResponse(event, handle, new BatchProcessor(EventType.SQS), { throwOnFullBatchFailure: false });
}

function parseRecord<T>(record: SQSRecord, schema: z.ZodType<T>, log: Logger): T {
  let body: unknown;
  try {
    body = JSON.parse(record.body);
  } catch {
    log.error('SQS record is not JSON', { messageId: record.messageId });
    throw new UnreadableRecordError('SQS record is not JSON');
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    log.error('SQS record does not match its schema', {
      messageId: record.messageId,
      field: issue?.path.join('.'),
      problem: issue?.message,
    });
    throw new UnreadableRecordError('SQS record does not match its schema');
  }
  return parsed.data;
}
