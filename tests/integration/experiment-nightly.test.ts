import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { demoGroceryClub } from '../../bin/demo-club.js';
import { seedDemo } from '../../bin/seed-demo.js';
import { apiFetch, type Harness, startHarness, uniqueId } from '../support/local-harness.js';

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
  return { status: response.status, json: text.startsWith('{') ? (JSON.parse(text) as unknown) : undefined };
}

const ARMS = [
  { armId: 'budget', share: 0.5, policy: { type: 'club-budget' } },
  { armId: 'fixed', share: 0.5, policy: { type: 'fixed-cap', windows: [{ days: 7, max: 2 }] } },
];
const Report = z.object({
  countedAt: z.string().nullable(),
  counting: z.looseObject({}).nullable(),
  months: z.array(z.object({ month: z.string(), arms: z.array(z.object({ members: z.number() })) })),
});

/** A demo club (its receipts archived, so the nightly fit lists it) with an experiment, running or stopped. */
async function clubWith(experiment: 'running' | 'stopped' | 'none'): Promise<string> {
  const demo = demoGroceryClub(h.clock.now(), 7, uniqueId('night'));
  await seedDemo(h.deps, demo);
  if (experiment !== 'none') {
    const put = await api(`/clubs/${demo.club.clubId}/experiment`, {
      method: 'PUT',
      body: { experimentId: 'leaving-2027', arms: ARMS, readableAfter: { minMembersPerArm: 10, minMonths: 1 } },
    });
    expect(put.status).toBeLessThan(300);
  }
  if (experiment === 'stopped') {
    const stop = await api(`/clubs/${demo.club.clubId}/experiment`, {
      method: 'PUT',
      body: {
        experimentId: 'leaving-2027',
        arms: ARMS,
        readableAfter: { minMembersPerArm: 10, minMonths: 1 },
        status: 'stopped',
      },
    });
    expect(stop.status).toBeLessThan(300);
  }
  return demo.club.clubId;
}

describe('the nightly experiment count of the local system', () => {
  it('counts every club with a running experiment to the end after the fit, as of the night, and no other club', async () => {
    const running = await clubWith('running');
    const stopped = await clubWith('stopped');
    const without = await clubWith('none');
    h.clock.advance(3 * DAY);
    expect(Report.parse((await api(`/clubs/${running}/experiment`)).json)).toMatchObject({
      countedAt: null,
      months: [],
    });

    // The test clock runs on from where it was moved to: the count is as of a moment of the night's run.
    const night = h.clock.now().getTime();
    const { counted } = await h.modelFit.nightly();
    const morning = h.clock.now().getTime();
    expect(counted).toBeGreaterThanOrEqual(1);
    const report = Report.parse((await api(`/clubs/${running}/experiment`)).json);
    const countedAt = Date.parse(report.countedAt ?? '');
    expect(countedAt).toBeGreaterThanOrEqual(night);
    expect(countedAt).toBeLessThanOrEqual(morning);
    expect(report.counting).toBeNull();
    expect(report.months.length).toBeGreaterThanOrEqual(1);
    expect(report.months.at(-1)?.arms.reduce((s, a) => s + a.members, 0)).toBeGreaterThan(0);
    // Not counted: a stopped experiment's figures do not change, and a club without one has nothing to count.
    expect(await h.deps.experiments.getCount(stopped)).toBeUndefined();
    expect(await h.deps.experiments.getCount(without)).toBeUndefined();

    // The next night counts again, as of that night.
    h.clock.advance(DAY);
    const nextNight = h.clock.now().getTime();
    await h.modelFit.nightly();
    const again = Report.parse((await api(`/clubs/${running}/experiment`)).json);
    expect(Date.parse(again.countedAt ?? '')).toBeGreaterThanOrEqual(nextNight);
    expect(again.counting).toBeNull();
  });
});
