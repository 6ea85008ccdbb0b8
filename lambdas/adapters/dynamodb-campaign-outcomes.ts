import { type DynamoDBDocumentClient, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import type { CampaignOutcomes, SentMail } from '../core/console-ports.js';
import { isConditionalCheckFailed } from './dynamodb-client.js';
import { Keys } from './dynamodb-keys.js';

const PAGE = 200;
const Cursor = z.record(z.string(), z.unknown());
const SendItem = z.object({
  sk: z.string(),
  state: z.string(),
  at: z.string().optional(),
  clickedAt: z.string().optional(),
});
const HoldoutItem = z.object({ sk: z.string(), decidedAt: z.string() });

const encode = (key: Record<string, unknown> | undefined) =>
  key ? Buffer.from(JSON.stringify(key), 'utf8').toString('base64url') : undefined;
const decode = (cursor: string | undefined) =>
  cursor ? Cursor.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))) : undefined;

/**
 * What a campaign's mails did, read from the campaign's decision partitions (one per member shard,
 * dynamodb-keys.ts): the send record `SEND#<member>` gains the member's first click, and the
 * report pages through send records and through the decisions held out.
 */
export class DynamoDbCampaignOutcomes implements CampaignOutcomes {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async noteClick(
    clubId: string,
    campaignId: string,
    memberId: string,
    at: Date,
  ): Promise<'first' | 'again' | 'unknown'> {
    const { pk } = Keys.decision(clubId, campaignId, memberId);
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk, sk: `SEND#${memberId}` },
          UpdateExpression: 'SET clickedAt = :at',
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(clickedAt)',
          ExpressionAttributeValues: { ':at': at.toISOString() },
        }),
      );
      return 'first';
    } catch (error: unknown) {
      if (!isConditionalCheckFailed(error)) throw error;
      // Either clicked before, or no send record (a click on a mail we have no record of).
      const existing = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND sk = :sk',
          ExpressionAttributeValues: { ':pk': pk, ':sk': `SEND#${memberId}` },
          ProjectionExpression: 'pk',
        }),
      );
      return (existing.Items?.length ?? 0) > 0 ? 'again' : 'unknown';
    }
  }

  async sends(clubId: string, campaignId: string, shard: number, cursor: string | undefined) {
    const start = decode(cursor);
    const page = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :send)',
        ExpressionAttributeValues: { ':pk': Keys.decisionPartition(clubId, campaignId, shard), ':send': 'SEND#' },
        ProjectionExpression: 'sk, #state, #at, clickedAt',
        ExpressionAttributeNames: { '#state': 'state', '#at': 'at' },
        Limit: PAGE,
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    const mails: SentMail[] = (page.Items ?? []).map((item) => {
      const send = SendItem.parse(item);
      return {
        memberId: send.sk.slice('SEND#'.length),
        state: send.state,
        ...(send.at ? { sentAt: send.at } : {}),
        ...(send.clickedAt ? { clickedAt: send.clickedAt } : {}),
      };
    });
    const next = encode(page.LastEvaluatedKey);
    return { mails, ...(next ? { cursor: next } : {}) };
  }

  async holdouts(clubId: string, campaignId: string, shard: number, cursor: string | undefined) {
    const start = decode(cursor);
    const page = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :member)',
        FilterExpression: '#decision.#reason = :holdout',
        ExpressionAttributeNames: { '#decision': 'decision', '#reason': 'reason' },
        ExpressionAttributeValues: {
          ':pk': Keys.decisionPartition(clubId, campaignId, shard),
          ':member': 'MEMBER#',
          ':holdout': 'holdout',
        },
        ProjectionExpression: 'sk, decidedAt',
        Limit: PAGE,
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    const members = (page.Items ?? []).map((item) => {
      const held = HoldoutItem.parse(item);
      return { memberId: held.sk.slice('MEMBER#'.length), decidedAt: held.decidedAt };
    });
    const next = encode(page.LastEvaluatedKey);
    return { members, planned: page.ScannedCount ?? 0, ...(next ? { cursor: next } : {}) };
  }
}
