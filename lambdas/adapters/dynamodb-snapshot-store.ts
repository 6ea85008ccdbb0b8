import { type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import type { SnapshotHeader, SnapshotKind, SnapshotRows, SnapshotStore } from '../core/console-ports.js';
import { DAY_MS } from '../core/units.js';
import { isConditionalCheckFailed } from './dynamodb-client.js';
import { batchWriteAll } from './dynamodb-paging.js';

/** Snapshots are a view, worked out again on demand: DynamoDB's TTL removes them after a week. */
const KEEP_MS = 7 * DAY_MS;

const HeaderItem = z.object({
  clubId: z.string(),
  kind: z.enum(['dry-run', 'report', 'experiment']),
  campaignId: z.string(),
  runId: z.string(),
  version: z.number().int(),
  state: z.unknown(),
});
const RowsItem = z.object({ key: z.string(), rows: z.array(z.unknown()) });

type RunRef = Pick<SnapshotHeader, 'clubId' | 'kind' | 'campaignId' | 'runId'>;

const headerKey = (clubId: string, kind: SnapshotKind, campaignId: string) => ({
  pk: `CLUB#${clubId}`,
  sk: `SNAPSHOT#${kind}#${campaignId}`,
});
const runPartition = (run: RunRef) => `SNAPSHOT#${run.clubId}#${run.kind}#${run.campaignId}#${run.runId}`;

/**
 * The console's snapshots (docs/decisions/0034-forecasts-and-the-explorer.md): the header in the
 * club's partition, written only over the version it was read at; each run's rows in a partition
 * of their own, keyed so a prefix query finds one reason's members in order. Everything expires.
 */
export class DynamoDbSnapshotStore implements SnapshotStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly now: () => number = Date.now,
  ) {}

  private expiry(): number {
    return Math.floor((this.now() + KEEP_MS) / 1000);
  }

  async getHeader(clubId: string, kind: SnapshotKind, campaignId: string): Promise<SnapshotHeader | undefined> {
    const found = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: headerKey(clubId, kind, campaignId), ConsistentRead: true }),
    );
    return found.Item ? HeaderItem.parse(found.Item) : undefined;
  }

  async putHeader(header: SnapshotHeader, expectedVersion: number | undefined): Promise<'written' | 'changed'> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...headerKey(header.clubId, header.kind, header.campaignId),
            type: 'snapshot',
            ...header,
            expiresAt: this.expiry(),
          },
          ...(expectedVersion === undefined
            ? { ConditionExpression: 'attribute_not_exists(pk)' }
            : {
                ConditionExpression: '#version = :expected',
                ExpressionAttributeNames: { '#version': 'version' },
                ExpressionAttributeValues: { ':expected': expectedVersion },
              }),
        }),
      );
      return 'written';
    } catch (error: unknown) {
      if (isConditionalCheckFailed(error)) return 'changed';
      throw error;
    }
  }

  async putRows(run: RunRef, rows: readonly SnapshotRows[]): Promise<void> {
    const pk = runPartition(run);
    const expiresAt = this.expiry();
    await batchWriteAll(
      this.db,
      this.tableName,
      rows.map((r) => ({ pk, sk: `R#${r.key}`, type: 'snapshot-rows', key: r.key, rows: r.rows, expiresAt })),
    );
  }

  async listRows(
    run: RunRef,
    prefix: string,
    from: string | undefined,
    limit: number,
  ): Promise<{ rows: SnapshotRows[]; more: boolean }> {
    const pk = runPartition(run);
    const page = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: from
          ? 'pk = :pk AND sk BETWEEN :from AND :end'
          : 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: from
          ? { ':pk': pk, ':from': `R#${from}`, ':end': `R#${prefix}\uffff` }
          : { ':pk': pk, ':prefix': `R#${prefix}` },
        Limit: limit,
      }),
    );
    return { rows: (page.Items ?? []).map((i) => RowsItem.parse(i)), more: page.LastEvaluatedKey !== undefined };
  }
}
