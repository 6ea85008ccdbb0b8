import { createHmac } from 'node:crypto';
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { ConfigError } from '../core/errors.js';
import type { SuppressionList, SuppressionReason } from '../core/ports.js';
import { type TokenKeys, tokenKey } from '../core/tokens.js';
import { isConditionalCheckFailed } from './dynamodb-client.js';
import { Keys } from './dynamodb-keys.js';

/**
 * The keyed hash an erased address is remembered by: HMAC-SHA-256 under a server key, of the
 * trimmed, lower-cased address. Without the key, the hash cannot be tested against guessed addresses.
 */
export function addressHash(key: string, email: string): string {
  return createHmac('sha256', key).update(email.trim().toLowerCase()).digest('base64url');
}

/** Suppression entries in the club's own partition, holding only the keyed hash, the time and the source. */
export class DynamoDbSuppressionList implements SuppressionList {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    /** The hashing key; a function so a deployed function loads its secret only when it needs it. */
    private readonly key: () => Promise<string>,
  ) {}

  /** Idempotent: the first entry (its time and source) stays. */
  async add(
    clubId: string,
    email: string,
    at: Date,
    source: string,
    reason: SuppressionReason = 'erased',
  ): Promise<void> {
    const hash = addressHash(await this.key(), email);
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...Keys.suppression(clubId, hash), type: 'suppression', reason, at: at.toISOString(), source },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error: unknown) {
      if (!isConditionalCheckFailed(error)) throw error;
    }
  }

  async hash(email: string): Promise<string> {
    return addressHash(await this.key(), email);
  }

  async has(clubId: string, email: string): Promise<boolean> {
    const hash = addressHash(await this.key(), email);
    const result = await this.db.send(
      new GetCommand({
        TableName: this.tableName,
        Key: Keys.suppression(clubId, hash),
        ConsistentRead: true,
        ProjectionExpression: 'pk',
      }),
    );
    return result.Item !== undefined;
  }
}

/**
 * A suppression key derived from the current token key, for when no dedicated key is configured
 * (local runs). It changes when the current token key does, so deployments should set their own.
 */
export function derivedSuppressionKey(keys: TokenKeys): string {
  const secret = tokenKey(keys, keys.current);
  if (!secret) throw new ConfigError(`Token key ${keys.current} is missing`);
  return createHmac('sha256', secret).update('club-planner/suppression-key/v1').digest('base64url');
}
