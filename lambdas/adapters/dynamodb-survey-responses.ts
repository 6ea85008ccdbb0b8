import { DeleteCommand, type DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import type { NpsRow, StoredNpsDay, StoredResponse, SurveyResponses } from '../core/feedback-ports.js';
import { dayBounds, dayOf, NpsDayCounts } from '../core/nps-days.js';
import { expiresAt } from '../core/retention.js';
import { SurveyResponse } from '../core/survey-response.js';
import { isConditionalCheckFailed } from './dynamodb-client.js';
import { FeedbackKeys } from './dynamodb-feedback-keys.js';
import { Keys } from './dynamodb-keys.js';
import { queryAll } from './dynamodb-paging.js';

/** TTL deletes within days, not at the second: an expired item is gone to every reader. */
const live = (item: Record<string, unknown>, now: Date) =>
  typeof item.expiresAt !== 'number' || item.expiresAt * 1000 > now.getTime();

const CommentItem = z.object({ text: z.string() });
const NpsItem = z.object({
  at: z.number(),
  score: z.number().int().min(0).max(10),
  segments: z.record(z.string(), z.string()).default({}),
  campaignId: z.string(),
  memberId: z.string(),
});
const TopicItem = z.object({ memberId: z.string() });
const NpsDayItem = z.object({
  sk: z.iso.date(),
  changes: z.number().int().min(0).default(0),
  counted: z.number().int().min(0).optional(),
  /**
   * The day's hours and segments as one JSON text: a report reads some 550 days, and as DynamoDB lists
   * of numbers each count is an attribute value the SDK converts on its own (most of the read's time).
   */
  counts: z.string().optional(),
});
const StoredCounts = NpsDayCounts.pick({ hours: true, segments: true });

function countsOf(day: string, text: string): NpsDayCounts {
  return { day, ...StoredCounts.parse(JSON.parse(text)) };
}

/** A day of the roll-up is kept as long as its last answer's NPS row. */
const dayExpiresAt = (day: string) => expiresAt(dayBounds(day).end, 'surveyResponse');

/** Survey responses, comments, NPS rows and topic entries in the one table (dynamodb-feedback-keys.ts). */
export class DynamoDbSurveyResponses implements SurveyResponses {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(clubId: string, campaignId: string, memberId: string): Promise<StoredResponse | undefined> {
    const items = await queryAll(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: {
        ':pk': Keys.memberPartition(clubId, memberId),
        ':prefix': FeedbackKeys.responsePrefix(campaignId),
      },
      ConsistentRead: true,
    });
    return this.stored(items, new Date())[0];
  }

  async save(response: SurveyResponse, expectedVersion: number): Promise<'saved' | 'changed'> {
    const { clubId, campaignId, memberId } = response;
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...FeedbackKeys.response(clubId, campaignId, memberId),
            type: 'survey-response',
            ...response,
            version: expectedVersion + 1,
            expiresAt: expiresAt(response.answeredAt, 'surveyResponse'),
          },
          ConditionExpression: expectedVersion === 0 ? 'attribute_not_exists(pk)' : 'version = :read',
          ...(expectedVersion === 0 ? {} : { ExpressionAttributeValues: { ':read': expectedVersion } }),
        }),
      );
    } catch (error: unknown) {
      if (isConditionalCheckFailed(error)) return 'changed';
      throw error;
    }
    // The response is the record; the NPS row follows it (none while automated). A crash between the
    // two leaves the row one vote behind until the member's next vote writes it again.
    const row = FeedbackKeys.npsRow(clubId, response.answeredAt, campaignId, memberId);
    if (response.automated) {
      await this.db.send(new DeleteCommand({ TableName: this.tableName, Key: row }));
    } else {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...row,
            type: 'nps-row',
            at: Date.parse(response.answeredAt),
            score: response.score,
            segments: response.segments,
            campaignId,
            memberId,
            expiresAt: expiresAt(response.answeredAt, 'surveyResponse'),
          },
        }),
      );
    }
    // After the row: a count of the day that read the rows before this write is then marked stale.
    await this.markDay(clubId, dayOf(Date.parse(response.answeredAt)));
    return 'saved';
  }

  /** One more change to a day of the NPS roll-up: its counts are taken again at the next read. */
  private async markDay(clubId: string, day: string): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: FeedbackKeys.npsDay(clubId, day),
        UpdateExpression: 'ADD changes :one SET #type = :type, expiresAt = :expires',
        ExpressionAttributeNames: { '#type': 'type' },
        ExpressionAttributeValues: { ':one': 1, ':type': 'nps-day', ':expires': dayExpiresAt(day) },
      }),
    );
  }

  async npsDays(clubId: string, fromDay: string, toDay: string): Promise<StoredNpsDay[]> {
    const items = await queryAll(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': FeedbackKeys.npsDayPartition(clubId), ':from': fromDay, ':to': toDay },
      // A day marked a moment ago must read as changed, so a report after an answer counts it.
      ConsistentRead: true,
    });
    return items.map((item) => {
      const { sk: day, changes, counted, counts } = NpsDayItem.parse(item);
      return {
        day,
        changes,
        ...(counted === undefined || counts === undefined ? {} : { counted, counts: countsOf(day, counts) }),
      };
    });
  }

  async putNpsDay(clubId: string, counts: NpsDayCounts, changes: number): Promise<'saved' | 'changed'> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...FeedbackKeys.npsDay(clubId, counts.day),
            type: 'nps-day',
            changes,
            counted: changes,
            counts: JSON.stringify({ hours: counts.hours, segments: counts.segments }),
            expiresAt: dayExpiresAt(counts.day),
          },
          ConditionExpression: changes === 0 ? 'attribute_not_exists(pk)' : 'changes = :read',
          ...(changes === 0 ? {} : { ExpressionAttributeValues: { ':read': changes } }),
        }),
      );
      return 'saved';
    } catch (error: unknown) {
      if (isConditionalCheckFailed(error)) return 'changed';
      throw error;
    }
  }

  async saveComment(
    response: SurveyResponse,
    comment: string,
    previousTopics: readonly string[],
    now: Date,
  ): Promise<void> {
    const { clubId, campaignId, memberId } = response;
    const key = FeedbackKeys.comment(clubId, campaignId, memberId);
    await this.saveTopics(response, previousTopics, now);
    if (comment.trim() === '') {
      await this.db.send(new DeleteCommand({ TableName: this.tableName, Key: key }));
    } else {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...key,
            type: 'survey-comment',
            text: comment,
            at: now.toISOString(),
            expiresAt: expiresAt(now, 'surveyComment'),
          },
        }),
      );
    }
  }

  /** Topic entries of the response: one per topic its reason touched; `previous` ones it no longer touches go. */
  private async saveTopics(response: SurveyResponse, previous: readonly string[], now: Date): Promise<void> {
    const { clubId, campaignId, memberId } = response;
    const gone = previous.filter((t) => !response.topics.includes(t));
    await Promise.all([
      ...gone.map((topic) =>
        this.db.send(
          new DeleteCommand({
            TableName: this.tableName,
            Key: FeedbackKeys.topicEntry(clubId, topic, memberId, campaignId),
          }),
        ),
      ),
      ...response.topics.map((topic) =>
        this.db.send(
          new PutCommand({
            TableName: this.tableName,
            Item: {
              ...FeedbackKeys.topicEntry(clubId, topic, memberId, campaignId),
              type: 'topic-entry',
              memberId,
              campaignId,
              at: now.toISOString(),
              expiresAt: expiresAt(now, 'surveyComment'),
            },
          }),
        ),
      ),
    ]);
  }

  async answers(clubId: string, from: Date, to: Date): Promise<NpsRow[]> {
    const now = new Date();
    const items = await queryAll(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: {
        ':pk': FeedbackKeys.npsPartition(clubId),
        ':from': from.toISOString(),
        // Every sort key of an answer at `to` (ISO time, then '#…') sorts below '~'.
        ':to': `${to.toISOString()}~`,
      },
      // The roll-up counts a day from these after reading its changes: a write before must be seen.
      ConsistentRead: true,
    });
    return items
      .filter((item) => live(item, now))
      .map((item) => NpsItem.parse(item))
      .filter((row) => row.at > from.getTime() && row.at <= to.getTime());
  }

  async topicAudience(clubId: string, topic: string, since: Date): Promise<Set<string>> {
    const now = new Date();
    const items = await queryAll(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': FeedbackKeys.topicPartition(clubId, topic) },
      ProjectionExpression: 'memberId, #at, expiresAt',
      ExpressionAttributeNames: { '#at': 'at' },
    });
    return new Set(
      items
        .filter((item) => live(item, now) && typeof item.at === 'string' && Date.parse(item.at) >= since.getTime())
        .map((item) => TopicItem.parse(item).memberId),
    );
  }

  async ofMember(clubId: string, memberId: string): Promise<StoredResponse[]> {
    const items = await queryAll(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :survey)',
      ExpressionAttributeValues: { ':pk': Keys.memberPartition(clubId, memberId), ':survey': 'SURVEY#' },
      ConsistentRead: true,
    });
    return this.stored(items, new Date());
  }

  async eraseMember(clubId: string, memberId: string): Promise<number> {
    // Expired responses count too: their NPS rows and topic entries may outlive them by TTL's lag.
    const items = await queryAll(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :survey)',
      ExpressionAttributeValues: { ':pk': Keys.memberPartition(clubId, memberId), ':survey': 'SURVEY#' },
      ConsistentRead: true,
    });
    const keys = items.flatMap((item) => {
      const parsed = SurveyResponse.safeParse(item);
      if (!parsed.success) return [];
      const r = parsed.data;
      return [
        FeedbackKeys.npsRow(clubId, r.answeredAt, r.campaignId, memberId),
        ...r.topics.map((topic) => FeedbackKeys.topicEntry(clubId, topic, memberId, r.campaignId)),
      ];
    });
    for (const Key of keys) await this.db.send(new DeleteCommand({ TableName: this.tableName, Key }));
    const days = new Set(
      items.flatMap((item) => {
        const parsed = SurveyResponse.safeParse(item);
        return parsed.success ? [dayOf(Date.parse(parsed.data.answeredAt))] : [];
      }),
    );
    for (const day of days) await this.markDay(clubId, day);
    return keys.length;
  }

  /** Responses with their comments, from the items of a member's partition (or of one survey). */
  private stored(items: readonly Record<string, unknown>[], now: Date): StoredResponse[] {
    const comments = new Map<string, string>();
    for (const item of items) {
      const sk = String(item.sk);
      if (sk.endsWith('#COMMENT') && live(item, now))
        comments.set(sk.slice(0, -'COMMENT'.length), CommentItem.parse(item).text);
    }
    return items
      .filter((item) => String(item.sk).endsWith('#RESPONSE') && live(item, now))
      .map((item) => {
        const response = SurveyResponse.parse(item);
        const comment = comments.get(String(item.sk).slice(0, -'RESPONSE'.length));
        return { response, ...(comment === undefined ? {} : { comment }) };
      });
  }
}
