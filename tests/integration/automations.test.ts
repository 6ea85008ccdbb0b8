import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { DEFAULT_BUDGET } from '../../lambdas/core/budget.js';
import { sendIdFor } from '../../lambdas/core/ledger.js';
import { atLocalTime, localDateOf } from '../../lambdas/core/quiet-hours.js';
import {
  callApi,
  type Harness,
  sesInbox,
  startHarness,
  type TestClock,
  testTokenKeys,
  uniqueId,
} from '../support/local-harness.js';
import { memberRecord } from '../support/member-records.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const STOCKHOLM = 'Europe/Stockholm';

const ALL = ['gluten', 'lactose', 'dairy', 'egg', 'meat', 'pork', 'fish', 'alcohol', 'nuts'];
const Run = z.object({ campaignId: z.string(), occurrence: z.string(), status: z.string() });
const Detail = z.object({
  automation: z.object({ status: z.string(), nextRunAt: z.string().nullable() }),
  runs: z.array(Run),
});
const Report = z.object({
  report: z.object({ planned: z.number(), sent: z.number(), suppressed: z.record(z.string(), z.number()) }),
});

/** The local date `days` after the clock's date in Stockholm, and an instant on it at `time` there. */
function dayAfter(clock: TestClock, days: number): string {
  return localDateOf(new Date(clock.now().getTime() + days * DAY), STOCKHOLM);
}
function moveTo(clock: TestClock, at: Date): void {
  const by = at.getTime() - clock.now().getTime();
  expect(by).toBeGreaterThan(0);
  clock.advance(by);
}

async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, tries = 100): Promise<T> {
  let value = await read();
  for (let i = 0; i < tries && !done(value); i++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    value = await read();
  }
  return value;
}

/** A club (Swedish: its automations run in Stockholm time) with offers, and members who buy them. */
async function club(
  h: Harness,
  members: ReadonlyArray<{ memberId: string } & Record<string, unknown>>,
  budget: Record<string, unknown> = DEFAULT_BUDGET,
): Promise<string> {
  const call = (method: string, path: string, body?: unknown) => callApi(h.urls.http, method, path, body);
  const clubId = uniqueId('auto');
  const created = await call('PUT', `/clubs/${clubId}`, {
    name: 'Automat Grocer',
    language: 'sv',
    senderName: 'Automat Grocer',
    senderEmail: 'club@automat.example',
    postalAddress: 'Storgatan 1, Stockholm',
    brand: { primaryEmotion: 'celebration', colours: { primary: '#1d6b3a', background: '#ffffff', text: '#111111' } },
    budget,
  });
  expect(created.status).toBe(201);
  const product = (productId: string, category: string) => ({
    productId,
    name: `Fresh ${productId}`,
    category,
    contains: [],
    freeFrom: ALL,
  });
  await call('PUT', `/clubs/${clubId}/products`, { products: [product('cake', 'Bakery'), product('milk', 'Dairy')] });
  await call('PUT', `/clubs/${clubId}/offers`, {
    offers: ['cake', 'milk'].map((p) => ({ offerId: `o-${p}`, productId: p, headline: '2 for 1' })),
  });
  const records = members.map((m) =>
    memberRecord(m.memberId, `${m.memberId}@${clubId}.example`, { language: 'sv', ...m }),
  );
  expect((await call('POST', `/clubs/${clubId}/members`, { members: records })).status).toBe(200);
  const now = h.clock.now().toISOString();
  for (const { memberId } of members) {
    await h.deps.members.putProfile(clubId, memberId, {
      receipts: 3,
      lines: 6,
      lastPurchaseAt: now,
      products: { cake: { count: 3, lastAt: now, basketShare: 1 }, milk: { count: 3, lastAt: now, basketShare: 1 } },
      categories: { Bakery: 3, Dairy: 3 },
      inferredRestrictions: [],
    });
  }
  return clubId;
}

