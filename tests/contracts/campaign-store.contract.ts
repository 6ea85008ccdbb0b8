import { describe, expect, it } from 'vitest';
import { DEFAULT_BUDGET } from '../../lambdas/core/budget.js';
import type { Decision } from '../../lambdas/core/decision.js';
import { uniqueId } from '../support/ids.js';
import { aCampaign, aMember } from '../unit/fixtures.js';
import type { MakeStores } from './stores.js';

const AT = new Date('2026-03-02T10:00:00.000Z');
const later = (minutes: number) => new Date(AT.getTime() + minutes * 60_000);

const sendTo = (memberId: string): Decision => ({
  outcome: 'send',
  memberId,
  sendId: `send-${memberId}`,
  offers: [],
  message: 'a survey',
});
const suppress = (memberId: string): Decision => ({
  outcome: 'suppress',
  memberId,
  reason: 'unsubscribed',
  message: 'unsubscribed',
});

/** What CampaignStore and ContactLedger promise, whatever holds them. */
export function campaignStoreContract(make: MakeStores): void {
  describe('the campaign store', () => {
    it('creates once, replaces only the version it read, and moves status only from the given ones', async () => {
      const { campaigns } = make();
      const clubId = uniqueId('club');
      const campaign = aCampaign({ clubId, campaignId: uniqueId('c'), status: 'draft' });
      expect(await campaigns.createCampaign(campaign)).toBe('created');
      expect(await campaigns.createCampaign(campaign)).toBe('exists');
      expect((await campaigns.listCampaigns(clubId)).map((c) => c.campaignId)).toEqual([campaign.campaignId]);
      const edited = { ...campaign, name: 'Edited', updatedAt: later(1).toISOString() };
      expect(await campaigns.replaceCampaign(edited, campaign)).toBe('replaced');
      expect(await campaigns.replaceCampaign({ ...campaign, name: 'Lost' }, campaign)).toBe('changed');
      expect((await campaigns.getCampaign(clubId, campaign.campaignId))?.name).toBe('Edited');
      const refused = await campaigns.transition(clubId, campaign.campaignId, ['scheduled'], 'planning', later(2));
      expect(refused.ok).toBe(false);
      if (!refused.ok) expect(refused.campaign?.status).toBe('draft');
      const moved = await campaigns.transition(clubId, campaign.campaignId, ['draft'], 'scheduled', later(2), {
        shardCount: 3,
      });
      expect(moved.ok && moved.campaign).toMatchObject({
        status: 'scheduled',
        shardCount: 3,
        updatedAt: later(2).toISOString(),
      });
      const absent = await campaigns.transition(clubId, 'nothing', ['draft'], 'scheduled', later(2));
      expect(absent.ok).toBe(false);
      if (!absent.ok) expect(absent.campaign).toBeUndefined();
    });

    it('reads a window of campaigns by send time, both ends included, and follows a send time that moves', async () => {
      const { campaigns } = make();
      const clubId = uniqueId('club');
      const at = (minutes: number) => later(minutes).toISOString();
      const made = [-600, -1, 0, 30, 60, 61, 6000].map((minutes, i) =>
        aCampaign({ clubId, campaignId: `c${i}`, sendAt: at(minutes), status: 'scheduled' }),
      );
      for (const campaign of made) expect(await campaigns.createCampaign(campaign)).toBe('created');
      // Another club's campaign in the same window is not this club's.
      await campaigns.createCampaign(aCampaign({ clubId: uniqueId('club'), campaignId: 'c2', sendAt: at(10) }));
      const ids = async (from: Date, to?: Date) =>
        (await campaigns.campaignsBetween(clubId, from, to)).map((c) => c.campaignId).sort();
      expect(await ids(later(0), later(60))).toEqual(['c2', 'c3', 'c4']);
      expect(await ids(later(61))).toEqual(['c5', 'c6']);
      expect(await ids(later(-10_000), later(-601))).toEqual([]);
      // Moved by an edit, and by the schedule step's new send time.
      const first = made[0];
      if (!first) throw new Error('no campaign');
      expect(await campaigns.replaceCampaign({ ...first, sendAt: at(45), updatedAt: at(1) }, first)).toBe('replaced');
      const moved = await campaigns.transition(clubId, 'c6', ['scheduled'], 'scheduled', later(2), { sendAt: at(59) });
      expect(moved.ok).toBe(true);
      expect(await ids(later(0), later(60))).toEqual(['c0', 'c2', 'c3', 'c4', 'c6']);
      expect(await ids(later(-700), later(-2))).toEqual([]);
      // Read back whole, as getCampaign gives it.
      const [one] = await campaigns.campaignsBetween(clubId, later(45), later(45));
      expect(one).toEqual(await campaigns.getCampaign(clubId, 'c0'));
    });

    it('pages through every campaign newest first, and a page ends where the next begins', async () => {
      const { campaigns } = make();
      const clubId = uniqueId('club');
      // Two campaigns at the same moment are ordered by id.
      const minutes = [5, 0, 90, 90, -30, 400, 20];
      for (const [i, m] of minutes.entries())
        await campaigns.createCampaign(aCampaign({ clubId, campaignId: `p${i}`, sendAt: later(m).toISOString() }));
      const seen: string[] = [];
      let after: string | undefined;
      let pages = 0;
      do {
        const page = await campaigns.campaignPage(clubId, 3, after);
        expect(page.campaigns.length).toBeLessThanOrEqual(3);
        seen.push(...page.campaigns.map((c) => c.campaignId));
        after = page.next;
        pages += 1;
      } while (after !== undefined && pages < 10);
      expect(seen).toEqual(['p5', 'p3', 'p2', 'p6', 'p0', 'p1', 'p4']);
      expect(pages).toBe(3);
      expect(await campaigns.campaignPage(uniqueId('club'), 3)).toEqual({ campaigns: [] });
      const exact = await campaigns.campaignPage(clubId, 7);
      expect(exact.campaigns).toHaveLength(7);
      expect(exact.next).toBeUndefined();
    });

    it('keeps the first decision per member and moves a delivery only up its rank', async () => {
      const { campaigns } = make();
      const clubId = uniqueId('club');
      const campaignId = uniqueId('c');
      await campaigns.createCampaign(aCampaign({ clubId, campaignId }));
      const first = await campaigns.recordDecision(clubId, campaignId, sendTo('a'), AT);
      const replay = await campaigns.recordDecision(clubId, campaignId, suppress('a'), later(5));
      expect(replay).toEqual(first);
      await campaigns.recordDecision(clubId, campaignId, sendTo('b'), AT);
      await campaigns.recordDecision(clubId, campaignId, sendTo('c'), AT);
      await campaigns.recordDecision(clubId, campaignId, suppress('d'), AT);
      const sent = { state: 'sent', messageId: 'ses-1', at: later(1).toISOString() } as const;
      expect(await campaigns.recordDelivery(clubId, campaignId, 'a', sent)).toBe('moved');
      expect(await campaigns.recordDelivery(clubId, campaignId, 'a', sent)).toBe('stale');
      expect(
        await campaigns.recordDelivery(clubId, campaignId, 'a', {
          state: 'dropped',
          reason: 'late',
          at: later(2).toISOString(),
        }),
      ).toBe('stale');
      expect(
        await campaigns.recordDelivery(clubId, campaignId, 'a', {
          state: 'bounced',
          messageId: 'ses-1',
          at: later(3).toISOString(),
        }),
      ).toBe('moved');
      await campaigns.recordDelivery(clubId, campaignId, 'b', {
        state: 'dropped',
        reason: 'over-budget',
        at: AT.toISOString(),
      });
      expect(await campaigns.getDelivery(clubId, campaignId, 'a')).toMatchObject({
        state: 'bounced',
        messageId: 'ses-1',
      });
      expect(await campaigns.getDelivery(clubId, campaignId, 'c')).toBeUndefined();
      expect(await campaigns.countDeliveries(clubId, campaignId)).toEqual({
        sent: 1,
        unknown: 0,
        queued: 0,
        dropped: { 'over-budget': 1 },
        outcomes: { bounced: 1 },
      });
      const listed = await campaigns.listDecisions(clubId, campaignId);
      const byMember = Object.fromEntries(listed.map((r) => [r.decision.memberId, r.delivery?.state ?? 'none']));
      expect(byMember).toEqual({ a: 'bounced', b: 'dropped', c: 'queued', d: 'none' });
    });

    it('reads the decisions and deliveries of the members asked for only, as the whole list has them', async () => {
      const { campaigns } = make();
      const clubId = uniqueId('club');
      const campaignId = uniqueId('c');
      await campaigns.createCampaign(aCampaign({ clubId, campaignId }));
      for (const id of ['a', 'b', 'c']) await campaigns.recordDecision(clubId, campaignId, sendTo(id), AT);
      await campaigns.recordDecision(clubId, campaignId, suppress('d'), AT);
      await campaigns.recordDelivery(clubId, campaignId, 'a', {
        state: 'sent',
        messageId: 'ses-a',
        at: AT.toISOString(),
      });
      const listed = await campaigns.listDecisions(clubId, campaignId);
      const asked = await campaigns.decisionsOf(clubId, campaignId, ['a', 'c', 'd', 'nobody', 'a']);
      const byMember = (records: typeof listed) =>
        records.map((r) => r.decision.memberId).sort((x, y) => (x < y ? -1 : 1));
      expect(byMember(asked)).toEqual(['a', 'c', 'd']);
      for (const record of asked)
        expect(record).toEqual(listed.find((r) => r.decision.memberId === record.decision.memberId));
      expect(asked.find((r) => r.decision.memberId === 'a')?.delivery).toMatchObject({ state: 'sent' });
      expect(await campaigns.decisionsOf(clubId, campaignId, [])).toEqual([]);
    });

    it('lets exactly one worker take over an unknown mail', async () => {
      const { campaigns } = make();
      const clubId = uniqueId('club');
      const campaignId = uniqueId('c');
      const since = AT.toISOString();
      await campaigns.recordDelivery(clubId, campaignId, 'a', { state: 'unknown', since });
      const takers = await Promise.all(
        [1, 2, 3].map(() => campaigns.takeOverUnknown(clubId, campaignId, 'a', since, later(10))),
      );
      expect(takers.filter(Boolean)).toHaveLength(1);
      expect(await campaigns.getDelivery(clubId, campaignId, 'a')).toEqual({
        state: 'unknown',
        since: later(10).toISOString(),
      });
      expect(await campaigns.takeOverUnknown(clubId, campaignId, 'nobody', since, later(10))).toBe(false);
    });

    it("sums finished shards' tallies once each, and says when the last one is done", async () => {
      const { campaigns } = make();
      const clubId = uniqueId('club');
      const campaignId = uniqueId('c');
      const tally = { planned: 2, toSend: 1, suppressed: { unsubscribed: 1 }, deferred: {} };
      expect(await campaigns.finishShard(clubId, campaignId, { index: 0, of: 3 }, tally)).toBe(false);
      expect(await campaigns.finishShard(clubId, campaignId, { index: 0, of: 3 }, tally)).toBe(false);
      expect(await campaigns.finishShard(clubId, campaignId, { index: 2, of: 3 }, tally)).toBe(false);
      expect(await campaigns.planTally(clubId, campaignId)).toEqual({
        tally: { planned: 4, toSend: 2, suppressed: { unsubscribed: 2 }, deferred: {} },
        shardsDone: 2,
      });
      expect(await campaigns.finishShard(clubId, campaignId, { index: 1, of: 3 }, tally)).toBe(true);
      expect((await campaigns.planTally(clubId, campaignId)).shardsDone).toBe(3);
    });
  });

  describe('the contact ledger', () => {
    it('claims a mail once, within the budget, not for a stopped member, and gives a claim back as a tombstone', async () => {
      const { members, ledger } = make();
      const clubId = uniqueId('club');
      const memberId = uniqueId('m');
      await members.createMember(aMember({ clubId, memberId }));
      const claim = (sendId: string, now: Date) =>
        ledger.claim({
          clubId,
          memberId,
          sendId,
          campaignId: sendId,
          now,
          policy: DEFAULT_BUDGET,
          frequency: 'club-default',
        });
      expect((await claim('s1', AT)).kind).toBe('claimed');
      expect(await claim('s1', later(1))).toEqual({ kind: 'already-claimed', at: AT.getTime() });
      expect((await claim('s2', later(60 * 25))).kind).toBe('claimed');
      expect((await claim('s3', later(60 * 49))).kind).toBe('claimed');
      // The default budget: at most 3 mails in 7 days.
      expect((await claim('s4', later(60 * 73))).kind).toBe('over-budget');
      await ledger.release({ clubId, memberId, sendId: 's3' });
      expect((await claim('s3', later(60 * 74))).kind).toBe('already-claimed');
      expect((await claim('s4', later(60 * 74))).kind).toBe('claimed');
      await members.unsubscribe(clubId, memberId, later(60 * 75), 'link');
      expect(await claim('s5', later(60 * 24 * 20))).toEqual({ kind: 'stopped', reason: 'unsubscribed' });
    });

    it('lets one of many concurrent claims of the last mail in the budget through', async () => {
      const { members, ledger } = make();
      const clubId = uniqueId('club');
      const memberId = uniqueId('m');
      await members.createMember(aMember({ clubId, memberId }));
      const policy = { ...DEFAULT_BUDGET, windows: [{ days: 7, max: 1 }] };
      const outcomes = await Promise.all(
        ['a', 'b', 'c', 'd'].map((sendId) =>
          ledger.claim({ clubId, memberId, sendId, campaignId: sendId, now: AT, policy, frequency: 'club-default' }),
        ),
      );
      expect(outcomes.filter((o) => o.kind === 'claimed')).toHaveLength(1);
    });

    it('holds surveys back after a service case, and knows no service case of a member who does not exist', async () => {
      const { members, serviceContacts } = make();
      const clubId = uniqueId('club');
      const memberId = uniqueId('m');
      expect(await serviceContacts.record(clubId, memberId, AT)).toBe('not-found');
      await members.createMember(aMember({ clubId, memberId }));
      expect(await serviceContacts.record(clubId, memberId, later(5))).toBe('recorded');
      expect(await serviceContacts.record(clubId, memberId, AT)).toBe('recorded');
      expect((await members.getState(clubId, memberId))?.ledger.serviceCaseAt).toBe(later(5).getTime());
    });
  });
}
