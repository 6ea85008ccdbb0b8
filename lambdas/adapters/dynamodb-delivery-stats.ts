import { randomUUID } from 'node:crypto';
import {
  BatchGetCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import type { BreakerScope, DeliveryStats, SendCounter, SendingSwitch } from '../core/ports.js';
import { expiresAt, RETENTION_DAYS } from '../core/retention.js';
import { Breaker, type SendCounts } from '../core/send-protocol.js';
import { MINUTE_MS } from '../core/units.js';
import { isConditionalCheckFailed } from './dynamodb-client.js';
import { Keys } from './dynamodb-keys.js';
import { queryAll } from './dynamodb-paging.js';

/**
 * SEND evidence is needed until unknown mails are reconciled; a mail can wait behind a paused account
 * for days, so it is kept as long as SQS keeps a message (14 days).
 */
const SEND_LOG_RETENTION_S = RETENTION_DAYS.sendLog * 24 * 3600;

const SendLogItem = z.object({ sends: z.record(z.string(), z.string()) });
const Counts = z.object({
  sent: z.number().default(0),
  bounced: z.number().default(0),
  complained: z.number().default(0),
});
const CampaignCounts = z.record(z.string(), z.unknown());

/** "2026-11-23T10:05" */
export function minuteOf(at: Date): string {
  return at.toISOString().slice(0, 16);
}

/**
 * SEND evidence as one small item per event batch, club and minute (not one write per mail), and
 * per-day counters updated with ADD once per batch: docs/benchmarks.md counts what this costs.
 */
export class DynamoDbDeliveryStats implements DeliveryStats {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async logSends(
    clubId: string,
    sends: ReadonlyArray<{ sendId: string; messageId: string; mailAt: string }>,
  ): Promise<void> {
    const byMinute = new Map<string, Record<string, string>>();
    for (const send of sends) {
      const minute = minuteOf(new Date(send.mailAt));
      const group = byMinute.get(minute) ?? {};
      group[send.sendId] = send.messageId;
      byMinute.set(minute, group);
    }
    const expiresAt = Math.floor(Date.now() / 1000) + SEND_LOG_RETENTION_S;
    await Promise.all(
      [...byMinute].map(([minute, group]) =>
        this.db.send(
          new PutCommand({
            TableName: this.tableName,
            Item: { ...Keys.sendLog(clubId, minute, randomUUID()), type: 'send-log', sends: group, expiresAt },
          }),
        ),
      ),
    );
  }

  async findSend(clubId: string, sendId: string, from: Date, to: Date): Promise<string | undefined> {
    for (let t = Math.floor(from.getTime() / MINUTE_MS) * MINUTE_MS; t <= to.getTime(); t += MINUTE_MS) {
      const items = await queryAll(this.db, {
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': Keys.sendLogPartition(clubId, minuteOf(new Date(t))) },
        ConsistentRead: true,
      });
      for (const item of items) {
        const messageId = SendLogItem.parse(item).sends[sendId];
        if (messageId) return messageId;
      }
    }
    return undefined;
  }

  async add(
    clubId: string,
    day: string,
    campaignId: string | undefined,
    counts: Partial<Record<SendCounter, number>>,
  ): Promise<void> {
    const entries = Object.entries(counts).filter(([, n]) => n !== undefined && n > 0);
    if (entries.length === 0) return;
    const update = {
      UpdateExpression: `ADD ${entries.map(([k]) => `#${k} :${k}`).join(', ')}`,
      ExpressionAttributeNames: Object.fromEntries(entries.map(([k]) => [`#${k}`, k])),
      ExpressionAttributeValues: Object.fromEntries(entries.map(([k, n]) => [`:${k}`, n])),
    };
    // A club's daily counters expire (docs/retention.md); a campaign's stay with the campaign.
    const daily = {
      UpdateExpression: `${update.UpdateExpression} SET expiresAt = :expires`,
      ExpressionAttributeNames: update.ExpressionAttributeNames,
      ExpressionAttributeValues: {
        ...update.ExpressionAttributeValues,
        ':expires': expiresAt(`${day}T00:00:00Z`, 'clubStats'),
      },
    };
    await Promise.all([
      this.db.send(new UpdateCommand({ TableName: this.tableName, Key: Keys.clubStats(clubId, day), ...daily })),
      ...(campaignId
        ? [
            this.db.send(
              new UpdateCommand({ TableName: this.tableName, Key: Keys.campaignStats(clubId, campaignId), ...update }),
            ),
          ]
        : []),
    ]);
  }

  async clubCounts(clubId: string, fromDay: string, toDay: string): Promise<SendCounts> {
    const items = await queryAll(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: {
        ':pk': Keys.clubPartition(clubId),
        ':from': `STATS#${fromDay}`,
        ':to': `STATS#${toDay}`,
      },
      ConsistentRead: true,
    });
    return items
      .map((i) => Counts.parse(i))
      .reduce(
        (a, b) => ({ sent: a.sent + b.sent, bounced: a.bounced + b.bounced, complained: a.complained + b.complained }),
        { sent: 0, bounced: 0, complained: 0 },
      );
  }

  async campaignCounts(clubId: string, campaignId: string): Promise<Partial<Record<SendCounter, number>>> {
    const result = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: Keys.campaignStats(clubId, campaignId), ConsistentRead: true }),
    );
    const counts: Partial<Record<SendCounter, number>> = {};
    if (!result.Item) return counts;
    for (const name of COUNTERS) {
      const value = CampaignCounts.parse(result.Item)[name];
      if (typeof value === 'number') counts[name] = value;
    }
    return counts;
  }
}

