import type { SqlRow } from './fit-assembly.js';
import type { Receipt } from './ports.js';

/**
 * Accepted receipts as columnar files partitioned by club and by the day they were ingested: the input
 * of the nightly model fit (docs/decisions/0024-sql-model-fit.md). S3 on AWS, a folder under `.data/`
 * locally; the same keys in both.
 */
export interface ReceiptArchive {
  /** Append receipts as one file (at-least-once: a receipt archived twice is read once, in its latest version). */
  append(clubId: string, receipts: readonly Receipt[], ingestedAt: Date): Promise<void>;
  /** The clubs that have archived receipts: the ones a nightly fit visits. */
  clubs(): Promise<string[]>;
  /** One part of a member snapshot: the subscribed members a fit may use. */
  writeMembers(clubId: string, snapshot: string, part: number, memberIds: readonly string[]): Promise<void>;
  /** Delete the club's member snapshots other than `keep`. */
  dropMemberSnapshots(clubId: string, keep: string): Promise<void>;
}

/** Runs one query of lambdas/core/fit-sql.ts and hands back its rows. */
export interface SqlEngine {
  run(sql: string): Promise<SqlRow[]>;
}

/** The club's members as the index lists them. Who a fit may learn from: the ids of the club's subscribed members, one index partition at a time. */
export interface MemberRoster {
  /** How many index partitions the club's members are spread over. */
  readonly partitions: number;
  /**
   * About how many members the club has, from a count of a sample of the index (1/1024 of it): what
   * the plan's shard count follows. Members written before the index had buckets are not counted.
   */
  estimate(clubId: string): Promise<number>;
  subscribed(
    clubId: string,
    partition: number,
    cursor: string | undefined,
  ): Promise<{ memberIds: string[]; cursor?: string }>;
}