describe('a daily birthday automation, over several simulated days', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('mails each member on their birthday exactly once, at 08:00 in their own time zone, never against their frequency or topics; stopping it stops the mail', async () => {
    const dates = Array.from({ length: 7 }, (_, n) => dayAfter(h.clock, n));
    const day = (n: number) => dates[n] ?? '';
    const born = (n: number) => `1992-${day(n).slice(5)}`;
    const morning = (n: number) => new Date(atLocalTime(day(n), '06:00', STOCKHOLM).getTime() + 30_000);
    const evening = (n: number) => atLocalTime(day(n), '20:00', STOCKHOLM);
    const clubId = await club(h, [
      { memberId: 'stina', birthDate: born(1), timeZone: STOCKHOLM },
      { memberId: 'nora', birthDate: born(2), timeZone: 'America/New_York' },
      { memberId: 'taro', birthDate: born(3), timeZone: 'Asia/Tokyo' },
      { memberId: 'newsonly', birthDate: born(2), preferences: { topics: ['news'] } },
      { memberId: 'monthly', birthDate: born(3), preferences: { frequency: 'monthly' } },
      { memberId: 'nobirthday' },
      { memberId: 'late', birthDate: born(5) },
    ]);
    // The monthly member was mailed today by another campaign: their choice leaves no room this month.
    const claim = await h.deps.ledger.claim({
      clubId,
      memberId: 'monthly',
      sendId: sendIdFor(clubId, 'earlier', 'monthly'),
      campaignId: 'earlier',
      now: h.clock.now(),
      policy: DEFAULT_BUDGET,
      frequency: 'monthly',
    });
    expect(claim.kind).toBe('claimed');

    const editor = await h.machineToken({ [clubId]: 'editor' });
    const api = async (method: string, path: string, body?: unknown) => {
      const response = await fetch(`${h.urls.http}/api/clubs/${clubId}${path}`, {
        method,
        headers: { authorization: `Bearer ${editor}`, ...(body ? { 'content-type': 'application/json' } : {}) },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
      return { status: response.status, json: z.record(z.string(), z.unknown()).parse(await response.json()) };
    };
    const created = await api('POST', '/automations', {
      automationId: 'birthdays',
      name: 'Birthdays',
      recurrence: { every: 'day', at: '06:00' },
      memberTime: '08:00',
      campaign: { theme: 'celebration', offerPool: ['o-cake', 'o-milk'], occasion: { id: 'birthday' } },
    });
    expect(created.status).toBe(201);
    expect(created.json.automation).toMatchObject({
      status: 'active',
      timeZone: STOCKHOLM,
      nextRunAt: atLocalTime(day(1), '06:00', STOCKHOLM).toISOString(),
    });

    const inbox = async () =>
      (await sesInbox(h.urls.ses)).filter((m) => m.destination.to.some((to) => to.endsWith(`@${clubId}.example`)));
    const mailed = async () => (await inbox()).map((m) => m.destination.to[0]?.split('@')[0]);
    const expected: string[] = [];
    const wanted: Record<number, string[]> = { 1: ['stina'], 2: ['nora'], 3: [], 4: [] };

    for (let n = 1; n <= 4; n++) {
      moveTo(h.clock, morning(n));
      expect(h.scheduler.poll()).toBe(1);
      await h.settle();
      await new Promise((resolve) => setTimeout(resolve, 300)); // a deferred mail would have gone by now
      // Before 08:00 in Stockholm and New York only a member whose morning has passed has mail: Tokyo.
      if (n === 3) expected.push('taro');
      expect((await waitFor(mailed, (m) => m.length >= expected.length)).sort()).toEqual([...expected].sort());
      // 20:00 in Stockholm: past 08:00 in New York too.
      moveTo(h.clock, evening(n));
      expected.push(...(wanted[n] ?? []).filter((m) => m !== 'taro'));
      expect((await waitFor(mailed, (m) => m.length >= expected.length)).sort()).toEqual([...expected].sort());
    }
    // One run a day, and each mail went at the member's own 08:00 (or at once in Tokyo, 14:00 on the day).
    const detail = Detail.parse((await api('GET', '/automations/birthdays')).json);
    expect(detail.runs.map((r) => r.occurrence)).toEqual(
      [4, 3, 2, 1].map((n) => atLocalTime(day(n), '06:00', STOCKHOLM).toISOString()),
    );
    const sends = new Map<string, string | undefined>();
    for (const run of detail.runs) {
      for (const { decision } of await h.deps.campaigns.listDecisions(clubId, run.campaignId)) {
        if (decision.outcome !== 'send') continue;
        expect(sends.has(decision.memberId)).toBe(false);
        sends.set(decision.memberId, decision.notBefore);
      }
    }
    expect([...sends.keys()].sort()).toEqual(['nora', 'stina', 'taro']);
    expect(sends.get('stina')).toBe(atLocalTime(day(1), '08:00', STOCKHOLM).toISOString());
    expect(sends.get('nora')).toBe(atLocalTime(day(2), '08:00', 'America/New_York').toISOString());
    expect(sends.get('taro')).toBeUndefined();
    // Why the others were not mailed, in each run's own report: topics on day 2, the monthly choice on day 3.
    const reportOf = async (n: number) => {
      const run = detail.runs[4 - n];
      return Report.parse((await api('GET', `/campaigns/${run?.campaignId ?? ''}`)).json).report;
    };
    expect((await reportOf(2)).suppressed['topic-opt-out']).toBe(1);
    expect((await reportOf(3)).suppressed['member-frequency-choice']).toBe(1);
    // Day 4 is nobody's birthday; the member who turned offers off is out before any date is looked at.
    expect((await reportOf(4)).suppressed).toEqual({ 'not-their-occasion': 6, 'topic-opt-out': 1 });

    // Stopped: the fifth day passes without a run, and a late firing of it runs nothing.
    expect((await api('POST', '/automations/birthdays/stop')).json.automation).toMatchObject({
      status: 'stopped',
      nextRunAt: null,
    });
    moveTo(h.clock, morning(5));
    expect(h.scheduler.poll()).toBe(0);
    const late = await h.handlers.planCampaign({
      clubId,
      automationId: 'birthdays',
      scheduledTime: atLocalTime(day(5), '06:00', STOCKHOLM).toISOString(),
    });
    expect(late).toEqual({ outcome: 'not-active' });
    moveTo(h.clock, evening(5));
    await h.settle();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await mailed()).sort()).toEqual(['nora', 'stina', 'taro']);
    expect(Detail.parse((await api('GET', '/automations/birthdays')).json).runs).toHaveLength(4);
  });
});