const COUNTERS: readonly SendCounter[] = [
  'sent',
  'delivered',
  'delayed',
  'bounced',
  'softBounced',
  'complained',
  'rejected',
  'renderingFailed',
  'controlFewer',
  'controlPause',
  'controlOccasionsOnly',
];

const breakerKey = (scope: BreakerScope) =>
  scope.kind === 'account' ? Keys.accountBreaker() : Keys.clubBreaker(scope.clubId);

/** Both breakers in one small read per batch; writes only when their state changes. */
export class DynamoDbSendingSwitch implements SendingSwitch {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async read(clubId: string): Promise<{ account?: Breaker; club?: Breaker }> {
    const account = Keys.accountBreaker();
    const club = Keys.clubBreaker(clubId);
    const result = await this.db.send(
      new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: [account, club] } } }),
    );
    const items = [...(result.Responses?.[this.tableName] ?? [])];
    // A throttled batch read may leave keys unread: read those one by one rather than take them as closed.
    for (const key of result.UnprocessedKeys?.[this.tableName]?.Keys ?? []) {
      const single = await this.db.send(new GetCommand({ TableName: this.tableName, Key: key }));
      if (single.Item) items.push(single.Item);
    }
    const find = (key: { pk: string; sk: string }) => {
      const item = items.find((i) => i.pk === key.pk && i.sk === key.sk);
      return item ? Breaker.parse(item) : undefined;
    };
    const a = find(account);
    const c = find(club);
    return { ...(a ? { account: a } : {}), ...(c ? { club: c } : {}) };
  }

  async open(scope: BreakerScope, breaker: Breaker): Promise<boolean> {
    // A breaker with a probe time (the account's, or a club's whose sender SES refused) may be
    // re-opened with a later one; a club breaker opened by its rates has none, and stays as it is
    // until a person closes it.
    const condition = 'attribute_not_exists(#state) OR #state = :closed OR attribute_exists(probeAfter)';
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...breakerKey(scope), type: 'breaker', ...breaker },
          ConditionExpression: condition,
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':closed': 'closed' },
        }),
      );
      return true;
    } catch (error: unknown) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }

  async close(
    scope: BreakerScope,
    at: Date,
    by: string,
    options: { readonly probing?: boolean } = {},
  ): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: breakerKey(scope),
          UpdateExpression: 'SET #state = :closed, closedAt = :at, closedBy = :by',
          ConditionExpression: options.probing ? '#state = :open AND attribute_exists(probeAfter)' : '#state = :open',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':closed': 'closed', ':open': 'open', ':at': at.toISOString(), ':by': by },
        }),
      );
      return true;
    } catch (error: unknown) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }
}
