import { describe, expect, it } from 'vitest';
import { EMPTY_COUNTS, ImportJob } from '../../lambdas/core/import-job.js';
import { uniqueId } from '../support/ids.js';
import type { MakeStores } from './stores.js';

const AT = new Date(Math.floor(Date.now() / 60_000) * 60_000);
const later = (minutes: number) => new Date(AT.getTime() + minutes * 60_000);

const aJob = (clubId: string, jobId: string): ImportJob =>
  ImportJob.parse({
    clubId,
    jobId,
    kind: 'members',
    format: 'csv',
    status: 'awaiting-upload',
    createdAt: AT.toISOString(),
    updatedAt: AT.toISOString(),
    asOf: AT.toISOString(),
  });

/** What ImportJobStore and AuditTrail promise, whatever holds them. */
export function jobsAndAuditContract(make: MakeStores): void {
  describe('the import jobs', () => {
    it('creates a job once, moves it only from the given states and lists the newest first', async () => {
      const { importJobs } = make();
      const clubId = uniqueId('club');
      expect(await importJobs.create(aJob(clubId, 'job-1'))).toBe('created');
      expect(await importJobs.create(aJob(clubId, 'job-1'))).toBe('exists');
      await importJobs.create(aJob(clubId, 'job-2'));
      expect(await importJobs.transition(clubId, 'job-1', ['queued'], 'partitioning', later(1))).toBeUndefined();
      const moved = await importJobs.transition(clubId, 'job-1', ['awaiting-upload'], 'queued', later(1), {
        linesRead: 7,
      });
      expect(moved).toMatchObject({ status: 'queued', linesRead: 7, updatedAt: later(1).toISOString() });
      expect((await importJobs.get(clubId, 'job-1'))?.status).toBe('queued');
      expect((await importJobs.list(clubId, 10)).map((j) => j.jobId)).toEqual(['job-2', 'job-1']);
      expect((await importJobs.list(clubId, 1)).map((j) => j.jobId)).toEqual(['job-2']);
      expect(await importJobs.get(clubId, 'none')).toBeUndefined();
    });

    it("adds each chunk's counts once, and keeps the first plan of a group", async () => {
      const { importJobs } = make();
      const clubId = uniqueId('club');
      await importJobs.create(aJob(clubId, 'job-1'));
      expect(await importJobs.completeChunk(clubId, 'job-1', 1, { ...EMPTY_COUNTS, accepted: 5, rejected: 1 })).toBe(1);
      expect(await importJobs.completeChunk(clubId, 'job-1', 1, { ...EMPTY_COUNTS, accepted: 5, rejected: 1 })).toBe(1);
      expect(await importJobs.completeChunk(clubId, 'job-1', 0, { ...EMPTY_COUNTS, accepted: 2 })).toBe(2);
      const job = await importJobs.get(clubId, 'job-1');
      expect(job?.doneChunks).toEqual([0, 1]);
      expect(job?.counts).toMatchObject({ accepted: 7, rejected: 1 });
      const plan = { counts: { accepted: 3 }, delta: { pasta: 2 }, touched: [0, 2] };
      expect(await importJobs.planOnce(clubId, 'job-1', 0, 0, plan)).toEqual(plan);
      expect(await importJobs.planOnce(clubId, 'job-1', 0, 0, { ...plan, delta: { milk: 1 } })).toEqual(plan);
      await importJobs.planOnce(clubId, 'job-1', 1, 0, { counts: {}, delta: {}, touched: [] });
      expect(await importJobs.getPlan(clubId, 'job-1', 0, 0)).toEqual(plan);
      expect(await importJobs.getPlan(clubId, 'job-1', 5, 0)).toBeUndefined();
      expect(await importJobs.listPlans(clubId, 'job-1')).toHaveLength(2);
    });
  });

  describe('the audit trail', () => {
    it('lists entries newest first, a page at a time, each page starting where the last stopped', async () => {
      const { audit } = make();
      const clubId = uniqueId('club');
      for (let i = 0; i < 5; i++) {
        await audit.record({
          clubId,
          at: later(i).toISOString(),
          actor: 'user:editor',
          action: 'PATCH /clubs/:clubId/campaigns/:campaignId',
          target: { clubId, campaignId: 'c1' },
          status: 200,
          before: { name: `v${i}` },
          after: { name: `v${i + 1}`, nested: { list: [1, 2] } },
        });
      }
      const names: unknown[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await audit.list(clubId, { limit: 2, ...(cursor ? { cursor } : {}) });
        names.push(...page.entries.map((e) => e.before));
        cursor = page.cursor;
        pages += 1;
      } while (cursor && pages < 10);
      expect(names).toEqual([4, 3, 2, 1, 0].map((i) => ({ name: `v${i}` })));
      expect((await audit.list(uniqueId('other'), { limit: 5 })).entries).toEqual([]);
    });
  });
}
