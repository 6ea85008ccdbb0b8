import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type DemoClub, demoGroceryClub } from '../../bin/demo-club.js';
import { seedDemo } from '../../bin/seed-demo.js';
import { createDocumentClient } from '../../lambdas/adapters/dynamodb-client.js';
import { Keys } from '../../lambdas/adapters/dynamodb-keys.js';
import { fitClubModel } from '../../lambdas/app/fit-club-model.js';
import { fitClubModelWithSql } from '../../lambdas/app/fit-club-model-sql.js';
import type { ClubModel } from '../../lambdas/core/club-model.js';
import type { ImportMessage, ImportStep } from '../../lambdas/core/import-job.js';
import type { PlanShardJob } from '../../lambdas/core/jobs.js';
import { countTrips } from '../../lambdas/core/receipts.js';
import { DAY_MS } from '../../lambdas/core/units.js';
import { apiFetch, belowApi, type Harness, startHarness, uniqueId } from '../support/local-harness.js';
import { aCampaign, aMember } from '../unit/fixtures.js';

/** A clock that stands still (until a test moves it), so two runs build profiles as of the same instant. */
class FrozenClock {
  at = Date.parse('2026-03-10T12:00:00.000Z');
  now(): Date {
    return new Date(this.at);
  }
}

const STEPS: readonly ImportStep[] = [
  'partition:parts-written',
  'partition:job-processing',
  'chunk:plan-stored',
  'chunk:some-receipts-written',
  'chunk:receipts-written',
  'chunk:profiles-written',
  'chunk:archived',
  'chunk:counted',
  'finalize:popularity-added',
  'finalize:done',
];

const clock = new FrozenClock();
/** The one crash to inject: the first time a worker of this club passes this step. */
let crash: { clubId: string; step: ImportStep; done: boolean } | undefined;
let h: Harness;
beforeAll(async () => {
  h = await startHarness({
    clock,
    // Small pieces, so a small file still has several chunks and several groups per chunk.
    importSettings: { chunkBytes: 700, groupMembers: 3 },
    importFaults: async (step: ImportStep, message: ImportMessage) => {
      if (crash && !crash.done && crash.step === step && crash.clubId === message.clubId) {
        crash.done = true;
        throw new Error(`injected crash after ${step}`);
      }
    },
  });
});
afterAll(async () => {
  await h?.stop();
});

const Job = z.object({
  import: z.object({
    jobId: z.string(),
    status: z.string(),
    error: z.string().optional(),
    progress: z.record(z.string(), z.number().nullable()),
    links: z.object({ self: z.string(), rejected: z.string(), kept: z.string().optional() }),
  }),
});
const Created = Job.extend({
  upload: z.object({ method: z.literal('PUT'), url: z.string(), headers: z.record(z.string(), z.string()) }),
  start: z.object({ url: z.string() }),
});

/** Create, upload, start and finish one import job over HTTP, as a club's script would with curl. */
async function runImport(clubId: string, kind: 'members' | 'purchases', format: 'csv' | 'ndjson', body: string) {
  const created = await apiFetch(h, `/clubs/${clubId}/imports`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ kind, format }),
  });
  expect(created.status).toBe(201);
  const job = Created.parse(await created.json());
  const upload = await apiFetch(h, belowApi(h, job.upload.url), { method: 'PUT', headers: job.upload.headers, body });
  expect(upload.status).toBe(200);
  const started = await apiFetch(h, belowApi(h, job.start.url), { method: 'POST' });
  expect(started.status).toBe(202);
  await h.settle();
  const status = await apiFetch(h, belowApi(h, job.import.links.self));
  return Job.parse(await status.json()).import;
}

const iso = (daysAgo: number) => new Date(clock.at - daysAgo * DAY_MS).toISOString();

