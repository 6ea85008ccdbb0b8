import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ClubPlannerError, StoreError } from '../core/errors.js';
import { awsClientConfig, errorName } from './aws-client-config.js';

/** What the adapters answer themselves: a failed condition is a domain answer, not a fault. */
const ANSWERED = new Set(['ConditionalCheckFailedException', 'TransactionCanceledException']);

/**
 * The document client every DynamoDB adapter shares. `endpoint` points it at the local emulator.
 * Every other SDK failure leaves it as a StoreError naming the command and the SDK's error (the
 * `cause`), after the SDK's own retries: nothing above the adapters sees a DynamoDB exception.
 */
export function createDocumentClient(options: { endpoint?: string; region?: string } = {}): DynamoDBDocumentClient {
  const client = new DynamoDBClient(awsClientConfig(options));
  client.middlewareStack.add(
    (next, context) => async (args) => {
      try {
        return await next(args);
      } catch (error: unknown) {
        const name = errorName(error);
        if (error instanceof ClubPlannerError || ANSWERED.has(name)) throw error;
        throw new StoreError(`DynamoDB ${context.commandName ?? 'command'} failed (${name})`, { cause: error });
      }
    },
    { step: 'initialize', priority: 'high', name: 'clubPlannerStoreErrors' },
  );
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}

export function isConditionalCheckFailed(error: unknown): boolean {
  return errorName(error) === 'ConditionalCheckFailedException';
}
