import { z } from 'zod';
import {
  chunkCount,
  ImportFiles,
  type ImportJob,
  type ImportMessage,
  type ImportStep,
  PARTITION_BUFFER_BYTES,
} from '../core/import-job.js';
import { formatRejection, purchaseReader } from '../core/ingest.js';
import type { IngestedLine, Rejection } from '../core/ingest-types.js';
import { shardOf } from '../core/jobs.js';
import { memberFileReader } from '../core/member-file.js';
import { MemberRecord } from '../core/member-sync.js';
import { oldestKeptPurchase } from '../core/retention.js';
import { buildAudienceFacts } from './audience-estimate.js';
import type { Deps } from './deps.js';
import { fileBlocks, PartWriter, prefixLines } from './import-files.js';
import { importMemberChunk } from './import-member-chunk.js';
import { ingestPurchaseChunk } from './ingest-chunk.js';

export type ImportStepDeps = Pick<
  Deps,
  | 'clubs'
  | 'members'
  | 'suppressions'
  | 'purchases'
  | 'receiptArchive'
  | 'popularity'
  | 'files'
  | 'importJobs'
  | 'importQueue'
  | 'importSettings'
  | 'importFaults'
  | 'clock'
  | 'log'
>;

/** A purchase line of a chunk part: [file line, member, receipt, time, [[product, quantity, amount?], …]]. */
const PurchasePart = z.tuple([
  z.number().int().positive(),
  z.string(),
  z.string(),
  z.string(),
  z.array(
    z.union([
      z.tuple([z.string(), z.number().int().positive()]),
      z.tuple([z.string(), z.number().int().positive(), z.number().nonnegative()]),
    ]),
  ),
]);
/** A member line of a chunk part: [file line, record]. */
const MemberPart = z.tuple([z.number().int().positive(), z.unknown()]);
const StoredRejection = z.object({ line: z.number(), field: z.string(), message: z.string() });

/** The popularity marker of a job: its trips are added once under it. */
const applyIdOf = (jobId: string) => `import-${jobId}`;

/** One step of an import job, as the queue delivers it. Every step may run twice or stop anywhere. */
export async function runImportStep(deps: ImportStepDeps, message: ImportMessage): Promise<void> {
  if (message.step === 'audience-facts') {
    await buildAudienceFacts(deps, message.clubId);
    return;
  }
  const job = await deps.importJobs.get(message.clubId, message.jobId);
  if (!job) {
    deps.log.warn('import step for an unknown job; dropped', { ...message });
    return;
  }
  const fault = async (step: ImportStep) => {
    if (deps.importFaults) await deps.importFaults(step, message);
  };
  switch (message.step) {
    case 'partition':
      return partition(deps, job, message, fault);
    case 'chunk':
      return processChunk(deps, job, message.chunk, message, fault);
    case 'finalize':
      return finalize(deps, job, fault);
  }
}

async function queueChunks(deps: ImportStepDeps, job: ImportJob, chunks: number): Promise<void> {
  const messages: ImportMessage[] = [];
  for (let chunk = 0; chunk < chunks; chunk++)
    if (!job.doneChunks.includes(chunk)) messages.push({ step: 'chunk', clubId: job.clubId, jobId: job.jobId, chunk });
  for (let i = 0; i < messages.length; i += 10) await deps.importQueue.send(messages.slice(i, i + 10));
}

/**
 * Read the uploaded file once, as a stream: refuse bad lines (with line and field) and write the good
 * ones into one set of parts per member bucket. The parts are the same on every run, so a re-run after
 * a crash overwrites them; the job moves on only once all are written.
 */
