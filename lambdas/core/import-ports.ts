import type { ChunkCounts, ImportJob, ImportStatus } from './import-job.js';

/**
 * Files too big for an API call: uploaded import files and the parts an import job splits them into.
 * S3 on AWS, a folder under `.data/` locally. Keys are built by the code, never taken from outside.
 */
export interface FileStore {
  /**
   * Where a client uploads the file for `key`: a presigned S3 PUT URL on AWS, or, locally, the API's
   * own upload route (`directUploads` true), which streams the body into the store with `write`.
   */
  uploadUrl(key: string, contentType: string, expiresInSeconds: number): Promise<string>;
  /** Whether the API itself takes uploads (locally), rather than the client sending them to S3. */
  readonly directUploads: boolean;
  /** Write a whole object (replacing one with the same key). */
  write(key: string, body: string | Uint8Array | AsyncIterable<Uint8Array>): Promise<void>;
  /** The object's bytes as a stream, or undefined when there is none. */
  read(key: string): Promise<AsyncIterable<Uint8Array> | undefined>;
  /** Its size in bytes, or undefined when there is none. */
  size(key: string): Promise<number | undefined>;
  /** Keys under a prefix, in key order. */
  list(prefix: string): Promise<string[]>;
  /** Delete every object under a prefix. */
  deletePrefix(prefix: string): Promise<void>;
}

/** What one group of a chunk will do, decided once from what was stored before anything is written. */
export interface GroupPlan {
  readonly counts: Partial<ChunkCounts>;
  /** Receipts: trips per product the group adds (negative where a corrected receipt drops one). */
  readonly delta: Readonly<Record<string, number>>;
  /** Receipts: the members (positions in the group's sorted member list) whose profile is rebuilt. */
  readonly touched: readonly number[];
}

/** Import jobs, and the plans their chunks make (docs/decisions/0021-bulk-import.md). */
export interface ImportJobStore {
  create(job: ImportJob): Promise<'created' | 'exists'>;
  get(clubId: string, jobId: string): Promise<ImportJob | undefined>;
  /** The club's jobs, newest first. */
  list(clubId: string, limit: number): Promise<ImportJob[]>;
  /** Move to `to` only from one of `from`; the job afterwards, or undefined when it was not in `from`. */
  transition(
    clubId: string,
    jobId: string,
    from: readonly ImportStatus[],
    to: ImportStatus,
    at: Date,
    patch?: Partial<Pick<ImportJob, 'chunks' | 'linesRead' | 'rejectedAtRead' | 'error'>>,
  ): Promise<ImportJob | undefined>;
  /** Add a chunk's counts once; how many chunks are done afterwards. */
  completeChunk(clubId: string, jobId: string, chunk: number, counts: ChunkCounts): Promise<number>;
  /** Store a group's plan unless one is stored already; the stored plan (the first writer's) either way. */
  planOnce(clubId: string, jobId: string, chunk: number, group: number, plan: GroupPlan): Promise<GroupPlan>;
  getPlan(clubId: string, jobId: string, chunk: number, group: number): Promise<GroupPlan | undefined>;
  /** Every stored plan of the job. */
  listPlans(clubId: string, jobId: string): Promise<GroupPlan[]>;
}
