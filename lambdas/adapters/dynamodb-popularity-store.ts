import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { MEMBER_SHARDS, shardOf } from '../core/jobs.js';
import type { PopularityStore } from '../core/ports.js';
import { isConditionalCheckFailed } from './dynamodb-client.js';
import { Keys } from './dynamodb-keys.js';
import { batchGetAll } from './dynamodb-paging.js';

const PREFIX = 'n:';
const Applied = z.object({ applied: z.set(z.string()).optional() });

function addExpression(chunk: ReadonlyArray<[string, number]>) {
  return {
    UpdateExpression: `ADD ${chunk.map((_, j) => `#p${j} :n${j}`).join(', ')}`,
    ExpressionAttributeNames: Object.fromEntries(chunk.map(([productId], j) => [`#p${j}`, `${PREFIX}${productId}`])),
    ExpressionAttributeValues: Object.fromEntries(chunk.map(([, count], j) => [`:n${j}`, count])),
  };
}
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
    for (const { shard, chunk } of this.updates(trips)) {
      await this.db.send(
        new UpdateCommand({ TableName: this.tableName, Key: Keys.popularity(clubId, shard), ...addExpression(chunk) }),
      );
    }
  }

  /**
   * Each update (one counter item, up to 60 products) carries a marker, `<applyId>#<part>`, added to
   * the item's `applied` set in the same write and refused when it is there already. The parts are cut
   * the same way from the same trips every time, so a re-run applies exactly the parts a crash skipped.
   */
  async addOnce(clubId: string, trips: ReadonlyMap<string, number>, applyId: string): Promise<void> {
    for (const { shard, chunk, part } of this.updates(trips)) {
      const marker = `${applyId}#${part}`;
      const add = addExpression(chunk);
      try {
        await this.db.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: Keys.popularity(clubId, shard),
            UpdateExpression: `${add.UpdateExpression}, applied :markers`,
            ConditionExpression: 'attribute_not_exists(applied) OR NOT contains(applied, :marker)',
            ExpressionAttributeNames: add.ExpressionAttributeNames,
            ExpressionAttributeValues: {
              ...add.ExpressionAttributeValues,
              ':markers': new Set([marker]),
              ':marker': marker,
            },
          }),
        );
      } catch (error: unknown) {
        if (!isConditionalCheckFailed(error)) throw error;
      }
    }
  }

  async forget(clubId: string, applyId: string): Promise<void> {
    const items = await batchGetAll(
      this.db,
      this.tableName,
      Array.from({ length: MEMBER_SHARDS }, (_, shard) => Keys.popularity(clubId, shard)),
      { consistent: true },
    );
    for (const item of items) {
      const applied = Applied.parse(item).applied;
      const mine = [...(applied ?? [])].filter((marker) => marker.startsWith(`${applyId}#`));
      if (mine.length === 0) continue;
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: String(item.pk), sk: String(item.sk) },
          UpdateExpression: 'DELETE applied :markers',
          ExpressionAttributeValues: { ':markers': new Set(mine) },
        }),
      );
    }
  }

  async counts(clubId: string): Promise<Map<string, number>> {
    const items = await batchGetAll(
      this.db,
      this.tableName,
      Array.from({ length: MEMBER_SHARDS }, (_, shard) => Keys.popularity(clubId, shard)),
      { consistent: true },
    );
    const counts = new Map<string, number>();
    for (const item of items) {
      for (const [name, value] of Object.entries(z.record(z.string(), z.unknown()).parse(item))) {
        if (name.startsWith(PREFIX) && typeof value === 'number') counts.set(name.slice(PREFIX.length), value);
      }
    }
    return counts;
  }

  /** The updates for some trips: by counter item, then in product order, PER_UPDATE products each. */
  private *updates(
    trips: ReadonlyMap<string, number>,
  ): Generator<{ shard: number; part: number; chunk: Array<[string, number]> }> {
    const byShard = new Map<number, Array<[string, number]>>();
    const sorted = [...trips].filter(([, n]) => n !== 0).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    for (const [productId, count] of sorted) {
      const shard = shardOf(productId, MEMBER_SHARDS);
      byShard.set(shard, [...(byShard.get(shard) ?? []), [productId, count]]);
    }
    let part = 0;
    for (const shard of [...byShard.keys()].sort((a, b) => a - b)) {
      const entries = byShard.get(shard) ?? [];
      for (let i = 0; i < entries.length; i += PER_UPDATE) {
        yield { shard, part, chunk: entries.slice(i, i + PER_UPDATE) };
        part += 1;
      }
    }
  }

  async get(clubId: string): Promise<Map<string, number>> {
    const counts = await this.counts(clubId);
    const top = Math.max(1, ...counts.values());
    return new Map([...counts].map(([id, n]) => [id, n / top]));
  }
}
