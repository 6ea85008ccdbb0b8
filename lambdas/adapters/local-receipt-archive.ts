import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { ReceiptArchive } from '../core/fit-ports.js';
import type { Receipt } from '../core/ports.js';
import { ArchiveKeys, archiveStamp, membersParquet, receiptsParquet } from './parquet-files.js';

/** The receipt archive in a local folder (`.data/archive` under `npm start`), laid out as in S3. */
export class LocalReceiptArchive implements ReceiptArchive {
  constructor(readonly root: string) {}

  async append(clubId: string, receipts: readonly Receipt[], ingestedAt: Date): Promise<void> {
    if (receipts.length === 0) return;
    const stamp = archiveStamp(ingestedAt);
    await this.write(ArchiveKeys.receiptFile(clubId, stamp), receiptsParquet(receipts, stamp));
  }

  async clubs(): Promise<string[]> {
    const names = await entries(join(this.root, ArchiveKeys.receiptsPrefix));
    return names.flatMap((name) => ArchiveKeys.clubOf(`${ArchiveKeys.receiptsPrefix}${name}/`) ?? []).sort();
  }

  async writeMembers(clubId: string, snapshot: string, part: number, memberIds: readonly string[]): Promise<void> {
    await this.write(ArchiveKeys.memberPart(clubId, snapshot, part), membersParquet(memberIds));
  }

  async dropMemberSnapshots(clubId: string, keep: string): Promise<void> {
    const folder = join(this.root, ArchiveKeys.clubMembers(clubId));
    for (const name of await entries(folder)) {
      if (name !== `snapshot=${keep}`) await rm(join(folder, name), { recursive: true, force: true });
    }
  }

  /** Written under a temporary name and renamed, so a reader never sees half a file. */
  private async write(key: string, bytes: Uint8Array): Promise<void> {
    const path = join(this.root, key);
    await mkdir(dirname(path), { recursive: true });
    const partial = `${path}.partial`;
    await writeFile(partial, bytes);
    await rename(partial, path);
  }
}

async function entries(folder: string): Promise<string[]> {
  try {
    return await readdir(folder);
  } catch (error: unknown) {
    if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return [];
    throw error;
  }
}
