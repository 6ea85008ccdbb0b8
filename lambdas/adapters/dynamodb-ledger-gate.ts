import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { LedgerStop } from '../core/ledger.js';
import { expiresAt } from '../core/retention.js';
import { Keys } from './dynamodb-keys.js';

/**
 * Mirror whether the member may be mailed into the ledger item (lambdas/core/ledger.ts LedgerStop),
 * bumping its version so that a claim judged on the ledger before this change cannot land. Each
 * change also moves the ledger's expiry (docs/retention.md).
 */
export async function gateLedger(
  db: DynamoDBDocumentClient,
  tableName: string,
  clubId: string,
  memberId: string,
  stop: LedgerStop | undefined,
  now: Date,
): Promise<void> {
  await db.send(
    new UpdateCommand({
      TableName: tableName,
      Key: Keys.ledger(clubId, memberId),
      UpdateExpression: `SET #type = if_not_exists(#type, :ledger), sends = if_not_exists(sends, :empty), expiresAt = :expires${stop ? ', #stop = :stop' : ''} ADD version :one${stop ? '' : ' REMOVE #stop'}`,
      ExpressionAttributeNames: { '#type': 'type', '#stop': 'stop' },
      ExpressionAttributeValues: {
        ':ledger': 'ledger',
        ':empty': {},
        ':one': 1,
        ':expires': expiresAt(now, 'ledger'),
        ...(stop ? { ':stop': stop } : {}),
      },
    }),
  );
}
