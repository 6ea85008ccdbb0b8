import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { demoGroceryClub } from '../../bin/demo-club.js';
import { seedDemo } from '../../bin/seed-demo.js';
import { createDocumentClient } from '../../lambdas/adapters/dynamodb-client.js';
import { Keys } from '../../lambdas/adapters/dynamodb-keys.js';
import type { Decision } from '../../lambdas/core/decision.js';
import type { PlanShardJob } from '../../lambdas/core/jobs.js';
import { type Harness, startHarness } from '../support/local-harness.js';
import { api, surveyClub } from '../support/surveys.js';
import { aCampaign, aMember } from '../unit/fixtures.js';

let h: Harness;
const club = demoGroceryClub(new Date());
const clubId = club.club.clubId;

beforeAll(async () => {
  h = await startHarness();
  await seedDemo(h.deps, club);
  // Members with no purchases at all, and some written before the index had buckets, as old data is.
  for (let i = 0; i < 12; i += 1) await h.deps.members.putMember(aMember({ clubId, memberId: `new-${i}` }));
  const db = createDocumentClient({ endpoint: h.urls.dynamodb });
  for (let i = 0; i < 6; i += 1) {
    const member = aMember({ clubId, memberId: `old-${i}` });
    const index = Keys.memberShardIndex(clubId, member.memberId);
    await db.send(
      new PutCommand({
        TableName: 'club-planner',
        Item: {
          ...Keys.member(clubId, member.memberId),
          ...index,
          gsi1sk: `MEMBER#${member.memberId}`,
          type: 'member',
          ...member,
        },
      }),
    );
  }
  await h.modelFit.fitClub(clubId);
  // Plans only: the mails stay on the queue, so no plan changes a budget the next one reads.
  h.sendQueue.pause();
});
afterAll(async () => {
  await h?.stop();
});

/** Plan a fresh copy of the demo campaign over `shards` plan shards (undefined: the old 16 partitions). */
async function planWith(shards: number | undefined): Promise<Map<string, unknown>> {
  const campaignId = `shards-${shards ?? 'legacy'}`;
  const now = h.clock.now().toISOString();
  await h.deps.campaigns.createCampaign(
    aCampaign({
      clubId,
      campaignId,
      offerPool: club.offers.map((o) => o.offerId),
      offersPerMail: 3,
      sendAt: now,
      status: 'planning',
      shardCount: shards ?? 16,
    }),
  );
  const count = shards ?? 16;
  const jobs: PlanShardJob[] = Array.from({ length: count }, (_, shard) => ({
    clubId,
    campaignId,
    shard,
    ...(shards === undefined ? {} : { shards }),
  }));
  await h.planShardQueue.send(jobs);
  await h.planShardQueue.drain();
  expect((await h.deps.campaigns.getCampaign(clubId, campaignId))?.status).toBe('planned');
  const records = await h.deps.campaigns.listDecisions(clubId, campaignId);
  const report = await h.deps.campaigns.planTally(clubId, campaignId);
  expect(report.shardsDone).toBe(count);
  expect(report.tally.planned).toBe(records.length);
  return new Map(records.map((r) => [r.decision.memberId, comparable(r.decision)]));
}

/** A decision without what names its campaign (the send id). */
function comparable(decision: Decision): unknown {
  if (decision.outcome === 'suppress') return decision;
  const { sendId: _, ...rest } = decision;
  return rest;
}

describe('planning over plan shards', () => {
  it('decides the same for every member over one shard, over the old 16 partitions, and over more shards than members', async () => {
    const members = club.members.length + 12 + 6;
    const one = await planWith(1);
    expect(one.size).toBe(members);
    const legacy = await planWith(undefined);
    const many = await planWith(members * 4);
    expect(legacy).toEqual(one);
    expect(many).toEqual(one);
    expect([...one.values()].some((d) => (d as Decision).outcome === 'send')).toBe(true);
  });
});

const Report = z.object({
  report: z.object({
    planned: z.number(),
    toSend: z.number(),
    queued: z.number(),
    shardsPlanned: z.number(),
    suppressed: z.record(z.string(), z.number()),
    blocked: z.object({ by: z.string(), reason: z.string() }).optional(),
  }),
});

/**
 * A fresh survey club (half its members in a relationship survey's sample), some members with the
 * surveys topic off and some with a recent service case, and one survey (the same id in every such
 * club, so the same sample) planned over `shards` plan shards. Its decisions and its report.
 */
async function surveyOver(shards: number) {
  const demo = await surveyClub(h, { relationshipSampleShare: 0.5, caseDueHours: 48, topics: [] });
  const surveyClubId = demo.club.clubId;
  const now = h.clock.now();
  for (const member of demo.members) {
    if (member.memberId.endsWith('7'))
      await h.deps.members.updatePreferences(surveyClubId, member.memberId, { topics: ['offers'] }, now, 'test');
    if (member.memberId.endsWith('3'))
      expect(await h.deps.serviceContacts.record(surveyClubId, member.memberId, now)).toBe('recorded');
  }
  const campaignId = 'survey-over-shards';
  await h.deps.campaigns.createCampaign(
    aCampaign({
      clubId: surveyClubId,
      campaignId,
      kind: 'survey',
      offerPool: [],
      sendAt: now.toISOString(),
      status: 'planning',
      shardCount: shards,
    }),
  );
  await h.planShardQueue.send(
    Array.from({ length: shards }, (_, shard) => ({ clubId: surveyClubId, campaignId, shard, shards })),
  );
  await h.planShardQueue.drain();
  expect((await h.deps.campaigns.getCampaign(surveyClubId, campaignId))?.status).toBe('planned');
  const records = await h.deps.campaigns.listDecisions(surveyClubId, campaignId);
  const decisions = new Map(records.map((r) => [r.decision.memberId, comparable(r.decision)]));
  const reasons: Record<string, number> = {};
  for (const { decision } of records)
    if (decision.outcome === 'suppress') reasons[decision.reason] = (reasons[decision.reason] ?? 0) + 1;
  return {
    demo,
    clubId: surveyClubId,
    campaignId,
    decisions,
    reasons,
    toSend: records.length - Object.values(reasons).reduce((a, b) => a + b, 0),
  };
}

describe('a survey over plan shards', () => {
  it('asks the same members over one shard, several and more shards than members, and its report counts every survey suppression from the shard tallies', async () => {
    const one = await surveyOver(1);
    const members = one.demo.members.length;
    // The survey's own reasons are all there, or the comparison below would prove little.
    for (const reason of ['not-in-sample', 'topic-opt-out', 'recent-service-case'])
      expect(one.reasons[reason] ?? 0, reason).toBeGreaterThan(0);
    expect(one.toSend).toBeGreaterThan(0);
    for (const shards of [5, members * 4]) {
      const plan = await surveyOver(shards);
      expect(plan.decisions, `${shards} shards`).toEqual(one.decisions);
      // Held mail shows why in the report beside the tallies: the club's breaker is open.
      await h.deps.sending.open(
        { kind: 'club', clubId: plan.clubId },
        { state: 'open', reason: 'test-hold', openedAt: h.clock.now().toISOString() },
      );
      const { report } = Report.parse((await api(h, `/clubs/${plan.clubId}/campaigns/${plan.campaignId}`)).json);
      expect(report).toMatchObject({
        planned: members,
        toSend: plan.toSend,
        queued: plan.toSend,
        shardsPlanned: shards,
        blocked: { by: 'club', reason: 'test-hold' },
      });
      // Exactly the reasons the recorded decisions give, no more (toMatchObject alone would allow more).
      expect(report.suppressed).toEqual(plan.reasons);
    }
  });
});
