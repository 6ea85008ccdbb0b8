import { createHash } from 'node:crypto';
import { ImportJob } from '../core/import-job.js';
import type { IngestResult, PurchaseFormat } from '../core/ingest.js';
import type { IngestedLine, Rejection } from '../core/ingest-types.js';
import type { Product } from '../core/model.js';
import { RETENTION_DAYS } from '../core/retention.js';
import type { Deps } from './deps.js';
import { finalize } from './import-steps.js';
import { ingestPurchaseChunk } from './ingest-chunk.js';

/** How long raw receipts are kept, from the purchase (docs/retention.md). */
export const RECEIPT_RETENTION_DAYS = RETENTION_DAYS.receipt;

export interface IngestReport {
  /** Purchase lines kept (CSV rows or receipt items of JSON lines), new, replacing or already known. */
  readonly accepted: number;
  readonly rejected: readonly Rejection[];
  readonly rejectedCount: number;
  /** Receipts stored for the first time. */
  readonly receiptsStored: number;
  /** Receipts stored before with other items: replaced by this version (profile and popularity follow). */
  readonly receiptsReplaced: number;
  /** Receipts stored before exactly as they are now: kept as they were. */
  readonly receiptsAlreadyKnown: number;
  readonly profilesUpdated: number;
  /** Unsubscribed members: their receipts are kept, but they are not profiled (GDPR Art. 21(3)). */
  readonly profilesSkipped: number;
}

type IngestDeps = Pick<
  Deps,
  | 'members'
  | 'purchases'
  | 'receiptArchive'
  | 'popularity'
  | 'importJobs'
  | 'importSettings'
  | 'files'
  | 'clock'
  | 'log'
>;

/**
 * The synchronous ingest of a small file: the same exactly-once steps as an import job, run in the
 * request. Its job id comes from the hash of the body, so a client that retries after a failure (a
 * timeout, a crash half way) resumes the same plans and ends exactly where one clean run would. Once
 * that job is done, the same body sent again is a new job (the next generation of the id): it finds
 * its receipts already known, or puts back a version a later file had replaced.
 */
export async function ingestPurchases(
  deps: IngestDeps,
  clubId: string,
  format: PurchaseFormat,
  body: string,
  parsed: IngestResult,
  catalog: ReadonlyMap<string, Product>,
): Promise<IngestReport> {
  const hash = createHash('sha256').update(`${clubId}\n${format}\n${body}`).digest('hex').slice(0, 40);
  const job = await unfinishedJob(deps, clubId, hash, format);
  const jobId = job.jobId;
  const entries = format === 'csv' ? parsed.lines.map((line) => [line]) : byReceipt(parsed.lines);
  const { counts, rejected } = await ingestPurchaseChunk(deps, job, 0, entries, catalog);
  await deps.importJobs.completeChunk(clubId, jobId, 0, counts);
  const counted = await deps.importJobs.get(clubId, jobId);
  if (counted) await finalize(deps, counted);
  const all = [...parsed.rejected, ...rejected].sort((a, b) => a.line - b.line);
  const report: IngestReport = {
    accepted: parsed.lines.length - rejected.reduce((n, r) => n + linesOf(parsed.lines, r.line), 0),
    rejected: all.slice(0, 1000),
    rejectedCount: parsed.rejectedCount + rejected.length,
    receiptsStored: counts.receiptsStored,
    receiptsReplaced: counts.receiptsReplaced,
    receiptsAlreadyKnown: counts.receiptsUnchanged,
    profilesUpdated: counts.profilesRebuilt,
    profilesSkipped: counts.profilesSkipped,
  };
  deps.log.info('purchases ingested', {
    clubId,
    jobId,
    accepted: report.accepted,
    rejected: report.rejectedCount,
    receiptsStored: report.receiptsStored,
    receiptsReplaced: report.receiptsReplaced,
    profilesUpdated: report.profilesUpdated,
  });
  return report;
}

/** JSON lines as the chunk takes them: one entry per receipt, as its file line held it. */
function byReceipt(lines: readonly IngestedLine[]): IngestedLine[][] {
  const byReceipt = new Map<string, IngestedLine[]>();
  for (const line of lines) byReceipt.set(line.receiptId, [...(byReceipt.get(line.receiptId) ?? []), line]);
  return [...byReceipt.values()];
}

/** Purchase lines read from a file line (one for a CSV row, all items for a JSON receipt). */
function linesOf(lines: readonly IngestedLine[], sourceLine: number): number {
  return lines.filter((l) => l.sourceLine === sourceLine).length;
}

/** The first job of this body that is not done yet: `sync-<hash>`, then `sync-<hash>-2`, … */
async function unfinishedJob(
  deps: IngestDeps,
  clubId: string,
  hash: string,
  format: PurchaseFormat,
): Promise<ImportJob> {
  for (let generation = 1; generation <= 1000; generation++) {
    const jobId = generation === 1 ? `sync-${hash}` : `sync-${hash}-${generation}`;
    const existing = await deps.importJobs.get(clubId, jobId);
    if (existing?.status === 'done') continue;
    if (existing) return existing;
    const now = deps.clock.now().toISOString();
    const fresh = ImportJob.parse({
      clubId,
      jobId,
      kind: 'purchases',
      format,
      status: 'processing',
      chunks: 1,
      createdAt: now,
      updatedAt: now,
      asOf: now,
    });
    if ((await deps.importJobs.create(fresh)) === 'created') return fresh;
    const raced = await deps.importJobs.get(clubId, jobId);
    if (raced && raced.status !== 'done') return raced;
  }
  throw new Error('the same body was ingested more than 1000 times within the job retention');
}
