/**
 * `npm run bench:audiences`: what an audience costs the planner, how fast an estimate answers, and how
 * big the purchase activity makes a profile.
 *
 * 1. decide() per member, without an audience and with a five-condition rule every member passes (the
 *    worst case: the rule is evaluated and the whole decision still runs), on MEMBERS synthetic members
 *    in memory, alternating rounds; and the rule alone (the member's subject built and tested), which
 *    is exactly what the audience adds to each member's decision.
 * 2. planShard per member through the local DynamoDB emulator, the same two campaigns (PLAN_MEMBERS),
 *    and the rule alone as a share of it: the goal's figure. On a shared machine the difference of two
 *    plan runs is mostly the noise of the emulator's I/O, so it is printed but is not the figure.
 * 3. POST …/audiences/:id/estimate over real HTTP on a club of ESTIMATE_MEMBERS (default 100,000)
 *    members' facts, cold (the file read and parsed) and warm; and writing the facts of the
 *    PLAN_MEMBERS members from the emulator, per member.
 * 4. Profile item size (JSON bytes, about DynamoDB's count) with and without the activity, for light to
 *    heavy shoppers.
 */
import { randomBytes } from 'node:crypto';
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { buildAudienceFacts, FactsFiles } from '../lambdas/app/audience-estimate.js';
import { writeFactsFiles } from '../lambdas/app/audience-facts-files.js';
import { plannedAudience } from '../lambdas/app/campaign-context.js';
import { planShard } from '../lambdas/app/plan-shard.js';
import type { SavedAudience } from '../lambdas/core/audience.js';
import { factOf } from '../lambdas/core/audience-facts.js';
import { PURCHASE_BUCKETS } from '../lambdas/core/audience-postings.js';
import type { AudienceRule } from '../lambdas/core/audience-rules.js';
import { subjectOf } from '../lambdas/core/audience-subject.js';
import { DEFAULT_BUDGET } from '../lambdas/core/budget.js';
import { indexCatalog } from '../lambdas/core/catalog-index.js';
import { decide } from '../lambdas/core/decision.js';
import { DEFAULT_ENGAGEMENT } from '../lambdas/core/engagement.js';
import { MEMBER_SHARDS } from '../lambdas/core/jobs.js';
import { EMPTY_LEDGER } from '../lambdas/core/ledger.js';
import type { Campaign, Club, Member, Offer, OfferWithProduct, Product } from '../lambdas/core/model.js';
import type { MemberState } from '../lambdas/core/ports.js';
import { buildProfile } from '../lambdas/core/profile.js';
import { clubScope } from '../lambdas/core/roles.js';
import { DEFAULT_DELIVERABILITY } from '../lambdas/core/send-protocol.js';
import { startLocalSystem } from '../lambdas/runtime/local-system.js';
import { clientCredentialsToken } from '../lambdas/runtime/oidc-client.js';

const MEMBERS = Number(process.env.MEMBERS ?? 5_000);
const PLAN_MEMBERS = Number(process.env.PLAN_MEMBERS ?? 2_000);
const ESTIMATE_MEMBERS = Number(process.env.ESTIMATE_MEMBERS ?? 100_000);
const DAY = 86_400_000;
const quiet = { info: () => {}, warn: () => {}, error: (...a: unknown[]) => console.error(...a) };
const now = new Date();
const clubId = 'bench-audiences';

setFlagsFromString('--expose-gc');
const collect = runInNewContext('gc');
/** Heap in use after a full collection: what the process keeps. */
function heapAfterGc(): number {
  if (typeof collect === 'function') collect();
  return process.memoryUsage().heapUsed;
}

let seed = 11;
const rnd = () => {
  seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
  return seed / 2_147_483_648;
};

const products: Product[] = Array.from({ length: 400 }, (_, i) => ({
  productId: `p${i}`,
  name: `Product ${i}`,
  category: `Category ${i % 25}`,
  contains: [],
  freeFrom: [],
  labelling: 'declared',
}));
const catalog = indexCatalog(products);
const offers: Offer[] = Array.from({ length: 30 }, (_, i) => ({
  offerId: `o${i}`,
  productId: `p${i * 7}`,
  headline: '2 for 1',
}));
const candidates: OfferWithProduct[] = offers.flatMap((offer) => {
  const product = products.find((p) => p.productId === offer.productId);
  return product ? [{ offer, product }] : [];
});
const STORES = ['uppsala', 'malmo', 'lund', 'umea'];

