/**
 * `npm run bench:console`: how long each console page takes on the server, for a club of MEMBERS
 * members (default 100,000), and how soon the dry-run explorer shows its first page.
 *
 * It starts the real local system (DynamoDB emulator in memory, local SES, the HTTP app), seeds the
 * demo grocery catalog with MEMBERS members (the demo's 50 shoppers' profiles, cycled; a third of them
 * mailed two days ago), three campaigns scheduled next week, a draft waiting for approval, and a
 * campaign "sent" to every member (its decisions and send records written as the planner and the
 * send worker would, a 10 % control group). A marketer signs in through the local issuer, and every
 * page is fetched RUNS times over real HTTP: the first (cold) time, the median and the 90th
 * percentile. The explorer is started (one slice, then its first page) and driven to the end; the
 * report is counted to the end, and so is the experiment's report (from its screen's count form).
 * ANSWERS survey answers (default 20,000 over 18 months) feed the NPS
 * screen. Everything runs in this one process, the emulator included.
 *
 * `ONLY=explorer,nps` seeds and times only what those pages need (the words are found in the pages'
 * names, in any case; `explorer` also times the explorer's first page, `whole` works the explorer
 * out to the end, `report` counts the report, `experiment` counts the experiment), for a focused run
 * in minutes instead of the whole bench's twenty; `ONLY=experiment` times that page alone.
 * `PROFILE=first.cpuprofile` writes a CPU profile of the explorer's first page (open it in Chrome's
 * DevTools, or `npx tsx bench/profile-summary.ts first.cpuprofile`); with `PROFILE_PAGE=nps`, of the
 * timed requests of the first page whose name holds that word instead.
 */
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { cpus, totalmem } from 'node:os';
import { performance } from 'node:perf_hooks';
import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { demoGroceryClub } from '../bin/demo-club.js';
import { seedDemo } from '../bin/seed-demo.js';
import { createDocumentClient } from '../lambdas/adapters/dynamodb-client.js';
import { Keys } from '../lambdas/adapters/dynamodb-keys.js';
import { Experiment } from '../lambdas/core/experiment.js';
import { openCase } from '../lambdas/core/feedback-case.js';
import { sendIdFor } from '../lambdas/core/ledger.js';
import type { Campaign } from '../lambdas/core/model.js';
import { castVote } from '../lambdas/core/survey-response.js';
import { settingsFormOf } from '../lambdas/http/console/routes/settings-form.js';
import { startLocalSystem } from '../lambdas/runtime/local-system.js';
import { signInToConsole } from '../tests/support/console-session.js';

const MEMBERS = Number(process.env.MEMBERS ?? 100_000);
const RUNS = Number(process.env.RUNS ?? 15);
/** Survey answers over the last 18 months: a tenth of the members asked twice a year, and answering. */
const ANSWERS = Number(process.env.ANSWERS ?? 20_000);
/** The pages to seed for and time (all when unset): words found in each page's name. */
const ONLY = (process.env.ONLY ?? '')
  .split(',')
  .map((w) => w.trim())
  .filter(Boolean);
const wanted = (name: string) =>
  ONLY.length === 0 || ONLY.some((word) => name.toLowerCase().includes(word.toLowerCase()));
const PROFILE = process.env.PROFILE;
const PROFILE_PAGE = process.env.PROFILE_PAGE?.toLowerCase();

/** A CPU profile of what runs between `start` and the `stop` it returns, written to PROFILE. */
async function profiling(): Promise<() => Promise<void>> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return async () => {
    const { profile } = await session.post('Profiler.stop');
    if (PROFILE) await writeFile(PROFILE, JSON.stringify(profile));
    session.disconnect();
  };
}
const DAY = 86_400_000;
const quiet = { info: () => {}, warn: () => {}, error: (m: string, f?: unknown) => console.error(m, f) };

