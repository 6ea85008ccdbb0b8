import { type DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import type { MemberDirectory, MemberListing } from '../core/console-ports.js';
import { MEMBER_SHARDS } from '../core/jobs.js';
import { Id } from '../core/model.js';
import { MINUTE_MS } from '../core/units.js';
import { Keys } from './dynamodb-keys.js';
import { TableDesign } from './dynamodb-table.js';

/** Index items each search call reads per shard: 16 × 250 = 4,000 members a call. */
const PER_SHARD = 250;
const COUNT_TTL_MS = 10 * MINUTE_MS;

const Listed = z.object({ memberId: z.string(), firstName: z.string() });
const Key = z.record(z.string(), z.string());
/** Where each shard's search stopped: a key, or null when the shard is done. */
const SearchCursor = z.array(Key.nullable()).length(MEMBER_SHARDS);

/**
 * Member search and counts over the member index (gsi1, one partition per member shard), reading
 * only ids and first names. DynamoDB cannot compare without case, so names are compared here, on
 * a bounded slice per call: the console asks again with the cursor to search further.
 */
export class DynamoDbMemberDirectory implements MemberDirectory {
  private readonly counts = new Map<string, { count: number; at: number }>();

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly now: () => number = Date.now,
  ) {}

  async search(
    clubId: string,
    query: string,
    cursor: string | undefined,
  ): Promise<{ members: MemberListing[]; scanned: number; cursor?: string }> {
    const wanted = query.trim().toLowerCase();
    const exact = Id.safeParse(query.trim());
    const members: MemberListing[] = [];
    if (!cursor && exact.success) {
      const byId = await this.db.send(
        new GetCommand({
          TableName: this.tableName,
          Key: Keys.member(clubId, exact.data),
          ProjectionExpression: 'memberId, firstName',
        }),
      );
      const found = Listed.safeParse(byId.Item);
      if (found.success) members.push(found.data);
    }
    const starts = cursor
      ? SearchCursor.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')))
      : undefined;
    let scanned = 0;
    const next = await Promise.all(
      Array.from({ length: MEMBER_SHARDS }, async (_, shard) => {
        const start = starts ? starts[shard] : undefined;
        if (start === null) return null;
        const page = await this.db.send(
          new QueryCommand({
            TableName: this.tableName,
            IndexName: TableDesign.memberShardIndex.name,
            KeyConditionExpression: 'gsi1pk = :pk',
            ExpressionAttributeValues: { ':pk': Keys.shardPartition(clubId, shard) },
            ProjectionExpression: 'memberId, firstName, pk, sk, gsi1pk, gsi1sk',
            Limit: PER_SHARD,
            ...(start ? { ExclusiveStartKey: start } : {}),
          }),
        );
        scanned += page.Items?.length ?? 0;
        for (const item of page.Items ?? []) {
          const listed = Listed.safeParse(item);
          if (
            listed.success &&
            listed.data.firstName.toLowerCase().startsWith(wanted) &&
            listed.data.memberId !== members[0]?.memberId
          )
            members.push(listed.data);
        }
        return page.LastEvaluatedKey ? Key.parse(page.LastEvaluatedKey) : null;
      }),
    );
    const more = next.some((k) => k !== null);
    const found = members.sort(
      (a, b) => a.firstName.localeCompare(b.firstName) || a.memberId.localeCompare(b.memberId),
    );
    return {
      members: found,
      scanned,
      ...(more ? { cursor: Buffer.from(JSON.stringify(next), 'utf8').toString('base64url') } : {}),
    };
  }

  async count(clubId: string): Promise<number> {
    const cached = this.counts.get(clubId);
    if (cached && this.now() - cached.at < COUNT_TTL_MS) return cached.count;
    const counts = await Promise.all(
      Array.from({ length: MEMBER_SHARDS }, async (_, shard) => {
        let total = 0;
        let start: Record<string, unknown> | undefined;
        do {
          const page = await this.db.send(
            new QueryCommand({
              TableName: this.tableName,
              IndexName: TableDesign.memberShardIndex.name,
              KeyConditionExpression: 'gsi1pk = :pk',
              ExpressionAttributeValues: { ':pk': Keys.shardPartition(clubId, shard) },
              Select: 'COUNT',
              ...(start ? { ExclusiveStartKey: start } : {}),
            }),
          );
          total += page.Count ?? 0;
          start = page.LastEvaluatedKey;
        } while (start);
        return total;
      }),
    );
    const count = counts.reduce((a, b) => a + b, 0);
    this.counts.set(clubId, { count, at: this.now() });
    return count;
  }
}
