/**
 * `npm run bench:scale -- --members N [--send-sample K] [--fit-only] [--emulator process|in-process]
 * [--load-concurrency C]`: a club of N members (default 100,000) on the local engines, measured step by
 * step. `--fit-only` generates the receipts and the member snapshot straight into the archive and
 * measures the SQL fit alone (no DynamoDB, no campaign). The DynamoDB emulator (dynalite, LevelDB on
 * disk) runs in a child process by default, so this process's memory is the system's and the emulator's
 * is reported apart (docs/decisions/0056); `--emulator in-process` runs it inside, as before.
 *
 * 1. Generate the club from the real distributions (bench/lib/synthetic-club.ts) and load it as an
 *    import would: member, profile and ledger items in DynamoDB (the emulator), receipts as Parquet in
 *    the archive folder, popularity counters once.
 * 2. Fit the club model through the SQL path (member snapshot, the four queries on DuckDB, store).
 * 3. Plan one campaign end to end through the real plan-campaign and plan-shard handlers.
 * 4. Send a sample of K of its mails (default 10,000; all of them when fewer) through the real send
 *    worker and local SES, then let the SES events handler consume their events.
 * Then it prints the rates, DynamoDB units, peak memory of each step, and the projection for 3,000,000
 * members and 1,000,000,000 receipt lines with AWS costs by service (bench/lib/scale-projection.ts).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { createDocumentClient } from '../lambdas/adapters/dynamodb-client.js';
import { Keys } from '../lambdas/adapters/dynamodb-keys.js';
import { batchWriteAll } from '../lambdas/adapters/dynamodb-paging.js';
import { profileAttributes } from '../lambdas/adapters/dynamodb-profile-item.js';
import { completeSqlFit, prepareSqlFit, runFitQueries } from '../lambdas/app/fit-club-model-sql.js';
import { RECEIPT_RETENTION_DAYS } from '../lambdas/app/ingest-purchases.js';
import { fitQueries } from '../lambdas/core/fit-sql.js';
import { EMPTY_LEDGER, storedLedger } from '../lambdas/core/ledger.js';
import { MEMBERS_PER_PLAN_SHARD } from '../lambdas/core/member-slots.js';
import type { Mailer, Receipt } from '../lambdas/core/ports.js';
import { buildProfile } from '../lambdas/core/profile.js';
import { countTrips } from '../lambdas/core/receipts.js';
import { startLocalSystem } from '../lambdas/runtime/local-system.js';
import { countConsumedCapacity, newTally, type Tally } from './lib/consumed-capacity.js';
import { cpuSeconds, type EmulatorProcess, startEmulatorProcess } from './lib/emulator-process.js';
import { type Measured, PRICES, project } from './lib/scale-projection.js';
import { loadSources, offersOf, syntheticClub, syntheticMember } from './lib/synthetic-club.js';

const Args = z.object({
  members: z.coerce.number().int().min(10).max(5_000_000).default(100_000),
  'send-sample': z.coerce.number().int().min(0).default(10_000),
  'fit-only': z.boolean().default(false),
  emulator: z.enum(['process', 'in-process']).default('process'),
  /** A DynamoDB endpoint already running (another emulator, for comparison); no emulator is started. */
  'dynamo-endpoint': z.url().optional(),
  /** BatchWriteItem calls (25 items each) in flight while loading. */
  'load-concurrency': z.coerce.number().int().min(1).max(256).default(16),
});
const { values } = parseArgs({
  options: {
    members: { type: 'string' },
    'send-sample': { type: 'string' },
    'fit-only': { type: 'boolean' },
    emulator: { type: 'string' },
    'load-concurrency': { type: 'string' },
    'dynamo-endpoint': { type: 'string' },
  },
});
const args = Args.parse(values);
const N = args.members;
const quiet = { info: () => {}, warn: () => {}, error: () => {} };

