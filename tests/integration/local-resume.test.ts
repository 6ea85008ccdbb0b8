import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { demoGroceryClub } from '../../bin/demo-club.js';
import { seedDemo } from '../../bin/seed-demo.js';
import { createDocumentClient } from '../../lambdas/adapters/dynamodb-client.js';
import type { SendJob } from '../../lambdas/core/jobs.js';
import type { WorkQueue } from '../../lambdas/core/ports.js';
import { resumeCampaigns } from '../../lambdas/runtime/local-resume.js';
import { callApi, type Harness, startHarness, uniqueId } from '../support/local-harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

const FIXED_CAP = { type: 'fixed-cap', windows: [{ days: 1, max: 5 }] } as const;

describe('the local system after a restart', () => {
  it('queues the unsent mail of a planned campaign again with what the plan gave it: the arm’s budget and the last purchase', async () => {
    const demo = demoGroceryClub(h.clock.now(), 7, uniqueId('resume'));
    const clubId = demo.club.clubId;
    await seedDemo(h.deps, demo);
    const experiment = await callApi(h.urls.http, 'PUT', `/clubs/${clubId}/experiment`, {
      experimentId: 'resume-2027',
      arms: [
        { armId: 'budget', share: 0.5, policy: { type: 'club-budget' } },
        { armId: 'fixed', share: 0.5, policy: FIXED_CAP },
      ],
      readableAfter: { minMembersPerArm: 10, minMonths: 1 },
    });
    expect(experiment.status).toBe(201);

    // Planned, and then the process stops before any mail goes: the queue held them in memory.
    h.sendQueue.pause();
    const created = await callApi(h.urls.http, 'POST', `/clubs/${clubId}/campaigns`, {
      name: 'Before the restart',
      theme: 'community',
      offerPool: demo.offers.map((o) => o.offerId),
      sendAt: new Date(h.clock.now().getTime() + 200).toISOString(),
    });
    const campaignId = z.object({ campaign: z.object({ campaignId: z.string() }) }).parse(created.json)
      .campaign.campaignId;
    expect((await callApi(h.urls.http, 'POST', `/clubs/${clubId}/campaigns/${campaignId}/schedule`)).status).toBe(200);
    for (let i = 0; i < 400; i += 1) {
      await h.planShardQueue.drain();
      if ((await h.deps.campaigns.getCampaign(clubId, campaignId))?.status === 'planned') break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }

    const queued: SendJob[] = [];
    const queue: WorkQueue<SendJob> = {
      send: async (jobs) => {
        queued.push(...jobs);
      },
    };
    const db = createDocumentClient({ endpoint: h.urls.dynamodb });
    await resumeCampaigns(db, 'club-planner', { ...h.deps, sendQueue: queue }, h.deps.log);

    const ours = queued.filter((job) => job.campaignId === campaignId);
    const toSend = (await h.deps.campaigns.listDecisions(clubId, campaignId)).filter(
      (r) => r.decision.outcome === 'send',
    );
    expect(ours.map((job) => job.memberId).sort()).toEqual(toSend.map((r) => r.decision.memberId).sort());
    const armOf = new Map(
      (await Promise.all(ours.map((job) => h.deps.members.getState(clubId, job.memberId)))).map((state) => [
        state?.member.memberId,
        state?.assignments?.find((a) => a.experimentId === 'resume-2027')?.armId,
      ]),
    );
    const byArm = (arm: string) => ours.filter((job) => armOf.get(job.memberId) === arm);
    expect(byArm('fixed').length).toBeGreaterThan(0);
    expect(byArm('budget').length).toBeGreaterThan(0);
    for (const job of byArm('fixed')) expect(job.claimRules?.budget.windows).toEqual(FIXED_CAP.windows);
    for (const job of byArm('budget')) expect(job).not.toHaveProperty('claimRules');
    expect(ours.some((job) => job.lastPurchaseAt !== undefined)).toBe(true);
    for (const job of ours) {
      const profile = (await h.deps.members.getState(clubId, job.memberId))?.profile;
      expect(job.lastPurchaseAt, job.memberId).toBe(profile?.lastPurchaseAt);
    }
    h.sendQueue.resume();
  });
});
