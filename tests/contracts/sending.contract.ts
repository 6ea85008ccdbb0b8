import { describe, expect, it } from 'vitest';
import { uniqueId } from '../support/ids.js';
import type { MakeStores } from './stores.js';

const AT = new Date('2026-03-02T10:00:30.000Z');
const later = (minutes: number) => new Date(AT.getTime() + minutes * 60_000);

/** What DeliveryStats, SendingSwitch and SuppressionList promise, whatever holds them. */
export function sendingContract(make: MakeStores): void {
  describe('the delivery stats', () => {
    it('finds the SEND evidence of a sendId within its time window only', async () => {
      const { deliveryStats } = make();
      const clubId = uniqueId('club');
      await deliveryStats.logSends(clubId, [
        { sendId: 's1', messageId: 'ses-1', mailAt: AT.toISOString() },
        { sendId: 's2', messageId: 'ses-2', mailAt: later(3).toISOString() },
      ]);
      expect(await deliveryStats.findSend(clubId, 's1', later(-1), later(1))).toBe('ses-1');
      expect(await deliveryStats.findSend(clubId, 's2', later(-1), later(1))).toBeUndefined();
      expect(await deliveryStats.findSend(clubId, 's2', later(2), later(4))).toBe('ses-2');
      expect(await deliveryStats.findSend(uniqueId('other'), 's1', later(-1), later(1))).toBeUndefined();
    });

    it("adds the club's daily and the campaign's counters, summing days in a range", async () => {
      const { deliveryStats } = make();
      const clubId = uniqueId('club');
      await deliveryStats.add(clubId, '2026-03-01', 'c1', { sent: 10, bounced: 1 });
      await deliveryStats.add(clubId, '2026-03-02', 'c1', { sent: 5, complained: 1, delivered: 4 });
      await deliveryStats.add(clubId, '2026-03-05', undefined, { sent: 7 });
      await deliveryStats.add(clubId, '2026-03-05', 'c1', {});
      expect(await deliveryStats.clubCounts(clubId, '2026-03-01', '2026-03-02')).toEqual({
        sent: 15,
        bounced: 1,
        complained: 1,
      });
      expect(await deliveryStats.clubCounts(clubId, '2026-03-03', '2026-03-31')).toEqual({
        sent: 7,
        bounced: 0,
        complained: 0,
      });
      expect(await deliveryStats.campaignCounts(clubId, 'c1')).toEqual({
        sent: 15,
        bounced: 1,
        complained: 1,
        delivered: 4,
      });
      expect(await deliveryStats.campaignCounts(clubId, 'none')).toEqual({});
    });
  });

  describe('the sending switch', () => {
    it("keeps a club's rates pause until a person closes it, and a probe closes only a breaker with a probe time", async () => {
      const { sending } = make();
      const clubId = uniqueId('club');
      const scope = { kind: 'club', clubId } as const;
      expect(await sending.read(clubId)).not.toHaveProperty('club');
      const rates = { state: 'open', reason: 'complaint-rate', openedAt: AT.toISOString() } as const;
      expect(await sending.open(scope, rates)).toBe(true);
      expect(await sending.open(scope, { ...rates, probeAfter: later(5).toISOString() })).toBe(false);
      expect(await sending.close(scope, later(1), 'probe', { probing: true })).toBe(false);
      expect((await sending.read(clubId)).club).toMatchObject({ state: 'open', reason: 'complaint-rate' });
      expect(await sending.close(scope, later(2), 'user:anna')).toBe(true);
      expect(await sending.close(scope, later(3), 'user:anna')).toBe(false);
      expect((await sending.read(clubId)).club).toMatchObject({ state: 'closed', closedBy: 'user:anna' });
      const refused = {
        state: 'open',
        reason: 'sender',
        openedAt: AT.toISOString(),
        probeAfter: later(5).toISOString(),
      } as const;
      expect(await sending.open(scope, refused)).toBe(true);
      expect(await sending.open(scope, { ...refused, probeAfter: later(10).toISOString() })).toBe(true);
      expect(await sending.close(scope, later(11), 'probe', { probing: true })).toBe(true);
    });
  });

  describe('the suppression list', () => {
    it('blocks an address however it is written, a stronger reason replacing a weaker one, by its hash only', async () => {
      const { suppressions } = make();
      const clubId = uniqueId('club');
      await suppressions.add(clubId, 'Anna@Example.com ', AT, 'crm', 'withdrawn', ['signup-form']);
      expect(await suppressions.has(clubId, 'anna@example.com')).toBe(true);
      expect(await suppressions.has(uniqueId('other'), 'anna@example.com')).toBe(false);
      expect(await suppressions.hash('ANNA@example.com')).toBe(await suppressions.hash(' anna@example.com'));
      expect(await suppressions.hash('anna@example.com')).not.toContain('anna');
      let found = await suppressions.find(clubId, ['anna@example.com', 'ANNA@EXAMPLE.COM', 'bo@example.com']);
      expect([...found.keys()]).toEqual(['anna@example.com', 'ANNA@EXAMPLE.COM']);
      expect(found.get('anna@example.com')).toEqual({
        reason: 'withdrawn',
        at: AT.toISOString(),
        grantSources: ['signup-form'],
      });
      await suppressions.add(clubId, 'anna@example.com', later(1), 'ses', 'complaint');
      await suppressions.add(clubId, 'anna@example.com', later(2), 'crm', 'withdrawn');
      found = await suppressions.find(clubId, ['anna@example.com']);
      expect(found.get('anna@example.com')).toEqual({ reason: 'complaint', at: later(1).toISOString() });
    });

    it('lifts an entry for a newer grant only, and never a hard bounce', async () => {
      const { suppressions } = make();
      const clubId = uniqueId('club');
      await suppressions.add(clubId, 'a@example.com', AT, 'crm', 'withdrawn');
      await suppressions.add(clubId, 'b@example.com', AT, 'ses', 'hard-bounce');
      expect(await suppressions.lift(clubId, 'a@example.com', { at: later(-1).toISOString(), source: 'crm' })).toBe(
        false,
      );
      expect(await suppressions.lift(clubId, 'a@example.com', { at: later(1).toISOString(), source: 'shop' })).toBe(
        true,
      );
      expect(await suppressions.lift(clubId, 'a@example.com', { at: later(2).toISOString(), source: 'shop' })).toBe(
        false,
      );
      expect(await suppressions.has(clubId, 'a@example.com')).toBe(false);
      expect(await suppressions.lift(clubId, 'b@example.com', { at: later(1).toISOString(), source: 'shop' })).toBe(
        false,
      );
      expect(await suppressions.has(clubId, 'b@example.com')).toBe(true);
      // A lifted entry is put in force again by a new withdrawal.
      await suppressions.add(clubId, 'a@example.com', later(3), 'crm', 'withdrawn');
      expect(await suppressions.has(clubId, 'a@example.com')).toBe(true);
    });
  });
}
