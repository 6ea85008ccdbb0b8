import { type DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { EMPTY_TALLY, PlanTally } from '../core/jobs.js';
import { groupOf, type PlanShard } from '../core/member-slots.js';
import { addTallies } from '../core/plan-tally.js';
import { expiresAt } from '../core/retention.js';
import { queryAll } from './dynamodb-paging.js';

/**
 * A plan's progress in its own partition, `PLAN#<club>#<campaign>` (docs/decisions/0025-planning-at-scale.md):
 * - `SHARD#<k>`: shard k's tally, written once by shard k when its last page is planned;
 * - `GROUP#<g>`: the set of done shards of group g (about √S shards each);
 * - `TOP`: the set of complete groups.
 * So no item is written by more than ⌈√S⌉ shards, and the report reads S + √S small items, not every decision.
 * They expire with the campaign's decisions, whose counts they are (docs/retention.md).
 */
const partition = (clubId: string, campaignId: string) => `PLAN#${clubId}#${campaignId}`;

const Done = z.object({ done: z.set(z.number()) });
const ShardItem = z.object({ sk: z.string(), tally: PlanTally });

export async function finishShard(
  db: DynamoDBDocumentClient,
  tableName: string,
  clubId: string,
  campaignId: string,
  shard: PlanShard,
  tally: PlanTally,
): Promise<boolean> {
  const pk = partition(clubId, campaignId);
  // A replayed shard writes the same tally again: a put, not an addition, so nothing counts twice.
  await db.send(
    new PutCommand({
      TableName: tableName,
      Item: { pk, sk: `SHARD#${shard.index}`, type: 'plan-shard', tally, expiresAt: expiresAt(new Date(), 'decision') },
    }),
  );
  const { group, size, groups } = groupOf(shard);
  const inGroup = await addDone(db, tableName, { pk, sk: `GROUP#${group}` }, shard.index);
  if (inGroup < size) return false;
  return (await addDone(db, tableName, { pk, sk: 'TOP' }, group)) >= groups;
}

async function addDone(
  db: DynamoDBDocumentClient,
  tableName: string,
  key: { pk: string; sk: string },
  member: number,
): Promise<number> {
  const result = await db.send(
    new UpdateCommand({
      TableName: tableName,
      Key: key,
      UpdateExpression: 'SET #type = :type, expiresAt = if_not_exists(expiresAt, :expires) ADD done :member',
      ExpressionAttributeNames: { '#type': 'type' },
      ExpressionAttributeValues: {
        ':type': 'plan-progress',
        ':expires': expiresAt(new Date(), 'decision'),
        ':member': new Set([member]),
      },
      ReturnValues: 'ALL_NEW',
    }),
  );
  return Done.parse(result.Attributes).done.size;
}

export async function planTally(
  db: DynamoDBDocumentClient,
  tableName: string,
  clubId: string,
  campaignId: string,
): Promise<{ tally: PlanTally; shardsDone: number }> {
  const items = await queryAll(db, {
    TableName: tableName,
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :shard)',
    ExpressionAttributeValues: { ':pk': partition(clubId, campaignId), ':shard': 'SHARD#' },
  });
  let tally = EMPTY_TALLY;
  for (const item of items) tally = addTallies(tally, ShardItem.parse(item).tally);
  return { tally, shardsDone: items.length };
}
