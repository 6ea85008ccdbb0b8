import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { caseIdFor, FeedbackCase } from '../core/feedback-case.js';
import type { CaseQuery, FeedbackCases, ServiceContacts } from '../core/feedback-ports.js';
import { expiresAt } from '../core/retention.js';
import { isConditionalCheckFailed } from './dynamodb-client.js';
import { FeedbackKeys } from './dynamodb-feedback-keys.js';
import { Keys } from './dynamodb-keys.js';
import { queryAll } from './dynamodb-paging.js';
import { TableDesign } from './dynamodb-table.js';

const KEY_FIELDS = ['pk', 'sk', 'gsi1pk', 'gsi1sk', 'type', 'expiresAt'] as const;

function parseCase(item: Record<string, unknown>): FeedbackCase {
  const fields = Object.fromEntries(Object.entries(item).filter(([k]) => !KEY_FIELDS.some((f) => f === k)));
  return FeedbackCase.parse(fields);
}

/**
 * Follow-up cases in one partition per club. An open case is also in gsi1 under `OPEN-CASES`, by due
 * time, so the overdue check of every club is one query; contacting or resolving it leaves the index.
 */
export class DynamoDbFeedbackCases implements FeedbackCases {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  private item(c: FeedbackCase, version: number): Record<string, unknown> {
    return {
      ...FeedbackKeys.case(c.clubId, c.caseId),
      ...(c.state === 'open' ? FeedbackKeys.openCaseIndexKeys(c.clubId, c.caseId, c.dueAt) : {}),
      type: 'feedback-case',
      ...c,
      version,
      expiresAt: expiresAt(c.openedAt, 'feedbackCase'),
    };
  }

  async create(feedbackCase: FeedbackCase): Promise<'created' | 'exists'> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: this.item(feedbackCase, 1),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return 'created';
    } catch (error: unknown) {
      if (isConditionalCheckFailed(error)) return 'exists';
      throw error;
    }
  }

  async get(clubId: string, caseId: string): Promise<FeedbackCase | undefined> {
    const read = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: FeedbackKeys.case(clubId, caseId), ConsistentRead: true }),
    );
    return read.Item ? parseCase(read.Item) : undefined;
  }

  async replace(feedbackCase: FeedbackCase, expectedVersion: number): Promise<'replaced' | 'changed'> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: this.item(feedbackCase, expectedVersion + 1),
          ConditionExpression: 'version = :read',
          ExpressionAttributeValues: { ':read': expectedVersion },
        }),
      );
      return 'replaced';
    } catch (error: unknown) {
      if (isConditionalCheckFailed(error)) return 'changed';
      throw error;
    }
  }

  async list(clubId: string, query: CaseQuery): Promise<FeedbackCase[]> {
    const items = await queryAll(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :case)',
      ExpressionAttributeValues: { ':pk': FeedbackKeys.casePartition(clubId), ':case': 'CASE#' },
    });
    const overdueAt = query.overdueAt?.getTime();
    return items
      .map(parseCase)
      .filter((c) => (query.state ? c.state === query.state : true))
      .filter((c) => (overdueAt === undefined ? true : c.state === 'open' && Date.parse(c.dueAt) <= overdueAt))
      .sort((a, b) => a.dueAt.localeCompare(b.dueAt));
  }

  async overdue(now: Date, limit: number): Promise<FeedbackCase[]> {
    const result = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: TableDesign.memberShardIndex.name,
        KeyConditionExpression: 'gsi1pk = :open AND gsi1sk <= :now',
        ExpressionAttributeValues: { ':open': FeedbackKeys.openCasesIndex, ':now': `${now.toISOString()}~` },
        Limit: limit,
      }),
    );
    // The index is eventually consistent: a case contacted a moment ago may still be listed as open.
    return (result.Items ?? []).map(parseCase).filter((c) => c.state === 'open');
  }

  async ofMember(clubId: string, memberId: string): Promise<FeedbackCase[]> {
    const cases = await Promise.all((await this.campaignsOf(clubId, memberId)).map((id) => this.get(clubId, id)));
    return cases.flatMap((c) => (c ? [c] : []));
  }

  async eraseMember(clubId: string, memberId: string): Promise<number> {
    const ids = await this.campaignsOf(clubId, memberId);
    for (const caseId of ids) {
      await this.db.send(new DeleteCommand({ TableName: this.tableName, Key: FeedbackKeys.case(clubId, caseId) }));
    }
    return ids.length;
  }

  /** The case ids the member's survey responses may have opened: one per survey answered (core/feedback-case.ts). */
  private async campaignsOf(clubId: string, memberId: string): Promise<string[]> {
    const items = await queryAll(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :survey)',
      ExpressionAttributeValues: { ':pk': Keys.memberPartition(clubId, memberId), ':survey': 'SURVEY#' },
      ProjectionExpression: 'sk',
      ConsistentRead: true,
    });
    const campaigns = new Set(items.map((item) => String(item.sk).split('#')[1] ?? '').filter((id) => id !== ''));
    return [...campaigns].map((campaignId) => caseIdFor(clubId, campaignId, memberId));
  }
}

/** A complaint or service case, noted on the member's ledger item where the send claim reads it. */
export class DynamoDbServiceContacts implements ServiceContacts {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async record(clubId: string, memberId: string, at: Date): Promise<'recorded' | 'not-found'> {
    const member = await this.db.send(
      new GetCommand({
        TableName: this.tableName,
        Key: Keys.member(clubId, memberId),
        ProjectionExpression: 'pk',
        ConsistentRead: true,
      }),
    );
    if (!member.Item) return 'not-found';
    try {
      // Bumping the version makes a survey claim judged on the ledger before this fail and re-judge.
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: Keys.ledger(clubId, memberId),
          UpdateExpression:
            'SET #type = if_not_exists(#type, :ledger), sends = if_not_exists(sends, :empty), serviceCaseAt = :at, expiresAt = :expires ADD version :one',
          ConditionExpression: 'attribute_not_exists(serviceCaseAt) OR serviceCaseAt < :at',
          ExpressionAttributeNames: { '#type': 'type' },
          ExpressionAttributeValues: {
            ':ledger': 'ledger',
            ':empty': {},
            ':at': at.getTime(),
            ':one': 1,
            // A change to the ledger moves its expiry (docs/retention.md), as every other write of it does.
            ':expires': expiresAt(new Date(), 'ledger'),
          },
        }),
      );
    } catch (error: unknown) {
      // A later one is already noted: the hold runs from that.
      if (!isConditionalCheckFailed(error)) throw error;
    }
    return 'recorded';
  }
}
