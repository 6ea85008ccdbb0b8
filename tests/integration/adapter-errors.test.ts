import type { AddressInfo } from 'node:net';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import dynalite from 'dynalite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsClientConfig } from '../../lambdas/adapters/aws-client-config.js';
import { createDocumentClient, isConditionalCheckFailed } from '../../lambdas/adapters/dynamodb-client.js';
import { SqsWorkQueue } from '../../lambdas/adapters/sqs-work-queue.js';
import { ClubPlannerError, QueueError, StoreError } from '../../lambdas/core/errors.js';

const server = dynalite({ createTableMs: 0 });
let endpoint = '';

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('provider errors at the adapters', () => {
  it('turns a DynamoDB failure into a StoreError naming the command, with the SDK error as its cause', async () => {
    const db = createDocumentClient({ endpoint });
    const error: unknown = await db
      .send(new GetCommand({ TableName: `missing-${Date.now()}`, Key: { pk: 'a', sk: 'b' } }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreError);
    expect(error).toBeInstanceOf(ClubPlannerError);
    expect((error as StoreError).message).toBe('DynamoDB GetItemCommand failed (ResourceNotFoundException)');
    expect((error as StoreError).cause).toMatchObject({ name: 'ResourceNotFoundException' });
  });

  it('leaves a failed condition as it is, for the adapter to answer as a domain outcome', async () => {
    const TableName = `conditions-${Date.now()}`;
    const admin = new DynamoDBClient(awsClientConfig({ endpoint }));
    await admin.send(
      new CreateTableCommand({
        TableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      }),
    );
    const db = createDocumentClient({ endpoint });
    const put = () =>
      db.send(new PutCommand({ TableName, Item: { pk: 'a' }, ConditionExpression: 'attribute_not_exists(pk)' }));
    await put();
    const error: unknown = await put().catch((e: unknown) => e);
    expect(isConditionalCheckFailed(error)).toBe(true);
    expect(error).not.toBeInstanceOf(StoreError);
  });

  it('turns a queue that cannot be reached into a QueueError', async () => {
    const sqs = new SQSClient({ ...awsClientConfig({ endpoint }), maxAttempts: 1 });
    const queue = new SqsWorkQueue<{ n: number }>(sqs, `${endpoint}/000000000000/no-such-queue`);
    await expect(queue.send([{ n: 1 }])).rejects.toBeInstanceOf(QueueError);
  });
});