/** Peak resident memory of this process (and of the emulator's, when it has one) during each step, sampled every 50 ms. */
const peaks = new Map<string, number>();
let step = 'start';
const heaps = new Map<string, number>();
const emulatorPeaks = new Map<string, number>();
let emulator: EmulatorProcess | undefined;
let sampleCount = 0;
const sampler = setInterval(() => {
  const { rss, heapUsed } = process.memoryUsage();
  peaks.set(step, Math.max(peaks.get(step) ?? 0, rss));
  heaps.set(step, Math.max(heaps.get(step) ?? 0, heapUsed));
  // /proc is read every 500 ms: cheap, and the emulator's memory moves slowly.
  sampleCount += 1;
  if (emulator && sampleCount % 10 === 0)
    emulatorPeaks.set(step, Math.max(emulatorPeaks.get(step) ?? 0, emulator.rss()));
}, 50);
const timings = new Map<string, number>();
const started = performance.now();
/** A progress line on stderr every minute, so a long run shows where it is (and what it reached if stopped). */
let progress = () => '';
const reporter = setInterval(() => {
  const mb = (bytes: number) => `${Math.round(bytes / 1024 ** 2)} MB`;
  const emu = emulator ? `, emulator ${mb(emulator.rss())}` : '';
  const elapsed = ((performance.now() - started) / 1000).toFixed(0);
  console.error(`[${elapsed} s] ${step}: ${progress()} (rss ${mb(process.memoryUsage().rss)}${emu})`);
}, 60_000);
reporter.unref();
/** CPU seconds of each step: this process's, and the emulator process's (wall time depends on the machine's other load). */
const cpu = new Map<string, { self: number; emulator: number }>();
async function timed<T>(name: string, run: () => Promise<T>): Promise<T> {
  step = name;
  const begun = performance.now();
  const selfBefore = process.cpuUsage();
  const emulatorBefore = emulator ? cpuSeconds(emulator.pid) : 0;
  try {
    return await run();
  } finally {
    timings.set(name, (performance.now() - begun) / 1000);
    peaks.set(name, Math.max(peaks.get(name) ?? 0, process.memoryUsage().rss));
    if (emulator) emulatorPeaks.set(name, Math.max(emulatorPeaks.get(name) ?? 0, emulator.rss()));
    const self = process.cpuUsage(selfBefore);
    cpu.set(name, {
      self: (self.user + self.system) / 1e6,
      emulator: emulator ? cpuSeconds(emulator.pid) - emulatorBefore : 0,
    });
    console.error(
      `[${((performance.now() - started) / 1000).toFixed(0)} s] ${name} done in ${timings.get(name)?.toFixed(1)} s`,
    );
  }
}

let tally: Tally | undefined;
let dropped = '{}';
let mailsSent = 0;
let sesUrl = '';

/** Counts mails SES took; empties the local SES store every 5,000, so a long run keeps its memory. */
function counting(mailer: Mailer): Mailer {
  return {
    async send(mail) {
      const result = await mailer.send(mail);
      mailsSent += 1;
      if (mailsSent % 5000 === 0) await fetch(`${sesUrl}/clear-store`, { method: 'POST' });
      return result;
    },
  };
}

