/**
 * Import jobs: a member or receipt file processed in chunks from a queue, resumable at any step
 * (docs/decisions/0021-bulk-import.md). Pure: the job's shape, its messages and how a file is split.
 */
import { z } from 'zod';
import { Id } from './model.js';

export const ImportKind = z.enum(['members', 'purchases']);
export type ImportKind = z.infer<typeof ImportKind>;

export const ImportFormat = z.enum(['csv', 'ndjson']);
export type ImportFormat = z.infer<typeof ImportFormat>;

export const ImportStatus = z.enum(['awaiting-upload', 'queued', 'partitioning', 'processing', 'done', 'failed']);
export type ImportStatus = z.infer<typeof ImportStatus>;

/** What a chunk adds to its job's counts; each chunk's counts are added exactly once. */
export const ChunkCounts = z.object({
  /** Lines (CSV rows, JSON lines) that reached the chunk and were kept. */
  accepted: z.number().int().nonnegative().default(0),
  /** Lines the chunk refused (an unknown member, a receipt under two members, a member twice). */
  rejected: z.number().int().nonnegative().default(0),
  receiptsStored: z.number().int().nonnegative().default(0),
  receiptsReplaced: z.number().int().nonnegative().default(0),
  receiptsUnchanged: z.number().int().nonnegative().default(0),
  profilesRebuilt: z.number().int().nonnegative().default(0),
  /** Members whose receipts are kept but who are not profiled: they objected (GDPR Art. 21(3)). */
  profilesSkipped: z.number().int().nonnegative().default(0),
  created: z.number().int().nonnegative().default(0),
  updated: z.number().int().nonnegative().default(0),
  unchanged: z.number().int().nonnegative().default(0),
  suppressed: z.number().int().nonnegative().default(0),
  blocked: z.number().int().nonnegative().default(0),
  /** Members with fields the import left as they were (downloadable with the fields). */
  kept: z.number().int().nonnegative().default(0),
});
export type ChunkCounts = z.infer<typeof ChunkCounts>;

export const EMPTY_COUNTS: ChunkCounts = ChunkCounts.parse({});

export const COUNT_FIELDS = ChunkCounts.keyof().options;

export function addCounts(a: ChunkCounts, b: Partial<ChunkCounts>): ChunkCounts {
  const sum: ChunkCounts = { ...a };
  for (const field of COUNT_FIELDS) sum[field] = a[field] + (b[field] ?? 0);
  return sum;
}

export const ImportJob = z.object({
  clubId: Id,
  jobId: Id,
  kind: ImportKind,
  format: ImportFormat,
  status: ImportStatus,
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  /** The job's own clock: every profile it builds is as of this instant, so a re-run builds the same. */
  asOf: z.iso.datetime(),
  /** Chunks the file was split into (member buckets), once read. */
  chunks: z.number().int().min(1).optional(),
  /** Lines the reading pass saw, and refused there (bad fields, too old, unknown product). */
  linesRead: z.number().int().nonnegative().default(0),
  rejectedAtRead: z.number().int().nonnegative().default(0),
  /** The chunks whose counts are in `counts`, each once. */
  doneChunks: z.array(z.number().int().min(0)).default([]),
  counts: ChunkCounts.default(EMPTY_COUNTS),
  /** Why the job stopped, when it failed (a file refused as a whole). */
  error: z.string().optional(),
});
export type ImportJob = z.infer<typeof ImportJob>;

/** One message on the import queue: one step of one job. */
export const ImportMessage = z.discriminatedUnion('step', [
  z.object({ step: z.literal('partition'), clubId: Id, jobId: Id }),
  z.object({ step: z.literal('chunk'), clubId: Id, jobId: Id, chunk: z.number().int().min(0) }),
  z.object({ step: z.literal('finalize'), clubId: Id, jobId: Id }),
  /** Not a job's step: write the club's audience facts for estimates (app/audience-estimate.ts). */
  z.object({ step: z.literal('audience-facts'), clubId: Id }),
]);
export type ImportMessage = z.infer<typeof ImportMessage>;

/** The steps a fault can be injected after (tests), as the send path's protocol steps. */
export type ImportStep =
  | 'partition:parts-written'
  | 'partition:job-processing'
  | 'chunk:plan-stored'
  | 'chunk:some-receipts-written'
  | 'chunk:receipts-written'
  | 'chunk:profiles-written'
  | 'chunk:archived'
  | 'chunk:counted'
  | 'finalize:popularity-added'
  | 'finalize:done';

/**
 * How a file is split: one chunk per this many bytes, between 1 and MAX_CHUNKS. A chunk's memory is
 * its share of the file, so up to 8 GiB of file no chunk holds more than 2 MiB of it.
 */
export const CHUNK_BYTES = 2 * 1024 * 1024;
export const MAX_CHUNKS = 4096;
/** What the reading pass buffers for all chunks together before it writes their parts. */
export const PARTITION_BUFFER_BYTES = 64 * 1024 * 1024;

export function chunkCount(fileBytes: number, chunkBytes: number = CHUNK_BYTES): number {
  return Math.min(MAX_CHUNKS, Math.max(1, Math.ceil(fileBytes / chunkBytes)));
}

/** Members per group inside a chunk: one plan item, one round of reads and writes each. */
export const GROUP_MEMBERS = 100;

/** Where a job's files live in the file store. Ids are `Id`s: no "/" or "..". */
export const ImportFiles = {
  source: (clubId: string, jobId: string) => `imports/${clubId}/${jobId}/source`,
  jobPrefix: (clubId: string, jobId: string) => `imports/${clubId}/${jobId}/`,
  chunkPrefix: (clubId: string, jobId: string, chunk: number) =>
    `imports/${clubId}/${jobId}/chunks/${String(chunk).padStart(3, '0')}/`,
  chunkPart: (clubId: string, jobId: string, chunk: number, part: number) =>
    `${ImportFiles.chunkPrefix(clubId, jobId, chunk)}${String(part).padStart(6, '0')}.ndjson`,
  /** Rejected lines: the reading pass's parts first, then each chunk's, so the download is in that order. */
  rejectedPrefix: (clubId: string, jobId: string) => `imports/${clubId}/${jobId}/rejected/`,
  readRejected: (clubId: string, jobId: string, part: number) =>
    `imports/${clubId}/${jobId}/rejected/a-read-${String(part).padStart(6, '0')}.csv`,
  chunkRejected: (clubId: string, jobId: string, chunk: number, group: number) =>
    `imports/${clubId}/${jobId}/rejected/b-chunk-${String(chunk).padStart(3, '0')}-${String(group).padStart(5, '0')}.csv`,
  keptPrefix: (clubId: string, jobId: string) => `imports/${clubId}/${jobId}/kept/`,
  kept: (clubId: string, jobId: string, chunk: number, group: number) =>
    `imports/${clubId}/${jobId}/kept/${String(chunk).padStart(3, '0')}-${String(group).padStart(5, '0')}.csv`,
} as const;

/** A line as a chunk file holds it: the source line and the record, read back with zod. */
export const ChunkLine = z.tuple([z.number().int().positive(), z.unknown()]);
