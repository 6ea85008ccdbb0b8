import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type DemoClub, demoGroceryClub } from '../../bin/demo-club.js';
import { seedDemo } from '../../bin/seed-demo.js';
import type { Member } from '../../lambdas/core/model.js';
import { callApi, type Harness, header, sesInbox, startHarness, uniqueId } from '../support/local-harness.js';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

const api = (method: string, path: string, body?: unknown) => callApi(h.urls.http, method, path, body);

const HOME_STORE = { name: 'home_store', type: 'enum', values: ['uppsala', 'malmo', 'lund'] } as const;

/** The demo club, with a declared home store, and every member's home store imported over the API. */
async function clubWithStores(): Promise<{ demo: DemoClub; uppsala: Member[]; others: Member[] }> {
  const demo = demoGroceryClub(h.clock.now(), 7, uniqueId('club'));
  await seedDemo(h.deps, demo);
  const { clubId, createdAt: _, ...settings } = demo.club;
  const put = await api('PUT', `/clubs/${clubId}`, { ...settings, attributes: [HOME_STORE] });
  expect(put.status).toBe(200);
  const storeOf = (i: number) => (i % 3 === 0 ? 'uppsala' : i % 3 === 1 ? 'malmo' : 'lund');
  const records = demo.members.map(({ clubId: _club, ...member }, i) => ({
    ...member,
    attributes: { home_store: storeOf(i) },
  }));
  const synced = await api('POST', `/clubs/${clubId}/members`, { members: records });
  expect(synced.status).toBe(200);
  expect(synced.json.updated).toBe(demo.members.length);
  return {
    demo,
    uppsala: demo.members.filter((_, i) => storeOf(i) === 'uppsala'),
    others: demo.members.filter((_, i) => storeOf(i) !== 'uppsala'),
  };
}

function eligibleByHand(members: readonly Member[], now: Date): Member[] {
  return members.filter(
    (m) =>
      m.subscription === 'subscribed' &&
      m.deliverability === 'ok' &&
      m.consent.marketing &&
      !(m.preferences.pausedUntil && Date.parse(m.preferences.pausedUntil) > now.getTime()) &&
      m.preferences.frequency !== 'occasions-only',
  );
}

const Estimate = z.object({
  estimate: z.object({
    exact: z.boolean(),
    members: z.number(),
    count: z.number(),
    reachable: z.number(),
    sample: z.array(z.object({ memberId: z.string(), why: z.array(z.string()) })),
  }),
});

