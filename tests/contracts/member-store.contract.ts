import { describe, expect, it } from 'vitest';
import type { Member } from '../../lambdas/core/model.js';
import { buildProfile, EMPTY_PROFILE } from '../../lambdas/core/profile.js';
import { uniqueId } from '../support/ids.js';
import { aMember, CATALOG, CATALOG_MAP } from '../unit/fixtures.js';
import type { MakeStores } from './stores.js';

const AT = new Date('2026-03-02T10:00:00.000Z');
const later = (minutes: number) => new Date(AT.getTime() + minutes * 60_000);

/** A member of a fresh club, with a fresh id and address. */
function freshMember(overrides: Parameters<typeof aMember>[0] = {}): Member {
  const memberId = uniqueId('m');
  return aMember({ clubId: uniqueId('club'), memberId, email: `${memberId}@example.com`, ...overrides });
}

/** What MemberStore promises, whatever holds the members. */
export function memberStoreContract(make: MakeStores): void {
  describe('the member store', () => {
    it('creates a member once, finds it by id and leaves absent ids out', async () => {
      const { members } = make();
      const member = freshMember();
      expect(await members.createMember(member)).toBe('created');
      expect(await members.createMember({ ...member, firstName: 'Other' })).toBe('exists');
      const found = await members.getMembers(member.clubId, [member.memberId, 'nobody', member.memberId]);
      expect([...found.keys()]).toEqual([member.memberId]);
      expect(found.get(member.memberId)?.firstName).toBe(member.firstName);
      const state = await members.getState(member.clubId, member.memberId);
      expect(state?.member.email).toBe(member.email);
      expect(state?.profile.receipts).toBe(0);
      expect(state?.ledger.stop).toBeUndefined();
      expect(await members.getState(member.clubId, 'nobody')).toBeUndefined();
      expect(await members.getForSend(member.clubId, 'nobody')).toBeUndefined();
    });

    it('unsubscribes once, appends one withdrawal and stops the ledger, however often it is called', async () => {
      const { members } = make();
      const member = freshMember();
      await members.createMember(member);
      expect(await members.unsubscribe(member.clubId, member.memberId, AT, 'link')).toBe('changed');
      expect(await members.unsubscribe(member.clubId, member.memberId, later(1), 'link')).toBe('unchanged');
      const sendView = await members.getForSend(member.clubId, member.memberId, { consistent: true });
      expect(sendView?.member.subscription).toBe('unsubscribed');
      expect(sendView?.member.consentHistory?.filter((c) => !c.marketing)).toHaveLength(1);
      expect(sendView?.ledger.stop?.reason).toBe('unsubscribed');
      expect(await members.unsubscribe(member.clubId, 'nobody', AT, 'link')).toBe('unchanged');
    });

    it("changes a member's own choices, pauses and resumes, and rejects an inference once", async () => {
      const { members } = make();
      const member = freshMember();
      await members.createMember(member);
      const { clubId, memberId } = member;
      expect(await members.updatePreferences(clubId, 'nobody', { frequency: 'weekly' }, AT, 'page')).toBe('not-found');
      const until = later(60 * 24).toISOString();
      expect(
        await members.updatePreferences(clubId, memberId, { frequency: 'weekly', pausedUntil: until }, AT, 'page'),
      ).toBe('updated');
      let state = await members.getState(clubId, memberId);
      expect(state?.member.preferences).toMatchObject({ frequency: 'weekly', pausedUntil: until, updatedVia: 'page' });
      expect(state?.ledger.stop?.reason).toBe('paused');
      await members.updatePreferences(
        clubId,
        memberId,
        { pausedUntil: null, rejectInference: 'vegan' },
        later(1),
        'page',
      );
      await members.updatePreferences(clubId, memberId, { rejectInference: 'vegan', language: 'sv' }, later(2), 'page');
      state = await members.getState(clubId, memberId);
      expect(state?.member.preferences.pausedUntil).toBeUndefined();
      expect(state?.member.preferences.rejectedInferences).toEqual(['vegan']);
      expect(state?.member.language).toBe('sv');
      expect(state?.member.languageChosenAt).toBe(later(2).toISOString());
      expect(state?.ledger.stop).toBeUndefined();
    });

    it("syncs a club's change, refuses one planned on an older history or over the member's own language", async () => {
      const { members } = make();
      const member = freshMember();
      const { clubId, memberId } = member;
      expect(await members.syncMember(clubId, memberId, { set: { firstName: 'X' } }, AT)).toBe('not-found');
      await members.createMember(member);
      expect(await members.syncMember(clubId, memberId, { set: { firstName: 'Berit' } }, AT)).toBe('updated');
      expect((await members.getState(clubId, memberId))?.member.firstName).toBe('Berit');
      const withdrawal = { ...member.consent, marketing: false, at: later(1).toISOString(), source: 'crm' };
      const consent = { append: [withdrawal], effective: withdrawal, basedOn: 0, initial: [member.consent] };
      expect(await members.syncMember(clubId, memberId, { set: {}, consent }, later(1))).toBe('updated');
      const state = await members.getState(clubId, memberId);
      expect(state?.member.consentHistory).toHaveLength(2);
      expect(state?.ledger.stop?.reason).toBe('no-consent');
      // The plan was made on an empty history; two events are stored now.
      expect(await members.syncMember(clubId, memberId, { set: {}, consent }, later(2))).toBe('conflict');
      await members.updatePreferences(clubId, memberId, { language: 'sv' }, later(3), 'page');
      expect(await members.syncMember(clubId, memberId, { set: { language: 'en' } }, later(4))).toBe('conflict');
      expect((await members.getState(clubId, memberId))?.member.language).toBe('sv');
    });

    it('marks a member undeliverable only ever worse, never back', async () => {
      const { members } = make();
      const member = freshMember();
      await members.createMember(member);
      const { clubId, memberId } = member;
      expect(await members.markUndeliverable(clubId, memberId, 'bounced', AT, 'hard')).toBe('changed');
      expect(await members.markUndeliverable(clubId, memberId, 'bounced', later(1), 'hard')).toBe('unchanged');
      expect(await members.markUndeliverable(clubId, memberId, 'undeliverable', later(2), 'soft')).toBe('unchanged');
      expect(await members.markUndeliverable(clubId, memberId, 'complained', later(3), 'abuse')).toBe('changed');
      expect(await members.markUndeliverable(clubId, 'nobody', 'complained', later(3), 'abuse')).toBe('unchanged');
      const state = await members.getState(clubId, memberId);
      expect(state?.member.deliverability).toBe('complained');
      expect(state?.ledger.stop?.reason).toBe('complained');
    });

    it('counts soft bounces once per send within the window, and engagement only forward', async () => {
      const { members } = make();
      const member = freshMember();
      await members.createMember(member);
      const { clubId, memberId } = member;
      expect(await members.recordSoftBounce(clubId, memberId, 's1', AT, 7)).toBe(1);
      expect(await members.recordSoftBounce(clubId, memberId, 's1', AT, 7)).toBe(1);
      expect(await members.recordSoftBounce(clubId, memberId, 's2', later(60 * 24 * 10), 7)).toBe(1);
      expect(await members.recordSoftBounce(clubId, memberId, 's3', later(60 * 24 * 11), 30)).toBe(3);
      expect(await members.recordSoftBounce(clubId, 'nobody', 's1', AT, 7)).toBe(0);
      await members.noteEngagement(clubId, memberId, later(5));
      await members.noteEngagement(clubId, memberId, later(1));
      expect((await members.getState(clubId, memberId))?.member.lastEngagedAt).toBe(later(5).toISOString());
    });

    it('gives a profile back exactly as it was put, one at a time or many, whatever its times look like', async () => {
      const { members } = make();
      const member = freshMember();
      await members.createMember(member);
      const line = (receiptId: string, at: string, productId: string) => ({
        memberId: member.memberId,
        receiptId,
        at,
        productId,
      });
      const lines = [
        line('r1', '2026-01-05T08:00:00.000Z', CATALOG.spaghetti.productId),
        line('r2', '2026-02-01T09:30:00+01:00', CATALOG.spaghetti.productId),
        line('r2', '2026-02-01T09:30:00+01:00', CATALOG.sourdough.productId),
        line('r3', '2026-02-20T18:15:42.5Z', 'not-in-the-catalog'),
      ];
      const profile = buildProfile(lines, CATALOG_MAP, AT);
      await members.putProfile(member.clubId, member.memberId, profile);
      expect((await members.getState(member.clubId, member.memberId))?.profile).toEqual(profile);
      const again = { ...profile, receipts: profile.receipts + 1 };
      await members.putProfiles(member.clubId, [{ memberId: member.memberId, profile: again }]);
      const page = await members.listShard(member.clubId, { index: 0, of: 1 }, undefined, 10);
      expect(page.states.find((s) => s.member.memberId === member.memberId)?.profile).toEqual(again);
    });

    it("lists each member once over a plan's shards, a page at a time, with profile and ledger", async () => {
      const { members } = make();
      const clubId = uniqueId('club');
      const ids = Array.from({ length: 40 }, (_, i) => `m${i}-${uniqueId('x')}`);
      for (const memberId of ids)
        await members.createMember(aMember({ clubId, memberId, email: `${memberId}@example.com` }));
      const first = ids[0] ?? '';
      await members.putProfile(clubId, first, { ...EMPTY_PROFILE, receipts: 4, lines: 9 });
      for (const of of [16, 3]) {
        const seen: string[] = [];
        for (let index = 0; index < of; index++) {
          let cursor: string | undefined;
          do {
            const page = await members.listShard(clubId, { index, of }, cursor, 7);
            expect(page.states.length).toBeLessThanOrEqual(7);
            seen.push(...page.states.map((s) => s.member.memberId));
            for (const s of page.states) if (s.member.memberId === first) expect(s.profile.receipts).toBe(4);
            cursor = page.cursor;
          } while (cursor);
        }
        expect(seen.sort()).toEqual([...ids].sort());
      }
    });
  });
}
