import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { QueueError } from '../core/errors.js';
import { MAX_QUEUE_DELAY_SECONDS, type WorkQueue } from '../core/ports.js';
import { errorName } from './aws-client-config.js';

/** Jobs as JSON messages on an SQS queue, sent ten at a time. */
export class SqsWorkQueue<T> implements WorkQueue<T> {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async send(jobs: readonly T[], options: { delaySeconds?: number } = {}): Promise<void> {
    const delay = Math.min(MAX_QUEUE_DELAY_SECONDS, Math.max(0, Math.ceil(options.delaySeconds ?? 0)));
    for (let i = 0; i < jobs.length; i += 10) {
      const batch = jobs.slice(i, i + 10);
      const result = await this.sqs
        .send(
          new SendMessageBatchCommand({
            QueueUrl: this.queueUrl,
            Entries: batch.map((job, j) => ({
              Id: String(j),
              MessageBody: JSON.stringify(job),
              ...(delay > 0 ? { DelaySeconds: delay } : {}),
            })),
          }),
        )
        .catch((error: unknown) => {
          throw new QueueError(`SQS did not take ${batch.length} messages (${errorName(error)})`, { cause: error });
        });
      const failed = result.Failed ?? [];
      if (failed.length > 0) {
        throw new QueueError(
          `SQS refused ${failed.length} of ${batch.length} messages: ${failed[0]?.Code ?? 'unknown'}`,
        );
      }
    }
  }
}
