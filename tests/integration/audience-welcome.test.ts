import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { demoGroceryClub } from '../../bin/demo-club.js';
import { seedDemo } from '../../bin/seed-demo.js';
import { DAY_MS } from '../../lambdas/core/units.js';
import { callApi, type Harness, header, sesInbox, startHarness, uniqueId } from '../support/local-harness.js';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

const api = (method: string, path: string, body?: unknown) => callApi(h.urls.http, method, path, body);

describe('the welcome recipe (README "Audiences")', () => {
  it('mails a campaign sent two days after it was made to the members who joined within 7 days of its plan, not of its creation', async () => {
    const demo = demoGroceryClub(h.clock.now(), 9, uniqueId('club'));
    await seedDemo(h.deps, demo);
    const clubId = demo.club.clubId;
    const now = h.clock.now().getTime();
    // Joined a day ago (new at the send), six days ago (new today, eight days old at the send), or long ago.
    const joinedDaysAgo = (i: number) => [1, 6, 40][i % 3] ?? 40;
    const records = demo.members.map(({ clubId: _club, ...member }, i) => ({
      ...member,
      joinedAt: new Date(now - joinedDaysAgo(i) * DAY_MS).toISOString(),
    }));
    expect((await api('POST', `/clubs/${clubId}/members`, { members: records })).status).toBe(200);

    const audience = { name: 'New this week', rule: { rule: 'joined', withinDays: 7 } };
    expect((await api('PUT', `/clubs/${clubId}/audiences/new-this-week`, audience)).status).toBe(201);
    const created = await api('POST', `/clubs/${clubId}/campaigns`, {
      name: 'Welcome',
      theme: 'community',
      offerPool: demo.offers.map((o) => o.offerId),
      audienceId: 'new-this-week',
      sendAt: new Date(now + 2 * DAY_MS).toISOString(),
    });
    expect(created.status).toBe(201);
    const campaignId = z.object({ campaign: z.object({ campaignId: z.string() }) }).parse(created.json)
      .campaign.campaignId;
    // The local scheduler's timers run in real time: move the test clock to just before the send, then
    // arm it. Whatever the estimate said two days ago, the plan decides at the send.
    h.clock.advance(2 * DAY_MS - 500);
    expect((await api('POST', `/clubs/${clubId}/campaigns/${campaignId}/schedule`)).status).toBe(200);
    for (let i = 0; i < 200; i++) {
      await h.settle();
      if ((await h.deps.campaigns.getCampaign(clubId, campaignId))?.status === 'planned') break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await h.settle();

    const newAtSend = demo.members.filter((_, i) => joinedDaysAgo(i) === 1);
    const at = h.clock.now().getTime();
    const reachable = newAtSend.filter(
      (m) =>
        m.subscription === 'subscribed' &&
        m.deliverability === 'ok' &&
        m.consent.marketing &&
        !(m.preferences.pausedUntil && Date.parse(m.preferences.pausedUntil) > at) &&
        m.preferences.frequency !== 'occasions-only',
    );
    const inbox = (await sesInbox(h.urls.ses)).filter(
      (m) => header(m, 'List-Unsubscribe') && m.destination.to.some((to) => to.endsWith(`@${clubId}.example`)),
    );
    // Only members new at the send, once each; the ones six days new at creation are not among them.
    expect(reachable.length).toBeGreaterThan(0);
    expect(new Set(inbox.map((m) => m.destination.to[0]))).toEqual(new Set(reachable.map((m) => m.email)));
    expect(inbox).toHaveLength(reachable.length);

    const report = await api('GET', `/clubs/${clubId}/campaigns/${campaignId}`);
    const counts = z
      .object({ report: z.object({ planned: z.number(), suppressed: z.record(z.string(), z.number()) }) })
      .parse(report.json).report;
    expect(counts.planned).toBe(demo.members.length);
    expect(counts.suppressed['not-in-audience']).toBe(demo.members.length - newAtSend.length);
  });
});
