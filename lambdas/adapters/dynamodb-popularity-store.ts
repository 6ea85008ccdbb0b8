import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { MEMBER_SHARDS, shardOf } from '../core/jobs.js';
import type { PopularityStore } from '../core/ports.js';
import { Keys } from './dynamodb-keys.js';
import { batchGetAll } from './dynamodb-paging.js';

const PREFIX = 'n:';
/** Update expressions are capped at 4 KB: add at most this many products per request. */
const PER_UPDATE = 60;

/**
 * Trip counts per product, spread over 16 items in the club's partition (by a hash of the
 * product id) so a large catalog stays far below the 400 KB item limit. Counters use ADD, so
 * concurrent ingests never lose an update.
 */
export class DynamoDbPopularityStore implements PopularityStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async add(clubId: string, trips: ReadonlyMap<string, number>): Promise<void> {
    const byShard = new Map<number, Array<[string, number]>>();
    for (const [productId, count] of trips) {
      const shard = shardOf(productId, MEMBER_SHARDS);
      byShard.set(shard, [...(byShard.get(shard) ?? []), [productId, count]]);
    }
    for (const [shard, entries] of byShard) {
      for (let i = 0; i < entries.length; i += PER_UPDATE) {
        const chunk = entries.slice(i, i + PER_UPDATE);
        await this.db.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: Keys.popularity(clubId, shard),
            UpdateExpression: `ADD ${chunk.map((_, j) => `#p${j} :n${j}`).join(', ')}`,
            ExpressionAttributeNames: Object.fromEntries(
              chunk.map(([productId], j) => [`#p${j}`, `${PREFIX}${productId}`]),
            ),
            ExpressionAttributeValues: Object.fromEntries(chunk.map(([, count], j) => [`:n${j}`, count])),
          }),
        );
      }
    }
  }

  async get(clubId: string): Promise<Map<string, number>> {
    const items = await batchGetAll(
      this.db,
      this.tableName,
      Array.from({ length: MEMBER_SHARDS }, (_, shard) => Keys.popularity(clubId, shard)),
    );
    const counts = new Map<string, number>();
    for (const item of items) {
      for (const [name, value] of Object.entries(z.record(z.string(), z.unknown()).parse(item))) {
        if (name.startsWith(PREFIX) && typeof value === 'number') counts.set(name.slice(PREFIX.length), value);
      }
    }
    const top = Math.max(1, ...counts.values());
    return new Map([...counts].map(([id, n]) => [id, n / top]));
  }
}
