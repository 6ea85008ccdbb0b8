import { readFileSync } from 'node:fs';
import { GetCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { demoBookstoreClub } from '../../bin/demo-bookstore.js';
import { demoGroceryClub } from '../../bin/demo-club.js';
import { seedDemo } from '../../bin/seed-demo.js';
import { createDocumentClient } from '../../lambdas/adapters/dynamodb-client.js';
import { Keys } from '../../lambdas/adapters/dynamodb-keys.js';
import { PERMANENT_KINDS } from '../../lambdas/core/retention.js';
import { signToken } from '../../lambdas/core/tokens.js';
import { DAY_MS } from '../../lambdas/core/units.js';
import { apiFetch, belowApi, type Harness, startHarness, uniqueId } from '../support/local-harness.js';
import { answer, mailsOf, pageForm, postForm, scoreLink } from '../support/surveys.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

type Item = Record<string, unknown>;

async function scanTable(): Promise<Item[]> {
  const db = createDocumentClient({ endpoint: h.urls.dynamodb });
  const items: Item[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db.send(
      new ScanCommand({ TableName: 'club-planner', ...(start ? { ExclusiveStartKey: start } : {}) }),
    );
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

/** The kind of an item: its `type`, or for counters written with ADD alone, what its key says. */
function kindOf(item: Item): string {
  if (typeof item.type === 'string') return item.type;
  const sk = String(item.sk);
  if (sk.startsWith('POPULARITY#')) return 'popularity';
  if (sk.startsWith('STATS#')) return 'club-stats';
  if (sk.startsWith('CAMPAIGNSTATS#')) return 'campaign-stats';
  return `unknown (${String(item.pk)} ${sk})`;
}

const Created = z.object({ campaign: z.object({ campaignId: z.string() }) });

/**
 * What `npm start` does with a demo club: seed it, give a demo marketer a role on it, and as that
 * marketer schedule a campaign through the API (each change in the audit trail), and let it send.
 */
async function runDemo(demo = demoGroceryClub(h.clock.now(), 3, uniqueId('demo'))) {
  await seedDemo(h.deps, demo);
  const clubId = demo.club.clubId;
  const marketer = await h.marketer({ roles: { [clubId]: 'admin' } });
  const post = (path: string, body?: unknown) =>
    apiFetch(h, `/clubs/${clubId}${path}`, {
      method: 'POST',
      headers: { ...marketer.headers, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  const created = await post('/campaigns', {
    name: 'Demo',
    theme: demo.club.brand.primaryEmotion,
    offerPool: demo.offers.map((o) => o.offerId),
    sendAt: new Date(h.clock.now().getTime() + 200).toISOString(),
  });
  const { campaignId } = Created.parse(await created.json()).campaign;
  expect((await post(`/campaigns/${campaignId}/schedule`)).status).toBe(200);
  await untilPlanned(clubId, campaignId);
  return { demo, clubId, campaignId, post };
}

/**
 * Wait until the campaign is planned and its mails have gone out. On a loaded machine planning can take
 * well over ten seconds; a test that read the export before then saw send records without a message id.
 */
async function untilPlanned(clubId: string, campaignId: string): Promise<void> {
  for (let i = 0; i < 600 && (await h.deps.campaigns.getCampaign(clubId, campaignId))?.status !== 'planned'; i++)
    await new Promise((resolve) => setTimeout(resolve, 100));
  if ((await h.deps.campaigns.getCampaign(clubId, campaignId))?.status !== 'planned')
    throw new Error(`campaign ${campaignId} was not planned within a minute`);
  await h.settle();
}

/**
 * A survey of the demo club (its feedback settings ask a fifth of the members), sent through the API by
 * the demo's marketer, and one member's answer: a 2 with a reason about the queues, which opens a case
 * and tags the comment. Returns that member's id.
 */
async function answeredSurvey(demo: Awaited<ReturnType<typeof runDemo>>): Promise<string> {
  const created = await demo.post('/campaigns', {
    name: 'NPS',
    kind: 'survey',
    sendAt: new Date(h.clock.now().getTime() + 200).toISOString(),
  });
  const { campaignId } = Created.parse(await created.json()).campaign;
  expect((await demo.post(`/campaigns/${campaignId}/schedule`)).status).toBe(200);
  await untilPlanned(demo.clubId, campaignId);
  const [mail] = await mailsOf(h, campaignId);
  if (!mail) throw new Error('nobody was asked');
  const reason = await pageForm(new URL(await answer(h, scoreLink(mail, 2)), h.urls.http).toString());
  expect((await postForm(h, reason.action, { csrf: reason.csrf, reason: 'För lång kö i kassan' })).status).toBe(303);
  const member = demo.demo.members.find((m) => m.email === mail.destination.to[0]);
  if (!member) throw new Error('a survey to an unknown member');
  return member.memberId;
}

describe('retention', () => {
  it('gives every item of a demo run an expiry, unless its kind is listed as permanent in docs/retention.md', async () => {
    const grocery = await runDemo();
    await runDemo(demoBookstoreClub(h.clock.now(), 7, uniqueId('books')));
    // A survey answered with a low score and a reason: a response, its NPS row, the comment, its topic and a case.
    await answeredSurvey(grocery);
    const member = grocery.demo.members[0];
    if (!member) throw new Error('no members');
    // A one-click unsubscribe, a synchronous ingest and an import job, so their items are there too.
    await fetch(
      `${h.urls.http}/u/${signToken(h.tokenKeys, { purpose: 'unsubscribe', clubId: grocery.clubId, memberId: member.memberId }, h.clock.now())}`,
      {
        method: 'POST',
        body: new URLSearchParams({ 'List-Unsubscribe': 'One-Click' }),
      },
    );
    const product = grocery.demo.products[0]?.productId ?? '';
    const csv = `member_id,receipt_id,purchased_at,product_id\nm002,ret-1,${h.clock.now().toISOString()},${product}\n`;
    const ingest = await apiFetch(h, `/clubs/${grocery.clubId}/purchases`, {
      method: 'POST',
      headers: { 'content-type': 'text/csv' },
      body: csv,
    });
    expect(ingest.status).toBe(200);
    const job = z
      .object({ upload: z.object({ url: z.string() }), start: z.object({ url: z.string() }) })
      .parse(await (await grocery.post('/imports', { kind: 'purchases', format: 'csv' })).json());
    await apiFetch(h, belowApi(h, job.upload.url), {
      method: 'PUT',
      headers: { 'content-type': 'text/csv' },
      body: csv.replace('ret-1', 'ret-2'),
    });
    await apiFetch(h, belowApi(h, job.start.url), { method: 'POST' });
    await h.settle();

    const docs = readFileSync(new URL('../../docs/retention.md', import.meta.url), 'utf8');
    const kinds = new Map<string, number>();
    const forever: string[] = [];
    for (const item of await scanTable()) {
      const kind = kindOf(item);
      kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
      if (typeof item.expiresAt === 'number') {
        expect(item.expiresAt, kind).toBeGreaterThan(Date.now() / 1000);
        continue;
      }
      if (!Object.hasOwn(PERMANENT_KINDS, kind)) forever.push(`${kind}: ${String(item.pk)} ${String(item.sk)}`);
    }
    expect(forever).toEqual([]);
    // Every kind the run made is in the retention table of the docs.
    for (const kind of kinds.keys()) expect(docs, kind).toContain(`\`${kind}\``);
    for (const kind of [
      'receipt',
      'profile',
      'ledger',
      'decision',
      'send',
      'send-log',
      'club-stats',
      'import-job',
      'import-plan',
      'audit',
      'role',
      'survey-response',
      'nps-row',
      'nps-day',
      'survey-comment',
      'topic-entry',
      'feedback-case',
      'plan-shard',
      'plan-progress',
    ])
      expect(kinds.get(kind), kind).toBeGreaterThan(0);
  }, 120_000);

  it('dates a receipt’s expiry from the purchase, not from the night it was ingested', async () => {
    const demo = demoGroceryClub(h.clock.now(), 3, uniqueId('expiry'));
    await seedDemo(h.deps, demo);
    const clubId = demo.club.clubId;
    const member = demo.members[0]?.memberId ?? '';
    const product = demo.products[0]?.productId ?? '';
    const purchasedAt = new Date(h.clock.now().getTime() - 100 * DAY_MS);
    const ingest = await apiFetch(h, `/clubs/${clubId}/purchases`, {
      method: 'POST',
      headers: { 'content-type': 'text/csv' },
      body: `member_id,receipt_id,purchased_at,product_id\n${member},late-1,${purchasedAt.toISOString()},${product}\n`,
    });
    expect(ingest.status).toBe(200);
    const db = createDocumentClient({ endpoint: h.urls.dynamodb });
    const stored = await db.send(
      new GetCommand({ TableName: 'club-planner', Key: Keys.receipt(clubId, member, 'late-1') }),
    );
    // 760 days after the purchase, in epoch seconds (DynamoDB TTL): 660 days after the ingest, not 760.
    expect(stored.Item?.expiresAt).toBe(Math.floor((purchasedAt.getTime() + 760 * DAY_MS) / 1000));
  });

  it('erases a member who was mailed and answered a survey so that a scan of the whole table finds only the keyed hash of the address', async () => {
    const run = await runDemo();
    const { demo, clubId, campaignId } = run;
    const surveyed = await answeredSurvey(run);
    const member = demo.members.find((m) => m.memberId === surveyed);
    if (!member) throw new Error('nobody was surveyed');
    const Exported = z.object({
      deliveries: z.array(z.object({ campaignId: z.string(), state: z.string(), messageId: z.string() })),
      surveys: z.array(z.object({ response: z.object({ score: z.number() }), comment: z.string() })),
      feedbackCases: z.array(z.object({ state: z.string() })),
    });
    // On a loaded machine a send record can still be waiting for SES's answer (no message id yet) when
    // the queues look idle: read the export again until every delivery has its message id, for up to 30 s.
    let data = Exported.safeParse(
      await (await apiFetch(h, `/clubs/${clubId}/members/${member.memberId}/export`)).json(),
    );
    for (let i = 0; i < 60 && !data.success; i++) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      await h.settle();
      data = Exported.safeParse(await (await apiFetch(h, `/clubs/${clubId}/members/${member.memberId}/export`)).json());
    }
    if (!data.success) throw new Error(`the export never had every delivery's message id: ${data.error.message}`);
    // The export has the offers mail's delivery record (its state and SES's message id), the survey's
    // record beside it, the answer with its reason and the case it opened.
    expect(data.data.deliveries).toEqual(
      expect.arrayContaining([expect.objectContaining({ campaignId, state: expect.stringMatching(/sent|delivered/) })]),
    );
    expect(data.data.surveys).toEqual([
      { response: expect.objectContaining({ score: 2 }), comment: 'För lång kö i kassan' },
    ]);
    expect(data.data.feedbackCases).toEqual([expect.objectContaining({ state: 'open' })]);

    const erased = await apiFetch(h, `/clubs/${clubId}/members/${member.memberId}/erase`, {
      method: 'POST',
    });
    expect(erased.status).toBe(200);
    // The erasure is in the club's audit trail (who and when), which the scan below also reads.
    const { entries } = await h.deps.audit.list(clubId, { limit: 10 });
    expect(entries.map((e) => e.action)).toContain('POST /clubs/:clubId/members/:memberId/erase');
    const local = member.email.split('@')[0] ?? member.email;
    const left = (await scanTable())
      .filter((item) => JSON.stringify([item.pk, item.sk]).includes(clubId))
      .filter((item) => {
        const text = JSON.stringify(item);
        return new RegExp(`\\b${member.memberId}\\b`).test(text) || text.toLowerCase().includes(local.toLowerCase());
      });
    expect(left).toEqual([]);
    expect(await h.deps.suppressions.has(clubId, member.email)).toBe(true);
  }, 60_000);
});