/** A seeded club (the same data each time, under a new id) and a purchase file full of cases. */
async function clubWithFile(): Promise<{ demo: DemoClub; clubId: string; csv: string; memberIds: string[] }> {
  const demo = demoGroceryClub(clock.now(), 5, uniqueId('bulk'));
  await seedDemo(h.deps, demo);
  const clubId = demo.club.clubId;
  await h.deps.members.unsubscribe(clubId, 'm006', clock.now(), 'test');
  const product = (i: number) => demo.products[i]?.productId ?? 'missing';
  const seeded = demo.purchases.filter((l) => l.memberId === 'm001');
  const [first] = seeded;
  const firstId = first?.receiptId ?? 'none';
  const rows = ['member_id,receipt_id,purchased_at,product_id,quantity'];
  for (let m = 1; m <= 24; m++) {
    const member = `m${String(m).padStart(3, '0')}`;
    for (let r = 0; r < 2; r++)
      for (let p = 0; p < 3; p++)
        rows.push(`${member},${member}-new-${r},${iso(3 + r)},${product((m * 7 + r * 3 + p) % 60)},${p + 1}`);
  }
  // The same product twice on a receipt: the quantities add up.
  rows.push(`m002,m002-new-0,${iso(3)},${product((2 * 7) % 60)},5`);
  // A seeded receipt of m001 sent again corrected (other items), and another one exactly as stored.
  rows.push(
    `m001,${firstId},${first?.at ?? iso(9)},${product(61)},1`,
    `m001,${firstId},${first?.at ?? iso(9)},${product(62)},2`,
  );
  const second = demo.purchases.find((l) => l.memberId === 'm003');
  if (second) {
    for (const line of demo.purchases.filter((l) => l.receiptId === second.receiptId))
      rows.push(`${line.memberId},${line.receiptId},${line.at},${line.productId},1`);
  }
  rows.push(
    `ghost,g-1,${iso(2)},${product(1)},1`,
    `m010,bad-date,yesterday,${product(1)},1`,
    `m010,too-old,${iso(800)},${product(1)},1`,
    `m011,unknown-product,${iso(2)},no-such-product,1`,
    `=cmd|' /C calc'!A0,inject,${iso(2)},${product(1)},1`,
  );
  const memberIds = Array.from({ length: 24 }, (_, i) => `m${String(i + 1).padStart(3, '0')}`);
  return { demo, clubId, csv: `${rows.join('\n')}\n`, memberIds };
}

/** Everything an import may change, in a form two clubs can be compared by. */
async function endState(clubId: string, memberIds: readonly string[]) {
  const members: Record<string, unknown> = {};
  const trips = new Map<string, number>();
  for (const memberId of [...memberIds, 'm003']) {
    const receipts = (await h.deps.purchases.listReceipts(clubId, memberId)).sort((a, b) =>
      a.receiptId < b.receiptId ? -1 : 1,
    );
    for (const receipt of receipts) countTrips(receipt, trips);
    members[memberId] = { receipts, profile: (await h.deps.members.getState(clubId, memberId))?.profile };
  }
  const popularity = Object.fromEntries([...(await h.deps.popularity.counts(clubId))].sort());
  return { members, popularity, trips };
}

const withoutTime = ({ fittedAt: _, ...model }: ClubModel) => model;

/** What the nightly fit sees of the club: the rows of its SQL over the receipt archive, and the model. */
async function sqlFitOf(clubId: string) {
  const { results, model } = await fitClubModelWithSql({ ...h.deps, sql: h.modelFit.sql }, clubId);
  return { results, model: withoutTime(model) };
}

