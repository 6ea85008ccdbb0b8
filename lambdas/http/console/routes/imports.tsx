import { type Context, Hono } from 'hono';
import type { FC } from 'hono/jsx';
import { createImport, startImport } from '../../../app/import-jobs.js';
import { ImportFiles, ImportFormat, type ImportJob, ImportKind } from '../../../core/import-job.js';
import { roleAllows } from '../../../core/roles.js';
import { importJobCsv } from '../../csv-download.js';
import { clubOf, requestOf, userOf } from '../context.js';
import type { ConsoleCopy } from '../copy/index.js';
import type { ConsoleDeps } from '../deps.js';
import type { Formats } from '../format.js';
import { Csrf, type Notice, Page } from '../layout.js';
import { fragment, notFoundPage, page, seeOther } from '../respond.js';
import { clubBase, idOf, recordAction } from './shared.js';

const RUNNING = new Set(['queued', 'partitioning', 'processing']);

/** A job's line in the list: status, a progress bar over its parts, its counts, its downloads. */
const JobRows: FC<{ copy: ConsoleCopy; fmt: Formats; jobs: readonly ImportJob[]; base: string }> = ({
  copy,
  fmt,
  jobs,
  base,
}) => {
  const running = jobs.some((j) => RUNNING.has(j.status));
  const t = copy.imports;
  return (
    <div
      id="import-jobs"
      {...(running ? { 'hx-get': `${base}/jobs`, 'hx-trigger': 'every 1s', 'hx-swap': 'outerHTML' } : {})}
    >
      {jobs.length === 0 ? (
        <p>{t.none}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{t.job}</th>
              <th scope="col">{copy.status}</th>
              <th scope="col">{t.progress}</th>
              <th scope="col">{t.counts}</th>
            </tr>
          </thead>
          <tbody>
            {jobs.map((job) => {
              const { counts } = job;
              const rejected = job.rejectedAtRead + counts.rejected;
              const parts = [
                `${fmt.number(counts.accepted)} ${t.accepted}`,
                `${fmt.number(rejected)} ${t.rejected}`,
                ...(job.kind === 'members'
                  ? [
                      `${fmt.number(counts.created)} ${t.created}`,
                      `${fmt.number(counts.updated)} ${t.updated}`,
                      `${fmt.number(counts.unchanged)} ${t.unchanged}`,
                    ]
                  : [
                      `${fmt.number(counts.receiptsStored)} ${t.receiptsStored}`,
                      `${fmt.number(counts.profilesRebuilt)} ${t.profilesRebuilt}`,
                    ]),
              ];
              const done = job.status === 'done' ? (job.chunks ?? 1) : job.doneChunks.length;
              return (
                <tr>
                  <th scope="row">
                    {t[job.kind]}, {t[job.format]}
                    <br />
                    <span class="help">{fmt.dateTime(job.createdAt)}</span>
                  </th>
                  <td>
                    {t.status[job.status]}
                    {job.error ? (
                      <p class="field-error" lang="en">
                        {job.error}
                      </p>
                    ) : null}
                  </td>
                  <td>
                    <progress
                      max={job.chunks ?? 1}
                      value={done}
                      aria-label={`${t.progress}: ${t[job.kind]}, ${fmt.dateTime(job.createdAt)}`}
                    >
                      {t.chunks(fmt.number(done), fmt.number(job.chunks ?? 1))}
                    </progress>
                    <br />
                    <span class="help">
                      {job.chunks ? t.chunks(fmt.number(done), fmt.number(job.chunks)) : ''}{' '}
                      {t.read(fmt.number(job.linesRead))}
                    </span>
                  </td>
                  <td>
                    {parts.join(', ')}
                    {rejected > 0 ? (
                      <p>
                        <a href={`${base}/${job.jobId}/rejected.csv`} download>
                          {t.rejectedLines}
                        </a>
                      </p>
                    ) : null}
                    {job.kind === 'members' && counts.kept > 0 ? (
                      <p>
                        <a href={`${base}/${job.jobId}/kept.csv`} download>
                          {t.keptFields}
                        </a>
                      </p>
                    ) : null}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {running ? (
        <p>
          <a href={base}>{t.refresh}</a>
        </p>
      ) : null}
    </div>
  );
};

/**
 * Imports (the member-data import jobs, docs/decisions/0021-bulk-import.md): a file of members or
 * receipts uploaded with a plain form, written to the same file store and run by the same import
 * worker as the API's bulk path; each job's progress, counts and rejected lines.
 */
export function importRoutes(deps: ConsoleDeps): Hono {
  const routes = new Hono();
  const base = (c: Context) => `${clubBase(c)}/imports`;

  const show = async (c: Context, notice?: Notice, status: 200 | 400 | 409 = 200) => {
    const req = requestOf(c);
    const { club, role, fmt } = clubOf(c);
    const jobs = await deps.importJobs.list(club.clubId, 20);
    const t = req.copy.imports;
    return page(
      c,
      <Page req={req} user={userOf(c)} club={clubOf(c)} active="imports" title={t.title} notice={notice}>
        {roleAllows(role, 'write') ? (
          <form method="post" action={base(c)} enctype="multipart/form-data">
            <Csrf token={userOf(c).session.csrf} />
            <h2>{t.start}</h2>
            <fieldset>
              <legend>{t.kind}</legend>
              {ImportKind.options.map((k) => (
                <label class="inline">
                  <input type="radio" name="kind" value={k} checked={k === 'members'} />
                  {t[k]}
                </label>
              ))}
            </fieldset>
            <fieldset>
              <legend>{t.format}</legend>
              {ImportFormat.options.map((f) => (
                <label class="inline">
                  <input type="radio" name="format" value={f} checked={f === 'csv'} />
                  {t[f]}
                </label>
              ))}
            </fieldset>
            <label for="import-file">{t.file}</label>
            <p class="help" id="import-file-help">
              {t.fileHelp}
            </p>
            <input
              type="file"
              id="import-file"
              name="file"
              accept=".csv,.jsonl,.ndjson,text/csv,application/x-ndjson"
              aria-describedby="import-file-help"
            />
            <div class="actions">
              <button type="submit">{t.upload}</button>
            </div>
          </form>
        ) : null}
        <h2>{t.jobs}</h2>
        <JobRows copy={req.copy} fmt={fmt} jobs={jobs} base={base(c)} />
      </Page>,
      status,
    );
  };

  routes.get('/imports', (c) =>
    show(c, c.req.query('done') === 'started' ? { kind: 'ok', text: requestOf(c).copy.imports.started } : undefined),
  );

  routes.get('/imports/jobs', async (c) => {
    const { club, fmt } = clubOf(c);
    return fragment(
      c,
      <JobRows copy={requestOf(c).copy} fmt={fmt} jobs={await deps.importJobs.list(club.clubId, 20)} base={base(c)} />,
    );
  });

  // The file (at most this route's body limit, route-policy.ts) goes to the import file store; the job runs as from the API.
  routes.post('/imports', async (c) => {
    const { club } = clubOf(c);
    const copy = requestOf(c).copy;
    const body = await c.req.parseBody();
    const kind = ImportKind.safeParse(body.kind);
    const format = ImportFormat.safeParse(body.format);
    const file = body.file;
    if (!kind.success || !format.success || typeof file === 'string' || !file || file.size === 0) {
      return show(c, { kind: 'bad', text: copy.imports.noFile }, 400);
    }
    const { job } = await createImport(deps, club.clubId, { kind: kind.data, format: format.data });
    await deps.files.write(ImportFiles.source(club.clubId, job.jobId), new Uint8Array(await file.arrayBuffer()));
    const started = await startImport(deps, club.clubId, job.jobId);
    if (started.kind !== 'started') {
      const why =
        started.kind === 'busy'
          ? `import ${started.jobId} is writing receipts of this club; try again when it is done`
          : started.kind;
      return show(c, { kind: 'bad', text: why }, 409);
    }
    await recordAction(
      deps,
      c,
      'POST /clubs/:clubId/imports',
      { jobId: job.jobId },
      {
        after: { jobId: job.jobId, kind: job.kind, format: job.format },
      },
    );
    return seeOther(c, `${base(c)}?done=started`);
  });

  const download = (kind: 'rejected' | 'kept') => async (c: Context) => {
    const { club } = clubOf(c);
    const jobId = idOf(c, 'jobId');
    const job = jobId ? await deps.importJobs.get(club.clubId, jobId) : undefined;
    if (!job) return notFoundPage(c);
    c.header('Content-Disposition', `attachment; filename="${job.jobId}-${kind}.csv"`);
    c.header('Content-Type', 'text/csv; charset=utf-8');
    return c.body(importJobCsv(deps.files, club.clubId, job.jobId, kind));
  };
  routes.get('/imports/:jobId/rejected.csv', download('rejected'));
  routes.get('/imports/:jobId/kept.csv', download('kept'));

  return routes;
}
