import { Hono } from 'hono';
import { z } from 'zod';
import type { Deps } from '../../app/deps.js';
import { createImport, startImport } from '../../app/import-jobs.js';
import { ImportFiles, ImportFormat, type ImportJob, ImportKind } from '../../core/import-job.js';
import { ApiError } from '../api-error.js';
import { noteChange } from '../auth/context.js';
import { importJobCsv } from '../csv-download.js';
import { mediaType } from '../request-limits.js';
import { JSON_LINES_TYPES } from '../route-policy.js';
import { idParam, jsonBody, requireClub } from './shared.js';

type ImportDeps = Pick<Deps, 'clubs' | 'files' | 'importJobs' | 'importQueue' | 'clock' | 'log'>;

const NewImport = z.object({ kind: ImportKind, format: ImportFormat });

/** The media types a job's file may be sent as; the first is the one the create answer names. */
const FILE_TYPES = {
  csv: ['text/csv'],
  ndjson: JSON_LINES_TYPES,
} as const satisfies Record<ImportFormat, readonly [string, ...string[]]>;

/** What the marketer sees of a job: its status, and its progress in lines, receipts, members and profiles. */
function view(job: ImportJob, base: string) {
  const { counts } = job;
  return {
    jobId: job.jobId,
    kind: job.kind,
    format: job.format,
    status: job.status,
    createdAt: job.createdAt,
    updatedAt: job.updatedAt,
    ...(job.error ? { error: job.error } : {}),
    progress: {
      chunks: job.chunks ?? null,
      chunksDone: job.doneChunks.length,
      linesRead: job.linesRead,
      accepted: counts.accepted,
      rejected: job.rejectedAtRead + counts.rejected,
      ...(job.kind === 'purchases'
        ? {
            receiptsStored: counts.receiptsStored,
            receiptsReplaced: counts.receiptsReplaced,
            receiptsUnchanged: counts.receiptsUnchanged,
            profilesRebuilt: counts.profilesRebuilt,
            profilesSkipped: counts.profilesSkipped,
          }
        : {
            created: counts.created,
            updated: counts.updated,
            unchanged: counts.unchanged,
            suppressed: counts.suppressed,
            blocked: counts.blocked,
            membersWithKeptFields: counts.kept,
          }),
    },
    links: {
      self: `${base}/${job.jobId}`,
      rejected: `${base}/${job.jobId}/rejected.csv`,
      ...(job.kind === 'members' ? { kept: `${base}/${job.jobId}/kept.csv` } : {}),
    },
  };
}

/**
 * Import jobs for files too big for one request (docs/decisions/0021-bulk-import.md): create a job,
 * upload the file (a presigned S3 URL on AWS, this API locally), start it, follow its progress, and
 * download the rejected lines.
 */
export function importsRoutes(deps: ImportDeps): Hono {
  const api = new Hono();
  const requireJob = async (clubId: string, jobId: string) => {
    const job = await deps.importJobs.get(clubId, jobId);
    if (!job) throw new ApiError(404, 'not-found', `import ${jobId} does not exist`);
    return job;
  };
  const base = (clubId: string) => `/api/clubs/${clubId}/imports`;

  api.post('/imports', async (c) => {
    const clubId = idParam(c, 'clubId');
    const input = await jsonBody(c, NewImport);
    await requireClub(deps, clubId);
    const { job, uploadUrl } = await createImport(deps, clubId, input);
    // The audit trail names the job created (its later steps have the id in their path); no member data.
    noteChange(c, { after: { jobId: job.jobId, kind: job.kind, format: job.format } });
    const contentType = FILE_TYPES[job.format][0];
    return c.json(
      {
        import: view(job, base(clubId)),
        upload: { method: 'PUT', url: uploadUrl, headers: { 'content-type': contentType } },
        start: { method: 'POST', url: `${base(clubId)}/${job.jobId}/start` },
      },
      201,
    );
  });

  api.get('/imports', async (c) => {
    const clubId = idParam(c, 'clubId');
    await requireClub(deps, clubId);
    return c.json({ imports: (await deps.importJobs.list(clubId, 50)).map((job) => view(job, base(clubId))) });
  });

  // Locally the file comes here and is streamed to disk; on AWS it goes to S3 with the presigned URL.
  // Its limit (5 GiB, counted as it streams) and types (CSV, JSON lines) are in route-policy.ts.
  api.put('/imports/:jobId/file', async (c) => {
    const clubId = idParam(c, 'clubId');
    const jobId = idParam(c, 'jobId');
    if (!deps.files.directUploads)
      throw new ApiError(409, 'conflict', 'upload: send the file to the upload URL the import was created with');
    const job = await requireJob(clubId, jobId);
    if (job.status !== 'awaiting-upload') throw new ApiError(409, 'conflict', `import ${jobId} is ${job.status}`);
    const type = mediaType(c.req.header('content-type'));
    const accepted: readonly string[] = FILE_TYPES[job.format];
    if (!accepted.includes(type))
      throw new ApiError(
        415,
        'unsupported-media-type',
        `content-type: import ${jobId} is ${job.format}: send ${FILE_TYPES[job.format][0]}${type ? `, not ${type}` : ''}`,
      );
    const body = c.req.raw.body;
    if (!body) throw new ApiError(400, 'validation', '(body): the file is empty');
    const key = ImportFiles.source(clubId, jobId);
    await deps.files.write(key, body);
    return c.json({ uploaded: await deps.files.size(key) });
  });

  api.post('/imports/:jobId/start', async (c) => {
    const clubId = idParam(c, 'clubId');
    const jobId = idParam(c, 'jobId');
    const outcome = await startImport(deps, clubId, jobId);
    switch (outcome.kind) {
      case 'not-found':
        throw new ApiError(404, 'not-found', `import ${jobId} does not exist`);
      case 'no-file':
        throw new ApiError(400, 'validation', 'file: upload the file before starting the import');
      case 'busy':
        throw new ApiError(
          409,
          'conflict',
          `import ${outcome.jobId} is writing receipts of this club; start this one when it is done`,
        );
      case 'not-waiting':
        throw new ApiError(409, 'conflict', `import ${jobId} is ${outcome.job.status}`);
      case 'started':
        return c.json({ import: view(outcome.job, base(clubId)) }, 202);
    }
  });

  api.get('/imports/:jobId', async (c) => {
    const clubId = idParam(c, 'clubId');
    return c.json({ import: view(await requireJob(clubId, idParam(c, 'jobId')), base(clubId)) });
  });

  api.get('/imports/:jobId/rejected.csv', async (c) => {
    const clubId = idParam(c, 'clubId');
    const jobId = idParam(c, 'jobId');
    await requireJob(clubId, jobId);
    c.header('Content-Disposition', `attachment; filename="${jobId}-rejected.csv"`);
    c.header('Content-Type', 'text/csv; charset=utf-8');
    return c.body(importJobCsv(deps.files, clubId, jobId, 'rejected'));
  });

  api.get('/imports/:jobId/kept.csv', async (c) => {
    const clubId = idParam(c, 'clubId');
    const jobId = idParam(c, 'jobId');
    await requireJob(clubId, jobId);
    c.header('Content-Disposition', `attachment; filename="${jobId}-kept.csv"`);
    c.header('Content-Type', 'text/csv; charset=utf-8');
    return c.body(importJobCsv(deps.files, clubId, jobId, 'kept'));
  });

  return api;
}
