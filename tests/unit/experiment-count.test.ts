import { describe, expect, it } from 'vitest';
import type { Deps } from '../../lambdas/app/deps.js';
import { storedAssignment } from '../../lambdas/app/experiment-arms.js';
import { advanceExperimentCount } from '../../lambdas/app/experiment-count.js';
import { readExperimentReport } from '../../lambdas/app/experiment-report.js';
import type { Decision } from '../../lambdas/core/decision.js';
import { assignmentFor, drawOf, Experiment } from '../../lambdas/core/experiment.js';
import type { MemberHistory } from '../../lambdas/core/experiment-outcomes.js';
import { experimentReport } from '../../lambdas/core/experiment-report.js';
import { seededRandom } from '../../lambdas/core/experiment-stats.js';
import { MEMBER_SHARDS } from '../../lambdas/core/jobs.js';
import type { MemberState } from '../../lambdas/core/ports.js';
import { receiptSpend } from '../../lambdas/core/receipts.js';
import { memoryDeps } from '../../lambdas/runtime/memory-deps.js';
import { uniqueId } from '../support/ids.js';
import { aCampaign, aClub, aMember } from './fixtures.js';

const DAY = 86_400_000;
const START = Date.parse('2027-01-10T00:00:00.000Z');
/** Counted in the middle of March: January and February are over, March is still running. */
const NOW = new Date('2027-03-17T12:00:00.000Z');
const PRODUCTS = ['p1', 'p2', 'p3', 'p4', 'p5'];
const MAILED = new Set(['sent', 'soft-bounced', 'bounced', 'complained']);

const at = (ms: number) => new Date(ms).toISOString();

/**
 * A club with an experiment and a random but seeded history: members who joined before and after the
 * start, some stored in an arm and some not yet, some who unsubscribed (before the start, or during
 * it) or complained, campaigns whose mails were sent, bounced, dropped or never went, and receipts
 * with and without amounts, some of offered products.
 */
async function seededClub(members: number, seed: string) {
  const system = memoryDeps();
  const { deps } = system;
  system.clock.set(NOW);
  const random = seededRandom(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] ?? (list[0] as T);
  const clubId = uniqueId('club');
  await deps.clubs.putClub(aClub({ clubId }));
  const experiment = Experiment.parse({
    clubId,
    experimentId: 'leaving-2027',
    status: 'running',
    arms: [
      { armId: 'budget', share: 0.45, policy: { type: 'club-budget' } },
      { armId: 'fixed', share: 0.45, policy: { type: 'fixed-cap', windows: [{ days: 7, max: 2 }] } },
      { armId: 'control', share: 0.1, policy: { type: 'no-campaign-mail' } },
    ],
    readableAfter: { minMembersPerArm: 5, minMonths: 2 },
    startedAt: at(START),
    updatedAt: at(START),
  });
  await deps.experiments.put(experiment);
  const ids = Array.from({ length: members }, (_, i) => `m${i}-${Math.floor(random() * 1e6)}`);
  for (const memberId of ids) {
    const joined = START + (random() - 0.6) * 60 * DAY;
    const roll = random();
    const left = START + (random() - 0.2) * 60 * DAY;
    await deps.members.putMember(
      aMember({
        clubId,
        memberId,
        email: `${memberId}@example.com`,
        joinedAt: at(joined),
        ...(roll < 0.2 ? { subscription: 'unsubscribed', subscriptionChangedAt: at(left) } : {}),
        ...(roll >= 0.2 && roll < 0.25 ? { subscription: 'unsubscribed' } : {}),
        ...(random() < 0.5 ? { lastEngagedAt: at(START + random() * 60 * DAY) } : {}),
      }),
    );
    if (roll >= 0.25 && roll < 0.3)
      await deps.members.markUndeliverable(clubId, memberId, 'complained', new Date(left), 'complaint');
    if (random() < 0.6) {
      const assignedAt = Math.max(joined, START) + random() * 20 * DAY;
      const draw = drawOf(clubId, experiment.experimentId, memberId);
      const { assignment } = assignmentFor(experiment, memberId, undefined, new Date(assignedAt));
      await deps.experiments.assign(clubId, memberId, { ...assignment, draw });
    }
    const receipts = Array.from({ length: Math.floor(random() * 5) }, (_, r) => {
      const withAmount = random() < 0.6;
      return {
        receiptId: `${memberId}-r${r}`,
        memberId,
        at: at(START + (random() - 0.1) * 70 * DAY),
        items: Array.from({ length: 1 + Math.floor(random() * 3) }, () => ({
          productId: pick(PRODUCTS),
          quantity: 1,
          ...(withAmount ? { amount: Math.round(random() * 40_000) / 100 } : {}),
        })),
      };
    });
    if (receipts.length > 0) await deps.purchases.putReceipts(clubId, receipts);
  }
  for (let c = 0; c < 5; c++) {
    const campaignId = `c${c}`;
    const sendAt = START + (c * 14 - 5) * DAY;
    await deps.campaigns.createCampaign(
      aCampaign({ clubId, campaignId, sendAt: at(sendAt), status: c === 4 ? 'draft' : 'planned' }),
    );
    for (const memberId of ids) {
      if (random() < 0.2) continue;
      const send = random() < 0.8;
      const decision: Decision = send
        ? {
            outcome: 'send',
            memberId,
            sendId: `${campaignId}-${memberId}`,
            offers: [pick(PRODUCTS), pick(PRODUCTS)].map((productId) => ({
              offerId: `o-${productId}`,
              productId,
              score: 1,
              why: 'popular' as const,
              reason: 'popular',
            })),
            message: 'offers',
          }
        : { outcome: 'suppress', memberId, reason: 'budget-window', message: 'over budget' };
      await deps.campaigns.recordDecision(clubId, campaignId, decision, new Date(sendAt));
      if (!send) continue;
      const roll = random();
      const when = at(sendAt + random() * DAY);
      if (roll < 0.7)
        await deps.campaigns.recordDelivery(clubId, campaignId, memberId, { state: 'sent', messageId: 'x', at: when });
      else if (roll < 0.8)
        await deps.campaigns.recordDelivery(clubId, campaignId, memberId, {
          state: 'bounced',
          messageId: 'x',
          at: when,
        });
      else if (roll < 0.9)
        await deps.campaigns.recordDelivery(clubId, campaignId, memberId, {
          state: 'dropped',
          reason: 'late',
          at: when,
        });
    }
  }
  return { system, deps, clubId, experiment };
}

