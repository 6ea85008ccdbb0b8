import { screenAttributes } from '../core/attributes.js';
import { addCounts, type ChunkCounts, EMPTY_COUNTS, type ImportMessage, type ImportStep } from '../core/import-job.js';
import type { Rejection } from '../core/ingest-types.js';
import { csvColumn } from '../core/member-file.js';
import type { MemberRecord } from '../core/member-sync.js';
import type { Deps } from './deps.js';
import { applyMembers, planMembers, reportOf } from './import-members.js';

/** One field an import left as it was, as the job's kept-fields download lists it. */
export interface KeptRow {
  readonly member_id: string;
  readonly field: string;
  readonly owner: string;
  readonly why: string;
}

export type MemberChunkDeps = Pick<
  Deps,
  'clubs' | 'members' | 'suppressions' | 'importJobs' | 'importSettings' | 'importFaults' | 'clock' | 'log'
>;

export interface MemberChunkResult {
  readonly counts: ChunkCounts;
  readonly rejected: Rejection[];
  /** Per group that planned now (not on a re-run): the kept fields, to store beside the job. */
  readonly kept: Array<{ group: number; rows: KeptRow[] }>;
}

/**
 * Sync one chunk of member records (all the records of one member bucket), exactly once: per group
 * of members, the counts are those of the plan made before anything was written, stored once; the
 * writes themselves are idempotent (a re-run plans again, finds what was written, and writes the rest).
 */
export async function importMemberChunk(
  deps: MemberChunkDeps,
  job: { readonly clubId: string; readonly jobId: string; readonly format?: 'csv' | 'ndjson' },
  chunk: number,
  entries: Iterable<{ line: number; record: MemberRecord }>,
  message: ImportMessage,
): Promise<MemberChunkResult> {
  const fault = async (step: ImportStep) => {
    if (deps.importFaults) await deps.importFaults(step, message);
  };
  const rejected: Rejection[] = [];
  const firstLine = new Map<string, number>();
  const records: MemberRecord[] = [];
  // Attributes are checked against the club's declarations here, where the club is known: a CSV cell
  // is read as the declared type, a JSON value must already be of it.
  const declarations = (await deps.clubs.getClub(job.clubId))?.attributes ?? [];
  const screened: Array<{ line: number; record: MemberRecord }> = [];
  for (const { line, record } of entries) {
    const { valid, rejected: refused } = screenAttributes(declarations, [record], job.format === 'csv');
    for (const r of refused) {
      const field = job.format === 'csv' ? csvColumn(r.field) : r.field;
      rejected.push({ line, field, message: `member ${r.memberId}: ${r.message}` });
    }
    for (const ok of valid) screened.push({ line, record: ok });
  }
  for (const { line, record } of screened) {
    const first = firstLine.get(record.memberId);
    if (first !== undefined) {
      rejected.push({
        line,
        field: 'member_id',
        message: `member ${record.memberId} is on line ${first} too; send one record per member`,
      });
      continue;
    }
    firstLine.set(record.memberId, line);
    records.push(record);
  }
  records.sort((a, b) => (a.memberId < b.memberId ? -1 : a.memberId > b.memberId ? 1 : 0));
  let counts = addCounts(EMPTY_COUNTS, { rejected: rejected.length, accepted: records.length });
  const kept: Array<{ group: number; rows: KeptRow[] }> = [];
  const size = deps.importSettings.groupMembers;
  for (let start = 0, group = 0; start < records.length; start += size, group += 1) {
    const planned = await planMembers(deps, job.clubId, records.slice(start, start + size));
    let plan = await deps.importJobs.getPlan(job.clubId, job.jobId, chunk, group);
    if (!plan) {
      const report = reportOf(planned);
      const rows = report.kept.flatMap((k) =>
        k.fields.map((f) => ({ member_id: k.memberId, field: f.field, owner: f.owner, why: f.why ?? '' })),
      );
      if (rows.length > 0) kept.push({ group, rows });
      plan = await deps.importJobs.planOnce(job.clubId, job.jobId, chunk, group, {
        counts: {
          created: report.created,
          updated: report.updated,
          unchanged: report.unchanged,
          suppressed: report.suppressed.length,
          blocked: report.blocked.length,
          kept: report.kept.length,
        },
        delta: {},
        touched: [],
      });
    }
    counts = addCounts(counts, plan.counts);
    await fault('chunk:plan-stored');
    const half = Math.ceil(planned.length / 2);
    await applyMembers(deps, job.clubId, planned.slice(0, half));
    await fault('chunk:some-receipts-written');
    await applyMembers(deps, job.clubId, planned.slice(half));
    await fault('chunk:receipts-written');
  }
  rejected.sort((a, b) => a.line - b.line);
  return { counts, rejected, kept };
}
