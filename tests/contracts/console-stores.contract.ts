import { describe, expect, it } from 'vitest';
import { uniqueId } from '../support/ids.js';
import { aMember } from '../unit/fixtures.js';
import type { MakeStores } from './stores.js';

/** What the console's stores (SnapshotStore, MemberDirectory, CampaignOutcomes) promise. */
export function consoleStoresContract(make: MakeStores): void {
  describe('the snapshot store', () => {
    it('writes a header only over the version it read, and lists a run’s rows by prefix in key order', async () => {
      const { snapshots } = make();
      const clubId = uniqueId('club');
      const header = { clubId, kind: 'dry-run' as const, campaignId: 'c1', runId: 'r1', version: 1, state: { n: 1 } };
      expect(await snapshots.getHeader(clubId, 'dry-run', 'c1')).toBeUndefined();
      expect(await snapshots.putHeader(header, undefined)).toBe('written');
      expect(await snapshots.putHeader({ ...header, state: { n: 9 } }, undefined)).toBe('changed');
      expect(await snapshots.putHeader({ ...header, version: 2, state: { n: 2 } }, 1)).toBe('written');
      // A second writer who read version 1 loses.
      expect(await snapshots.putHeader({ ...header, version: 2, state: { n: 3 } }, 1)).toBe('changed');
      expect(await snapshots.getHeader(clubId, 'dry-run', 'c1')).toEqual({ ...header, version: 2, state: { n: 2 } });
      expect(await snapshots.getHeader(clubId, 'report', 'c1')).toBeUndefined();

      await snapshots.putRows(header, [
        { key: 'held#b', rows: [2] },
        { key: 'held#a', rows: [1] },
        { key: 'held#c', rows: [3] },
        { key: 'sent#a', rows: ['x'] },
      ]);
      const first = await snapshots.listRows(header, 'held#', undefined, 2);
      expect(first).toEqual({
        rows: [
          { key: 'held#a', rows: [1] },
          { key: 'held#b', rows: [2] },
        ],
        more: true,
      });
      const rest = await snapshots.listRows(header, 'held#', 'held#c', 2);
      expect(rest.rows).toEqual([{ key: 'held#c', rows: [3] }]);
      expect((await snapshots.listRows({ ...header, runId: 'r2' }, 'held#', undefined, 5)).rows).toEqual([]);
    });
  });

  describe('the member directory and campaign outcomes', () => {
    it('finds members by id or the start of a first name in any case, counts them, and knows no click without a mail', async () => {
      const { members, memberDirectory, outcomes } = make();
      const clubId = uniqueId('club');
      await members.createMember(aMember({ clubId, memberId: 'm-anna', firstName: 'Anna' }));
      await members.createMember(aMember({ clubId, memberId: 'm-annika', firstName: 'annika' }));
      await members.createMember(aMember({ clubId, memberId: 'm-bo', firstName: 'Bo' }));
      const found = await memberDirectory.search(clubId, 'ANN', undefined);
      expect(found.members.map((m) => m.memberId).sort()).toEqual(['m-anna', 'm-annika']);
      expect((await memberDirectory.search(clubId, 'm-bo', undefined)).members).toEqual([
        { memberId: 'm-bo', firstName: 'Bo' },
      ]);
      expect(await memberDirectory.count(clubId)).toBe(3);
      expect(await outcomes.noteClick(clubId, 'no-campaign', 'm-bo', new Date())).toBe('unknown');
    });
  });
}
