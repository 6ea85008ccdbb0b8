import { describe, expect, it } from 'vitest';
import { BUILT_IN_THEMES } from '../../lambdas/core/built-in-themes.js';
import { EMPTY_CLUB_MODEL } from '../../lambdas/core/club-model.js';
import type { Decision } from '../../lambdas/core/decision.js';
import { EMPTY_PROFILE } from '../../lambdas/core/profile.js';
import { uniqueId } from '../support/ids.js';
import { aCampaign, aClub, aMember, anOffer, aProduct } from '../unit/fixtures.js';
import type { MakeStores } from './stores.js';

const AT = new Date('2026-03-02T10:00:00.000Z');
const later = (minutes: number) => new Date(AT.getTime() + minutes * 60_000);

/** What the club's stores (ClubStore, PurchaseStore, PopularityStore, ModelStore, MemberDataStore, MemberRoster) promise. */
export function clubDataContract(make: MakeStores): void {
  describe('the club store', () => {
    it('creates a club once and keeps its catalog and its own themes', async () => {
      const { clubs } = make();
      const club = aClub({ clubId: uniqueId('club') });
      expect(await clubs.createClub(club)).toBe('created');
      expect(await clubs.createClub({ ...club, name: 'Taken' })).toBe('exists');
      expect((await clubs.getClub(club.clubId))?.name).toBe(club.name);
      expect(await clubs.getClub(uniqueId('none'))).toBeUndefined();
      const pasta = aProduct({ productId: 'pasta' });
      const milk = aProduct({ productId: 'milk' });
      await clubs.putProducts(club.clubId, [pasta, milk]);
      await clubs.putOffers(club.clubId, [anOffer(pasta, { offerId: 'o-pasta' }).offer]);
      await clubs.putProducts(club.clubId, [{ ...milk, name: 'Whole milk' }]);
      const catalog = await clubs.getCatalog(club.clubId);
      expect(catalog.products.map((p) => [p.productId, p.name]).sort()).toEqual([
        ['milk', 'Whole milk'],
        ['pasta', 'pasta'],
      ]);
      expect(catalog.offers.map((o) => o.offerId)).toEqual(['o-pasta']);
      const builtIn = BUILT_IN_THEMES[0];
      if (!builtIn) throw new Error('no built-in theme');
      await clubs.putTheme(club.clubId, { ...structuredClone(builtIn), id: 'harvest' });
      expect((await clubs.listThemes(club.clubId)).map((t) => t.id)).toEqual(['harvest']);
    });
  });

  describe('the purchase, popularity and model stores', () => {
    it('keeps receipts per member, a corrected receipt replacing its first version', async () => {
      const { purchases } = make();
      const clubId = uniqueId('club');
      const receipt = {
        receiptId: 'r1',
        memberId: 'a',
        at: AT.toISOString(),
        items: [{ productId: 'pasta', quantity: 1 }],
      };
      await purchases.putReceipts(clubId, [receipt, { ...receipt, receiptId: 'r2', memberId: 'b' }]);
      await purchases.putReceipts(clubId, [{ ...receipt, items: [{ productId: 'milk', quantity: 2 }] }]);
      expect(await purchases.listReceipts(clubId, 'a')).toEqual([
        { ...receipt, items: [{ productId: 'milk', quantity: 2 }] },
      ]);
      expect(await purchases.listReceipts(clubId, 'nobody')).toEqual([]);
      // A line's amount, when the till sent one, is kept (spend rules and the experiment's spend read it).
      const priced = { ...receipt, receiptId: 'r3', items: [{ productId: 'milk', quantity: 2, amount: 25.5 }] };
      await purchases.putReceipts(clubId, [priced]);
      expect((await purchases.listReceipts(clubId, 'a')).find((r) => r.receiptId === 'r3')).toEqual(priced);
    });

    it('adds trip counts, each applyId once until forgotten, and scales popularity to the most bought', async () => {
      const { popularity } = make();
      const clubId = uniqueId('club');
      await popularity.add(clubId, new Map([['pasta', 4]]));
      await popularity.addOnce(
        clubId,
        new Map([
          ['pasta', 4],
          ['milk', 2],
        ]),
        'job-1',
      );
      await popularity.addOnce(
        clubId,
        new Map([
          ['pasta', 4],
          ['milk', 2],
        ]),
        'job-1',
      );
      expect(await popularity.counts(clubId)).toEqual(
        new Map([
          ['pasta', 8],
          ['milk', 2],
        ]),
      );
      await popularity.addOnce(clubId, new Map([['milk', -1]]), 'job-2');
      expect(await popularity.get(clubId)).toEqual(
        new Map([
          ['pasta', 1],
          ['milk', 1 / 8],
        ]),
      );
      await popularity.forget(clubId, 'job-1');
      await popularity.addOnce(clubId, new Map([['pasta', 1]]), 'job-1');
      expect((await popularity.counts(clubId)).get('pasta')).toBe(9);
    });

    it('replaces the club model whole', async () => {
      const { models } = make();
      const clubId = uniqueId('club');
      expect(await models.get(clubId)).toBeUndefined();
      await models.put(clubId, { ...EMPTY_CLUB_MODEL, members: 3, successors: { pasta: { sauce: 0.5 } } });
      await models.put(clubId, { ...EMPTY_CLUB_MODEL, members: 4, propensity: { milk: 0.25 } });
      expect(await models.get(clubId)).toEqual({ ...EMPTY_CLUB_MODEL, members: 4, propensity: { milk: 0.25 } });
    });
  });

  describe("the member's data and the roster", () => {
    it("collects all of one member's data and erases it, a second erasure finding nothing", async () => {
      const { members, purchases, campaigns, memberData } = make();
      const clubId = uniqueId('club');
      const memberId = uniqueId('m');
      expect(await memberData.collect(clubId, memberId)).toBeUndefined();
      await members.createMember(aMember({ clubId, memberId }));
      await members.putProfile(clubId, memberId, { ...EMPTY_PROFILE, receipts: 1, lines: 1 });
      await members.unsubscribe(clubId, memberId, AT, 'link');
      const receipt = { receiptId: 'r1', memberId, at: AT.toISOString(), items: [{ productId: 'pasta', quantity: 1 }] };
      await purchases.putReceipts(clubId, [receipt]);
      const campaignId = uniqueId('c');
      await campaigns.createCampaign(aCampaign({ clubId, campaignId }));
      const decision: Decision = { outcome: 'send', memberId, sendId: 's1', offers: [], message: 'hi' };
      await campaigns.recordDecision(clubId, campaignId, decision, AT);
      await campaigns.recordDelivery(clubId, campaignId, memberId, {
        state: 'sent',
        messageId: 'ses-1',
        at: later(1).toISOString(),
      });
      const data = await memberData.collect(clubId, memberId);
      expect(data?.member.memberId).toBe(memberId);
      expect(data?.consentHistory.map((c) => c.marketing)).toEqual([true, false]);
      expect(data?.withdrawals).toEqual([{ scope: 'marketing', at: AT.toISOString(), source: 'link' }]);
      expect(data?.profile?.receipts).toBe(1);
      expect(data?.ledger?.stop?.reason).toBe('unsubscribed');
      expect(data?.receipts).toEqual([receipt]);
      expect(data?.decisions).toEqual([expect.objectContaining({ campaignId, decision, decidedAt: AT.toISOString() })]);
      expect(data?.deliveries).toEqual([expect.objectContaining({ campaignId, state: 'sent', messageId: 'ses-1' })]);
      expect((await memberData.erase(clubId, memberId)).deletedItems).toBeGreaterThanOrEqual(6);
      expect(await memberData.collect(clubId, memberId)).toBeUndefined();
      expect(await purchases.listReceipts(clubId, memberId)).toEqual([]);
      expect(await campaigns.listDecisions(clubId, campaignId)).toEqual([]);
      expect(await memberData.erase(clubId, memberId)).toEqual({ deletedItems: 0 });
    });

    it("lists the club's subscribed members over the roster's partitions", async () => {
      const { members, memberRoster } = make();
      const clubId = uniqueId('club');
      const ids = Array.from({ length: 30 }, (_, i) => `m${i}-${uniqueId('x')}`);
      for (const memberId of ids)
        await members.createMember(aMember({ clubId, memberId, email: `${memberId}@example.com` }));
      const gone = ids.slice(0, 5);
      for (const memberId of gone) await members.unsubscribe(clubId, memberId, AT, 'link');
      const listed: string[] = [];
      for (let partition = 0; partition < memberRoster.partitions; partition++) {
        let cursor: string | undefined;
        do {
          const page = await memberRoster.subscribed(clubId, partition, cursor);
          listed.push(...page.memberIds);
          cursor = page.cursor;
        } while (cursor);
      }
      expect(listed.sort()).toEqual(ids.filter((id) => !gone.includes(id)).sort());
    });
  });
}
