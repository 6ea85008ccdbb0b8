import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import type { MemberRoster } from '../core/fit-ports.js';
import { MEMBER_SHARDS } from '../core/jobs.js';
import { queryShardMembers } from './dynamodb-member-slots.js';

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
