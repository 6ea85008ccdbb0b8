import { addCounts, type ChunkCounts, ImportJob, type ImportStatus } from '../../core/import-job.js';
import type { GroupPlan, ImportJobStore } from '../../core/import-ports.js';
import { copy, keyOf, MemoryTable } from './memory-table.js';

/** Import jobs and their chunk plans in Maps: the in-memory twin of DynamoDbImportJobs. */
export class MemoryImportJobs implements ImportJobStore {
  private readonly jobs = new Map<string, ImportJob>();
  /** Plans under keyOf(club, job, chunk, group). */
  private readonly plans = new Map<string, GroupPlan>();

  async create(job: ImportJob): Promise<'created' | 'exists'> {
    const key = keyOf(job.clubId, job.jobId);
    if (this.jobs.has(key)) return 'exists';
    this.jobs.set(key, ImportJob.parse({ ...job, doneChunks: [] }));
    return 'created';
  }

  async get(clubId: string, jobId: string): Promise<ImportJob | undefined> {
    const job = this.jobs.get(keyOf(clubId, jobId));
    return job && copy(job);
  }

  /** Newest first by id, as the table sorts `JOB#<id>`; member syncs (`sync-…`) are kept apart there, so not listed. */
  async list(clubId: string, limit: number): Promise<ImportJob[]> {
    return copy(MemoryTable.under(this.jobs, clubId))
      .filter((job) => !job.jobId.startsWith('sync-'))
      .sort((a, b) => (a.jobId < b.jobId ? 1 : -1))
      .slice(0, limit);
  }

  async transition(
    clubId: string,
    jobId: string,
    from: readonly ImportStatus[],
    to: ImportStatus,
    at: Date,
    patch: Partial<Pick<ImportJob, 'chunks' | 'linesRead' | 'rejectedAtRead' | 'error'>> = {},
  ): Promise<ImportJob | undefined> {
    const key = keyOf(clubId, jobId);
    const stored = this.jobs.get(key);
    if (!stored || !from.includes(stored.status)) return undefined;
    const defined = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
    const next = ImportJob.parse({ ...stored, ...defined, status: to, updatedAt: at.toISOString() });
    this.jobs.set(key, next);
    return copy(next);
  }

  async completeChunk(clubId: string, jobId: string, chunk: number, counts: ChunkCounts): Promise<number> {
    const key = keyOf(clubId, jobId);
    const stored = this.jobs.get(key);
    if (!stored) return 0;
    if (stored.doneChunks.includes(chunk)) return stored.doneChunks.length;
    const next = {
      ...stored,
      counts: addCounts(stored.counts, counts),
      doneChunks: [...stored.doneChunks, chunk].sort((a, b) => a - b),
      updatedAt: new Date().toISOString(),
    };
    this.jobs.set(key, next);
    return next.doneChunks.length;
  }

  async planOnce(clubId: string, jobId: string, chunk: number, group: number, plan: GroupPlan): Promise<GroupPlan> {
    const key = keyOf(clubId, jobId, String(chunk), String(group));
    const stored = this.plans.get(key);
    if (stored) return copy(stored);
    this.plans.set(key, copy(plan));
    return plan;
  }

  async getPlan(clubId: string, jobId: string, chunk: number, group: number): Promise<GroupPlan | undefined> {
    const plan = this.plans.get(keyOf(clubId, jobId, String(chunk), String(group)));
    return plan && copy(plan);
  }

  async listPlans(clubId: string, jobId: string): Promise<GroupPlan[]> {
    return copy(MemoryTable.under(this.plans, clubId, jobId));
  }
}