describe('bulk purchase import', () => {
  it('stores receipts, replaces a corrected one, rebuilds profiles, counts everything and lists rejected lines', async () => {
    const { clubId, csv } = await clubWithFile();
    const job = await runImport(clubId, 'purchases', 'csv', csv);
    expect(job.status).toBe('done');
    expect(job.progress).toMatchObject({
      chunksDone: job.progress.chunks,
      linesRead: csv.trim().split('\n').length - 1,
      receiptsStored: 48,
      receiptsReplaced: 1,
      receiptsUnchanged: 1,
      profilesRebuilt: 23,
      profilesSkipped: 1,
      rejected: 5,
    });
    expect(job.progress.chunks).toBeGreaterThan(3);
    const m002 = await h.deps.purchases.listReceipts(clubId, 'm002');
    expect(m002.find((r) => r.receiptId === 'm002-new-0')?.items.find((i) => i.quantity === 6)).toBeDefined();

    const download = await apiFetch(h, belowApi(h, job.links.rejected));
    expect(download.headers.get('content-type')).toMatch(/^text\/csv/);
    const lines = (await download.text()).trim().split('\n');
    const lineOf = (start: string) => csv.split('\n').findIndex((l) => l.startsWith(start)) + 1;
    expect(lines[0]).toBe('line,field,message');
    // The reading pass's rejections first, then those of the chunks (a member the club does not know).
    expect(lines.slice(1).map((l) => l.split(',').slice(0, 2).join(','))).toEqual([
      `${lineOf('m010,bad-date')},purchased_at`,
      `${lineOf('m010,too-old')},purchased_at`,
      `${lineOf('m011,unknown-product')},product_id`,
      `${lineOf('=cmd')},member_id`,
      `${lineOf('ghost')},member_id`,
    ]);
  });

  it('ends in exactly the state of a clean run after a crash at any step', async () => {
    const clean = await clubWithFile();
    const cleanJob = await runImport(clean.clubId, 'purchases', 'csv', clean.csv);
    const expected = await endState(clean.clubId, clean.memberIds);
    // The archive holds what the store holds: the SQL fit over it is the in-process fit over the table,
    // the corrected receipt in its new version only.
    const expectedFit = await sqlFitOf(clean.clubId);
    expect(expectedFit.model).toEqual(withoutTime(await fitClubModel(h.deps, clean.clubId)));
    expect(expectedFit.model.baskets).toBeGreaterThan(48);
    // Popularity is an aggregate of the stored receipts, and the import kept it so.
    const seededTrips = new Map(expected.trips);
    expect(expected.popularity).toEqual(Object.fromEntries([...(await h.deps.popularity.counts(clean.clubId))].sort()));
    expect(seededTrips.size).toBeGreaterThan(0);
    for (const step of STEPS) {
      const run = await clubWithFile();
      crash = { clubId: run.clubId, step, done: false };
      const job = await runImport(run.clubId, 'purchases', 'csv', run.csv);
      expect(crash.done, step).toBe(true);
      expect(job.status, step).toBe('done');
      expect(job.progress, step).toEqual(cleanJob.progress);
      const state = await endState(run.clubId, run.memberIds);
      expect(state.members, step).toEqual(expected.members);
      expect(state.popularity, step).toEqual(expected.popularity);
      // And the archive, read by the SQL fit, ends as after the clean run (a re-run archives again).
      expect(await sqlFitOf(run.clubId), step).toEqual(expectedFit);
    }
    crash = undefined;
  }, 120_000);

  it('changes nothing when the same file comes again, and follows a corrected receipt in popularity', async () => {
    const { clubId, csv, demo } = await clubWithFile();
    await runImport(clubId, 'purchases', 'csv', csv);
    const before = await h.deps.popularity.counts(clubId);
    const again = await runImport(clubId, 'purchases', 'csv', csv);
    expect(again.progress).toMatchObject({ receiptsStored: 0, receiptsReplaced: 0, receiptsUnchanged: 50 });
    expect(await h.deps.popularity.counts(clubId)).toEqual(before);
    const [a, b] = [demo.products[70]?.productId ?? '', demo.products[71]?.productId ?? ''];
    const corrected = `member_id,receipt_id,purchased_at,product_id\nm004,m004-new-0,${iso(3)},${a}\nm004,m004-new-0,${iso(3)},${b}\n`;
    const fix = await runImport(clubId, 'purchases', 'csv', corrected);
    expect(fix.progress).toMatchObject({ receiptsReplaced: 1, profilesRebuilt: 1 });
    const after = await h.deps.popularity.counts(clubId);
    expect((after.get(a) ?? 0) - (before.get(a) ?? 0)).toBe(1);
    const profile = (await h.deps.members.getState(clubId, 'm004'))?.profile;
    expect(profile?.products[a]?.count).toBeGreaterThanOrEqual(1);
  });
});

