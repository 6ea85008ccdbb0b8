import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { type ChunkCounts, COUNT_FIELDS, ImportJob, type ImportStatus } from '../core/import-job.js';
import type { GroupPlan, ImportJobStore } from '../core/import-ports.js';
import { expiresAt } from '../core/retention.js';
import { isConditionalCheckFailed } from './dynamodb-client.js';
import { Keys } from './dynamodb-keys.js';
import { queryAll } from './dynamodb-paging.js';

const StoredJob = z.looseObject({ doneChunks: z.set(z.number()).optional() });
const StoredPlan = z.object({
  counts: z.record(z.string(), z.number()),
  delta: z.record(z.string(), z.number()),
  touched: z.array(z.number().int().min(0)),
});

function toJob(item: Record<string, unknown>): ImportJob {
  const { doneChunks, ...rest } = StoredJob.parse(item);
  return ImportJob.parse({ ...rest, doneChunks: [...(doneChunks ?? [])].sort((a, b) => a - b) });
}

function toPlan(item: Record<string, unknown>): GroupPlan {
  const plan = StoredPlan.parse(item);
  const counts: Partial<ChunkCounts> = {};
  for (const field of COUNT_FIELDS) {
    const n = plan.counts[field];
    if (n !== undefined) counts[field] = n;
  }
  return { counts, delta: plan.delta, touched: plan.touched };
}

/**
 * Import jobs in a partition per club, their chunk plans in a partition per job; all expire with the
 * job (docs/retention.md). Counts are added per chunk with ADD under a "not yet counted" condition on
 * the set of done chunks: exactly once without transactions.
 */
export class DynamoDbImportJobs implements ImportJobStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(job: ImportJob): Promise<'created' | 'exists'> {
    const { doneChunks: _none, ...rest } = job;
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...Keys.importJob(job.clubId, job.jobId),
            type: 'import-job',
            ...rest,
            expiresAt: expiresAt(job.createdAt, 'importJob'),
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

  async get(clubId: string, jobId: string): Promise<ImportJob | undefined> {
    const result = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: Keys.importJob(clubId, jobId), ConsistentRead: true }),
    );
    return result.Item ? toJob(result.Item) : undefined;
  }

  async list(clubId: string, limit: number): Promise<ImportJob[]> {
    const result = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :job)',
        ExpressionAttributeValues: { ':pk': Keys.importJobsPartition(clubId), ':job': 'JOB#' },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    return (result.Items ?? []).map(toJob);
  }

  async transition(
    clubId: string,
    jobId: string,
    from: readonly ImportStatus[],
    to: ImportStatus,
    at: Date,
    patch: Partial<Pick<ImportJob, 'chunks' | 'linesRead' | 'rejectedAtRead' | 'error'>> = {},
  ): Promise<ImportJob | undefined> {
    const fromValues = Object.fromEntries(from.map((status, i) => [`:from${i}`, status]));
    const entries = Object.entries(patch).filter(([, v]) => v !== undefined);
    try {
      const result = await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: Keys.importJob(clubId, jobId),
          UpdateExpression: ['SET #status = :to, updatedAt = :at', ...entries.map(([k]) => `#${k} = :${k}`)].join(', '),
          ConditionExpression: `#status IN (${Object.keys(fromValues).join(', ')})`,
          ExpressionAttributeNames: { '#status': 'status', ...Object.fromEntries(entries.map(([k]) => [`#${k}`, k])) },
          ExpressionAttributeValues: {
            ':to': to,
            ':at': at.toISOString(),
            ...fromValues,
            ...Object.fromEntries(entries.map(([k, v]) => [`:${k}`, v])),
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return result.Attributes ? toJob(result.Attributes) : undefined;
    } catch (error: unknown) {
      if (isConditionalCheckFailed(error)) return undefined;
      throw error;
    }
  }

  async completeChunk(clubId: string, jobId: string, chunk: number, counts: ChunkCounts): Promise<number> {
    const fields = COUNT_FIELDS.filter((field) => counts[field] !== 0);
    try {
      const result = await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: Keys.importJob(clubId, jobId),
          UpdateExpression: `ADD doneChunks :chunkSet${fields.map((f) => `, counts.#${f} :${f}`).join('')} SET updatedAt = :now`,
          ConditionExpression:
            'attribute_exists(pk) AND (attribute_not_exists(doneChunks) OR NOT contains(doneChunks, :chunk))',
          ...(fields.length > 0
            ? { ExpressionAttributeNames: Object.fromEntries(fields.map((f) => [`#${f}`, f])) }
            : {}),
          ExpressionAttributeValues: {
            ':chunkSet': new Set([chunk]),
            ':chunk': chunk,
            ':now': new Date().toISOString(),
            ...Object.fromEntries(fields.map((f) => [`:${f}`, counts[f]])),
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return result.Attributes ? toJob(result.Attributes).doneChunks.length : 0;
    } catch (error: unknown) {
      if (!isConditionalCheckFailed(error)) throw error;
      return (await this.get(clubId, jobId))?.doneChunks.length ?? 0;
    }
  }

  async planOnce(clubId: string, jobId: string, chunk: number, group: number, plan: GroupPlan): Promise<GroupPlan> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...Keys.importPlan(clubId, jobId, chunk, group),
            type: 'import-plan',
            counts: plan.counts,
            delta: plan.delta,
            touched: [...plan.touched],
            expiresAt: expiresAt(new Date(), 'importJob'),
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return plan;
    } catch (error: unknown) {
      if (!isConditionalCheckFailed(error)) throw error;
      const stored = await this.getPlan(clubId, jobId, chunk, group);
      if (!stored) throw new Error('a plan vanished after its conditional write failed', { cause: error });
      return stored;
    }
  }

  async getPlan(clubId: string, jobId: string, chunk: number, group: number): Promise<GroupPlan | undefined> {
    const result = await this.db.send(
      new GetCommand({
        TableName: this.tableName,
        Key: Keys.importPlan(clubId, jobId, chunk, group),
        ConsistentRead: true,
      }),
    );
    return result.Item ? toPlan(result.Item) : undefined;
  }

  async listPlans(clubId: string, jobId: string): Promise<GroupPlan[]> {
    const items = await queryAll(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': Keys.importPlanPartition(clubId, jobId) },
      ConsistentRead: true,
    });
    return items.map(toPlan);
  }
}
