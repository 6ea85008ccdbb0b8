import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { logLambdaContext } from '../adapters/powertools-logger.js';
import type { Deps } from '../app/deps.js';
import { handleMailEvents } from '../app/mail-events.js';
import { type MailEvent, parseMailEvent } from '../core/ses-events.js';
import { lazyDeps } from '../runtime/aws-deps.js';

/**
 * Consumes SES events (configuration set -> EventBridge -> SQS). Every record is parsed with zod; one
 * that does not parse fails alone and, after five receives, rests in the DLQ. Only failed records
 * are reported, so a poison record never re-runs its batch.
 */
export const createSesEventsHandler =
  (
    deps: Pick<
      Deps,
      'campaigns' | 'members' | 'clubs' | 'suppressions' | 'deliveryStats' | 'sending' | 'outcomes' | 'clock' | 'log'
    >,
  ) =>
  async (event: SQSEvent): Promise<SQSBatchResponse> => {
    const failures: SQSBatchResponse['batchItemFailures'] = [];
    const parsed: Array<{ recordId: string; event: MailEvent }> = [];
    for (const record of event.Records) {
      let body: unknown;
      try {
        body = JSON.parse(record.body);
      } catch {
        deps.log.error('SES event record is not JSON', { messageId: record.messageId });
        failures.push({ itemIdentifier: record.messageId });
        continue;
      }
      const result = parseMailEvent(body);
      if (!result.ok) {
        deps.log.error('SES event does not match its schema', { messageId: record.messageId, problem: result.error });
        failures.push({ itemIdentifier: record.messageId });
        continue;
      }
      parsed.push({ recordId: record.messageId, event: result.event });
    }
    const failed = await handleMailEvents(
      deps,
      parsed.map((p) => p.event),
    );
    for (const index of failed) {
      const record = parsed[index];
      if (record) failures.push({ itemIdentifier: record.recordId });
    }
    return { batchItemFailures: failures };
  };

const deps = lazyDeps();
export const handler = async (event: SQSEvent, context?: Context) => {
  logLambdaContext(context);
  return createSesEventsHandler(await deps())(event);
};
