import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { demoGroceryClub } from '../../bin/demo-club.js';
import { seedDemo } from '../../bin/seed-demo.js';
import { CONSERVATIVE_BUDGET } from '../../lambdas/core/budget.js';
import { callApi, type Harness, startHarness, uniqueId } from '../support/local-harness.js';

const DAY = 86_400_000;
let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

const DryRunAnswer = z.object({
  dryRun: z.object({
    planned: z.number(),
    toSend: z.number(),
    judgedAt: z.string(),
    suppressed: z.record(z.string(), z.number()),
    decisions: z.array(z.object({ memberId: z.string(), outcome: z.string(), reason: z.string().optional() })),
  }),
});

/** The demo grocery club (50 members, ≤ 1 mail per 3 days), every member mailed an hour ago. */
async function mailedClub() {
  const demo = demoGroceryClub(h.clock.now(), 7, uniqueId('sendtime'));
  await seedDemo(h.deps, demo);
  const clubId = demo.club.clubId;
  for (const member of demo.members) {
    const claim = await h.deps.ledger.claim({
      clubId,
      memberId: member.memberId,
      sendId: `${'0'.repeat(31)}1`,
      campaignId: 'earlier',
      now: new Date(h.clock.now().getTime() - 3_600_000),
      policy: CONSERVATIVE_BUDGET,
      frequency: 'club-default',
    });
    // The unsubscribed and the unconsented are stopped at the ledger: nobody mails them.
    expect(['claimed', 'stopped']).toContain(claim.kind);
  }
  return { clubId, offerPool: demo.offers.slice(0, 10).map((o) => o.offerId) };
}

async function create(clubId: string, offerPool: string[], sendAt: Date, name: string): Promise<string> {
  const created = await callApi(h.urls.http, 'POST', `/clubs/${clubId}/campaigns`, {
    name,
    theme: 'community',
    offerPool,
    sendAt: sendAt.toISOString(),
  });
  expect(created.status).toBe(201);
  return z.object({ campaign: z.object({ campaignId: z.string() }) }).parse(created.json).campaign.campaignId;
}

async function dryRun(clubId: string, campaignId: string) {
  const answer = await callApi(h.urls.http, 'POST', `/clubs/${clubId}/campaigns/${campaignId}/dry-run`);
  expect(answer.status).toBe(200);
  return DryRunAnswer.parse(answer.json).dryRun;
}

describe('the dry-run judges the budget at the campaign send time', () => {
  it('holds nobody back for the budget in a campaign years ahead, where judging now would hold back every mailed member', async () => {
    const { clubId, offerPool } = await mailedClub();
    const soon = await create(clubId, offerPool, new Date(h.clock.now().getTime() + 10 * 60_000), 'Soon');
    const inYears = await create(clubId, offerPool, new Date('2030-03-01T09:00:00Z'), 'In 2030');
    const now = await dryRun(clubId, soon);
    expect(now.suppressed['budget-window']).toBeGreaterThan(30);
    const later = await dryRun(clubId, inYears);
    expect(later.judgedAt).toBe('2030-03-01T09:00:00.000Z');
    expect(later.suppressed['budget-window'] ?? 0).toBe(0);
    expect(later.toSend).toBeGreaterThan(30);
  });

  it('counts the mail of a campaign scheduled the day before against the budget of the one judged', async () => {
    const { clubId, offerPool } = await mailedClub();
    const inTenDays = new Date(h.clock.now().getTime() + 10 * DAY);
    const alone = await create(clubId, offerPool, inTenDays, 'Alone');
    const before = await dryRun(clubId, alone);
    expect(before.suppressed['budget-window'] ?? 0).toBe(0);

    const earlier = await create(clubId, offerPool, new Date(inTenDays.getTime() - DAY), 'The day before');
    const scheduled = await callApi(h.urls.http, 'POST', `/clubs/${clubId}/campaigns/${earlier}/schedule`);
    expect(scheduled.status).toBe(200);
    const after = await dryRun(clubId, alone);
    const earlierRun = await dryRun(clubId, earlier);
    // Everyone the earlier campaign mails is over the budget (≤ 1 per 3 days) a day later.
    expect(after.suppressed['budget-window']).toBe(earlierRun.toSend);
    expect(after.toSend).toBe(before.toSend - earlierRun.toSend);
    await callApi(h.urls.http, 'POST', `/clubs/${clubId}/campaigns/${earlier}/cancel`);
  });
});
