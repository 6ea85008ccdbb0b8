import { describe, expect, it } from 'vitest';
import { DEFAULT_BUDGET } from '../../lambdas/core/budget.js';
import { EMPTY_LEDGER, foldedInto, pendingFoldsFor, sendIdFor } from '../../lambdas/core/ledger.js';
import { uniqueId } from '../support/ids.js';
import { aMember } from '../unit/fixtures.js';
import type { MakeStores } from './stores.js';

const AT = '2026-03-02T10:00:00.000Z';
const later = (minutes: number) => new Date(Date.parse(AT) + minutes * 60_000);

/** What the ledger and campaign store promise for folds left for a later mail (docs/decisions/0054). */
export function lateFoldsContract(make: MakeStores): void {
  describe('pending folds in the ledger', () => {
    it('leaves a held-back offer for a later mail once, keeps it through a stop and other claims, and settles it with that mail’s claim', async () => {
      const { members, ledger } = make();
      const clubId = uniqueId('club');
      const memberId = uniqueId('m');
      await members.createMember(aMember({ clubId, memberId }));
      const ids = { clubId, memberId };
      const pendingFor = async (campaignId: string) => {
        const state = await members.getState(clubId, memberId);
        if (!state) throw new Error('member gone');
        return pendingFoldsFor(state.ledger, { ...ids, campaignId });
      };
      const before = await members.getState(clubId, memberId);
      const leave = (now: Date, hint = before?.ledger) =>
        ledger.leaveFold({ ...ids, campaignId: 'weekly', into: 'big', now, ...(hint ? { ledger: hint } : {}) });
      expect(await leave(later(0))).toBe('left');
      // A replayed plan page (its hint now stale) finds the fold waiting and writes nothing.
      expect(await leave(later(1))).toBe('unchanged');
      expect(await pendingFor('big')).toEqual(['weekly']);
      expect(await pendingFor('other')).toEqual([]);

      // Another campaign's mail and a pause and its end leave the fold waiting.
      const claim = (campaignId: string, now: Date, folds?: string[]) =>
        ledger.claim({
          ...ids,
          sendId: sendIdFor(clubId, campaignId, memberId),
          campaignId,
          now,
          policy: DEFAULT_BUDGET,
          frequency: 'club-default',
          ...(folds ? { folds } : {}),
        });
      expect((await claim('survey-ish', later(2))).kind).toBe('claimed');
      const until = later(3).toISOString();
      await members.updatePreferences(clubId, memberId, { pausedUntil: until }, later(2), 'page');
      expect(await pendingFor('big')).toEqual(['weekly']);

      // The carrying mail's claim marks the held-back send folded and settles the pending entry.
      const weekly = sendIdFor(clubId, 'weekly', memberId);
      const carried = await claim('big', later(4 * 24 * 60), [weekly]);
      expect(carried.kind).toBe('claimed');
      const after = await members.getState(clubId, memberId);
      expect(after && foldedInto(after.ledger, weekly)).toBe('big');
      expect(after?.ledger.pendingFolds?.weekly).toBeUndefined();
      expect(await pendingFor('big')).toEqual([]);
      // Nothing is left again once the campaign's send is in the ledger, even from a stale hint.
      expect(await leave(later(5 * 24 * 60), EMPTY_LEDGER)).toBe('unchanged');
    });

    it('counts only the carrier’s mails that went out naming the held-back campaign', async () => {
      const { campaigns } = make();
      const clubId = uniqueId('club');
      const big = uniqueId('big');
      const at = later(0).toISOString();
      const sent = (m: string) => ({ state: 'sent' as const, messageId: `msg-${m}`, at });
      await campaigns.recordDelivery(clubId, big, 'a', sent('a'), { lateFolds: ['weekly'] });
      await campaigns.recordDelivery(clubId, big, 'b', sent('b'), { lateFolds: ['weekly', 'pasta'] });
      await campaigns.recordDelivery(clubId, big, 'c', sent('c'));
      await campaigns.recordDelivery(clubId, big, 'd', { state: 'dropped', reason: 'unsubscribed', at });
      await campaigns.recordDelivery(clubId, big, 'e', { state: 'unknown', since: at });
      // An SES outcome after the mark keeps the mail counted.
      await campaigns.recordDelivery(clubId, big, 'a', { state: 'bounced', messageId: 'msg-a', at });
      expect(await campaigns.countLateFolds(clubId, big, 'weekly')).toBe(2);
      expect(await campaigns.countLateFolds(clubId, big, 'pasta')).toBe(1);
      expect(await campaigns.countLateFolds(clubId, big, 'other')).toBe(0);
      expect(await campaigns.countLateFolds(clubId, uniqueId('none'), 'weekly')).toBe(0);
    });
  });
}