/** The report as it was worked out on every request before it was counted in slices (kept here as the reference). */
async function reportTheOldWay(deps: Deps, clubId: string) {
  const [club, experiment] = await Promise.all([deps.clubs.getClub(clubId), deps.experiments.get(clubId)]);
  if (!club || !experiment) throw new Error('no club or experiment');
  const now = deps.clock.now();
  const since = Date.parse(experiment.startedAt) - experiment.conversionWindowDays * DAY;
  const mails = new Map<string, Array<{ at: number; productIds: string[] }>>();
  for (const campaign of await deps.campaigns.listCampaigns(clubId)) {
    if (Date.parse(campaign.sendAt) < since || campaign.status === 'draft') continue;
    for (const { decision, delivery } of await deps.campaigns.listDecisions(clubId, campaign.campaignId)) {
      if (decision.outcome !== 'send' || !delivery || !MAILED.has(delivery.state) || !('at' in delivery)) continue;
      const list = mails.get(decision.memberId) ?? [];
      list.push({ at: Date.parse(delivery.at), productIds: decision.offers.map((o) => o.productId) });
      mails.set(decision.memberId, list);
    }
  }
  const leftAt = ({ member, ledger }: MemberState): number | undefined => {
    if (member.subscription === 'unsubscribed')
      return member.subscriptionChangedAt ? Date.parse(member.subscriptionChangedAt) : 0;
    if (member.deliverability === 'complained')
      return ledger.stop?.reason === 'complained' ? Date.parse(ledger.stop.at) : 0;
    return undefined;
  };
  const histories: MemberHistory[] = [];
  for (let shard = 0; shard < MEMBER_SHARDS; shard++) {
    let cursor: string | undefined;
    do {
      const page = await deps.members.listShard(clubId, shard, cursor, 100);
      for (const state of page.states) {
        const { member } = state;
        const stored = storedAssignment(state, experiment.experimentId);
        const { assignment } = assignmentFor(experiment, member.memberId, stored, now);
        const left = leftAt(state);
        const receipts = await deps.purchases.listReceipts(clubId, member.memberId);
        histories.push({
          memberId: member.memberId,
          armId: assignment.armId,
          assignedAt: stored
            ? Date.parse(assignment.assignedAt)
            : Math.max(Date.parse(experiment.startedAt), Date.parse(member.joinedAt)),
          ...(left === undefined ? {} : { leftAt: left }),
          ...(member.lastEngagedAt ? { lastEngagedAt: Date.parse(member.lastEngagedAt) } : {}),
          mails: mails.get(member.memberId) ?? [],
          receipts: receipts.map((r) => {
            const spend = receiptSpend(r);
            return {
              at: Date.parse(r.at),
              productIds: r.items.map((i) => i.productId),
              ...(spend === undefined ? {} : { spend }),
            };
          }),
        });
      }
      cursor = page.cursor;
    } while (cursor);
  }
  return experimentReport(experiment, histories, now.getTime(), club.engagement, undefined);
}

