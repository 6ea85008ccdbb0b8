/**
 * `npm run dlq -- list` / `npm run dlq -- redrive <queue>`: inspect and redrive dead letters.
 *
 * Locally (default) it talks to `npm start`'s ops routes at --url (http://localhost:3000), signed in
 * as the local operator (or with --token <bearer>): the ops routes need the operators group.
 * On AWS, give --aws and the queue URL or ARN from the stack outputs (SendDeadLetterQueueUrl,
 * SendDeadLetterQueueArn, and the same for PlanShard and SesEvents):
 *   npm run dlq -- list --aws --dlq-url <SendDeadLetterQueueUrl>
 *   npm run dlq -- redrive --aws --dlq-arn <dead-letter queue ARN>
 * The AWS redrive uses SQS's own StartMessageMoveTask, which moves messages back to their source queue.
 */

import { parseArgs } from 'node:util';
import {
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
  StartMessageMoveTaskCommand,
} from '@aws-sdk/client-sqs';
import { z } from 'zod';
import { localToken, OPERATOR_EMAIL } from './local-identity.js';

const DeadLetters = z.object({
  queues: z.record(
    z.string(),
    z.array(z.object({ messageId: z.string(), receiveCount: z.number(), body: z.string() })),
  ),
});

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      url: { type: 'string', default: 'http://localhost:3000' },
      aws: { type: 'boolean', default: false },
      'dlq-url': { type: 'string' },
      'dlq-arn': { type: 'string' },
      token: { type: 'string' },
    },
  });
  const [command, queue] = positionals;
  if (command !== 'list' && command !== 'redrive')
    throw new Error(
      'usage: dlq list | dlq redrive <queue>  [--url http://localhost:3000 [--token …] | --aws --dlq-url … --dlq-arn …]',
    );

  if (values.aws) {
    const sqs = new SQSClient({});
    if (command === 'list') {
      const url = values['dlq-url'];
      if (!url) throw new Error('--dlq-url: required with --aws list');
      const attributes = await sqs.send(
        new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages'] }),
      );
      // VisibilityTimeout 0: peek without hiding the messages from a redrive.
      const page = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: url,
          MaxNumberOfMessages: 10,
          VisibilityTimeout: 0,
          MessageSystemAttributeNames: ['ApproximateReceiveCount'],
        }),
      );
      console.log(`${attributes.Attributes?.ApproximateNumberOfMessages ?? '?'} message(s) in ${url}`);
      for (const m of page.Messages ?? [])
        console.log(
          `${m.MessageId}  receives=${m.Attributes?.ApproximateReceiveCount ?? '?'}  ${(m.Body ?? '').slice(0, 200)}`,
        );
      return;
    }
    const arn = values['dlq-arn'];
    if (!arn) throw new Error('--dlq-arn: required with --aws redrive');
    const task = await sqs.send(new StartMessageMoveTaskCommand({ SourceArn: arn }));
    console.log(`redrive started: task ${task.TaskHandle ?? '?'}`);
    return;
  }

  const base = values.url.replace(/\/$/, '');
  const dataDir = z.string().default('.data').parse(process.env.CLUB_PLANNER_DATA);
  const token = values.token ?? (await localToken(dataDir, { kind: 'user', email: OPERATOR_EMAIL }));
  const headers = { authorization: `Bearer ${token}` };
  if (command === 'list') {
    const response = await fetch(`${base}/ops/dead-letters`, { headers });
    if (!response.ok) throw new Error(`${base}/ops/dead-letters answered ${response.status}`);
    const { queues } = DeadLetters.parse(await response.json());
    for (const [name, messages] of Object.entries(queues)) {
      console.log(`${name}: ${messages.length} dead letter(s)`);
      for (const m of messages) console.log(`  ${m.messageId}  receives=${m.receiveCount}  ${m.body.slice(0, 200)}`);
    }
    return;
  }
  if (!queue) throw new Error('queue: name the queue to redrive (send, plan-shard or ses-events)');
  const response = await fetch(`${base}/ops/dead-letters/${encodeURIComponent(queue)}/redrive`, {
    method: 'POST',
    headers,
  });
  const result: unknown = await response.json();
  if (!response.ok) throw new Error(z.object({ message: z.string() }).parse(result).message);
  console.log(`${queue}: ${z.object({ moved: z.number() }).parse(result).moved} message(s) moved back`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