describe('the upload of an import file', () => {
  it("takes the file as a chunked stream in the job's own type, and refuses any other type with 415", async () => {
    const { clubId, csv } = await clubWithFile();
    const created = await apiFetch(h, `/clubs/${clubId}/imports`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'purchases', format: 'csv' }),
    });
    const job = Created.parse(await created.json());
    const upload = (type: string, body: string | ReadableStream<Uint8Array>) =>
      apiFetch(h, belowApi(h, job.upload.url), {
        method: 'PUT',
        headers: { 'content-type': type },
        body,
        duplex: 'half',
      });
    // JSON is no upload type at all; JSON lines are, but this job reads CSV.
    const json = await upload('application/json', '{}');
    expect(json.status).toBe(415);
    const ndjson = await upload('application/x-ndjson', '{}\n');
    expect(ndjson.status).toBe(415);
    expect(await ndjson.json()).toMatchObject({ message: expect.stringContaining('is csv: send text/csv') });
    expect((await apiFetch(h, belowApi(h, job.start.url), { method: 'POST' })).status).toBe(400);

    // No Content-Length: the body streams through in pieces, as `curl -T -` sends a pipe.
    const bytes = new TextEncoder().encode(csv);
    const pieces = [bytes.subarray(0, 1000), bytes.subarray(1000, 3000), bytes.subarray(3000)];
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        const piece = pieces.shift();
        if (piece) controller.enqueue(piece);
        else controller.close();
      },
    });
    const streamed = await upload('text/csv', stream);
    expect(streamed.status).toBe(200);
    expect(await streamed.json()).toEqual({ uploaded: bytes.byteLength });
    expect((await apiFetch(h, belowApi(h, job.start.url), { method: 'POST' })).status).toBe(202);
    await h.settle();
    const done = Job.parse(await (await apiFetch(h, belowApi(h, job.import.links.self))).json()).import;
    expect(done).toMatchObject({ status: 'done', progress: { linesRead: csv.trim().split('\n').length - 1 } });
    // The audit trail names the job that was created, and records the upload and the start.
    const { entries } = await h.deps.audit.list(clubId, { limit: 20 });
    expect(entries.find((e) => e.action === 'POST /clubs/:clubId/imports')?.after).toEqual({
      jobId: job.import.jobId,
      kind: 'purchases',
      format: 'csv',
    });
    expect(entries.map((e) => e.action)).toEqual(
      expect.arrayContaining(['PUT /clubs/:clubId/imports/:jobId/file', 'POST /clubs/:clubId/imports/:jobId/start']),
    );
  });
});