/** Count until done, one round of slices per call (a budget of 0 ms), and say how many calls it took. */
async function countInSlices(deps: Deps, clubId: string, pageSize: number, restart = true): Promise<number> {
  let calls = 0;
  let count = await advanceExperimentCount(deps, clubId, { budgetMs: 0, restart, pageSize });
  calls += 1;
  while (count?.run) {
    count = await advanceExperimentCount(deps, clubId, { budgetMs: 0, pageSize });
    calls += 1;
  }
  return calls;
}

const figures = (report: { readability: unknown; months: unknown; prediction: unknown; reference: unknown }) => ({
  reference: report.reference,
  readability: report.readability,
  months: report.months,
  prediction: report.prediction,
});

describe('the experiment report counted in slices', () => {
  it('equals the report worked out from every member at once, for one page per shard, pages of 1, 3 and 7, and one long call', async () => {
    const { deps, clubId } = await seededClub(60, 'golden-60');
    const expected = await reportTheOldWay(deps, clubId);
    // The data exercise every figure: leavers, spend, several months with one still running.
    const months = expected.months;
    expect(months.map((m) => [m.month, m.complete])).toEqual([
      ['2027-01', true],
      ['2027-02', true],
      ['2027-03', false],
    ]);
    expect(months.some((m) => m.arms.some((a) => (a.left?.count ?? 0) > 0))).toBe(true);
    expect(months.some((m) => m.arms.some((a) => a.spendPerMember !== null))).toBe(true);
    expect(months.some((m) => m.arms.some((a) => (a.conversionsPerMember?.estimate ?? 0) > 0))).toBe(true);

    for (const pageSize of [1000, 1, 3, 7]) {
      const calls = await countInSlices(deps, clubId, pageSize);
      const report = await readExperimentReport(deps, clubId);
      expect(report?.countedAt).toBe(NOW.toISOString());
      expect(report?.counting).toBeNull();
      expect(report && figures(report), `pages of ${pageSize}`).toEqual(figures(expected));
      if (pageSize === 1) expect(calls).toBeGreaterThan(60 / MEMBER_SHARDS);
    }
    await advanceExperimentCount(deps, clubId, { budgetMs: 60_000, restart: true });
    const once = await readExperimentReport(deps, clubId);
    expect(once && figures(once)).toEqual(figures(expected));
  });

  it('equals it with fewer members than slices, and with no members at all', async () => {
    for (const members of [5, 0]) {
      const { deps, clubId } = await seededClub(members, `small-${members}`);
      const expected = await reportTheOldWay(deps, clubId);
      await countInSlices(deps, clubId, 1);
      const report = await readExperimentReport(deps, clubId);
      expect(report && figures(report), `${members} members`).toEqual(figures(expected));
    }
  });

  it('counts a slice once when it is counted twice: a lost write of the count, and two counters at once', async () => {
    const { system, deps, clubId } = await seededClub(40, 'twice-40');
    const expected = await reportTheOldWay(deps, clubId);
    await advanceExperimentCount(deps, clubId, { budgetMs: 0, restart: true, pageSize: 2 });
    for (let i = 0; i < 200; i++) {
      const before = structuredClone(system.table.experimentCounts.get(clubId));
      const count = await advanceExperimentCount(deps, clubId, { budgetMs: 0, pageSize: 2 });
      if (!count?.run) break;
      // Every other round, the count's write is lost after the slices' rows were written (a crash): the
      // next call counts the same slices again.
      if (i % 2 === 0 && before) system.table.experimentCounts.set(clubId, before);
    }
    const afterLost = await readExperimentReport(deps, clubId);
    expect(afterLost && figures(afterLost)).toEqual(figures(expected));

    await advanceExperimentCount(deps, clubId, { budgetMs: 0, restart: true, pageSize: 3 });
    for (let i = 0; i < 200; i++) {
      const both = await Promise.all([
        advanceExperimentCount(deps, clubId, { budgetMs: 0, pageSize: 3 }),
        advanceExperimentCount(deps, clubId, { budgetMs: 0, pageSize: 3 }),
      ]);
      if (both.every((c) => !c?.run)) break;
    }
    const afterRace = await readExperimentReport(deps, clubId);
    expect(afterRace && figures(afterRace)).toEqual(figures(expected));
  });

  it('answers "not counted" with no months before the first count, keeps the last figures while a count runs, and counts a new experiment afresh', async () => {
    const { system, deps, clubId, experiment } = await seededClub(30, 'states-30');
    const before = await readExperimentReport(deps, clubId);
    expect(before).toMatchObject({ countedAt: null, counting: null, months: [] });
    expect(before?.readability.readable).toBe(false);

    await countInSlices(deps, clubId, 1000);
    const counted = await readExperimentReport(deps, clubId);
    system.clock.set(new Date(NOW.getTime() + DAY));
    const running = await advanceExperimentCount(deps, clubId, { budgetMs: 0, restart: true, pageSize: 1 });
    expect(running?.run).toBeDefined();
    const during = await readExperimentReport(deps, clubId);
    expect(during?.months).toEqual(counted?.months);
    expect(during?.countedAt).toBe(NOW.toISOString());
    expect(during?.counting).toMatchObject({ shards: MEMBER_SHARDS, countingAt: at(NOW.getTime() + DAY) });

    // A new experiment id: the figures of the old one are not this one's, and a count under way starts again.
    await deps.experiments.put({ ...experiment, experimentId: 'leaving-2028', updatedAt: at(NOW.getTime() + DAY) });
    expect(await readExperimentReport(deps, clubId)).toMatchObject({ countedAt: null, counting: null, months: [] });
    // The page's "continue" with no count under way for this experiment starts nothing.
    expect((await advanceExperimentCount(deps, clubId, { budgetMs: 0, onlyContinue: true }))?.run?.experimentId).toBe(
      'leaving-2027',
    );
    const restarted = await advanceExperimentCount(deps, clubId, { budgetMs: 0, pageSize: 1 });
    expect(restarted?.run?.experimentId).toBe('leaving-2028');
    expect(restarted?.last?.experimentId).toBe('leaving-2027');
  });

  it('finishes a page of slice rows or one month per call, so no call reads every row or works every month out', async () => {
    const { deps, clubId } = await seededClub(150, 'bounded-150');
    const expected = await reportTheOldWay(deps, clubId);
    // Pages of 1: 150 members' slices and an empty last page per shard, more rows than one page of rows (100).
    let count = await advanceExperimentCount(deps, clubId, { budgetMs: 0, restart: true, pageSize: 1 });
    while (count?.run?.shards.some((s) => !s.done))
      count = await advanceExperimentCount(deps, clubId, { budgetMs: 0, pageSize: 1 });
    const reads: number[] = [];
    const snapshots: Deps['snapshots'] = {
      getHeader: (...a) => deps.snapshots.getHeader(...a),
      putHeader: (...a) => deps.snapshots.putHeader(...a),
      putRows: (...a) => deps.snapshots.putRows(...a),
      listRows: async (...a) => {
        const page = await deps.snapshots.listRows(...a);
        reads[reads.length - 1] = (reads[reads.length - 1] ?? 0) + page.rows.filter((r) => /^\d/.test(r.key)).length;
        return page;
      },
    };
    const steps: Array<{ slices: number; months: number }> = [];
    while (count?.run) {
      reads.push(0);
      count = await advanceExperimentCount({ ...deps, snapshots }, clubId, { budgetMs: 0, pageSize: 1 });
      const finishing = count?.run?.finishing;
      if (finishing) steps.push({ slices: finishing.slices, months: finishing.months.length });
    }
    // Each call read at most a page of slice rows (and the one it starts from), and added them or one month.
    expect(Math.max(...reads)).toBeLessThanOrEqual(101);
    expect(steps.filter((s) => s.months === 0).length).toBeGreaterThanOrEqual(2);
    for (let i = 1; i < steps.length; i++) {
      const [before, after] = [steps[i - 1], steps[i]];
      expect((after?.months ?? 0) - (before?.months ?? 0)).toBeLessThanOrEqual(1);
    }
    const report = await readExperimentReport(deps, clubId);
    expect(report && figures(report)).toEqual(figures(expected));
    expect(count?.last?.slices).toBeGreaterThan(100);
  });
});
