import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalFileStore } from '../../lambdas/adapters/local-file-store.js';
import { MemoryFileStore } from '../../lambdas/adapters/memory/memory-file-store.js';
import { S3FileStore } from '../../lambdas/adapters/s3-file-store.js';
import { fileBlocks } from '../../lambdas/app/import-files.js';
import type { FileStore } from '../../lambdas/core/import-ports.js';

/**
 * Both file stores against what they stand on: a folder, and S3 through the real SDK against s3rver
 * (an S3 emulator from npm that runs on Node 24), including the presigned PUT a client uploads with.
 */
const folders: string[] = [];
const folder = () => {
  const dir = mkdtempSync(join(tmpdir(), 'club-planner-store-'));
  folders.push(dir);
  return dir;
};

let s3rver: S3rver;
let s3: S3Client;
beforeAll(async () => {
  s3rver = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: folder() });
  const { port } = await s3rver.run();
  s3 = new S3Client({
    endpoint: `http://127.0.0.1:${port}`,
    forcePathStyle: true,
    region: 'eu-north-1',
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  });
  await s3.send(new CreateBucketCommand({ Bucket: 'club-planner-imports' }));
});
afterAll(async () => {
  await s3rver?.close();
  for (const dir of folders) rmSync(dir, { recursive: true, force: true });
});

async function text(store: FileStore, key: string): Promise<string | undefined> {
  const stream = await store.read(key);
  if (!stream) return undefined;
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks).toString('utf8');
}

const stores: Array<[string, () => FileStore]> = [
  ['the local folder', () => new LocalFileStore(folder(), (key) => `http://localhost/${key}`)],
  ['S3', () => new S3FileStore(s3, 'club-planner-imports')],
  ['memory', () => new MemoryFileStore()],
];

describe.each(stores)('the file store on %s', (_name, make) => {
  it('writes, reads, sizes, lists in key order and deletes by prefix', async () => {
    const store = make();
    const prefix = `imports/club/${Math.random().toString(36).slice(2)}/`;
    await store.write(`${prefix}chunks/001/000001.ndjson`, 'b\n');
    await store.write(`${prefix}chunks/001/000000.ndjson`, 'a\n');
    await store.write(`${prefix}rejected/a-read-000000.csv`, new TextEncoder().encode('r\n'));
    expect(await store.list(`${prefix}chunks/001/`)).toEqual([
      `${prefix}chunks/001/000000.ndjson`,
      `${prefix}chunks/001/000001.ndjson`,
    ]);
    expect(await text(store, `${prefix}chunks/001/000001.ndjson`)).toBe('b\n');
    expect(await store.size(`${prefix}rejected/a-read-000000.csv`)).toBe(2);
    expect(await store.size(`${prefix}nothing`)).toBeUndefined();
    expect(await store.read(`${prefix}nothing`)).toBeUndefined();
    await store.deletePrefix(`${prefix}chunks/`);
    expect(await store.list(prefix)).toEqual([`${prefix}rejected/a-read-000000.csv`]);
  });

  it('streams a file back in blocks of whole lines, whatever its size', async () => {
    const store = make();
    const key = `imports/club/${Math.random().toString(36).slice(2)}/source`;
    const lines = Array.from({ length: 20_000 }, (_, i) => `m${i},r${i},2026-01-01T00:00:00Z,p${i % 7},1`);
    await store.write(key, `${lines.join('\n')}\n`);
    const blocks: string[] = [];
    for await (const block of fileBlocks(store, key, true, 64 * 1024)) blocks.push(block);
    expect(blocks.length).toBeGreaterThan(1);
    for (const block of blocks) expect(block.endsWith('\n')).toBe(true);
    expect(blocks.join('')).toBe(`${lines.join('\n')}\n`);
  });
});

describe('S3 uploads', () => {
  it('takes a file PUT to the presigned URL, as a club uploads it with curl', async () => {
    const store = new S3FileStore(s3, 'club-planner-imports');
    const key = `imports/club/${Math.random().toString(36).slice(2)}/source`;
    const url = await store.uploadUrl(key, 'text/csv', 300);
    expect(url).toContain('X-Amz-Signature=');
    const put = await fetch(url, { method: 'PUT', headers: { 'content-type': 'text/csv' }, body: 'member_id\nm1\n' });
    expect(put.status).toBe(200);
    expect(await text(store, key)).toBe('member_id\nm1\n');
  });

  it('refuses a local key that would leave its folder', async () => {
    const store = new LocalFileStore(folder(), (key) => key);
    await expect(store.write('../outside', 'x')).rejects.toThrow(/outside the store/);
  });
});