function folderBytes(folder: string): { bytes: number; files: number } {
  let bytes = 0;
  let files = 0;
  for (const entry of readdirSync(folder, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.parquet')) continue;
    bytes += statSync(join(entry.parentPath, entry.name)).size;
    files += 1;
  }
  return { bytes, files };
}

async function main(): Promise<void> {
  const sources = await loadSources();
  // The emulator on disk (LevelDB), as `npm start` runs it: millions of items in memory would be
  // measured as garbage collection.
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-scale-'));
  const external = args['dynamo-endpoint'];
  if (!external && args.emulator === 'process') emulator = await startEmulatorProcess(join(dataDir, 'dynamodb'));
  const endpoint = external ?? emulator?.endpoint;
  const system = await startLocalSystem({
    ...(endpoint ? { dynamoEndpoint: endpoint } : { dataDir: join(dataDir, 'dynamodb') }),
    archiveDir: join(dataDir, 'archive'),
    tokenKeys: { current: 's1', keys: { s1: randomBytes(32).toString('base64url') } },
    log: quiet,
    instrumentDynamo: (db) => countConsumedCapacity(db, () => tally),
    wrapMailer: counting,
    sendConcurrency: 8,
    sendSettings: { catalogTtlMs: 60_000 },
  });
  sesUrl = system.urls.ses;
  const { deps } = system;
  const db = createDocumentClient({ endpoint: system.urls.dynamodb });
  const clubId = 'scale';
  const now = deps.clock.now();
  const offers = offersOf(sources, 200);

  // 1. Generate and load.
  let lines = 0;
  let receiptCount = 0;
  let subscribed = 0;
  let memberItemBytes = 0;
  const LINES_PER_FILE = 250_000;
  const fitOnly = args['fit-only'];
  const snapshotIds: string[] = [];
  await timed('generate and load', async () => {
    await deps.clubs.putClub(syntheticClub(clubId, now));
    await deps.clubs.putProducts(clubId, [...sources.products]);
    await deps.clubs.putOffers(clubId, offers);
    const catalog = new Map(sources.products.map((p) => [p.productId, p]));
    const trips = new Map<string, number>();
    let pending: Receipt[] = [];
    let pendingLines = 0;
    const items: Record<string, unknown>[] = [];
    // As putMember leaves it: version 1 (a claim on version 0 expects no ledger item at all).
    const ledger = { ...storedLedger(EMPTY_LEDGER), version: 1 };
    // Up to `load-concurrency` BatchWriteItem calls in flight while the next members are generated.
    const inFlight = new Set<Promise<void>>();
    const write = async (batch: Record<string, unknown>[]) => {
      while (inFlight.size >= args['load-concurrency']) await Promise.race(inFlight);
      const call: Promise<void> = batchWriteAll(db, 'club-planner', batch).finally(() => inFlight.delete(call));
      inFlight.add(call);
    };
    let loaded = 0;
    progress = () => `${loaded.toLocaleString('en-US')} members generated and sent to the emulator`;
    for (let i = 0; i < N; i += 1, loaded = i) {
      const { member, receipts } = syntheticMember(sources, clubId, i, now);
      if (member.subscription === 'subscribed') subscribed += 1;
      if (fitOnly && member.subscription === 'subscribed') snapshotIds.push(member.memberId);
      const memberItem = {
        ...Keys.member(clubId, member.memberId),
        ...Keys.memberShardIndex(clubId, member.memberId),
        type: 'member',
        ...member,
      };
      if (i === 0) memberItemBytes = Buffer.byteLength(JSON.stringify(memberItem));
      const history = receipts.flatMap((r) =>
        r.items.map((it) => ({ memberId: member.memberId, receiptId: r.receiptId, at: r.at, productId: it.productId })),
      );
      if (!fitOnly) items.push(memberItem, { ...Keys.ledger(clubId, member.memberId), type: 'ledger', ...ledger });
      if (!fitOnly && member.subscription === 'subscribed')
        items.push({
          ...Keys.profile(clubId, member.memberId),
          type: 'profile',
          ...profileAttributes(buildProfile(history, catalog, now)),
        });
      for (const r of receipts) countTrips(r, trips);
      pending.push(...receipts);
      pendingLines += history.length;
      lines += history.length;
      receiptCount += receipts.length;
      if (items.length >= 25) await write(items.splice(0, 25));
      if (pendingLines >= LINES_PER_FILE) {
        await deps.receiptArchive.append(clubId, pending, now);
        pending = [];
        pendingLines = 0;
      }
    }
    for (const batch of chunks(items, 25)) await write(batch);
    await Promise.all(inFlight);
    await deps.receiptArchive.append(clubId, pending, now);
    await deps.popularity.add(clubId, trips);
  });
  const archive = folderBytes(join(system.archiveDir, 'receipts'));
  progress = () => 'working';

  // 2. The nightly fit, through the SQL path on DuckDB. With --fit-only the members never went to
  // DynamoDB: the snapshot is written from the generator, and the queries are the fit's own.
  const plan = await timed('fit: member snapshot', async () => {
    if (!fitOnly) return prepareSqlFit(deps, clubId);
    await deps.receiptArchive.writeMembers(clubId, 'bench', 0, snapshotIds);
    const { offers: offered } = await deps.clubs.getCatalog(clubId);
    return {
      clubId,
      snapshot: 'bench',
      fittedAt: now.toISOString(),
      queries: fitQueries({
        clubId,
        snapshot: 'bench',
        oldest: new Date(now.getTime() - RECEIPT_RETENTION_DAYS * 86_400_000),
        targets: [...new Set(offered.map((o) => o.productId))].sort(),
      }),
    };
  });
  const results = await timed('fit: SQL on DuckDB', () => runFitQueries(system.modelFit.sql, plan));
  const model = await timed('fit: store the model', () => completeSqlFit(deps, plan, results));
  const fitSeconds = timings.get('fit: SQL on DuckDB') ?? 1;

  // 3. Plan one campaign over every member (its mails wait on the queue).
  const planTally = newTally();
  const sendTally = newTally();
  const eventsTally = newTally();
  let planned = { planned: 0, toSend: 0, shards: 0 };
  if (!args['fit-only']) {
    const campaignId = 'scale-campaign';
    await deps.campaigns.createCampaign({
      clubId,
      campaignId,
      name: 'Scale',
      theme: 'community',
      offerPool: offers.filter((_, i) => i % 4 === 0).map((o) => o.offerId),
      offersPerMail: 3,
      kind: 'offers',
      priority: 2,
      holdoutShare: 0,
      brandFitOverride: false,
      sendAt: now.toISOString(),
      status: 'scheduled',
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
    });
    system.sendQueue.pause();
    system.eventsQueue.pause();
    tally = planTally;
    progress = () => `about ${planTally.writes.toLocaleString('en-US')} write units so far (one per member planned)`;
    await timed('plan', async () => {
      await system.handlers.planCampaign({ clubId, campaignId });
      await system.planShardQueue.drain();
    });
    tally = undefined;
    const campaign = await deps.campaigns.getCampaign(clubId, campaignId);
    const { tally: counts } = await deps.campaigns.planTally(clubId, campaignId);
    planned = {
      planned: counts.planned,
      toSend: counts.toSend,
      shards: campaign?.shardCount ?? 0,
    };
    if (campaign?.status !== 'planned' || counts.planned !== N) throw new Error(`planned ${counts.planned} of ${N}`);

    // 4. Send a sample of the mails, then their SES events.
    const sample = Math.min(args['send-sample'], counts.toSend);
    tally = sendTally;
    progress = () => `${mailsSent.toLocaleString('en-US')} of ${sample.toLocaleString('en-US')} mails sent`;
    await timed('send (sample)', async () => {
      system.sendQueue.resume();
      // Until the sample is sent, or nothing moved for 10 s (mails dropped at send time never count).
      for (let last = -1, still = 0; mailsSent < sample && still < 500; ) {
        still = mailsSent === last ? still + 1 : 0;
        last = mailsSent;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      system.sendQueue.pause();
      // Let the batches already taken finish.
      for (let last = -1; last !== mailsSent; ) {
        last = mailsSent;
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    });
    tally = eventsTally;
    await timed('SES events', async () => {
      system.eventsQueue.resume();
      await system.eventsQueue.drain();
    });
    tally = undefined;
    const deliveries = await deps.campaigns.countDeliveries(clubId, campaignId);
    dropped = JSON.stringify(deliveries.dropped);
  }
  clearInterval(sampler);
  await system.stop();
  await emulator?.stop();
  rmSync(dataDir, { recursive: true, force: true });

  // Report.
  const row = (name: string, value: string) => console.log(`| ${name.padEnd(58)} | ${value.padStart(16)} |`);
  const head = () => {
    console.log(`| ${'measure'.padEnd(58)} | ${'value'.padStart(16)} |`);
    console.log(`|${'-'.repeat(60)}|${'-'.repeat(18)}|`);
  };
  const n = (x: number, d = 0) => x.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
  const where = external ? `external ${external}` : args.emulator;
  console.log(`\nbench:scale  members=${n(N)}  emulator: ${where}  data: ${sources.origin}\n`);
  head();
  row('members (subscribed)', `${n(N)} (${n(subscribed)})`);
  row('receipts / receipt lines', `${n(receiptCount)} / ${n(lines)}`);
  row('generate and load (s)', n(timings.get('generate and load') ?? 0, 1));
  row(
    'archive: Parquet files / MB / bytes per line',
    `${archive.files} / ${n(archive.bytes / 1e6, 1)} / ${n(archive.bytes / Math.max(1, lines), 2)}`,
  );
  row('fit: member snapshot (s)', n(timings.get('fit: member snapshot') ?? 0, 2));
  row('fit: SQL on DuckDB (s)', n(fitSeconds, 2));
  row('fit: receipt lines per second', n(lines / fitSeconds));
  row('fit: model members / baskets / items', `${n(model.members)} / ${n(model.baskets)} / ${n(model.items)}`);
  row('fit: stored model (KB of JSON)', n(JSON.stringify(model).length / 1024, 0));
  const measured = args['fit-only'] ? undefined : report(planned, planTally, sendTally, eventsTally);
  console.log(
    emulator
      ? '\nThis process: handlers, queues, DuckDB, local SES; the emulator: dynalite in its own process.'
      : `\nThis process: the whole local system${external ? ' (the emulator runs elsewhere)' : ', the emulator included'}.`,
  );
  console.log('\nCPU seconds per step (wall time in the table depends on what else the machine runs):');
  for (const [name, used] of cpu)
    console.log(
      `  ${name.padEnd(24)} ${n(used.self, 1)} s this process${emulator ? ` | ${n(used.emulator, 1)} s emulator` : ''}`,
    );
  console.log('\nPeak resident memory per step:');
  for (const [name, bytes] of peaks)
    if (name !== 'start')
      console.log(
        `  ${name.padEnd(24)} ${n(bytes / 1024 ** 2)} MB (JS heap ${n((heaps.get(name) ?? 0) / 1024 ** 2)} MB)${
          emulator ? ` | emulator ${n((emulatorPeaks.get(name) ?? 0) / 1024 ** 2)} MB` : ''
        }`,
      );
  if (measured)
    projection({
      ...measured,
      archiveBytesPerLine: archive.bytes / Math.max(1, lines),
      fitLinesPerSecond: lines / fitSeconds,
      memberItemBytes,
      linesPerFile: LINES_PER_FILE,
    });

  function report(
    p: typeof planned,
    planU: Tally,
    sendU: Tally,
    eventU: Tally,
  ): Omit<Measured, 'archiveBytesPerLine' | 'fitLinesPerSecond' | 'memberItemBytes' | 'linesPerFile'> {
    const planSeconds = timings.get('plan') ?? 1;
    const sendSeconds = timings.get('send (sample)') ?? 1;
    const mails = Math.max(1, mailsSent);
    row('plan: shards', n(p.shards));
    row('plan: members planned (to send)', `${n(p.planned)} (${n(p.toSend)})`);
    row('plan: seconds', n(planSeconds, 1));
    row('plan: members planned per second', n(p.planned / planSeconds));
    row('plan: read units per member planned', n(planU.reads / p.planned, 3));
    row('plan: write units per member planned', n(planU.writes / p.planned, 3));
    row('send: mails sent (sample)', n(mailsSent));
    row('send: mails per second', n(mailsSent / sendSeconds));
    row('send: dropped at send time, by reason', dropped);
    row('send: read units per mail (worker + events)', n((sendU.reads + eventU.reads) / mails, 3));
    row('send: write units per mail (worker + events)', n((sendU.writes + eventU.writes) / mails, 3));
    return {
      members: p.planned,
      sendShare: p.toSend / p.planned,
      planReadsPerMember: planU.reads / p.planned,
      planWritesPerMember: planU.writes / p.planned,
      sendReadsPerMail: (sendU.reads + eventU.reads) / mails,
      sendWritesPerMail: (sendU.writes + eventU.writes) / mails,
      // Four local plan-shard workers and eight send workers ran at once.
      planPageSeconds: (planSeconds * 4) / Math.max(1, p.planned / 100),
      sendBatchSeconds: (sendSeconds * 8) / Math.max(1, mails / 10),
      planMembersPerSecond: p.planned / planSeconds,
    };
  }
}

function projection(m: Measured): void {
  const p = project(m, {
    members: 3_000_000,
    lines: 1_000_000_000,
    planShardGb: 0.5,
    sendMailGb: 0.5,
    pageSize: 100,
    sendBatch: 10,
    fitQueries: 4,
    athenaSpeedup: 16,
  });
  const usd = (x: number) => `$${x < 1 ? x.toFixed(4) : x.toFixed(2)}`;
  console.log(`\nProjection: 3,000,000 members, 1,000,000,000 receipt lines (prices: ${PRICES.asOf})\n`);
  console.log(`One campaign (${p.mails.toLocaleString('en-US')} mails at the measured send share):`);
  for (const [service, cost] of Object.entries(p.campaign)) console.log(`  ${service.padEnd(42)} ${usd(cost)}`);
  console.log(`  ${'total'.padEnd(42)} ${usd(p.campaignTotal)}  (${usd(p.perThousandMails)} per 1,000 mails)`);
  console.log('One nightly fit:');
  for (const [service, cost] of Object.entries(p.fit)) console.log(`  ${service.padEnd(52)} ${usd(cost)}`);
  console.log(`  ${'total'.padEnd(52)} ${usd(p.fitTotal)}`);
  console.log(
    `  fit time on Athena, ASSUMING 16× this machine's DuckDB rate (not measured here): ${p.fitMinutes.toFixed(1)} min`,
  );
  const pagesPerShard = MEMBERS_PER_PLAN_SHARD / 100;
  console.log(
    `Planning: 300 shards in parallel × ${pagesPerShard} pages × ${m.planPageSeconds.toFixed(2)} s per page (local) ≈ ${((pagesPerShard * m.planPageSeconds) / 60).toFixed(1)} min`,
  );
  console.log('Campaign wall time at the SES account rate (sending dominates):');
  for (const [rate, minutes] of Object.entries(p.wallMinutes))
    console.log(`  ${rate.padEnd(14)} ${minutes.toFixed(0)} min`);
}

function chunks<T>(list: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
