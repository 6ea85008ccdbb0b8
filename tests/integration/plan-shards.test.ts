import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoGroceryClub } from '../../bin/demo-club.js';
import { seedDemo } from '../../bin/seed-demo.js';
import { createDocumentClient } from '../../lambdas/adapters/dynamodb-client.js';
import { Keys } from '../../lambdas/adapters/dynamodb-keys.js';
import type { Decision } from '../../lambdas/core/decision.js';
import type { PlanShardJob } from '../../lambdas/core/jobs.js';
import { type Harness, startHarness } from '../support/local-harness.js';
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