describe('a birthday automation beside regular campaigns', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('outranks a regular campaign for the member whose birthday run comes within the budget window', async () => {
    const tomorrow = dayAfter(h.clock, 1);
    const clubId = await club(
      h,
      [
        { memberId: 'bday', birthDate: `1992-${tomorrow.slice(5)}` },
        { memberId: 'other', birthDate: `1992-${dayAfter(h.clock, 20).slice(5)}` },
      ],
      { windows: [{ days: 3, max: 1 }] },
    );
    const call = (method: string, path: string, body?: unknown) =>
      callApi(h.urls.http, method, `/clubs/${clubId}${path}`, body);
    const created = await call('POST', '/automations', {
      automationId: 'birthdays',
      name: 'Birthdays',
      recurrence: { every: 'day', at: '06:00' },
      campaign: { theme: 'celebration', offerPool: ['o-cake'], occasion: { id: 'birthday' } },
    });
    expect(created.status).toBe(201);
    const weekly = await call('POST', '/campaigns', {
      name: 'Weekly',
      theme: 'celebration',
      offerPool: ['o-cake', 'o-milk'],
      sendAt: new Date(h.clock.now().getTime() + HOUR).toISOString(),
    });
    const campaignId = z.object({ campaign: z.object({ campaignId: z.string() }) }).parse(weekly.json)
      .campaign.campaignId;
    const dryRun = await call('POST', `/campaigns/${campaignId}/dry-run`);
    const decisions = z
      .object({
        dryRun: z.object({ decisions: z.array(z.object({ memberId: z.string(), outcome: z.string() }).passthrough()) }),
      })
      .parse(dryRun.json).dryRun.decisions;
    const byMember = new Map(decisions.map((d) => [d.memberId, d]));
    const run = `birthdays-r${atLocalTime(tomorrow, '06:00', STOCKHOLM).toISOString().replace(/[-:T]/g, '').slice(0, 12)}`;
    expect(byMember.get('bday')).toMatchObject({ outcome: 'suppress', reason: `outranked-by:${run}` });
    expect(byMember.get('other')).toMatchObject({ outcome: 'send' });
    // Paused, the automation makes no runs, and the regular campaign has the budget.
    expect((await call('POST', '/automations/birthdays/pause')).status).toBe(200);
    const again = z
      .object({ dryRun: z.object({ decisions: z.array(z.object({ memberId: z.string(), outcome: z.string() })) }) })
      .parse((await call('POST', `/campaigns/${campaignId}/dry-run`)).json).dryRun.decisions;
    expect(again.find((d) => d.memberId === 'bday')?.outcome).toBe('send');
  });
});

