import { type DynamoDBDocumentClient, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { MEMBER_SHARDS } from '../core/jobs.js';
import { BUCKETS_PER_PARTITION, type PlanShard, type SlotSegment, segmentsOf } from '../core/member-slots.js';
import { bucketKey, Keys } from './dynamodb-keys.js';
import { TableDesign } from './dynamodb-table.js';

/** The key condition of one segment. */
function segmentQuery(
  clubId: string,
  segment: SlotSegment,
): Pick<QueryCommandInput, 'KeyConditionExpression' | 'ExpressionAttributeValues'> {
  const pk = Keys.shardPartition(clubId, segment.partition);
  const from = `MB#${bucketKey(segment.fromBucket)}#`;
  if (segment.toBucket === BUCKETS_PER_PARTITION - 1) {
    return {
      KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk >= :from',
      ExpressionAttributeValues: { ':pk': pk, ':from': from },
    };
  }
  return {
    KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk BETWEEN :from AND :to',
    ExpressionAttributeValues: { ':pk': pk, ':from': from, ':to': `MB#${bucketKey(segment.toBucket)}#~` },
  };
}

const Key = z.record(z.string(), z.string());
const SlotCursor = z.object({ s: z.number().int().min(0), k: Key.optional() });

function readCursor(cursor: string | undefined): z.infer<typeof SlotCursor> {
  if (!cursor) return { s: 0 };
  const raw: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  const parsed = SlotCursor.safeParse(raw);
  // A cursor from before slots: the LastEvaluatedKey of a whole-partition query.
  return parsed.success ? parsed.data : { s: 0, k: Key.parse(raw) };
}

const writeCursor = (cursor: z.infer<typeof SlotCursor>) =>
  Buffer.from(JSON.stringify(cursor), 'utf8').toString('base64url');

/** A plan shard given as a bare number is one of the 16 index partitions, as plans were before slots. */
export function planShard(shard: number | PlanShard): PlanShard {
  return typeof shard === 'number' ? { index: shard, of: MEMBER_SHARDS } : shard;
}

/**
 * Up to `limit` member items of the shard, in slot order, from the shard index: one Query per segment
 * touched, continuing into the next segment while the page has room.
 */
export async function queryShardMembers(
  db: DynamoDBDocumentClient,
  tableName: string,
  clubId: string,
  shard: PlanShard,
  cursor: string | undefined,
  limit: number,
  projection?: Pick<QueryCommandInput, 'ProjectionExpression' | 'ExpressionAttributeNames'>,
): Promise<{ items: Record<string, unknown>[]; cursor?: string }> {
  const segments = segmentsOf(shard);
  let at = readCursor(cursor);
  const items: Record<string, unknown>[] = [];
  while (at.s < segments.length && items.length < limit) {
    const segment = segments[at.s];
    if (!segment) break;
    const page = await db.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: TableDesign.memberShardIndex.name,
        ...segmentQuery(clubId, segment),
        ...projection,
        Limit: limit - items.length,
        ...(at.k ? { ExclusiveStartKey: at.k } : {}),
      }),
    );
    items.push(...(page.Items ?? []));
    at = page.LastEvaluatedKey ? { s: at.s, k: Key.parse(page.LastEvaluatedKey) } : { s: at.s + 1 };
  }
  return { items, ...(at.s < segments.length ? { cursor: writeCursor(at) } : {}) };
}