async function partition(
  deps: ImportStepDeps,
  job: ImportJob,
  message: ImportMessage,
  fault: (step: ImportStep) => Promise<void>,
): Promise<void> {
  const { clubId, jobId } = job;
  if (job.status === 'processing') return queueChunks(deps, job, job.chunks ?? 0);
  if (job.status !== 'queued' && job.status !== 'partitioning') return;
  if (job.status === 'queued')
    await deps.importJobs.transition(clubId, jobId, ['queued'], 'partitioning', deps.clock.now());
  const source = ImportFiles.source(clubId, jobId);
  const chunks = chunkCount((await deps.files.size(source)) ?? 0, deps.importSettings.chunkBytes);
  // The buffers of all chunks together stay within PARTITION_BUFFER_BYTES, whatever the number of chunks.
  const flushChars = Math.max(16 * 1024, Math.min(256 * 1024, Math.floor(PARTITION_BUFFER_BYTES / chunks)));
  const parts = new PartWriter(
    deps.files,
    (chunk, part) => ImportFiles.chunkPart(clubId, jobId, chunk, part),
    flushChars,
  );
  const rejects = new PartWriter(deps.files, (_, part) => ImportFiles.readRejected(clubId, jobId, part));
  const pending: Array<[number, string]> = [];
  const refused: Rejection[] = [];
  let accepted = 0;
  let rejected = 0;
  const reject = (rejection: Rejection) => {
    rejected += 1;
    if (refused.length < 5) refused.push(rejection);
    pending.push([-1, JSON.stringify(rejection)]);
  };
  const reader =
    job.kind === 'purchases'
      ? purchaseReader(
          job.format,
          {
            knownProducts: new Set((await deps.clubs.getCatalog(clubId)).products.map((p) => p.productId)),
            now: new Date(job.asOf),
            oldest: oldestKeptPurchase(new Date(job.asOf)),
          },
          {
            accept: (lines: IngestedLine[]) => {
              const [first] = lines;
              if (!first) return;
              accepted += 1;
              const items = lines.map((l) =>
                l.amount === undefined ? [l.productId, l.quantity] : [l.productId, l.quantity, l.amount],
              );
              const entry = [first.sourceLine, first.memberId, first.receiptId, first.at, items];
              pending.push([shardOf(first.memberId, chunks), JSON.stringify(entry)]);
            },
            reject,
          },
        )
      : memberFileReader(job.format, {
          accept: (line, record) => {
            accepted += 1;
            pending.push([shardOf(record.memberId, chunks), JSON.stringify([line, record])]);
          },
          reject,
        });
  const flushPending = async () => {
    for (const [chunk, line] of pending.splice(0, pending.length)) {
      if (chunk < 0) await rejects.add(0, line);
      else await parts.add(chunk, line);
    }
  };
  for await (const block of fileBlocks(deps.files, source, job.format === 'csv')) {
    reader.push(block);
    await flushPending();
  }
  const { fileRejected } = reader.end();
  await flushPending();
  await rejects.close();
  if (fileRejected) {
    const error = refused.map(formatRejection).join('; ') || 'the file was refused';
    await deps.importJobs.transition(clubId, jobId, ['partitioning'], 'failed', deps.clock.now(), {
      error,
      linesRead: accepted + rejected,
      rejectedAtRead: rejected,
    });
    deps.log.warn('import file refused', { clubId, jobId, error });
    return;
  }
  await parts.close();
  await fault('partition:parts-written');
  const moved = await deps.importJobs.transition(clubId, jobId, ['partitioning'], 'processing', deps.clock.now(), {
    chunks,
    linesRead: accepted + rejected,
    rejectedAtRead: rejected,
  });
  await fault('partition:job-processing');
  if (moved) await queueChunks(deps, moved, chunks);
  deps.log.info('import file read', { clubId, jobId, chunks, accepted, rejected, step: message.step });
}