const club: Club = {
  clubId,
  name: 'Bench Audiences',
  language: 'sv',
  senderName: 'Bench',
  senderEmail: 'club@bench.example',
  postalAddress: 'Benchgatan 1, Stockholm',
  brand: {
    primaryEmotion: 'community',
    secondaryEmotions: [],
    address: 'informal',
    colours: { primary: '#1d6b3a', background: '#ffffff', text: '#111111' },
  },
  budget: { ...DEFAULT_BUDGET, quietHours: { start: '00:00', end: '00:00' } },
  engagement: DEFAULT_ENGAGEMENT,
  reputation: DEFAULT_DELIVERABILITY,
  attributes: [
    { name: 'home_store', type: 'enum', values: STORES },
    { name: 'household_size', type: 'number' },
  ],
  createdAt: now.toISOString(),
};

/** Five conditions every synthetic member passes, so the whole decision runs after the rule. */
const FIVE: AudienceRule = {
  rule: 'all',
  of: [
    { rule: 'attribute', name: 'home_store', in: STORES },
    { rule: 'joined', atLeastDaysAgo: 7 },
    { rule: 'bought', category: 'Category 0', withinDays: 365 },
    { rule: 'spent', withinDays: 365, min: 1 },
    { rule: 'not', of: { rule: 'recipient-of', campaignId: 'big-week' } },
  ],
};
const audience: SavedAudience = {
  clubId,
  audienceId: 'five',
  name: 'Five conditions',
  description: '',
  rule: FIVE,
  createdAt: now.toISOString(),
  updatedAt: now.toISOString(),
};

function memberOf(i: number): Member {
  const memberId = `m${String(i).padStart(6, '0')}`;
  return {
    clubId,
    memberId,
    email: `${memberId}@bench.example`,
    firstName: 'Alex',
    language: 'sv',
    timeZone: i % 10 === 0 ? 'America/New_York' : 'Europe/Stockholm',
    joinedAt: new Date(now.getTime() - (30 + (i % 900)) * DAY).toISOString(),
    subscription: 'subscribed',
    deliverability: 'ok',
    lastEngagedAt: new Date(now.getTime() - DAY).toISOString(),
    consent: { marketing: true, textVersion: 'v1', at: '2024-01-01T00:00:00Z', source: 'bench', legalBasis: 'consent' },
    preferences: {
      frequency: 'club-default',
      topics: ['offers', 'news', 'events', 'surveys'],
      declaredRestrictions: [],
      rejectedInferences: [],
      nameDayMail: false,
    },
    attributes: { home_store: STORES[i % STORES.length] ?? 'lund', household_size: 1 + (i % 5) },
  };
}

/** A shopper with `trips` receipts over the last two years, 20 lines each, mostly from 60 favourites. */
function linesOf(memberId: string, trips: number) {
  const favourites = Array.from({ length: 60 }, () => Math.floor(rnd() * products.length));
  const lines = [];
  for (let t = 0; t < trips; t++) {
    const at = new Date(now.getTime() - Math.floor(rnd() * 720) * DAY - 3_600_000).toISOString();
    for (let k = 0; k < 20; k++) {
      const p = rnd() < 0.6 ? favourites[Math.floor(rnd() * favourites.length)] : Math.floor(rnd() * products.length);
      // Product 0 (Category 0) on the first receipt, so every member passes the rule's purchase conditions.
      const productId = t === 0 && k === 0 ? 'p0' : `p${p}`;
      lines.push({
        memberId,
        receiptId: `r${t}`,
        at: t === 0 ? new Date(now.getTime() - DAY).toISOString() : at,
        productId,
        amount: 25,
      });
    }
  }
  return lines;
}

function stateOf(i: number, trips = 12): MemberState {
  const member = memberOf(i);
  return { member, profile: buildProfile(linesOf(member.memberId, trips), catalog, now), ledger: EMPTY_LEDGER };
}

