import { createHmac } from 'node:crypto';
import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { ConfigError } from '../core/errors.js';
import type { AddressBlock } from '../core/member-sync.js';
import type { SuppressionList, SuppressionReason } from '../core/ports.js';
import { type TokenKeys, tokenKey } from '../core/tokens.js';
import { isConditionalCheckFailed } from './dynamodb-client.js';
import { Keys } from './dynamodb-keys.js';
import { batchGetAll } from './dynamodb-paging.js';

/**
 * The keyed hash an erased address is remembered by: HMAC-SHA-256 under a server key, of the
 * trimmed, lower-cased address. Without the key, the hash cannot be tested against guessed addresses.
 */
export function addressHash(key: string, email: string): string {
  return createHmac('sha256', key).update(email.trim().toLowerCase()).digest('base64url');
}

const Entry = z.object({
  reason: z.enum(['erased', 'hard-bounce', 'complaint', 'withdrawn']),
  at: z.string(),
  source: z.string(),
  grantSources: z.array(z.string()).optional(),
  liftedAt: z.string().optional(),
});
type Entry = z.infer<typeof Entry>;

/** A stronger reason replaces a weaker one: an erasure is final, a withdrawal may be renewed. */
const STRENGTH: Readonly<Record<SuppressionReason, number>> = {
  withdrawn: 1,
  'hard-bounce': 2,
  complaint: 3,
  erased: 4,
};

const MAX_ATTEMPTS = 5;

/**
 * Suppression entries in the club's own partition, holding only the keyed hash, the reason, the time
 * and the source (and, for a withdrawal, the sources of the grants it ended: labels such as "crm").
 */
export class DynamoDbSuppressionList implements SuppressionList {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    /** The hashing key; a function so a deployed function loads its secret only when it needs it. */
    private readonly key: () => Promise<string>,
  ) {}

  async add(
    clubId: string,
    email: string,
    at: Date,
    source: string,
    reason: SuppressionReason = 'erased',
    grantSources?: readonly string[],
  ): Promise<void> {
    const key = Keys.suppression(clubId, addressHash(await this.key(), email));
    const item: Record<string, unknown> = {
      ...key,
      type: 'suppression',
      reason,
      at: at.toISOString(),
      source,
      ...(reason === 'withdrawn' && grantSources ? { grantSources: [...grantSources] } : {}),
    };
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const stored = await this.read(key);
      // In force with an equal or stronger reason: the first entry (its time and source) stays.
      if (stored && !stored.liftedAt && STRENGTH[stored.reason] >= STRENGTH[reason]) return;
      const condition = !stored
        ? { ConditionExpression: 'attribute_not_exists(pk)' }
        : {
            ConditionExpression: '#at = :readAt AND reason = :readReason',
            ExpressionAttributeNames: { '#at': 'at' },
            ExpressionAttributeValues: { ':readAt': stored.at, ':readReason': stored.reason },
          };
      try {
        await this.db.send(new PutCommand({ TableName: this.tableName, Item: item, ...condition }));
        return;
      } catch (error: unknown) {
        if (!isConditionalCheckFailed(error)) throw error;
      }
    }
    throw new Error('the suppression entry changed five times while it was written');
  }

  async hash(email: string): Promise<string> {
    return addressHash(await this.key(), email);
  }

  async has(clubId: string, email: string): Promise<boolean> {
    const entry = await this.read(Keys.suppression(clubId, addressHash(await this.key(), email)));
    return entry !== undefined && entry.liftedAt === undefined;
  }

  async find(clubId: string, emails: readonly string[]): Promise<Map<string, AddressBlock>> {
    const key = await this.key();
    const byHash = new Map<string, string[]>();
    for (const email of emails) {
      const hash = addressHash(key, email);
      byHash.set(hash, [...(byHash.get(hash) ?? []), email]);
    }
    const items = await batchGetAll(
      this.db,
      this.tableName,
      [...byHash.keys()].map((hash) => Keys.suppression(clubId, hash)),
      { consistent: true },
    );
    const found = new Map<string, AddressBlock>();
    for (const item of items) {
      const entry = Entry.parse(item);
      if (entry.liftedAt) continue;
      const hash = String(item.sk).slice('EMAIL#'.length);
      const block: AddressBlock = {
        reason: entry.reason,
        at: entry.at,
        ...(entry.grantSources ? { grantSources: entry.grantSources } : {}),
      };
      for (const email of byHash.get(hash) ?? []) found.set(email, block);
    }
    return found;
  }

  async lift(clubId: string, email: string, grant: { readonly at: string; readonly source: string }): Promise<boolean> {
    const key = Keys.suppression(clubId, addressHash(await this.key(), email));
    const stored = await this.read(key);
    if (!stored || stored.liftedAt || stored.reason === 'hard-bounce') return false;
    if (Date.parse(grant.at) <= Date.parse(stored.at)) return false;
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: key,
          UpdateExpression: 'SET liftedAt = :liftedAt, liftedBy = :liftedBy',
          ConditionExpression: 'attribute_not_exists(liftedAt) AND #at = :readAt',
          ExpressionAttributeNames: { '#at': 'at' },
          ExpressionAttributeValues: { ':liftedAt': grant.at, ':liftedBy': grant.source, ':readAt': stored.at },
        }),
      );
      return true;
    } catch (error: unknown) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }

  private async read(key: { pk: string; sk: string }): Promise<Entry | undefined> {
    const result = await this.db.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }));
    return result.Item ? Entry.parse(result.Item) : undefined;
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
