import { randomUUID } from 'node:crypto';
import { type DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import type { AuditTrail } from '../core/access-ports.js';
import { AuditEntry, type AuditQuery } from '../core/audit.js';
import { expiresAt } from '../core/retention.js';
import { Keys } from './dynamodb-keys.js';

/** Before and after are kept as JSON text; one larger than this is replaced by a note of its size (items stop at 400 KB). */
const MAX_STATE_BYTES = 150_000;

const StoredEntry = AuditEntry.omit({ before: true, after: true }).extend({
  sk: z.string(),
  beforeJson: z.string().optional(),
  afterJson: z.string().optional(),
});

const parseJson = (text: string): unknown => JSON.parse(text);

function stateText(state: unknown): string | undefined {
  if (state === undefined) return undefined;
  const text = JSON.stringify(state);
  const bytes = Buffer.byteLength(text, 'utf8');
  return bytes > MAX_STATE_BYTES ? JSON.stringify({ omitted: `${bytes} bytes of JSON` }) : text;
}

/**
 * The audit trail in one partition per club, sorted by time: append-only, never updated; each entry
 * expires RETENTION_DAYS.audit after its action (docs/retention.md).
 */
export class DynamoDbAuditTrail implements AuditTrail {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async record(entry: AuditEntry): Promise<void> {
    const { before, after, ...fields } = AuditEntry.parse(entry);
    const beforeJson = stateText(before);
    const afterJson = stateText(after);
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...Keys.audit(fields.clubId, new Date(fields.at).toISOString(), randomUUID()),
          type: 'audit',
          ...fields,
          ...(beforeJson === undefined ? {} : { beforeJson }),
          ...(afterJson === undefined ? {} : { afterJson }),
          expiresAt: expiresAt(fields.at, 'audit'),
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async list(clubId: string, query: AuditQuery): Promise<{ entries: AuditEntry[]; cursor?: string }> {
    const pk = Keys.auditPartition(clubId);
    const result = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': pk },
        ScanIndexForward: false,
        Limit: query.limit,
        ...(query.cursor ? { ExclusiveStartKey: { pk, sk: query.cursor } } : {}),
      }),
    );
    const stored = (result.Items ?? []).map((item) => StoredEntry.parse(item));
    const entries = stored.map(({ sk: _sk, beforeJson, afterJson, ...entry }) => ({
      ...entry,
      ...(beforeJson === undefined ? {} : { before: parseJson(beforeJson) }),
      ...(afterJson === undefined ? {} : { after: parseJson(afterJson) }),
    }));
    const last = stored.at(-1);
    return { entries, ...(result.LastEvaluatedKey && last ? { cursor: last.sk } : {}) };
  }
}