describe('audiences end to end', () => {
  it('mails only the members of one home store, and the report counts not-in-audience for the rest', async () => {
    const { demo, uppsala, others } = await clubWithStores();
    const clubId = demo.club.clubId;
    const saved = await api('PUT', `/clubs/${clubId}/audiences/uppsala`, {
      name: 'Uppsala store opening',
      description: 'Members whose home store is Uppsala',
      rule: { rule: 'attribute', name: 'home_store', equals: 'uppsala' },
    });
    expect(saved.status).toBe(201);

    // The estimate counts the club's facts, written by the import worker on the first ask.
    const first = await api('POST', `/clubs/${clubId}/audiences/uppsala/estimate`);
    expect(first.status).toBe(202);
    await h.settle();
    const second = await api('POST', `/clubs/${clubId}/audiences/uppsala/estimate`);
    expect(second.status).toBe(200);
    const { estimate } = Estimate.parse(second.json);
    expect(estimate.exact).toBe(true);
    expect(estimate.members).toBe(demo.members.length);
    expect(estimate.count).toBe(uppsala.length);
    expect(estimate.reachable).toBe(eligibleByHand(uppsala, h.clock.now()).length);
    expect(estimate.sample).toHaveLength(Math.min(20, uppsala.length));
    const uppsalaIds = new Set(uppsala.map((m) => m.memberId));
    for (const s of estimate.sample) {
      expect(uppsalaIds.has(s.memberId)).toBe(true);
      expect(s.why).toEqual(['home_store: "uppsala"']);
    }

    const created = await api('POST', `/clubs/${clubId}/campaigns`, {
      name: 'Uppsala opens',
      theme: 'community',
      offerPool: demo.offers.map((o) => o.offerId),
      audienceId: 'uppsala',
      sendAt: new Date(h.clock.now().getTime() + 200).toISOString(),
    });
    expect(created.status).toBe(201);
    const campaignId = z.object({ campaign: z.object({ campaignId: z.string() }) }).parse(created.json)
      .campaign.campaignId;

    const dry = await api('POST', `/clubs/${clubId}/campaigns/${campaignId}/dry-run`);
    expect(dry.status).toBe(200);
    const suppressed = z.object({ suppressed: z.record(z.string(), z.number()) }).parse(dry.json.dryRun).suppressed;
    expect(Object.keys(suppressed)[0]).toBe('not-in-audience');
    expect(suppressed['not-in-audience']).toBe(others.length);

    expect((await api('POST', `/clubs/${clubId}/campaigns/${campaignId}/schedule`)).status).toBe(200);
    for (let i = 0; i < 200; i++) {
      await h.settle();
      if ((await h.deps.campaigns.getCampaign(clubId, campaignId))?.status === 'planned') break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await h.settle();

    const inbox = (await sesInbox(h.urls.ses)).filter(
      (m) => header(m, 'List-Unsubscribe') && m.destination.to.some((to) => to.endsWith(`@${clubId}.example`)),
    );
    const expected = eligibleByHand(uppsala, h.clock.now());
    expect(expected.length).toBeGreaterThan(0);
    expect(new Set(inbox.map((m) => m.destination.to[0]))).toEqual(new Set(expected.map((m) => m.email)));
    expect(inbox).toHaveLength(expected.length);

    const report = await api('GET', `/clubs/${clubId}/campaigns/${campaignId}`);
    const counts = z
      .object({ report: z.object({ planned: z.number(), suppressed: z.record(z.string(), z.number()) }) })
      .parse(report.json).report;
    expect(counts.planned).toBe(demo.members.length);
    expect(Object.keys(counts.suppressed)[0]).toBe('not-in-audience');
    expect(counts.suppressed['not-in-audience']).toBe(others.length);
  });

  it('refuses a member whose attribute is unknown or of the wrong type, naming both, and keeps the others', async () => {
    const { demo } = await clubWithStores();
    const [a, b, c] = demo.members.map(({ clubId: _club, ...m }) => m);
    if (!a || !b || !c) throw new Error('the demo has members');
    const answer = await api('POST', `/clubs/${demo.club.clubId}/members`, {
      members: [
        { ...a, attributes: { home_store: 'stockholm' } },
        { ...b, attributes: { loyalty_tier: 'gold' } },
        { ...c, attributes: { home_store: 'lund' } },
      ],
    });
    expect(answer.status).toBe(200);
    expect(answer.json.rejected).toEqual([
      {
        index: 0,
        memberId: a.memberId,
        field: 'attributes.home_store',
        message: 'expected one of uppsala, malmo, lund',
      },
      {
        index: 1,
        memberId: b.memberId,
        field: 'attributes.loyalty_tier',
        message: 'is not an attribute the club declared (declared: home_store)',
      },
    ]);
    const stored = await h.deps.members.getMembers(demo.club.clubId, [a.memberId, c.memberId]);
    expect(stored.get(c.memberId)?.attributes).toEqual({ home_store: 'lund' });
    expect(stored.get(a.memberId)?.attributes?.home_store).not.toBe('stockholm');

    const exported = await api('GET', `/clubs/${demo.club.clubId}/members/${c.memberId}/export`);
    expect(exported.status).toBe(200);
    expect(JSON.stringify(exported.json)).toContain('"attributes":{"home_store":"lund"}');
  });

  it('refuses with a 400 any audience rule that names a diet or a restriction, and any such attribute', async () => {
    const { demo } = await clubWithStores();
    const clubId = demo.club.clubId;
    for (const rule of [
      { rule: 'attribute', name: 'declaredRestrictions', equals: 'gluten-free' },
      { rule: 'diet', restriction: 'vegan' },
      {
        rule: 'all',
        of: [
          { rule: 'joined', withinDays: 7 },
          { rule: 'not', of: { rule: 'restriction', is: 'nut-free' } },
        ],
      },
    ]) {
      const answer = await api('PUT', `/clubs/${clubId}/audiences/${uniqueId('a')}`, { name: 'Not allowed', rule });
      expect(answer.status).toBe(400);
      expect(String(answer.json.message)).toContain('diet restrictions are never an audience rule');
    }
    const { clubId: _, createdAt: __, ...settings } = demo.club;
    const attribute = await api('PUT', `/clubs/${clubId}`, {
      ...settings,
      attributes: [{ name: 'gluten_free', type: 'boolean' }],
    });
    expect(attribute.status).toBe(400);
    expect(String(attribute.json.message)).toMatch(/^attributes\[0\]\.name: diet restrictions are never/);
  });

  it('keeps an audience whose rule leads back to itself from being saved, and one in use from being deleted', async () => {
    const { demo } = await clubWithStores();
    const clubId = demo.club.clubId;
    const a = { name: 'A', rule: { rule: 'joined', withinDays: 30 } };
    expect((await api('PUT', `/clubs/${clubId}/audiences/a`, a)).status).toBe(201);
    const b = { name: 'B', rule: { rule: 'audience', audienceId: 'a' } };
    expect((await api('PUT', `/clubs/${clubId}/audiences/b`, b)).status).toBe(201);
    const cycle = await api('PUT', `/clubs/${clubId}/audiences/a`, {
      name: 'A',
      rule: { rule: 'any', of: [{ rule: 'birthday-month' }, { rule: 'audience', audienceId: 'b' }] },
    });
    expect(cycle.status).toBe(400);
    expect(cycle.json.message).toBe('rule.of[1].audienceId: leads back to itself: a → b → a');
    const inUse = await api('DELETE', `/clubs/${clubId}/audiences/a`);
    expect(inUse.status).toBe(409);
    expect(inUse.json.message).toBe('audience a is still used by audience b');
    expect((await api('DELETE', `/clubs/${clubId}/audiences/b`)).status).toBe(200);
    expect((await api('DELETE', `/clubs/${clubId}/audiences/a`)).status).toBe(200);
  });
});
