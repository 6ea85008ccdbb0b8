import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import type { MemberRoster } from '../core/fit-ports.js';
import { MEMBER_SHARDS } from '../core/jobs.js';
import { MEMBER_SLOTS } from '../core/member-slots.js';
import { bucketKey, Keys } from './dynamodb-keys.js';
import { queryShardMembers } from './dynamodb-member-slots.js';
import { TableDesign } from './dynamodb-table.js';

/** Buckets of partition 0 counted for an estimate: 1/1024 of all slots. */
const SAMPLE_BUCKETS = 64;

const RosterItem = z.object({ memberId: z.string(), subscription: z.string().optional() });

/** Items read per Query: a page of member items stays far below DynamoDB's 1 MB answer. */
const PAGE = 1000;

/**
 * Subscribed members' ids from the member shard index, one of its 16 partitions at a time, reading
 * only the id and the subscription of each member item (the read units are still the item's size).
 */
export class DynamoDbMemberRoster implements MemberRoster {
  readonly partitions = MEMBER_SHARDS;

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async estimate(clubId: string): Promise<number> {
    let count = 0;
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: TableDesign.memberShardIndex.name,
          KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk BETWEEN :from AND :to',
          ExpressionAttributeValues: {
            ':pk': Keys.shardPartition(clubId, 0),
            ':from': `MB#${bucketKey(0)}#`,
            ':to': `MB#${bucketKey(SAMPLE_BUCKETS - 1)}#~`,
          },
          Select: 'COUNT',
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      count += page.Count ?? 0;
      start = page.LastEvaluatedKey;
    } while (start);
    return count * (MEMBER_SLOTS / SAMPLE_BUCKETS);
  }

  async subscribed(
    clubId: string,
    partition: number,
    cursor: string | undefined,
  ): Promise<{ memberIds: string[]; cursor?: string }> {
    const page = await queryShardMembers(
      this.db,
      this.tableName,
      clubId,
      // Shard k of 16 is exactly index partition k.
      { index: partition, of: MEMBER_SHARDS },
      cursor,
      PAGE,
      {
        ProjectionExpression: 'memberId, #subscription',
        ExpressionAttributeNames: { '#subscription': 'subscription' },
      },
    );
    const memberIds = page.items
      .map((item) => RosterItem.parse(item))
      // Absent means subscribed: the member schema's default.
      .filter((m) => (m.subscription ?? 'subscribed') === 'subscribed')
      .map((m) => m.memberId);
    return { memberIds, ...(page.cursor ? { cursor: page.cursor } : {}) };
  }
}
