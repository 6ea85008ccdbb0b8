import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { Decision } from '../core/decision.js';
import { StoreError } from '../core/errors.js';
import { MEMBER_SHARDS, type PlanTally } from '../core/jobs.js';
import type { PlanShard } from '../core/member-slots.js';
import { Campaign, type CampaignStatus } from '../core/model.js';
import type { CampaignStore, DecisionRecord, DeliveryCounts } from '../core/ports.js';
import { fail, ok, type Result } from '../core/result.js';
import { expiresAt } from '../core/retention.js';
import { DELIVERY_RANK, type Delivery, DeliveryState } from '../core/send-protocol.js';
import { campaignPage, campaignsBetween } from './dynamodb-campaign-time.js';
import { isConditionalCheckFailed } from './dynamodb-client.js';
import { Keys } from './dynamodb-keys.js';
import { batchGetAll, queryAll } from './dynamodb-paging.js';
import { finishShard, planTally } from './dynamodb-plan-progress.js';

const DecisionItem = z.object({ decision: Decision, decidedAt: z.string() });

/** The mail's own small item beside its decision: where the send protocol and SES events write. */
const SendItem = z.object({
  sk: z.string(),
  state: DeliveryState,
  at: z.string().optional(),
  since: z.string().optional(),
  refused: z.boolean().optional(),
  messageId: z.string().optional(),
  reason: z.string().optional(),
  detail: z.string().optional(),
  /** Campaigns whose pending fold the mail carried (ADR 0054). */
  lateFolds: z.array(z.string()).optional(),
});

function toDelivery(item: Record<string, unknown>): Delivery {
  const parsed = SendItem.parse(item);
  const at = parsed.at ?? '';
  switch (parsed.state) {
    case 'queued':
      return { state: 'queued' };
    case 'unknown':
      return { state: 'unknown', since: parsed.since ?? at, ...(parsed.refused ? { refused: true } : {}) };
    case 'dropped':
      return { state: 'dropped', reason: parsed.reason ?? '', at };
    case 'sent':
      return { state: 'sent', messageId: parsed.messageId ?? '', at };
    default:
      return {
        state: parsed.state,
        messageId: parsed.messageId ?? '',
        at,
        ...(parsed.detail ? { detail: parsed.detail } : {}),
      };
  }
}

function deliveryFields(delivery: Delivery): Record<string, string | boolean> {
  switch (delivery.state) {
    case 'queued':
      return {};
    case 'unknown':
      return { since: delivery.since, refused: delivery.refused ?? false };
    case 'dropped':
      return { reason: delivery.reason, at: delivery.at };
    case 'sent':
      return { messageId: delivery.messageId, at: delivery.at };
    default:
      return {
        messageId: delivery.messageId,
        at: delivery.at,
        ...(delivery.detail ? { detail: delivery.detail } : {}),
      };
  }
}

const QUEUED: Delivery = { state: 'queued' };

const sendKey = (clubId: string, campaignId: string, memberId: string) => {
  const decision = Keys.decision(clubId, campaignId, memberId);
  return { pk: decision.pk, sk: `SEND#${memberId}` };
};

