import { randomUUID } from 'node:crypto';
import { ImportFiles, type ImportFormat, ImportJob, type ImportKind, type ImportMessage } from '../core/import-job.js';
import type { Deps } from './deps.js';

export type ImportJobDeps = Pick<Deps, 'files' | 'importJobs' | 'importQueue' | 'clock' | 'log'>;

/** How long an upload URL stays valid. */
export const UPLOAD_URL_SECONDS = 3600;

export type StartOutcome =
  | { readonly kind: 'started'; readonly job: ImportJob }
  | { readonly kind: 'not-found' }
  | { readonly kind: 'no-file' }
  | { readonly kind: 'busy'; readonly jobId: string }
  | { readonly kind: 'not-waiting'; readonly job: ImportJob };

/** A new job waiting for its file, and where to upload the file. */
export async function createImport(
  deps: ImportJobDeps,
  clubId: string,
  input: { kind: ImportKind; format: ImportFormat },
): Promise<{ job: ImportJob; uploadUrl: string }> {
  const now = deps.clock.now().toISOString();
  const job = ImportJob.parse({
    clubId,
    // Time first, so the club's jobs list in the order they were made.
    jobId: `imp-${Date.parse(now).toString(36)}-${randomUUID().slice(0, 8)}`,
    kind: input.kind,
    format: input.format,
    status: 'awaiting-upload',
    createdAt: now,
    updatedAt: now,
    asOf: now,
  });
  await deps.importJobs.create(job);
  const contentType = input.format === 'csv' ? 'text/csv' : 'application/x-ndjson';
  const uploadUrl = await deps.files.uploadUrl(ImportFiles.source(clubId, job.jobId), contentType, UPLOAD_URL_SECONDS);
  deps.log.info('import created', { clubId, jobId: job.jobId, kind: job.kind, format: job.format });
  return { job, uploadUrl };
}

/** Jobs of a club that are under way and write receipts: two at once could each judge on the other's old data. */
export async function runningPurchaseJob(
  deps: Pick<Deps, 'importJobs'>,
  clubId: string,
  except?: string,
): Promise<string | undefined> {
  const jobs = await deps.importJobs.list(clubId, 50);
  return jobs.find(
    (j) =>
      j.kind === 'purchases' &&
      j.jobId !== except &&
      (j.status === 'queued' || j.status === 'partitioning' || j.status === 'processing'),
  )?.jobId;
}

/** Once the file is uploaded: queue the job's first step. */
export async function startImport(deps: ImportJobDeps, clubId: string, jobId: string): Promise<StartOutcome> {
  const job = await deps.importJobs.get(clubId, jobId);
  if (!job) return { kind: 'not-found' };
  if (job.status !== 'awaiting-upload') return { kind: 'not-waiting', job };
  const bytes = await deps.files.size(ImportFiles.source(clubId, jobId));
  if (!bytes) return { kind: 'no-file' };
  if (job.kind === 'purchases') {
    const busy = await runningPurchaseJob(deps, clubId, jobId);
    if (busy) return { kind: 'busy', jobId: busy };
  }
  const queued = await deps.importJobs.transition(clubId, jobId, ['awaiting-upload'], 'queued', deps.clock.now());
  if (!queued) {
    const now = await deps.importJobs.get(clubId, jobId);
    return now ? { kind: 'not-waiting', job: now } : { kind: 'not-found' };
  }
  const message: ImportMessage = { step: 'partition', clubId, jobId };
  await deps.importQueue.send([message]);
  deps.log.info('import started', { clubId, jobId, bytes });
  return { kind: 'started', job: queued };
}