describe('a recurring campaign across restarts of the local system', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'automations-restart-'));
  const tokenKeys = testTokenKeys();
  const started: Harness[] = [];
  const start = async (clock?: TestClock) => {
    const h = await startHarness({ dataDir, tokenKeys, ...(clock ? { clock } : {}) });
    started.push(h);
    return h;
  };
  afterAll(async () => {
    for (const h of started) await h.stop().catch(() => {});
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('runs the occurrence missed while it was down once on start, never twice, and misses none after', async () => {
    let h = await start();
    const clock = h.clock;
    const dates = Array.from({ length: 5 }, (_, n) => dayAfter(clock, n));
    const at = (n: number, time: string) => atLocalTime(dates[n] ?? '', time, STOCKHOLM);
    // Daily mail fits this club's budget, so every run mails both members.
    const clubId = await club(h, [{ memberId: 'ada' }, { memberId: 'bo' }], { windows: [{ days: 1, max: 2 }] });
    const created = await callApi(h.urls.http, 'POST', `/clubs/${clubId}/automations`, {
      automationId: 'weekly-offers',
      name: 'Morning offers',
      recurrence: { every: 'week', on: ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'], at: '09:00' },
      campaign: { theme: 'celebration', offerPool: ['o-cake', 'o-milk'] },
    });
    expect(created.status).toBe(201);
    const runs = async () => {
      const campaigns = await h.deps.campaigns.listCampaigns(clubId);
      return campaigns.flatMap((c) => (c.automation ? [c] : [])).sort((a, b) => (a.sendAt < b.sendAt ? -1 : 1));
    };
    const sentBy = async (campaignId: string) =>
      Report.parse((await callApi(h.urls.http, 'GET', `/clubs/${clubId}/campaigns/${campaignId}`)).json).report;

    // Day 1 runs on time.
    moveTo(clock, new Date(at(1, '09:00').getTime() + 30_000));
    expect(h.scheduler.poll()).toBe(1);
    await h.settle();
    expect((await runs()).map((r) => r.sendAt)).toEqual([at(1, '09:00').toISOString()]);

    // Down from before day 2's occurrence until after it.
    await h.stop();
    moveTo(clock, at(2, '11:00'));
    h = await start(clock);
    await h.settle();
    expect((await runs()).map((r) => r.sendAt)).toEqual([at(1, '09:00'), at(2, '09:00')].map((d) => d.toISOString()));
    expect(h.scheduler.nextRun(clubId, 'weekly-offers')?.toISOString()).toBe(at(3, '09:00').toISOString());

    // Started again at once: the missed occurrence has run, so nothing runs twice.
    await h.stop();
    h = await start(clock);
    await h.settle();
    expect(await runs()).toHaveLength(2);
    // And a second delivery of an occurrence that ran (a Scheduler retry) starts no second run.
    const again = await h.handlers.planCampaign({
      clubId,
      automationId: 'weekly-offers',
      scheduledTime: new Date(at(2, '09:00').getTime() + 17_000).toISOString(),
    });
    expect(again).toEqual({ outcome: 'not-scheduled' });
    await h.settle();

    // Day 3 runs on time from the re-armed schedule.
    moveTo(clock, new Date(at(3, '09:00').getTime() + 30_000));
    expect(h.scheduler.poll()).toBe(1);
    await h.settle();
    const all = await runs();
    expect(all.map((r) => r.sendAt)).toEqual([1, 2, 3].map((n) => at(n, '09:00').toISOString()));
    for (const run of all) {
      expect(run.status).toBe('planned');
      const report = await waitFor(
        () => sentBy(run.campaignId),
        (r) => r.sent === 2,
      );
      expect(report).toMatchObject({ planned: 2, sent: 2 });
    }
  });
});