/** Campaigns in the club partition; decisions spread over one partition per member shard. */
export class DynamoDbCampaignStore implements CampaignStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** Clubs whose older campaigns this instance has seen on the index (docs/decisions/0059). */
  private readonly indexedClubs = new Set<string>();

  async createCampaign(campaign: Campaign): Promise<'created' | 'exists'> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...Keys.campaign(campaign.clubId, campaign.campaignId),
            ...Keys.campaignTime(campaign.clubId, campaign.sendAt, campaign.campaignId),
            type: 'campaign',
            ...campaign,
          },
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

  campaignsBetween(clubId: string, from: Date, to?: Date): Promise<Campaign[]> {
    return campaignsBetween(this.db, this.tableName, this.indexedClubs, clubId, from, to);
  }

  campaignPage(clubId: string, limit: number, after?: string): Promise<{ campaigns: Campaign[]; next?: string }> {
    return campaignPage(this.db, this.tableName, this.indexedClubs, clubId, limit, after);
  }

  async replaceCampaign(
    campaign: Campaign,
    expected: Pick<Campaign, 'updatedAt' | 'status'>,
  ): Promise<'replaced' | 'changed'> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...Keys.campaign(campaign.clubId, campaign.campaignId),
            ...Keys.campaignTime(campaign.clubId, campaign.sendAt, campaign.campaignId),
            type: 'campaign',
            ...Campaign.parse(campaign),
          },
          ConditionExpression: 'updatedAt = :updatedAt AND #status = :status',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':updatedAt': expected.updatedAt, ':status': expected.status },
        }),
      );
      return 'replaced';
    } catch (error: unknown) {
      if (isConditionalCheckFailed(error)) return 'changed';
      throw error;
    }
  }

  async transition(
    clubId: string,
    campaignId: string,
    from: readonly CampaignStatus[],
    to: CampaignStatus,
    now: Date,
    patch: Partial<Pick<Campaign, 'shardCount' | 'sendAt'>> = {},
  ): Promise<Result<{ campaign: Campaign }, { campaign: Campaign | undefined }>> {
    const fromValues = Object.fromEntries(from.map((status, i) => [`:from${i}`, status]));
    // A new send time moves the campaign on the index too (docs/decisions/0059).
    const patchEntries = Object.entries(
      patch.sendAt ? { ...patch, ...Keys.campaignTime(clubId, patch.sendAt, campaignId) } : patch,
    );
    try {
      const result = await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: Keys.campaign(clubId, campaignId),
          UpdateExpression: ['SET #status = :to, updatedAt = :now', ...patchEntries.map(([k]) => `#${k} = :${k}`)].join(
            ', ',
          ),
          ConditionExpression: `attribute_exists(pk) AND #status IN (${Object.keys(fromValues).join(', ')})`,
          ExpressionAttributeNames: {
            '#status': 'status',
            ...Object.fromEntries(patchEntries.map(([k]) => [`#${k}`, k])),
          },
          ExpressionAttributeValues: {
            ':to': to,
            ':now': now.toISOString(),
            ...fromValues,
            ...Object.fromEntries(patchEntries.map(([k, v]) => [`:${k}`, v])),
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return ok({ campaign: Campaign.parse(result.Attributes) });
    } catch (error: unknown) {
      if (isConditionalCheckFailed(error)) return fail({ campaign: await this.getCampaign(clubId, campaignId) });
      throw error;
    }
  }

  finishShard(clubId: string, campaignId: string, shard: PlanShard, tally: PlanTally): Promise<boolean> {
    return finishShard(this.db, this.tableName, clubId, campaignId, shard, tally);
  }

  planTally(clubId: string, campaignId: string): Promise<{ tally: PlanTally; shardsDone: number }> {
    return planTally(this.db, this.tableName, clubId, campaignId);
  }

  /** The send records only (`SEND#`), one page at a time per decision partition: nothing is kept but counts. */
  async countDeliveries(clubId: string, campaignId: string): Promise<DeliveryCounts> {
    let sent = 0;
    let unknown = 0;
    let queued = 0;
    const dropped: Record<string, number> = {};
    const outcomes: Record<string, number> = {};
    await Promise.all(
      Array.from({ length: MEMBER_SHARDS }, async (_, shard) => {
        let start: Record<string, unknown> | undefined;
        do {
          const page = await this.db.send(
            new QueryCommand({
              TableName: this.tableName,
              KeyConditionExpression: 'pk = :pk AND begins_with(sk, :send)',
              ExpressionAttributeValues: { ':pk': Keys.decisionPartition(clubId, campaignId, shard), ':send': 'SEND#' },
              ...(start ? { ExclusiveStartKey: start } : {}),
            }),
          );
          for (const item of page.Items ?? []) {
            const delivery = toDelivery(item);
            if (delivery.state === 'queued') queued += 1;
            else if (delivery.state === 'unknown') unknown += 1;
            else if (delivery.state === 'dropped') dropped[delivery.reason] = (dropped[delivery.reason] ?? 0) + 1;
            else {
              sent += 1;
              if (delivery.state !== 'sent') outcomes[delivery.state] = (outcomes[delivery.state] ?? 0) + 1;
            }
          }
          start = page.LastEvaluatedKey;
        } while (start);
      }),
    );
    return { sent, unknown, queued, dropped, outcomes };
  }

  async countLateFolds(clubId: string, carrierId: string, heldBackId: string): Promise<number> {
    const counts = await Promise.all(
      Array.from({ length: MEMBER_SHARDS }, async (_, shard) => {
        let count = 0;
        let start: Record<string, unknown> | undefined;
        do {
          const page = await this.db.send(
            new QueryCommand({
              TableName: this.tableName,
              KeyConditionExpression: 'pk = :pk AND begins_with(sk, :send)',
              // Only mails that went out (sent and every outcome after it rank at least 'sent').
              FilterExpression: '#rank >= :sent AND contains(lateFolds, :held)',
              ExpressionAttributeNames: { '#rank': 'rank' },
              ExpressionAttributeValues: {
                ':pk': Keys.decisionPartition(clubId, carrierId, shard),
                ':send': 'SEND#',
                ':sent': DELIVERY_RANK.sent,
                ':held': heldBackId,
              },
              ...(start ? { ExclusiveStartKey: start } : {}),
            }),
          );
          count += page.Items?.length ?? 0;
          start = page.LastEvaluatedKey;
        } while (start);
        return count;
      }),
    );
    return counts.reduce((a, b) => a + b, 0);
  }

  async recordDecision(clubId: string, campaignId: string, decision: Decision, now: Date): Promise<DecisionRecord> {
    const key = Keys.decision(clubId, campaignId, decision.memberId);
    const item = {
      ...key,
      type: 'decision',
      decision,
      decidedAt: now.toISOString(),
      expiresAt: expiresAt(now, 'decision'),
    };
    try {
      await this.db.send(
        new PutCommand({ TableName: this.tableName, Item: item, ConditionExpression: 'attribute_not_exists(pk)' }),
      );
      return { decision, decidedAt: item.decidedAt };
    } catch (error: unknown) {
      if (!isConditionalCheckFailed(error)) throw error;
      const existing = await this.db.send(
        new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }),
      );
      if (!existing.Item) throw new StoreError('Decision vanished after a conditional write failed', { cause: error });
      return DecisionItem.parse(existing.Item);
    }
  }

  /**
   * Moves the mail's state up its rank only (lambdas/core/send-protocol.ts), in one conditional
   * write on its own small item: a duplicate or late event, or a late "dropped", changes nothing.
   */
  async recordDelivery(
    clubId: string,
    campaignId: string,
    memberId: string,
    delivery: Delivery,
    extra: { recipientHash?: string; lateFolds?: readonly string[] } = {},
  ): Promise<'moved' | 'stale'> {
    const { lateFolds, ...rest } = extra;
    const fields = {
      ...deliveryFields(delivery),
      ...rest,
      ...(lateFolds && lateFolds.length > 0 ? { lateFolds: [...lateFolds] } : {}),
    };
    const names = Object.keys(fields);
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: sendKey(clubId, campaignId, memberId),
          // The send record expires with its decision (docs/retention.md); the first write sets when.
          UpdateExpression: `SET #type = :type, #state = :state, #rank = :rank, expiresAt = if_not_exists(expiresAt, :expires)${names.map((n) => `, #${n} = :${n}`).join('')}`,
          ConditionExpression: 'attribute_not_exists(#rank) OR #rank < :rank',
          ExpressionAttributeNames: {
            '#type': 'type',
            '#state': 'state',
            '#rank': 'rank',
            ...Object.fromEntries(names.map((n) => [`#${n}`, n])),
          },
          ExpressionAttributeValues: {
            ':type': 'send',
            ':state': delivery.state,
            ':rank': DELIVERY_RANK[delivery.state],
            ':expires': expiresAt(new Date(), 'decision'),
            ...Object.fromEntries(Object.entries(fields).map(([n, v]) => [`:${n}`, v])),
          },
        }),
      );
      return 'moved';
    } catch (error: unknown) {
      if (isConditionalCheckFailed(error)) return 'stale';
      throw error;
    }
  }

  async getDelivery(clubId: string, campaignId: string, memberId: string): Promise<Delivery | undefined> {
    const result = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: sendKey(clubId, campaignId, memberId), ConsistentRead: true }),
    );
    return result.Item ? toDelivery(result.Item) : undefined;
  }

  /**
   * Take over an unknown mail (SES never showed it, or refused it): only one worker wins, because
   * `since` must be what it read. `refused` notes that SES refused the taker's own call.
   */
  async takeOverUnknown(
    clubId: string,
    campaignId: string,
    memberId: string,
    since: string,
    now: Date,
    refused = false,
  ): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: sendKey(clubId, campaignId, memberId),
          UpdateExpression: 'SET since = :now, refused = :refused',
          ConditionExpression: '#state = :unknown AND since = :since',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: {
            ':unknown': 'unknown',
            ':since': since,
            ':now': now.toISOString(),
            ':refused': refused,
          },
        }),
      );
      return true;
    } catch (error: unknown) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
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
    const items = pages.flat();
    const deliveries = new Map<string, Delivery>();
    for (const item of items)
      if (String(item.sk).startsWith('SEND#')) deliveries.set(String(item.sk).slice(5), toDelivery(item));
    return items
      .filter((item) => String(item.sk).startsWith('MEMBER#'))
      .map((item) => {
        const { decision, decidedAt } = DecisionItem.parse(item);
        const delivery = deliveries.get(decision.memberId) ?? (decision.outcome === 'send' ? QUEUED : undefined);
        return { decision, decidedAt, ...(delivery ? { delivery } : {}) };
      });
  }

  /** Each member's decision and send record, 50 members (100 keys) to a BatchGet. */
  async decisionsOf(clubId: string, campaignId: string, memberIds: readonly string[]): Promise<DecisionRecord[]> {
    const keys = [...new Set(memberIds)].flatMap((memberId) => [
      Keys.decision(clubId, campaignId, memberId),
      sendKey(clubId, campaignId, memberId),
    ]);
    const items = await batchGetAll(this.db, this.tableName, keys);
    const deliveries = new Map<string, Delivery>();
    for (const item of items)
      if (String(item.sk).startsWith('SEND#')) deliveries.set(String(item.sk).slice(5), toDelivery(item));
    return items
      .filter((item) => String(item.sk).startsWith('MEMBER#'))
      .map((item) => {
        const { decision, decidedAt } = DecisionItem.parse(item);
        const delivery = deliveries.get(decision.memberId) ?? (decision.outcome === 'send' ? QUEUED : undefined);
        return { decision, decidedAt, ...(delivery ? { delivery } : {}) };
      });
  }
}