async function processChunk(
  deps: ImportStepDeps,
  job: ImportJob,
  chunk: number,
  message: ImportMessage,
  fault: (step: ImportStep) => Promise<void>,
): Promise<void> {
  const { clubId, jobId } = job;
  if (job.status === 'done' || job.status === 'failed') return;
  if (job.status !== 'processing') throw new Error(`job ${jobId} is ${job.status}, not yet processing chunks`);
  const chunks = job.chunks ?? 0;
  if (job.doneChunks.includes(chunk)) {
    if (job.doneChunks.length >= chunks) await deps.importQueue.send([{ step: 'finalize', clubId, jobId }]);
    return;
  }
  const lines = prefixLines(deps.files, ImportFiles.chunkPrefix(clubId, jobId, chunk));
  let result: { counts: Parameters<typeof deps.importJobs.completeChunk>[3]; rejected: Rejection[] };
  if (job.kind === 'purchases') {
    const entries: IngestedLine[][] = [];
    for await (const text of lines) {
      const [line, memberId, receiptId, at, items] = PurchasePart.parse(JSON.parse(text));
      entries.push(
        items.map(([productId, quantity, amount]) => ({
          memberId,
          receiptId,
          at,
          productId,
          quantity,
          ...(amount === undefined ? {} : { amount }),
          sourceLine: line,
        })),
      );
    }
    const { products } = await deps.clubs.getCatalog(clubId);
    const catalog = new Map(products.map((p) => [p.productId, p]));
    result = await ingestPurchaseChunk(deps, job, chunk, entries, catalog, message);
  } else {
    const entries: Array<{ line: number; record: MemberRecord }> = [];
    for await (const text of lines) {
      const [line, record] = MemberPart.parse(JSON.parse(text));
      entries.push({ line, record: MemberRecord.parse(record) });
    }
    const outcome = await importMemberChunk(deps, job, chunk, entries, message);
    for (const { group, rows } of outcome.kept) {
      await deps.files.write(
        ImportFiles.kept(clubId, jobId, chunk, group),
        `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`,
      );
    }
    result = outcome;
  }
  if (result.rejected.length > 0) {
    const body = `${result.rejected.map((r) => JSON.stringify(StoredRejection.parse(r))).join('\n')}\n`;
    await deps.files.write(ImportFiles.chunkRejected(clubId, jobId, chunk, 0), body);
  }
  const done = await deps.importJobs.completeChunk(clubId, jobId, chunk, result.counts);
  await fault('chunk:counted');
  if (done >= chunks) await deps.importQueue.send([{ step: 'finalize', clubId, jobId }]);
}

/**
 * Add the job's popularity change once (the sum of its stored plans, under the job's marker), then
 * mark it done and forget the marker. Runs again harmlessly at any point.
 */
export async function finalize(
  deps: Pick<ImportStepDeps, 'importJobs' | 'popularity' | 'files' | 'clock' | 'log'>,
  job: ImportJob,
  fault: (step: ImportStep) => Promise<void> = async () => {},
): Promise<void> {
  const { clubId, jobId } = job;
  if (job.status === 'done') {
    if (job.kind === 'purchases') await deps.popularity.forget(clubId, applyIdOf(jobId));
    return;
  }
  if (job.status !== 'processing' || job.doneChunks.length < (job.chunks ?? Number.POSITIVE_INFINITY)) return;
  if (job.kind === 'purchases') {
    const delta = new Map<string, number>();
    for (const plan of await deps.importJobs.listPlans(clubId, jobId))
      for (const [productId, n] of Object.entries(plan.delta)) delta.set(productId, (delta.get(productId) ?? 0) + n);
    await deps.popularity.addOnce(clubId, delta, applyIdOf(jobId));
  }
  await fault('finalize:popularity-added');
  await deps.importJobs.transition(clubId, jobId, ['processing'], 'done', deps.clock.now());
  await fault('finalize:done');
  if (job.kind === 'purchases') await deps.popularity.forget(clubId, applyIdOf(jobId));
  await deps.files.deletePrefix(`${ImportFiles.jobPrefix(clubId, jobId)}chunks/`);
  deps.log.info('import done', { clubId, jobId });
}