function campaignOf(campaignId: string, withAudience: boolean): Campaign {
  return {
    clubId,
    campaignId,
    name: campaignId,
    theme: 'community',
    offerPool: offers.map((o) => o.offerId),
    offersPerMail: 3,
    kind: 'offers',
    priority: 1,
    holdoutShare: 0,
    brandFitOverride: false,
    ...(withAudience ? { audienceId: audience.audienceId } : {}),
    sendAt: now.toISOString(),
    status: 'planning',
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
    shardCount: MEMBER_SHARDS,
  };
}

const row = (what: string, value: string) => console.log(`| ${what} | ${value} |`);

async function main(): Promise<void> {
  console.log(`Machine: ${cpus().length} × ${cpus()[0]?.model ?? '?'}, Node ${process.version}\n`);
  console.log('| measure | value |\n|---|---|');

  // 1. decide() alone.
  const states = Array.from({ length: MEMBERS }, (_, i) => stateOf(i));
  const planned = plannedAudience(club, audience.audienceId, [audience], () => {});
  const decideAll = (withAudience: boolean) => {
    const campaign = campaignOf(withAudience ? 'with' : 'without', withAudience);
    const start = performance.now();
    let sent = 0;
    for (const state of states) {
      const d = decide({
        ...state,
        campaign,
        candidates,
        catalog,
        policy: club.budget,
        engagement: club.engagement,
        now,
        ...(withAudience ? { audience: planned } : {}),
      });
      if (d.outcome === 'send') sent += 1;
    }
    return { ms: performance.now() - start, sent };
  };
  const ruleAll = () => {
    const start = performance.now();
    let matched = 0;
    for (const state of states) if (planned.at(now).test(subjectOf(state, club.engagement))) matched += 1;
    if (matched !== MEMBERS) throw new Error(`expected every member in the audience, got ${matched}`);
    return performance.now() - start;
  };
  const times = { without: [] as number[], with: [] as number[], rule: [] as number[] };
  for (let round = 0; round < 7; round++) {
    for (const withAudience of round % 2 === 0 ? [false, true] : [true, false]) {
      const { ms, sent } = decideAll(withAudience);
      if (sent !== MEMBERS) throw new Error(`expected every member mailed, got ${sent}`);
      if (round > 0) times[withAudience ? 'with' : 'without'].push(ms);
    }
    const ms = ruleAll();
    if (round > 0) times.rule.push(ms);
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
  const perWithout = (median(times.without) * 1000) / MEMBERS;
  const perWith = (median(times.with) * 1000) / MEMBERS;
  const perRule = (median(times.rule) * 1000) / MEMBERS;
  row(`decide() per member, no audience (${MEMBERS} members, median of 6)`, `${perWithout.toFixed(1)} µs`);
  row('decide() per member, 5-condition audience', `${perWith.toFixed(1)} µs`);
  row('the 5-condition rule alone per member (subject built and tested)', `${perRule.toFixed(1)} µs`);
  row('added by the audience, decide() alone', `${(((perWith - perWithout) / perWithout) * 100).toFixed(1)} %`);

  // 2. planShard through the emulator.
  const system = await startLocalSystem({
    tokenKeys: { current: 'b1', keys: { b1: randomBytes(32).toString('base64url') } },
    log: quiet,
  });
  try {
    const { deps } = system;
    await deps.clubs.putClub(club);
    await deps.clubs.putProducts(clubId, products);
    await deps.clubs.putOffers(clubId, offers);
    await deps.clubs.putAudience(audience);
    // A few at a time: on a busy machine a hundred writes at once can time out in the emulator.
    for (let i = 0; i < PLAN_MEMBERS; i += 20) {
      await Promise.all(
        states.slice(i, Math.min(i + 20, PLAN_MEMBERS)).map(async (s) => {
          await deps.members.putMember(s.member);
          await deps.members.putProfile(clubId, s.member.memberId, s.profile);
        }),
      );
    }
    const planDeps = { ...deps, sendQueue: { send: async () => {} }, planShardQueue: { send: async () => {} } };
    const planAll = async (campaignId: string, withAudience: boolean) => {
      await deps.campaigns.createCampaign(campaignOf(campaignId, withAudience));
      const start = performance.now();
      for (let shard = 0; shard < MEMBER_SHARDS; shard++) {
        let cursor: string | undefined;
        do {
          const pages: Array<{ cursor?: string }> = [];
          await planShard(
            { ...planDeps, planShardQueue: { send: async (jobs) => void pages.push(...jobs) } },
            { clubId, campaignId, shard, ...(cursor ? { cursor } : {}) },
          );
          cursor = pages[0]?.cursor;
        } while (cursor);
      }
      return performance.now() - start;
    };
    const plan = { without: [] as number[], with: [] as number[] };
    for (let round = 0; round < 4; round++) {
      for (const withAudience of round % 2 === 0 ? [false, true] : [true, false]) {
        const ms = await planAll(`plan-${round}-${withAudience ? 'a' : 'n'}`, withAudience);
        if (round > 0) plan[withAudience ? 'with' : 'without'].push(ms);
      }
    }
    const planWithout = (median(plan.without) * 1000) / PLAN_MEMBERS;
    const planWith = (median(plan.with) * 1000) / PLAN_MEMBERS;
    row(
      `planShard per member, no audience (${PLAN_MEMBERS} members, emulator, median of 3)`,
      `${planWithout.toFixed(0)} µs`,
    );
    row('planShard per member, 5-condition audience', `${planWith.toFixed(0)} µs`);
    row(
      '**the rule alone ÷ planShard per member (the goal: under 5 %)**',
      `**${((perRule / planWithout) * 100).toFixed(2)} %**`,
    );
    row(
      'planShard with ÷ without, minus 1 (two noisy plan runs; not the figure)',
      `${(((planWith - planWithout) / planWithout) * 100).toFixed(1)} %`,
    );

    // 3. Facts and the estimate.
    const factsStart = performance.now();
    const meta = await buildAudienceFacts(deps, clubId);
    const factsMs = performance.now() - factsStart;
    row(
      `facts written from the emulator (${meta?.members ?? 0} members), per member`,
      `${((factsMs * 1000) / Math.max(1, meta?.members ?? 1)).toFixed(0)} µs`,
    );

    async function* pages() {
      for (let i = 0; i < ESTIMATE_MEMBERS; i += 1000) {
        yield Array.from({ length: Math.min(1000, ESTIMATE_MEMBERS - i) }, (_, k) =>
          factOf(stateOf(i + k, 3 + ((i + k) % 20)), club.engagement, now),
        );
      }
    }
    const writeStart = performance.now();
    await writeFactsFiles(deps.files, clubId, pages(), (members) => ({
      asOf: now.toISOString(),
      members,
      shardsRead: MEMBER_SHARDS,
      shards: MEMBER_SHARDS,
    }));
    const writeMs = performance.now() - writeStart;
    const size = (await deps.files.size(FactsFiles.data(clubId))) ?? 0;
    let postingsSize = 0;
    let largestBucket = 0;
    for (let bucket = 0; bucket < PURCHASE_BUCKETS; bucket++) {
      const bytes = (await deps.files.size(FactsFiles.postings(clubId, bucket))) ?? 0;
      postingsSize += bytes;
      largestBucket = Math.max(largestBucket, bytes);
    }
    const spendSize = (await deps.files.size(FactsFiles.spend(clubId))) ?? 0;
    const { issuer } = system.identity;
    const bearer = await clientCredentialsToken({
      tokenEndpoint: issuer.tokenEndpoint,
      ...issuer.cli,
      scope: clubScope(clubId, 'viewer'),
    });
    // Five conditions that read no purchases: the estimate then reads the small facts file only.
    const lifecycle: SavedAudience = {
      ...audience,
      audienceId: 'lifecycle',
      rule: {
        rule: 'all',
        of: [
          { rule: 'attribute', name: 'home_store', in: ['uppsala', 'lund'] },
          { rule: 'joined', atLeastDaysAgo: 60 },
          { rule: 'engagement', state: 'active' },
          { rule: 'attribute', name: 'household_size', min: 2 },
          { rule: 'not', of: { rule: 'recipient-of', campaignId: 'big-week' } },
        ],
      },
    };
    await deps.clubs.putAudience(lifecycle);
    // One product and a store: reads one posting line (of one of the postings files) beside the facts.
    const oneProduct: SavedAudience = {
      ...audience,
      audienceId: 'one-product',
      rule: {
        rule: 'all',
        of: [
          { rule: 'bought', product: 'p17', withinDays: 90, atLeast: 2 },
          { rule: 'attribute', name: 'home_store', in: ['uppsala', 'lund'] },
        ],
      },
    };
    await deps.clubs.putAudience(oneProduct);
    const estimate = async (audienceId: string) => {
      const start = performance.now();
      const url = `${system.urls.http}/api/clubs/${clubId}/audiences/${audienceId}/estimate`;
      const response = await fetch(url, { method: 'POST', headers: { authorization: `Bearer ${bearer}` } });
      const body = await response.text();
      if (response.status !== 200) throw new Error(`estimate answered ${response.status}: ${body}`);
      return { ms: performance.now() - start, body };
    };
    row(
      `facts files of ${ESTIMATE_MEMBERS} members (written in ${(writeMs / 1000).toFixed(1)} s)`,
      `${(size / 1e6).toFixed(1)} MB facts, ${(postingsSize / 1e6).toFixed(1)} MB postings in ${PURCHASE_BUCKETS} files (largest ${(largestBucket / 1e6).toFixed(1)} MB), ${(spendSize / 1e6).toFixed(1)} MB spend`,
    );
    const described: Record<string, string> = {
      lifecycle: '5 conditions, no purchases',
      'one-product': 'one product (at least 2 dates in 90 days) and a store',
      [audience.audienceId]: '5 conditions with purchases (a category every member bought, and spend)',
    };
    const heapBefore = heapAfterGc();
    for (const id of ['lifecycle', 'one-product', audience.audienceId]) {
      const first = await estimate(id);
      const again = [await estimate(id), await estimate(id), await estimate(id)];
      const count = /"count":(\d+)/.exec(first.body)?.[1];
      const what = described[id] ?? id;
      row(
        `estimate over ${ESTIMATE_MEMBERS} members, ${what}: first (reads the files)`,
        `${(first.ms / 1000).toFixed(2)} s (count ${count})`,
      );
      row(
        `estimate over ${ESTIMATE_MEMBERS} members, ${what}: again (median of 3)`,
        `${(median(again.map((w) => w.ms)) / 1000).toFixed(2)} s`,
      );
      row(
        `heap kept after it (the facts and the postings read so far; after a full GC)`,
        `${((heapAfterGc() - heapBefore) / 1e6).toFixed(0)} MB (process: ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB resident, with the emulators)`,
      );
    }
    // The worst first ask: a purchase rule right after the facts were rewritten reads the facts, the
    // postings of Category 0 (every member bought it) and the spend lines.
    await writeFactsFiles(deps.files, clubId, pages(), (members) => ({
      asOf: new Date(now.getTime() + 1).toISOString(),
      members,
      shardsRead: MEMBER_SHARDS,
      shards: MEMBER_SHARDS,
    }));
    const cold = await estimate(audience.audienceId);
    row(
      `estimate over ${ESTIMATE_MEMBERS} members, ${described[audience.audienceId]}: first ask after the facts were rewritten`,
      `${(cold.ms / 1000).toFixed(2)} s`,
    );
  } finally {
    await system.stop();
  }

  // 4. Profile size.
  for (const trips of [12, 50, 150, 300]) {
    const lines = linesOf('m-size', trips);
    const profile = buildProfile(lines, catalog, now);
    const { activity, ...without } = profile;
    const item = (p: object) =>
      Buffer.byteLength(JSON.stringify({ pk: `MEMBER#${clubId}#m-size`, sk: 'PROFILE', type: 'profile', ...p }));
    row(
      `profile item, ${trips} receipts in 2 years (${Object.keys(profile.products).length} products)`,
      `${item(without)} B without activity, +${item(profile) - item(without)} B activity (${activity?.days.length ?? 0} dates, ${Object.keys(activity?.products ?? {}).length} products)`,
    );
  }
}

await main();
