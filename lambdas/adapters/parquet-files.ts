import { randomBytes } from 'node:crypto';
import { parquetWriteBuffer } from 'hyparquet-writer';
import type { Receipt } from '../core/ports.js';

/**
 * The archive's file layout, the same in S3 and in the local folder (and in the Glue tables of
 * lib/constructs/model-fit.ts): Hive-style `key=value` folders, so both engines read the club, the
 * day and the snapshot from the path and skip the folders a query rules out.
 */
export const ArchiveKeys = {
  receiptsPrefix: 'receipts/',
  membersPrefix: 'members/',
  clubReceipts: (clubId: string) => `receipts/club=${clubId}/`,
  receiptFile: (clubId: string, ingestedAt: Date) =>
    `receipts/club=${clubId}/dt=${ingestedAt.toISOString().slice(0, 10)}/${ingestedAt.getTime()}-${randomBytes(6).toString('hex')}.parquet`,
  clubMembers: (clubId: string) => `members/club=${clubId}/`,
  memberSnapshot: (clubId: string, snapshot: string) => `members/club=${clubId}/snapshot=${snapshot}/`,
  memberPart: (clubId: string, snapshot: string, part: number) =>
    `members/club=${clubId}/snapshot=${snapshot}/part-${String(part).padStart(5, '0')}.parquet`,
  /** The club id of a `receipts/club=<id>/` prefix. */
  clubOf: (prefix: string) => /^receipts\/club=([A-Za-z0-9_-]+)\/$/.exec(prefix)?.[1],
} as const;

let lastStampMs = 0;

/**
 * The time an appended file is stamped with: `at`, or a millisecond after this process's previous
 * stamp if that is not earlier. The fit reads each receipt in the version of the file with the latest
 * stamp, so two versions of a receipt appended within one millisecond (a seed and a correction under a
 * test's frozen clock, two quick requests) must not share one: their lines would be read together.
 */
export function archiveStamp(at: Date): Date {
  lastStampMs = Math.max(at.getTime(), lastStampMs + 1);
  return new Date(lastStampMs);
}

/** One row per purchase line: member_id, receipt_id, purchased_ms, product_id, quantity, ingested_ms (Snappy). */
export function receiptsParquet(receipts: readonly Receipt[], ingestedAt: Date): Uint8Array {
  const member: string[] = [];
  const receipt: string[] = [];
  const purchased: bigint[] = [];
  const product: string[] = [];
  const quantity: number[] = [];
  const ingested: bigint[] = [];
  const ingestedMs = BigInt(ingestedAt.getTime());
  for (const r of receipts) {
    const at = BigInt(Date.parse(r.at));
    for (const item of r.items) {
      member.push(r.memberId);
      receipt.push(r.receiptId);
      purchased.push(at);
      product.push(item.productId);
      quantity.push(item.quantity);
      ingested.push(ingestedMs);
    }
  }
  return new Uint8Array(
    parquetWriteBuffer({
      columnData: [
        { name: 'member_id', data: member, type: 'STRING', nullable: false },
        { name: 'receipt_id', data: receipt, type: 'STRING', nullable: false },
        { name: 'purchased_ms', data: purchased, type: 'INT64', nullable: false },
        { name: 'product_id', data: product, type: 'STRING', nullable: false },
        { name: 'quantity', data: quantity, type: 'INT32', nullable: false },
        { name: 'ingested_ms', data: ingested, type: 'INT64', nullable: false },
      ],
    }),
  );
}

/** The members of a snapshot: one column, member_id. */
export function membersParquet(memberIds: readonly string[]): Uint8Array {
  return new Uint8Array(
    parquetWriteBuffer({ columnData: [{ name: 'member_id', data: [...memberIds], type: 'STRING', nullable: false }] }),
  );
}
