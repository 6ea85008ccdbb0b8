import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { z } from 'zod';
import type { Logger } from '../core/ports.js';

/**
 * Run `work` for every record of an SQS batch and report only the failed ones
 * (ReportBatchItemFailures), so one poison record never re-runs its neighbours. A record that
 * does not parse fails too: after five receives it rests in the DLQ for a human to look at.
 */
export async function eachRecord<T>(
  event: SQSEvent,
  schema: z.ZodType<T>,
  log: Logger,
  work: (job: T) => Promise<unknown>,
): Promise<SQSBatchResponse> {
  const failures: SQSBatchResponse['batchItemFailures'] = [];
  await Promise.all(
    event.Records.map(async (record) => {
      let body: unknown;
      try {
        body = JSON.parse(record.body);
      } catch {
        log.error('SQS record is not JSON', { messageId: record.messageId });
        failures.push({ itemIdentifier: record.messageId });
        return;
      }
      const parsed = schema.safeParse(body);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        log.error('SQS record does not match its schema', {
          messageId: record.messageId,
          field: issue?.path.join('.'),
          problem: issue?.message,
        });
        failures.push({ itemIdentifier: record.messageId });
        return;
      }
      try {
        await work(parsed.data);
      } catch (error: unknown) {
        log.warn('SQS record failed; it will be retried', {
          messageId: record.messageId,
          receiveCount: record.attributes.ApproximateReceiveCount,
          error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
        });
        failures.push({ itemIdentifier: record.messageId });
      }
    }),
  );
  return { batchItemFailures: failures };
}
