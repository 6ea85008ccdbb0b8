import { DeleteObjectsCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { ReceiptArchive } from '../core/fit-ports.js';
import type { Receipt } from '../core/ports.js';
import { ArchiveKeys, archiveStamp, membersParquet, receiptsParquet } from './parquet-files.js';

/** The receipt archive in S3 (lib/constructs/model-fit.ts), read by Athena through the Glue tables. */
export class S3ReceiptArchive implements ReceiptArchive {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  async append(clubId: string, receipts: readonly Receipt[], ingestedAt: Date): Promise<void> {
    if (receipts.length === 0) return;
    const stamp = archiveStamp(ingestedAt);
    await this.put(ArchiveKeys.receiptFile(clubId, stamp), receiptsParquet(receipts, stamp));
  }

  async clubs(): Promise<string[]> {
    const clubs: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.s3.send(
        new ListObjectsV2Command({
          Bucket: this.bucket,
          Prefix: ArchiveKeys.receiptsPrefix,
          Delimiter: '/',
          ...(token ? { ContinuationToken: token } : {}),
        }),
      );
      for (const prefix of page.CommonPrefixes ?? []) {
        const clubId = prefix.Prefix ? ArchiveKeys.clubOf(prefix.Prefix) : undefined;
        if (clubId) clubs.push(clubId);
      }
      token = page.NextContinuationToken;
    } while (token);
    return clubs.sort();
  }

  async writeMembers(clubId: string, snapshot: string, part: number, memberIds: readonly string[]): Promise<void> {
    await this.put(ArchiveKeys.memberPart(clubId, snapshot, part), membersParquet(memberIds));
  }

  async dropMemberSnapshots(clubId: string, keep: string): Promise<void> {
    const keepPrefix = ArchiveKeys.memberSnapshot(clubId, keep);
    let token: string | undefined;
    do {
      const page = await this.s3.send(
        new ListObjectsV2Command({
          Bucket: this.bucket,
          Prefix: ArchiveKeys.clubMembers(clubId),
          ...(token ? { ContinuationToken: token } : {}),
        }),
      );
      const stale = (page.Contents ?? []).flatMap((o) =>
        o.Key && !o.Key.startsWith(keepPrefix) ? [{ Key: o.Key }] : [],
      );
      if (stale.length > 0)
        await this.s3.send(new DeleteObjectsCommand({ Bucket: this.bucket, Delete: { Objects: stale, Quiet: true } }));
      token = page.NextContinuationToken;
    } while (token);
  }

  private async put(key: string, body: Uint8Array): Promise<void> {
    await this.s3.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: key,
        Body: body,
        ContentType: 'application/vnd.apache.parquet',
      }),
    );
  }
}