async function writeAll(db: DynamoDBDocumentClient, items: Record<string, unknown>[]): Promise<void> {
  const batches: Record<string, unknown>[][] = [];
  for (let i = 0; i < items.length; i += 25) batches.push(items.slice(i, i + 25));
  for (let i = 0; i < batches.length; i += 16) {
    await Promise.all(
      batches.slice(i, i + 16).map(async (batch) => {
        let pending = batch.map((Item) => ({ PutRequest: { Item } }));
        while (pending.length > 0) {
          const result = await db.send(new BatchWriteCommand({ RequestItems: { 'club-planner': pending } }));
          pending = (result.UnprocessedItems?.['club-planner'] ?? []).flatMap((r) =>
            r.PutRequest?.Item ? [{ PutRequest: { Item: r.PutRequest.Item } }] : [],
          );
        }
      }),
    );
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const p90 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * 0.9))] ?? 0;
const ms = (n: number) => n.toFixed(0).padStart(6);

async function main(): Promise<void> {
  const system = await startLocalSystem({
    tokenKeys: { current: 'b1', keys: { b1: randomBytes(32).toString('base64url') } },
    log: quiet,
  });
  const { deps } = system;
  const db = createDocumentClient({ endpoint: system.urls.dynamodb });
  const now = new Date();
  const clubId = 'bench';
  const demo = demoGroceryClub(now, 42, clubId);
  await seedDemo(deps, demo);

  const seedStart = performance.now();
  const ids = Array.from({ length: MEMBERS }, (_, i) => `b${String(i).padStart(7, '0')}`);
  for (let i = 0; i < ids.length; i += 10_000) {
    const slice = ids.slice(i, i + 10_000);
    const members: Record<string, unknown>[] = [];
    const profiles: Array<{ memberId: string; profile: NonNullable<ReturnType<typeof demo.profiles.get>> }> = [];
    slice.forEach((memberId, j) => {
      const source = demo.members[(i + j) % demo.members.length];
      if (!source) return;
      const member = { ...source, memberId, email: `${memberId}@bench.example` };
      members.push({
        ...Keys.member(clubId, memberId),
        ...Keys.memberShardIndex(clubId, memberId),
        type: 'member',
        ...member,
      });
      const mailed = (i + j) % 3 === 0;
      members.push({
        ...Keys.ledger(clubId, memberId),
        type: 'ledger',
        version: 1,
        sends: mailed ? { [`${'0'.repeat(31)}1`]: `o:${(now.getTime() - 2 * DAY).toString(36)}` } : {},
      });
      const profile = demo.profiles.get(source.memberId);
      if (profile) profiles.push({ memberId, profile });
    });
    await writeAll(db, members);
    await deps.members.putProfiles(clubId, profiles);
  }
  const seeded = performance.now() - seedStart;

  const pool = demo.offers.map((o) => o.offerId);
  const base: Omit<Campaign, 'campaignId' | 'name' | 'sendAt' | 'status'> = {
    clubId,
    theme: 'community',
    offerPool: pool,
    offersPerMail: 3,
    kind: 'offers',
    priority: 1,
    holdoutShare: 0.1,
    brandFitOverride: false,
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
    approval: { state: 'none' },
  };
  const at = (days: number) => new Date(now.getTime() + days * DAY).toISOString();
  const campaigns: Campaign[] = [
    { ...base, campaignId: 'next-1', name: 'Helgens frukost', sendAt: at(2), status: 'scheduled' },
    { ...base, campaignId: 'next-2', name: 'Glutenfritt i fokus', sendAt: at(2.4), status: 'scheduled', priority: 2 },
    { ...base, campaignId: 'next-3', name: 'Veckans fisk', sendAt: at(5), status: 'scheduled' },
    {
      ...base,
      campaignId: 'draft',
      name: 'Midsommarbordet',
      sendAt: at(4),
      status: 'draft',
      approval: { state: 'submitted', by: 'client:bench', at: now.toISOString() },
      authors: ['client:bench'],
    },
    { ...base, campaignId: 'sent', name: 'Förra veckans erbjudanden', sendAt: at(-1), status: 'planned' },
  ];
  for (const campaign of campaigns) await deps.campaigns.createCampaign(campaign);

  // The sent campaign as the planner and the send worker leave it: a decision per member, a send record per mail.
  const sentStart = performance.now();
  const decided = at(-1);
  const seedSent = wanted('report');
  for (let i = 0; seedSent && i < ids.length; i += 10_000) {
    const items: Record<string, unknown>[] = [];
    for (const memberId of ids.slice(i, i + 10_000)) {
      const key = Keys.decision(clubId, 'sent', memberId);
      const bucket = Number.parseInt(sendIdFor(clubId, 'sent', memberId).slice(0, 2), 16) % 10;
      if (bucket === 0) {
        items.push({
          ...key,
          type: 'decision',
          decidedAt: decided,
          decision: { outcome: 'suppress', memberId, reason: 'holdout', message: 'In the control group.' },
        });
      } else {
        const offers = [
          {
            offerId: pool[0],
            productId: demo.offers[0]?.productId,
            score: 0.5,
            why: 'often-bought',
            reason: 'You often buy it',
          },
        ];
        items.push({
          ...key,
          type: 'decision',
          decidedAt: decided,
          decision: {
            outcome: 'send',
            memberId,
            sendId: sendIdFor(clubId, 'sent', memberId),
            offers,
            message: 'Send.',
          },
        });
        items.push({
          pk: key.pk,
          sk: `SEND#${memberId}`,
          type: 'send',
          state: 'sent',
          rank: 3,
          messageId: `m-${memberId}`,
          at: decided,
          ...(bucket === 1 ? { clickedAt: at(-0.9) } : {}),
        });
      }
    }
    await writeAll(db, items);
  }
  const sentSeeded = performance.now() - sentStart;

  // Survey answers as the survey page stores them (response and NPS row), and 50 detractors' open cases.
  const answersStart = performance.now();
  for (let i = 0; wanted('nps') && i < ANSWERS; i += 200) {
    await Promise.all(
      Array.from({ length: Math.min(200, ANSWERS - i) }, async (_, k) => {
        const n = i + k;
        const cast = castVote(undefined, {
          clubId,
          campaignId: `survey-${n % 6}`,
          memberId: ids[n % ids.length] ?? 'b0',
          score: n % 11,
          via: 'button',
          now: new Date(now.getTime() - ((n + 0.5) / ANSWERS) * 540 * DAY),
          segments: { engagement: n % 4 === 0 ? 'passive' : 'active', homeStore: `store-${n % 12}` },
        });
        if (!cast.ok) throw new Error('vote refused');
        await deps.surveys.save(cast.response, 0);
      }),
    );
  }
  for (let n = 0; n < 50; n++) {
    const opened = new Date(now.getTime() - n * 3_600_000);
    const memberId = ids[n * 11] ?? 'b0';
    const one = openCase({
      clubId,
      campaignId: 'survey-0',
      memberId,
      score: n % 7,
      owner: 'cs',
      dueHours: 48,
      now: opened,
    });
    await deps.feedbackCases.create(one);
  }
  const answersSeeded = performance.now() - answersStart;

  const email = 'bench@marketers.example';
  const password = `${randomBytes(9).toString('base64url')}-Aa1!`;
  const user = await system.identity.users.upsert(email, password, []);
  await deps.roles.put({
    clubId,
    userId: user.sub,
    email,
    role: 'admin',
    grantedBy: 'bench',
    grantedAt: now.toISOString(),
  });
  const session = await signInToConsole(system.urls.http, email, password);
  const page = (path: string) => `/console/clubs/${clubId}/${path}`;

  const timed = async (request: () => Promise<Response>, expect = 200): Promise<number> => {
    const t = performance.now();
    const answer = await request();
    await answer.arrayBuffer();
    if (answer.status !== expect) throw new Error(`expected ${expect}, got ${answer.status}`);
    return performance.now() - t;
  };
  // A slice of the explorer or the report that failed (the in-process emulator timing out under load)
  // is what the page's Continue button repeats: the slice is idempotent. Repeated, and counted.
  let repeated = 0;
  const workSlice = async (request: () => Promise<Response>): Promise<number> => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await timed(request, 303);
      } catch (error: unknown) {
        if (attempt >= 3) throw error;
        repeated += 1;
      }
    }
  };

  /**
   * The explorer's first page (one slice of work, then the page), the explorer driven to the end
   * (`whole`), then the report counted to the end (`report`).
   */
  const workExplorerAndReport = async () => {
    const stopFirst = PROFILE && !PROFILE_PAGE ? await profiling() : undefined;
    const firstStart = performance.now();
    await timed(() => session.post(page('campaigns/draft/dry-run'), { action: 'start' }), 303);
    await timed(() => session.get(page('campaigns/draft/dry-run')));
    const explorerFirst = performance.now() - firstStart;
    await stopFirst?.();
    let slices = 1;
    const wholeStart = performance.now();
    while (
      wanted('whole') &&
      (await (await session.get(page('campaigns/draft/dry-run'))).text()).includes('name="action" value="continue"')
    ) {
      await workSlice(() => session.post(page('campaigns/draft/dry-run'), { action: 'continue' }));
      slices += 1;
    }
    const explorerWhole = wanted('whole') ? performance.now() - wholeStart + explorerFirst : undefined;

    const reportStart = performance.now();
    if (seedSent)
      await workSlice(() => session.post(page('campaigns/sent/report'), { action: 'restart', windowDays: '7' }));
    let reportSlices = 1;
    while (
      seedSent &&
      (await (await session.get(page('campaigns/sent/report'))).text()).includes('name="action" value="continue"')
    ) {
      await workSlice(() => session.post(page('campaigns/sent/report'), { action: 'continue' }));
      reportSlices += 1;
    }
    const reportWhole = seedSent ? performance.now() - reportStart : undefined;
    return { explorerFirst, explorerWhole, slices, reportWhole, reportSlices };
  };
  const worked = wanted('explorer') ? await workExplorerAndReport() : undefined;

  // The settings form as the page fills it, with one window changed: what "Preview the change" posts.
  const club = await deps.clubs.getClub(clubId);
  if (!club) throw new Error('no club');
  const form = settingsFormOf(club);
  // A policy experiment started about three months ago: its screen reads every member's history.
  const experimentStart = new Date(Date.now() - 100 * 86_400_000).toISOString();
  await deps.experiments.put(
    Experiment.parse({
      clubId,
      experimentId: 'leaving-bench',
      status: 'running',
      arms: [
        { armId: 'budget', share: 0.45, policy: { type: 'club-budget' } },
        { armId: 'fixed', share: 0.45, policy: { type: 'fixed-cap', windows: [{ days: 7, max: 2 }] } },
        { armId: 'control', share: 0.1, policy: { type: 'no-campaign-mail' } },
      ],
      readableAfter: {},
      startedAt: experimentStart,
      updatedAt: experimentStart,
    }),
  );
  // The experiment's figures counted a slice at a time from its screen ("Count the members", then
  // Continue as htmx would), as a marketer would before reading it (docs/decisions/0053).
  const countStart = performance.now();
  const countExperiment = wanted('experiment');
  // The largest single call is what must stay inside API Gateway's 29 s, the finishing step's included.
  let largestCall = countExperiment
    ? await workSlice(() => session.post(page('experiment/count'), { action: 'restart' }))
    : 0;
  let largestFinishing = 0;
  let countSlices = 1;
  while (
    countExperiment &&
    (await (await session.get(page('experiment'))).text()).includes('name="action" value="continue"')
  ) {
    // Once every shard is done, a request adds up slice rows or works months out: the finishing step.
    const finishing = (await deps.experiments.getCount(clubId))?.run?.shards.every((s) => s.done) ?? false;
    const took = await workSlice(() => session.post(page('experiment/count'), { action: 'continue' }));
    largestCall = Math.max(largestCall, took);
    if (finishing) largestFinishing = Math.max(largestFinishing, took);
    countSlices += 1;
  }
  const countWhole = performance.now() - countStart;
  const settingsFields = { ...form.fields, secondaryEmotions: [...form.secondaryEmotions], windowMax0: '2' };
  const every: Array<[string, () => Promise<Response>]> = [
    ['calendar (week)', () => session.get(page('calendar'))],
    ['calendar (month)', () => session.get(page('calendar?view=month'))],
    ['campaigns', () => session.get(page('campaigns'))],
    ['campaign editor', () => session.get(page('new-campaign'))],
    ['campaign and approval', () => session.get(page('campaigns/draft'))],
    ['preview (one member)', () => session.get(page(`campaigns/draft/preview?member=${ids[7]}`))],
    ['preview (name search)', () => session.get(page('campaigns/draft/preview?q=Anna'))],
    ['dry-run explorer (worked out)', () => session.get(page('campaigns/draft/dry-run'))],
    ['dry-run explorer (one reason)', () => session.get(page('campaigns/draft/dry-run?reason=budget-window'))],
    ['report (counted)', () => session.get(page('campaigns/sent/report'))],
    ['settings', () => session.get(page('settings'))],
    ['settings: preview a change', () => session.post(page('settings'), { ...settingsFields, action: 'preview' })],
    ['team', () => session.get(page('team'))],
    ['audit trail', () => session.get(page('audit'))],
    ['imports', () => session.get(page('imports'))],
    ['NPS (a year, 90-day windows)', () => session.get(page('nps'))],
    ['experiment (counted)', () => session.get(page('experiment'))],
  ];
  const pages = every.filter(([name]) => wanted(name));
  const rows: string[] = [];
  let profiledPage = false;
  for (const [name, request] of pages) {
    const times: number[] = [];
    const profiled = PROFILE && PROFILE_PAGE && name.toLowerCase().includes(PROFILE_PAGE) && !profiledPage;
    const stop = profiled ? await profiling() : undefined;
    if (profiled) profiledPage = true;
    for (let i = 0; i < RUNS; i++) times.push(await timed(request));
    await stop?.();
    rows.push(`| ${name.padEnd(30)} | ${ms(times[0] ?? 0)} | ${ms(median(times))} | ${ms(p90(times))} |`);
  }

  console.log(
    `\nbench:console: ${MEMBERS.toLocaleString('en')} members, ${RUNS} requests per page, node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? '?'}, ${Math.round(totalmem() / 2 ** 30)} GiB`,
  );
  console.log(
    `seeded in ${(seeded / 1000).toFixed(1)} s; the sent campaign's decisions and send records in ${(sentSeeded / 1000).toFixed(1)} s; ${ANSWERS.toLocaleString('en')} survey answers over 18 months and 50 open cases in ${(answersSeeded / 1000).toFixed(1)} s\n`,
  );
  console.log('| page                           | first ms | median ms | p90 ms |');
  console.log('|---|---:|---:|---:|');
  for (const row of rows) console.log(row);
  if (worked) {
    const { explorerWhole, reportWhole } = worked;
    console.log(
      `\ndry-run explorer: first page (one slice of work, then the page) ${(worked.explorerFirst / 1000).toFixed(2)} s; ${explorerWhole === undefined ? 'not worked out to the end (ONLY)' : `every member worked out in ${(explorerWhole / 1000).toFixed(1)} s over ${worked.slices} slices`}`,
    );
    if (reportWhole !== undefined)
      console.log(
        `report: every mail and control member counted in ${(reportWhole / 1000).toFixed(1)} s over ${worked.reportSlices} slices`,
      );
  }
  if (countExperiment)
    console.log(
      `experiment: every member counted in ${(countWhole / 1000).toFixed(1)} s over ${countSlices} requests (slices of about 1.2 s); the largest request took ${(largestCall / 1000).toFixed(2)} s, the largest once every shard was done ${(largestFinishing / 1000).toFixed(2)} s`,
    );
  if (repeated > 0) console.log(`slices repeated after an emulator error (as the Continue button would): ${repeated}`);
  await system.stop();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
