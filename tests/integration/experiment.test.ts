import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type DemoClub, demoGroceryClub } from '../../bin/demo-club.js';
import { runPrediction } from '../../bin/experiment-predict.js';
import { seedDemo } from '../../bin/seed-demo.js';
import { createDocumentClient } from '../../lambdas/adapters/dynamodb-client.js';
import { Keys } from '../../lambdas/adapters/dynamodb-keys.js';
import { armAt, drawOf } from '../../lambdas/core/experiment.js';
import type { Member } from '../../lambdas/core/model.js';
import {
  apiFetch,
  type Harness,
  header,
  type StoredEmail,
  sesInbox,
  startHarness,
  uniqueId,
} from '../support/local-harness.js';

const DAY = 86_400_000;
let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

async function api(path: string, init: { method?: string; body?: unknown } = {}) {
  const response = await apiFetch(h, path, {
    method: init.method ?? 'GET',
    headers: init.body === undefined ? {} : { 'content-type': 'application/json' },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  const text = await response.text();
  return { status: response.status, text, json: text.startsWith('{') ? (JSON.parse(text) as unknown) : undefined };
}

const SHARES_AT_START = [
  { armId: 'budget', share: 0.45, policy: { type: 'club-budget' } },
  { armId: 'fixed', share: 0.45, policy: { type: 'fixed-cap', windows: [{ days: 1, max: 5 }] } },
  { armId: 'control', share: 0.1, policy: { type: 'no-campaign-mail' } },
];
const SHARES_LATER = [
  { armId: 'budget', share: 0.1, policy: { type: 'club-budget' } },
  { armId: 'fixed', share: 0.8, policy: { type: 'fixed-cap', windows: [{ days: 1, max: 5 }] } },
  { armId: 'control', share: 0.1, policy: { type: 'no-campaign-mail' } },
];
const EXPERIMENT = 'leaving-2027';

/** A demo club whose id puts at least three mailable members and the paused one in the 10 % control arm (the draw is a pure hash). */
function clubWithControlMembers(): DemoClub {
  // Members 44–47 are unsubscribed, without consent, occasions-only or paused: count the others.
  for (;;) {
    const demo = demoGroceryClub(h.clock.now(), 7, uniqueId('exp'));
    const control = demo.members.filter(
      (m, i) => i < 44 && armAt(SHARES_AT_START, drawOf(demo.club.clubId, EXPERIMENT, m.memberId)) === 'control',
    );
    // …and the paused member 47 too, so every run has a control member the club would not mail anyway.
    const paused = demo.members[47];
    const pausedInControl =
      paused !== undefined &&
      armAt(SHARES_AT_START, drawOf(demo.club.clubId, EXPERIMENT, paused.memberId)) === 'control';
    if (control.length >= 3 && pausedInControl) return demo;
  }
}

/** Create, schedule and wait for a campaign over HTTP until every mail has gone out. */
async function runCampaign(demo: DemoClub): Promise<string> {
  const created = await api(`/clubs/${demo.club.clubId}/campaigns`, {
    method: 'POST',
    body: {
      name: 'Weekly member offers',
      theme: 'community',
      offerPool: demo.offers.map((o) => o.offerId),
      sendAt: new Date(h.clock.now().getTime() + 200).toISOString(),
    },
  });
  expect(created.status).toBe(201);
  const campaignId = z.object({ campaign: z.object({ campaignId: z.string() }) }).parse(created.json)
    .campaign.campaignId;
  expect((await api(`/clubs/${demo.club.clubId}/campaigns/${campaignId}/schedule`, { method: 'POST' })).status).toBe(
    200,
  );
  for (let i = 0; i < 200; i++) {
    await h.settle();
    if ((await h.deps.campaigns.getCampaign(demo.club.clubId, campaignId))?.status === 'planned') break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await h.settle();
  return campaignId;
}

async function inboxOf(demo: DemoClub): Promise<StoredEmail[]> {
  const domain = `@${demo.club.clubId}.example`;
  return (await sesInbox(h.urls.ses)).filter(
    (m) => header(m, 'List-Unsubscribe') && m.destination.to.some((to) => to.endsWith(domain)),
  );
}

const Assignments = z.object({
  experimentId: z.string(),
  assignments: z.array(
    z.object({ memberId: z.string(), armId: z.string(), assignedAt: z.string(), stored: z.boolean() }),
  ),
});

async function arms(clubId: string) {
  const answer = await api(`/clubs/${clubId}/experiment/assignments`);
  expect(answer.status).toBe(200);
  return Assignments.parse(answer.json).assignments;
}

const record = ({ clubId: _club, languageChosenAt: _chosen, ...rest }: Member) => rest;

describe('the policy experiment through the real local system', () => {
  it('keeps every member in one arm across plans, re-imports and share changes, and mails the control arm nothing', async () => {
    const demo = clubWithControlMembers();
    const clubId = demo.club.clubId;
    await seedDemo(h.deps, demo);
    const started = await api(`/clubs/${clubId}/experiment`, {
      method: 'PUT',
      body: { experimentId: EXPERIMENT, arms: SHARES_AT_START, readableAfter: { minMembersPerArm: 100, minMonths: 3 } },
    });
    expect(started.status, started.text).toBe(201);
    const expected = new Map(
      demo.members.map((m) => [m.memberId, armAt(SHARES_AT_START, drawOf(clubId, EXPERIMENT, m.memberId))]),
    );
    const controlEmails = new Set(
      demo.members.filter((m) => expected.get(m.memberId) === 'control').map((m) => m.email),
    );

    // The dry-run shows the control arm's reason in three languages, and stores nothing.
    const created = await api(`/clubs/${clubId}/campaigns`, {
      method: 'POST',
      body: {
        name: 'Dry',
        theme: 'community',
        offerPool: demo.offers.map((o) => o.offerId),
        // The moment the plan below decides at: by 2030 the paused member's pause is over, and had the
        // draw put them in the control arm the dry run would have counted one more than the plan.
        sendAt: new Date(h.clock.now().getTime() + 200).toISOString(),
      },
    });
    const draftId = z.object({ campaign: z.object({ campaignId: z.string() }) }).parse(created.json)
      .campaign.campaignId;
    const dry = await api(`/clubs/${clubId}/campaigns/${draftId}/dry-run`, { method: 'POST' });
    expect(dry.status).toBe(200);
    const decisions = z
      .object({
        dryRun: z.object({
          decisions: z.array(z.looseObject({ memberId: z.string(), reason: z.string().optional() })),
        }),
      })
      .parse(dry.json).dryRun.decisions;
    const held = decisions.filter((d) => d.reason === 'experiment-control');
    expect(held.length).toBeGreaterThan(0);
    for (const d of held) expect(expected.get(d.memberId)).toBe('control');
    // A control member the club would not mail anyway (unsubscribed, paused…) keeps that reason.
    for (const d of decisions) if (expected.get(d.memberId) === 'control') expect(d.reason, d.memberId).toBeDefined();
    expect(held[0]).toMatchObject({
      localized: {
        sv: expect.stringContaining('kontrollgrupp'),
        da: expect.stringContaining('kontrolgruppe'),
        en: expect.stringContaining('control group'),
      },
    });
    expect((await arms(clubId)).every((a) => !a.stored)).toBe(true);

    // The first plan stores every member's arm; the control arm gets no mail, the others do.
    const first = await runCampaign(demo);
    const afterFirst = await arms(clubId);
    expect(afterFirst).toHaveLength(demo.members.length);
    for (const a of afterFirst) {
      expect(a.stored).toBe(true);
      expect(a.armId).toBe(expected.get(a.memberId));
    }
    const firstInbox = await inboxOf(demo);
    expect(firstInbox.length).toBeGreaterThan(0);
    expect(firstInbox.filter((m) => controlEmails.has(m.destination.to[0] ?? ''))).toEqual([]);
    const report = await api(`/clubs/${clubId}/campaigns/${first}`);
    expect(JSON.stringify(report.json)).toContain(`"experiment-control":${held.length}`);

    // Re-import every member, change the shares, add new members, plan again four days later.
    const reimport = await api(`/clubs/${clubId}/members`, {
      method: 'POST',
      body: { members: demo.members.map(record) },
    });
    expect(reimport.status, reimport.text).toBe(200);
    const changed = await api(`/clubs/${clubId}/experiment`, {
      method: 'PUT',
      body: { experimentId: EXPERIMENT, arms: SHARES_LATER, readableAfter: { minMembersPerArm: 100, minMonths: 3 } },
    });
    expect(changed.status, changed.text).toBe(200);
    const newcomers = Array.from({ length: 12 }, (_, i) => {
      const base = demo.members[i];
      if (!base) throw new Error('the demo club has members');
      return { ...record(base), memberId: `new-${i}`, email: `new-${i}@${clubId}.example` };
    });
    expect((await api(`/clubs/${clubId}/members`, { method: 'POST', body: { members: newcomers } })).status).toBe(200);
    h.clock.advance(4 * DAY);
    await runCampaign(demo);

    const afterSecond = new Map((await arms(clubId)).map((a) => [a.memberId, a]));
    for (const a of afterFirst) expect(afterSecond.get(a.memberId)).toEqual(a);
    for (const n of newcomers)
      expect(afterSecond.get(n.memberId)?.armId).toBe(armAt(SHARES_LATER, drawOf(clubId, EXPERIMENT, n.memberId)));
    const allControl = new Set([...afterSecond.values()].filter((a) => a.armId === 'control').map((a) => a.memberId));
    const emailsOf = new Map([...demo.members, ...newcomers].map((m) => [m.email, m.memberId]));
    const everything = await inboxOf(demo);
    expect(everything.length).toBeGreaterThan(firstInbox.length);
    expect(everything.filter((m) => allControl.has(emailsOf.get(m.destination.to[0] ?? '') ?? ''))).toEqual([]);

    // The member's own export (GDPR) carries the arm.
    const controlMember = [...allControl][0] ?? '';
    const gdpr = await api(`/clubs/${clubId}/members/${controlMember}/export`);
    expect(gdpr.json).toMatchObject({ experimentArms: [{ experimentId: EXPERIMENT, armId: 'control' }] });

    // Erasure takes the arm along with the member.
    const armKey = Keys.experimentArm(clubId, controlMember, EXPERIMENT);
    const db = createDocumentClient({ endpoint: h.urls.dynamodb });
    expect((await db.send(new GetCommand({ TableName: 'club-planner', Key: armKey }))).Item).toBeDefined();
    expect((await api(`/clubs/${clubId}/members/${controlMember}/erase`, { method: 'POST' })).status).toBe(200);
    expect((await db.send(new GetCommand({ TableName: 'club-planner', Key: armKey }))).Item).toBeUndefined();
    allControl.delete(controlMember);

    // The club's CSV export.
    const csv = await api(`/clubs/${clubId}/experiment/assignments?format=csv`);
    expect(csv.text.split('\n')[0]).toBe('member_id,experiment_id,arm_id,assigned_at,stored');
    expect(csv.text.split('\n').filter((l) => l.includes(',control,'))).toHaveLength(allControl.size);
  });

  it('reports each arm with intervals, not yet readable, and with the simulator’s prediction once it has run', async () => {
    const demo = clubWithControlMembers();
    const clubId = demo.club.clubId;
    await seedDemo(h.deps, demo);
    expect((await api(`/clubs/${clubId}/experiment`)).status).toBe(404);
    await api(`/clubs/${clubId}/experiment`, {
      method: 'PUT',
      body: { experimentId: EXPERIMENT, arms: SHARES_AT_START, readableAfter: { minMembersPerArm: 100, minMonths: 3 } },
    });
    await runCampaign(demo);
    // A day later the club's budget (1 mail per 3 days) holds the budget arm back, while the fixed
    // arm's own cap (5 a day) lets its members have a second mail: planned and claimed under the arm's cap.
    h.clock.advance(DAY + 60_000);
    await runCampaign(demo);
    const armOf = new Map((await arms(clubId)).map((a) => [a.memberId, a.armId]));
    const mailsTo = new Map<string, number>();
    for (const mail of await inboxOf(demo)) {
      const member = demo.members.find((m) => m.email === mail.destination.to[0]);
      if (member) mailsTo.set(member.memberId, (mailsTo.get(member.memberId) ?? 0) + 1);
    }
    const twice = (arm: string) => [...mailsTo].filter(([id, n]) => armOf.get(id) === arm && n === 2).length;
    expect(twice('fixed')).toBeGreaterThan(0);
    expect(twice('budget')).toBe(0);
    expect([...mailsTo.keys()].filter((id) => armOf.get(id) === 'control')).toEqual([]);

    // Receipts whose lines carry amounts (JSON lines): each receipt came to the sum of its lines,
    // and spend per member stands beside the other outcomes.
    const buyers = demo.members.filter((m) => m.subscription === 'subscribed' && armOf.get(m.memberId) !== 'control');
    const [first, second] = demo.products.map((p) => p.productId);
    const lines = buyers.slice(0, 6).map((m, i) =>
      JSON.stringify({
        receipt_id: `r-exp-${i}`,
        member_id: m.memberId,
        purchased_at: new Date(h.clock.now().getTime() - 3_600_000).toISOString(),
        items: [
          { product_id: first, quantity: 1, amount: 60.25 },
          { product_id: second, quantity: 2, amount: 39.75 + i },
        ],
      }),
    );
    const ingest = await apiFetch(h, `/clubs/${clubId}/purchases`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-ndjson' },
      body: lines.join('\n'),
    });
    expect(ingest.status, await ingest.clone().text()).toBe(200);

    const Report = z.object({
      readability: z.object({ readable: z.boolean(), message: z.string() }),
      months: z.array(
        z.object({
          arms: z.array(
            z.object({
              armId: z.string(),
              members: z.number(),
              left: z.object({ count: z.number(), low: z.number(), high: z.number() }).nullable(),
              mailsPerMember: z.object({ estimate: z.number(), low: z.number(), high: z.number() }).nullable(),
              spendPerMember: z.object({ estimate: z.number(), low: z.number(), high: z.number() }).nullable(),
            }),
          ),
          differences: z.array(z.object({ armId: z.string(), versus: z.string() })),
        }),
      ),
      prediction: z.looseObject({ status: z.string() }),
    });
    // Nothing is counted until a count runs: then every member is counted a slice at a time.
    const uncounted = z.object({ countedAt: z.null(), months: z.array(z.unknown()) });
    expect(uncounted.parse((await api(`/clubs/${clubId}/experiment`)).json).months).toEqual([]);
    const Counting = z.object({ countedAt: z.string().nullable(), counting: z.looseObject({}).nullable() });
    const countFrom = h.clock.now().getTime();
    let count = Counting.parse((await api(`/clubs/${clubId}/experiment/count`, { method: 'POST' })).json);
    for (let i = 0; i < 50 && count.counting; i++)
      count = Counting.parse((await api(`/clubs/${clubId}/experiment/count`, { method: 'POST', body: {} })).json);
    expect(count.counting).toBeNull();
    expect(Date.parse(count.countedAt ?? '')).toBeGreaterThanOrEqual(countFrom);
    const bad = await api(`/clubs/${clubId}/experiment/count`, { method: 'POST', body: { restart: 'yes' } });
    expect([bad.status, bad.text]).toEqual([400, expect.stringContaining('restart')]);
    const before = Report.parse((await api(`/clubs/${clubId}/experiment`)).json);
    expect(before.readability.readable).toBe(false);
    expect(before.readability.message).toMatch(/^not yet readable: /);
    const month = before.months[before.months.length - 1];
    // A member who had unsubscribed before the experiment is not in it: nothing of theirs can be measured.
    const measurable = demo.members.filter((m) => m.subscription === 'subscribed');
    expect(measurable.length).toBeLessThan(demo.members.length);
    expect(month?.arms.reduce((n, a) => n + a.members, 0)).toBe(measurable.length);
    const control = month?.arms.find((a) => a.armId === 'control');
    expect(control?.mailsPerMember).toEqual({ estimate: 0, low: 0, high: 0 });
    expect(month?.arms.find((a) => a.armId === 'budget')?.mailsPerMember?.estimate).toBeGreaterThan(0);
    const spent = new Map(buyers.slice(0, 6).map((m, i) => [m.memberId, 100 + i]));
    for (const arm of month?.arms ?? []) {
      const members = [...spent].filter(([id]) => armOf.get(id) === arm.armId);
      if (members.length === 0) expect(arm.spendPerMember).toBeNull();
      else
        expect(arm.spendPerMember?.estimate).toBeCloseTo(
          members.reduce((sum, [, amount]) => sum + amount, 0) / arm.members,
          3,
        );
    }
    expect(month?.differences.map((d) => [d.armId, d.versus])).toEqual([
      ['fixed', 'budget'],
      ['control', 'budget'],
    ]);
    expect(before.prediction.status).toBe('missing');

    // `npm run experiment:predict`'s work, against this local system with an editor's token.
    const token = await h.machineToken({ [clubId]: 'editor' });
    const prediction = await runPrediction({ club: clubId, api: h.urls.http, members: 120, weeks: 9, seed: 7 }, token);
    expect(prediction.arms.map((a) => a.armId)).toEqual(['budget', 'fixed', 'control']);
    const after = Report.parse((await api(`/clubs/${clubId}/experiment`)).json);
    expect(after.prediction).toMatchObject({ status: 'present', simulator: { members: 120, weeks: 9, seed: 7 } });
    const beside = z
      .object({
        arms: z.array(z.object({ armId: z.string(), predicted: z.looseObject({}), observed: z.looseObject({}) })),
      })
      .parse(after.prediction);
    expect(beside.arms.find((a) => a.armId === 'control')?.predicted).toMatchObject({
      mailsPerMember: 0,
      leftShare: 0,
    });

    // A changed policy makes the prediction stale until the tool runs again.
    await api(`/clubs/${clubId}/experiment`, {
      method: 'PUT',
      body: {
        experimentId: EXPERIMENT,
        arms: SHARES_AT_START.map((a) =>
          a.armId === 'fixed' ? { ...a, policy: { type: 'fixed-cap', windows: [{ days: 7, max: 2 }] } } : a,
        ),
      },
    });
    expect(Report.parse((await api(`/clubs/${clubId}/experiment`)).json).prediction.status).toBe('stale');
  });

  it('refuses to drop an arm that has members, and names the field of a bad setting', async () => {
    const demo = clubWithControlMembers();
    const clubId = demo.club.clubId;
    await seedDemo(h.deps, demo);
    await api(`/clubs/${clubId}/experiment`, {
      method: 'PUT',
      body: { experimentId: EXPERIMENT, arms: SHARES_AT_START },
    });
    const dropped = await api(`/clubs/${clubId}/experiment`, {
      method: 'PUT',
      body: {
        experimentId: EXPERIMENT,
        arms: [
          { ...SHARES_AT_START[0], share: 1 },
          { ...SHARES_AT_START[1], share: 0 },
        ],
      },
    });
    expect(dropped.status).toBe(400);
    expect(dropped.json).toMatchObject({ message: expect.stringMatching(/^arms: control has members already/) });
    const bad = await api(`/clubs/${clubId}/experiment`, {
      method: 'PUT',
      body: {
        experimentId: EXPERIMENT,
        arms: [
          { armId: 'a', share: 0.7, policy: { type: 'club-budget' } },
          { armId: 'b', share: 0.7, policy: { type: 'nope' } },
        ],
      },
    });
    expect(bad.status).toBe(400);
    expect(bad.json).toMatchObject({ message: expect.stringMatching(/^arms/) });
  });
});
