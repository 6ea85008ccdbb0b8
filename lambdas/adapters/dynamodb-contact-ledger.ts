import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { ContentionError } from '../core/errors.js';
import {
  type ClaimOutcome,
  claimSend,
  EMPTY_LEDGER,
  Ledger,
  releasedSends,
  storedLedger,
  withPendingFold,
} from '../core/ledger.js';
import type { ContactLedger } from '../core/ports.js';
import { expiresAt } from '../core/retention.js';
import { isConditionalCheckFailed } from './dynamodb-client.js';
import { Keys } from './dynamodb-keys.js';

const MAX_CONFLICTS = 10;

/**
 * The member's ledger item, rewritten with an optimistic version check. The budget is judged on
 * the version read, and the write only lands if nobody changed it since: claim and budget check
 * are one conditional write, without transactions.
 */
export class DynamoDbContactLedger implements ContactLedger {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async claim(request: Parameters<ContactLedger['claim']>[0]): Promise<ClaimOutcome> {
    const key = Keys.ledger(request.clubId, request.memberId);
    let hint = request.ledger;
    for (let attempt = 0; attempt < MAX_CONFLICTS; attempt++) {
      let ledger: Ledger;
      if (hint) {
        ledger = hint;
        hint = undefined;
      } else {
        const read = await this.db.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }));
        ledger = read.Item ? Ledger.parse(read.Item) : EMPTY_LEDGER;
      }
      const outcome = claimSend(ledger, request, request.now, request.policy, request.frequency);
      // A hinted ledger may be stale: only a fresh read may answer "already claimed" or "over budget".
      if (outcome.kind !== 'claimed') {
        if (attempt === 0 && request.ledger) continue;
        return outcome;
      }
      // Version 0 is the ledger that does not exist yet.
      const exists = ledger.version > 0;
      try {
        await this.db.send(
          new PutCommand({
            TableName: this.tableName,
            Item: {
              ...key,
              type: 'ledger',
              ...storedLedger(outcome.next),
              expiresAt: expiresAt(request.now, 'ledger'),
            },
            ConditionExpression: exists ? 'version = :read' : 'attribute_not_exists(pk)',
            ...(exists ? { ExpressionAttributeValues: { ':read': ledger.version } } : {}),
          }),
        );
        return outcome;
      } catch (error: unknown) {
        if (!isConditionalCheckFailed(error)) throw error;
        // Someone else claimed for this member in between: read again and re-judge the budget.
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * (attempt + 1)));
      }
    }
    throw new ContentionError(`Ledger for member stayed contended after ${MAX_CONFLICTS} attempts`);
  }

  async leaveFold(request: Parameters<ContactLedger['leaveFold']>[0]): Promise<'left' | 'unchanged'> {
    const key = Keys.ledger(request.clubId, request.memberId);
    let hint = request.ledger;
    for (let attempt = 0; attempt < MAX_CONFLICTS; attempt++) {
      let ledger: Ledger;
      if (hint) {
        ledger = hint;
        hint = undefined;
      } else {
        const read = await this.db.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }));
        ledger = read.Item ? Ledger.parse(read.Item) : EMPTY_LEDGER;
      }
      const next = withPendingFold(ledger, request, request.now);
      if (!next) {
        // A hinted ledger may be stale: only a fresh read may say there is nothing to write.
        if (attempt === 0 && request.ledger) continue;
        return 'unchanged';
      }
      const exists = ledger.version > 0;
      try {
        await this.db.send(
          new PutCommand({
            TableName: this.tableName,
            Item: { ...key, type: 'ledger', ...storedLedger(next), expiresAt: expiresAt(request.now, 'ledger') },
            ConditionExpression: exists ? 'version = :read' : 'attribute_not_exists(pk)',
            ...(exists ? { ExpressionAttributeValues: { ':read': ledger.version } } : {}),
          }),
        );
        return 'left';
      } catch (error: unknown) {
        if (!isConditionalCheckFailed(error)) throw error;
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * (attempt + 1)));
      }
    }
    throw new ContentionError(`Ledger for member stayed contended after ${MAX_CONFLICTS} attempts`);
  }

  async release(request: Parameters<ContactLedger['release']>[0]): Promise<void> {
    const key = Keys.ledger(request.clubId, request.memberId);
    for (let attempt = 0; attempt < MAX_CONFLICTS; attempt++) {
      const read = await this.db.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }));
      if (!read.Item) return;
      const ledger = Ledger.parse(read.Item);
      const existing = ledger.sends[request.sendId];
      if (!existing || existing.kind === 'dropped') return;
      // A tombstone, not a deletion: a later delivery of the same job finds it and stops. Offers
      // folded into the mail are freed with it (core/fold.ts).
      const sends = releasedSends(ledger.sends, request);
      try {
        await this.db.send(
          new PutCommand({
            TableName: this.tableName,
            // The stop and the latest service case stay: only the send becomes a tombstone.
            Item: {
              ...key,
              type: 'ledger',
              ...storedLedger({ ...ledger, version: ledger.version + 1, sends }),
              expiresAt: expiresAt(new Date(), 'ledger'),
            },
            ConditionExpression: 'version = :read',
            ExpressionAttributeValues: { ':read': ledger.version },
          }),
        );
        return;
      } catch (error: unknown) {
        if (!isConditionalCheckFailed(error)) throw error;
      }
    }
    throw new ContentionError(`Ledger for member stayed contended after ${MAX_CONFLICTS} attempts`);
  }
}
