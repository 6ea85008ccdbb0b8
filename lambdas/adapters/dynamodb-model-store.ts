import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { ClubModel } from '../core/club-model.js';
import { ContentionError } from '../core/errors.js';
import type { ModelStore } from '../core/ports.js';
import { Keys } from './dynamodb-keys.js';
import { batchGetAll, batchWriteAll } from './dynamodb-paging.js';

/** Characters of JSON per chunk item: ids and numbers are ASCII, so well under the 400 KB item limit. */
const CHUNK_CHARS = 300_000;

const Header = z.object({ version: z.string(), chunks: z.number().int().positive() });
const Chunk = z.object({ sk: z.string(), data: z.string() });

/**
 * The club model as JSON split over chunk items in the club partition, plus a header naming the
 * current version. A fit writes its chunks first and then switches the header with one put, so a
 * reader sees the old model or the new one, never half of each; the old chunks are deleted after.
 */
export class DynamoDbModelStore implements ModelStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async put(clubId: string, model: ClubModel): Promise<void> {
    const json = JSON.stringify(ClubModel.parse(model));
    const previous = await this.header(clubId);
    const version = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
    const chunks: string[] = [];
    for (let i = 0; i < json.length; i += CHUNK_CHARS) chunks.push(json.slice(i, i + CHUNK_CHARS));
    await batchWriteAll(
      this.db,
      this.tableName,
      chunks.map((data, i) => ({ ...Keys.modelChunk(clubId, version, i), type: 'model-chunk', data })),
    );
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...Keys.model(clubId), type: 'model', version, chunks: chunks.length, fittedAt: model.fittedAt },
      }),
    );
    if (previous) {
      for (let i = 0; i < previous.chunks; i += 1) {
        await this.db.send(
          new DeleteCommand({ TableName: this.tableName, Key: Keys.modelChunk(clubId, previous.version, i) }),
        );
      }
    }
  }

  async get(clubId: string): Promise<ClubModel | undefined> {
    // A fit may delete the chunks between reading the header and the chunks: read again once.
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const header = await this.header(clubId);
      if (!header) return undefined;
      const keys = Array.from({ length: header.chunks }, (_, i) => Keys.modelChunk(clubId, header.version, i));
      const items = (await batchGetAll(this.db, this.tableName, keys)).map((item) => Chunk.parse(item));
      if (items.length < header.chunks) continue;
      const bySk = new Map(items.map((item) => [item.sk, item.data]));
      const json = keys.map((key) => bySk.get(key.sk) ?? '').join('');
      return ClubModel.parse(JSON.parse(json));
    }
    throw new ContentionError(`the model of club ${clubId} changed twice while it was read`);
  }

  private async header(clubId: string): Promise<z.infer<typeof Header> | undefined> {
    const result = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: Keys.model(clubId), ConsistentRead: true }),
    );
    return result.Item ? Header.parse(result.Item) : undefined;
  }
}
