import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { Decision } from '../core/decision.js';
import { MEMBER_SHARDS } from '../core/jobs.js';
import { Campaign, type CampaignStatus } from '../core/model.js';
import type { CampaignStore, DecisionRecord, Delivery } from '../core/ports.js';
import { isConditionalCheckFailed } from './dynamodb-client.js';
import { Keys } from './dynamodb-keys.js';
import { queryAll } from './dynamodb-paging.js';

const ShardsDone = z.object({ shardsDone: z.set(z.number()) });

const DecisionItem = z.object({
  decision: Decision,
  decidedAt: z.string(),
  deliveryState: z.enum(['queued', 'sent', 'dropped']).optional(),
  messageId: z.string().optional(),
  deliveryAt: z.string().optional(),
  dropReason: z.string().optional(),
});

function toRecord(item: Record<string, unknown>): DecisionRecord {
  const parsed = DecisionItem.parse(item);
  const delivery: Delivery | undefined =
    parsed.deliveryState === 'sent'
      ? { state: 'sent', messageId: parsed.messageId ?? '', at: parsed.deliveryAt ?? '' }
      : parsed.deliveryState === 'dropped'
        ? { state: 'dropped', reason: parsed.dropReason ?? '', at: parsed.deliveryAt ?? '' }
        : parsed.deliveryState === 'queued'
          ? { state: 'queued' }
          : undefined;
  return { decision: parsed.decision, decidedAt: parsed.decidedAt, ...(delivery ? { delivery } : {}) };
}

/** Campaigns in the club partition; decisions spread over one partition per member shard. */
export class DynamoDbCampaignStore implements CampaignStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async createCampaign(campaign: Campaign): Promise<'created' | 'exists'> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...Keys.campaign(campaign.clubId, campaign.campaignId), type: 'campaign', ...campaign },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return 'created';
    } catch (error: unknown) {
      if (isConditionalCheckFailed(error)) return 'exists';
      throw error;
    }
  }

  async getCampaign(clubId: string, campaignId: string): Promise<Campaign | undefined> {
    const result = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: Keys.campaign(clubId, campaignId), ConsistentRead: true }),
    );
    return result.Item ? Campaign.parse(result.Item) : undefined;
  }

  async listCampaigns(clubId: string): Promise<Campaign[]> {
    const items = await queryAll(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': Keys.clubPartition(clubId), ':prefix': 'CAMPAIGN#' },
    });
    return items.map((i) => Campaign.parse(i));
  }

  async transition(
    clubId: string,
    campaignId: string,
    from: readonly CampaignStatus[],
    to: CampaignStatus,
    now: Date,
    patch: Partial<Pick<Campaign, 'shardCount' | 'sendAt'>> = {},
  ): Promise<{ ok: true; campaign: Campaign } | { ok: false; campaign: Campaign | undefined }> {
    const fromValues = Object.fromEntries(from.map((status, i) => [`:from${i}`, status]));
    const patchEntries = Object.entries(patch);
    try {
      const result = await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: Keys.campaign(clubId, campaignId),
          UpdateExpression: ['SET #status = :to, updatedAt = :now', ...patchEntries.map(([k]) => `#${k} = :${k}`)].join(', '),
          ConditionExpression: `attribute_exists(pk) AND #status IN (${Object.keys(fromValues).join(', ')})`,
          ExpressionAttributeNames: { '#status': 'status', ...Object.fromEntries(patchEntries.map(([k]) => [`#${k}`, k])) },
          ExpressionAttributeValues: {
            ':to': to,
            ':now': now.toISOString(),
            ...fromValues,
            ...Object.fromEntries(patchEntries.map(([k, v]) => [`:${k}`, v])),
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return { ok: true, campaign: Campaign.parse(result.Attributes) };
    } catch (error: unknown) {
      if (isConditionalCheckFailed(error)) return { ok: false, campaign: await this.getCampaign(clubId, campaignId) };
      throw error;
    }
  }

  async markShardDone(clubId: string, campaignId: string, shard: number): Promise<number> {
    const result = await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: Keys.campaign(clubId, campaignId),
        UpdateExpression: 'ADD shardsDone :shard',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':shard': new Set([shard]) },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    return ShardsDone.parse(result.Attributes).shardsDone.size;
  }

  async recordDecision(clubId: string, campaignId: string, decision: Decision, now: Date): Promise<DecisionRecord> {
    const key = Keys.decision(clubId, campaignId, decision.memberId);
    const item = {
      ...key,
      type: 'decision',
      decision,
      decidedAt: now.toISOString(),
      ...(decision.outcome === 'send' ? { deliveryState: 'queued' } : {}),
    };
    try {
      await this.db.send(new PutCommand({ TableName: this.tableName, Item: item, ConditionExpression: 'attribute_not_exists(pk)' }));
      return toRecord(item);
    } catch (error: unknown) {
      if (!isConditionalCheckFailed(error)) throw error;
      const existing = await this.db.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }));
      if (!existing.Item) throw new Error('Decision vanished after a conditional write failed', { cause: error });
      return toRecord(existing.Item);
    }
  }

  /** A mail marked sent stays sent: a late "dropped" never overwrites it. */
  async recordDelivery(clubId: string, campaignId: string, memberId: string, delivery: Delivery): Promise<void> {
    const values =
      delivery.state === 'sent'
        ? { deliveryState: 'sent', messageId: delivery.messageId, deliveryAt: delivery.at }
        : delivery.state === 'dropped'
          ? { deliveryState: 'dropped', dropReason: delivery.reason, deliveryAt: delivery.at }
          : { deliveryState: 'queued' };
    const entries = Object.entries(values);
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: Keys.decision(clubId, campaignId, memberId),
          UpdateExpression: `SET ${entries.map(([k]) => `${k} = :${k}`).join(', ')}`,
          ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(deliveryState) OR deliveryState <> :sentState)',
          ExpressionAttributeValues: { ...Object.fromEntries(entries.map(([k, v]) => [`:${k}`, v])), ':sentState': 'sent' },
        }),
      );
    } catch (error: unknown) {
      if (!isConditionalCheckFailed(error)) throw error;
    }
  }

  async listDecisions(clubId: string, campaignId: string): Promise<DecisionRecord[]> {
    const shards = Array.from({ length: MEMBER_SHARDS }, (_, shard) => shard);
    const pages = await Promise.all(
      shards.map((shard) =>
        queryAll(this.db, {
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': Keys.decisionPartition(clubId, campaignId, shard) },
        }),
      ),
    );
    return pages.flat().map(toRecord);
  }
}