describe('bulk member import', () => {
  const header =
    'member_id,email,first_name,language,joined_at,consent_marketing,consent_text_version,consent_at,consent_source,consent_legal_basis,topics';
  const row = (id: string, name = 'Alva') =>
    `${id},${id}@members.example,${name},sv,2024-01-01T00:00:00Z,ja,v1,2024-01-01T00:00:00Z,crm,consent,offers;news`;

  it('creates members from a CSV file, and on the next file keeps what the members chose, listing it', async () => {
    const { clubId } = await clubWithFile();
    // "-A1" is a valid member id that a spreadsheet would take for a formula.
    const ids = [...Array.from({ length: 29 }, (_, i) => `imp-${i}`), '-A1'];
    const file = `${[header, ...ids.map((id) => row(id)), row('imp-3'), 'imp-bad,nope,X,sv,2024-01-01T00:00:00Z,ja,v1,2024-01-01T00:00:00Z,crm,consent,'].join('\n')}\n`;
    const first = await runImport(clubId, 'members', 'csv', file);
    expect(first.progress).toMatchObject({ created: 30, rejected: 2 });
    await h.deps.members.unsubscribe(clubId, 'imp-7', clock.now(), 'one-click');
    await h.deps.members.unsubscribe(clubId, '-A1', clock.now(), 'one-click');
    const second = await runImport(
      clubId,
      'members',
      'csv',
      `${[header, ...ids.map((id) => row(id, id === 'imp-8' ? 'Ebba' : 'Alva'))].join('\n')}\n`,
    );
    expect(second.progress).toMatchObject({ created: 0, updated: 1, unchanged: 29, membersWithKeptFields: 2 });
    const kept = await (await apiFetch(h, belowApi(h, second.links.kept ?? ''))).text();
    expect(kept.trim().split('\n').sort()).toEqual([
      "'-A1,subscription,member,",
      'imp-7,subscription,member,',
      'member_id,field,owner,why',
    ]);
    expect((await h.deps.members.getState(clubId, 'imp-7'))?.member.subscription).toBe('unsubscribed');
  });

  it('indexes the members it creates or changes by their bucket, and a plan over several shards decides for each', async () => {
    const { clubId, demo } = await clubWithFile();
    // A member stored before the index had buckets (gsi1sk MEMBER#<id>), as older data is.
    const db = createDocumentClient({ endpoint: h.urls.dynamodb });
    const old = aMember({ clubId, memberId: 'imp-old', email: 'imp-old@members.example' });
    await db.send(
      new PutCommand({
        TableName: 'club-planner',
        Item: {
          ...Keys.member(clubId, old.memberId),
          ...Keys.memberShardIndex(clubId, old.memberId),
          gsi1sk: `MEMBER#${old.memberId}`,
          type: 'member',
          ...old,
        },
      }),
    );
    const ids = Array.from({ length: 30 }, (_, i) => `imp-${i}`);
    const file = `${[header, ...ids.map((id) => row(id)), row('imp-old', 'Ebba')].join('\n')}\n`;
    const job = await runImport(clubId, 'members', 'csv', file);
    expect(job.progress).toMatchObject({ created: 30, updated: 1, rejected: 0 });
    for (const id of [...ids, 'imp-old']) {
      const item = await db.send(new GetCommand({ TableName: 'club-planner', Key: Keys.member(clubId, id) }));
      expect(item.Item?.gsi1sk, id).toMatch(new RegExp(`^MB#[0-9a-f]{3}#${id}$`));
    }

    // Plan a campaign over 5 shards (each a range of buckets): every member of the club, imported ones
    // included, is decided exactly once.
    const shards = 5;
    const campaignId = uniqueId('imported');
    await h.deps.campaigns.createCampaign(
      aCampaign({
        clubId,
        campaignId,
        offerPool: demo.offers.map((o) => o.offerId),
        offersPerMail: 3,
        sendAt: clock.now().toISOString(),
        status: 'planning',
        shardCount: shards,
      }),
    );
    const jobs: PlanShardJob[] = Array.from({ length: shards }, (_, shard) => ({ clubId, campaignId, shard, shards }));
    await h.planShardQueue.send(jobs);
    await h.settle();
    expect((await h.deps.campaigns.getCampaign(clubId, campaignId))?.status).not.toBe('planning');
    const decided = (await h.deps.campaigns.listDecisions(clubId, campaignId)).map((r) => r.decision.memberId);
    expect(decided.length).toBe(new Set(decided).size);
    expect(decided.sort()).toEqual([...demo.members.map((m) => m.memberId), ...ids, 'imp-old'].sort());
    expect((await h.deps.campaigns.planTally(clubId, campaignId)).tally.planned).toBe(decided.length);
  });

  it('ends a member import interrupted at any step as a clean run would', async () => {
    const ids = Array.from({ length: 20 }, (_, i) => `crash-${i}`);
    const file = `${[header, ...ids.map((id) => row(id))].join('\n')}\n`;
    const clean = await clubWithFile();
    const cleanJob = await runImport(clean.clubId, 'members', 'csv', file);
    // A member import has no profiles to write and no receipts to archive: every other step.
    for (const step of STEPS.filter((s) => s !== 'chunk:profiles-written' && s !== 'chunk:archived')) {
      const run = await clubWithFile();
      crash = { clubId: run.clubId, step, done: false };
      const job = await runImport(run.clubId, 'members', 'csv', file);
      expect(crash.done, step).toBe(true);
      expect(job.progress, step).toEqual(cleanJob.progress);
      const members = await h.deps.members.getMembers(run.clubId, ids);
      expect(members.size, step).toBe(20);
    }
    crash = undefined;
  }, 120_000);
});
