import { describe, expect, it } from 'vitest';
import type { SavedAudience } from '../../lambdas/core/audience.js';
import { Automation } from '../../lambdas/core/automation.js';
import { DEFAULT_BUDGET } from '../../lambdas/core/budget.js';
import { Experiment } from '../../lambdas/core/experiment.js';
import { foldedInto, sendIdFor } from '../../lambdas/core/ledger.js';
import { uniqueId } from '../support/ids.js';
import { aMember } from '../unit/fixtures.js';
import type { MakeStores } from './stores.js';

const AT = '2026-03-02T10:00:00.000Z';
const later = (minutes: number) => new Date(Date.parse(AT) + minutes * 60_000);

const anExperiment = (clubId: string, experimentId = 'leaving-2027') =>
  Experiment.parse({
    clubId,
    experimentId,
    status: 'running',
    arms: [
      { armId: 'budget', share: 0.9, policy: { type: 'club-budget' } },
      { armId: 'control', share: 0.1, policy: { type: 'no-campaign-mail' } },
    ],
    readableAfter: { minMembersPerArm: 1000, minMonths: 3 },
    startedAt: AT,
    updatedAt: AT,
  });

const anAutomation = (clubId: string, automationId: string, overrides: Partial<Automation> = {}) =>
  Automation.parse({
    clubId,
    automationId,
    name: 'Birthdays',
    recurrence: { every: 'day', at: '07:00' },
    timeZone: 'Europe/Stockholm',
    campaign: { name: 'Birthdays', theme: 'celebration', offerPool: ['o1'], occasion: { id: 'birthday' } },
    status: 'active',
    since: AT,
    createdAt: AT,
    updatedAt: AT,
    ...overrides,
  });

const anAudience = (clubId: string, audienceId: string, store: string): SavedAudience => ({
  clubId,
  audienceId,
  name: `Shops in ${store}`,
  description: '',
  rule: { rule: 'attribute', name: 'home_store', equals: store },
  createdAt: AT,
  updatedAt: AT,
});

/** What the stores main gained with the experiment, automations, audiences and mail controls promise. */
export function planningStoresContract(make: MakeStores): void {
  describe('the experiment store', () => {
    it('keeps the club experiment and its prediction, and a member arm once, read with the member and erased with them', async () => {
      const { experiments, members, memberData } = make();
      const clubId = uniqueId('club');
      const memberId = uniqueId('m');
      expect(await experiments.get(clubId)).toBeUndefined();
      expect(await experiments.getPrediction(clubId)).toBeUndefined();
      const experiment = anExperiment(clubId);
      await experiments.put(experiment);
      expect(await experiments.get(clubId)).toEqual(experiment);
      const prediction = {
        experimentId: experiment.experimentId,
        policies: 'p1',
        simulator: { members: 100, weeks: 8, seed: 1, world: 'demo grocer' },
        arms: [
          { armId: 'budget', leftShareByMonth: [0.01], mailsPerMemberPerMonth: 4, conversionsPerMemberPerMonth: 1 },
        ],
        computedAt: AT,
      };
      await experiments.putPrediction(clubId, prediction);
      expect(await experiments.getPrediction(clubId)).toEqual(prediction);

      await members.createMember(aMember({ clubId, memberId }));
      const first = { experimentId: experiment.experimentId, armId: 'budget', assignedAt: AT, draw: 0.5 };
      expect(await experiments.assign(clubId, memberId, first)).toEqual(first);
      // An assignment never changes: a second draw (another instance, a retry) gets the first back.
      const second = { ...first, armId: 'control', assignedAt: later(5).toISOString(), draw: 0.95 };
      expect(await experiments.assign(clubId, memberId, second)).toEqual(first);
      expect((await members.getState(clubId, memberId))?.assignments).toEqual([first]);
      const page = await members.listShard(clubId, { index: 0, of: 1 }, undefined, 10);
      expect(page.states.find((s) => s.member.memberId === memberId)?.assignments).toEqual([first]);
      expect((await memberData.collect(clubId, memberId))?.experimentArms).toEqual([first]);
      await memberData.erase(clubId, memberId);
      expect(await experiments.assign(clubId, memberId, second)).toEqual(second);
    });
  });

  describe("the experiment report's stored count", () => {
    it('writes the count only over the version it read, and reads back the months it holds', async () => {
      const { experiments, snapshots } = make();
      const clubId = uniqueId('club');
      expect(await experiments.getCount(clubId)).toBeUndefined();
      const run = {
        runId: 'r1',
        experimentId: 'leaving-2027',
        countingAt: AT,
        startedAt: AT,
        pageSize: 100,
        shards: Array.from({ length: 16 }, () => ({ pages: 0, done: false })),
        members: 0,
      };
      const count = { clubId, version: 1, run };
      expect(await experiments.putCount(count, undefined)).toBe('written');
      expect(await experiments.putCount({ ...count, run: { ...run, runId: 'r2' } }, undefined)).toBe('changed');
      const month = {
        month: '2026-03',
        complete: false,
        arms: [
          {
            armId: 'budget',
            policy: 'club-budget' as const,
            members: 10,
            left: { count: 1, estimate: 0.1, low: 0.0179, high: 0.4042 },
            passive: null,
            mailsPerMember: { estimate: 2, low: 1.5, high: 2.5 },
            conversionsPerMember: null,
            spendPerMember: null,
          },
        ],
        differences: [],
      };
      const last = { experimentId: 'leaving-2027', countedAt: AT, finishedAt: AT, slices: 16, months: [month] };
      expect(await experiments.putCount({ clubId, version: 2, last }, 1)).toBe('written');
      expect(await experiments.putCount({ clubId, version: 2, run }, 1)).toBe('changed');
      expect(await experiments.getCount(clubId)).toEqual({ clubId, version: 2, last });
      expect(await experiments.getCount(uniqueId('club'))).toBeUndefined();

      // A slice's tallies are rows of the run's snapshot: written twice under one key, they are there once.
      const ref = { clubId, kind: 'experiment' as const, campaignId: 'leaving-2027', runId: 'r1' };
      await snapshots.putRows(ref, [{ key: '00#000000', rows: [{ n: 1 }] }]);
      await snapshots.putRows(ref, [{ key: '00#000000', rows: [{ n: 1 }] }]);
      expect((await snapshots.listRows(ref, '', undefined, 10)).rows).toEqual([{ key: '00#000000', rows: [{ n: 1 }] }]);
    });
  });

  describe('the automation store', () => {
    it('creates an automation once, replaces it only as it was read, and moves its last run forward only', async () => {
      const { automations } = make();
      const clubId = uniqueId('club');
      const birthdays = anAutomation(clubId, 'birthdays');
      expect(await automations.create(birthdays)).toBe('created');
      expect(await automations.create({ ...birthdays, name: 'Taken' })).toBe('exists');
      await automations.create(anAutomation(clubId, 'anniversaries'));
      expect((await automations.list(clubId)).map((a) => a.automationId)).toEqual(['anniversaries', 'birthdays']);
      expect(await automations.list(uniqueId('none'))).toEqual([]);
      expect(await automations.get(clubId, 'nothing')).toBeUndefined();

      const paused = { ...birthdays, status: 'paused' as const, updatedAt: later(1).toISOString() };
      expect(await automations.replace(paused, AT)).toBe('replaced');
      // A second writer who read the first version loses: the version check.
      expect(await automations.replace({ ...birthdays, name: 'Stale', updatedAt: later(2).toISOString() }, AT)).toBe(
        'changed',
      );
      expect(await automations.get(clubId, 'birthdays')).toEqual(paused);

      await automations.noteRun(clubId, 'birthdays', '2026-03-03T06:00:00.000Z');
      await automations.noteRun(clubId, 'birthdays', '2026-03-02T06:00:00.000Z');
      expect((await automations.get(clubId, 'birthdays'))?.lastOccurrence).toBe('2026-03-03T06:00:00.000Z');
      await automations.noteRun(clubId, 'gone', '2026-03-03T06:00:00.000Z');
      expect(await automations.get(clubId, 'gone')).toBeUndefined();
    });
  });

  describe('the saved audiences of the club store', () => {
    it('keeps each audience by id, a save replacing it, and deletes one', async () => {
      const { clubs } = make();
      const clubId = uniqueId('club');
      expect(await clubs.listAudiences(clubId)).toEqual([]);
      await clubs.putAudience(anAudience(clubId, 'north', 'north'));
      await clubs.putAudience(anAudience(clubId, 'lund', 'lund'));
      await clubs.putAudience({ ...anAudience(clubId, 'north', 'kiruna'), updatedAt: later(1).toISOString() });
      const listed = await clubs.listAudiences(clubId);
      expect(listed.map((a) => [a.audienceId, a.name])).toEqual([
        ['lund', 'Shops in lund'],
        ['north', 'Shops in kiruna'],
      ]);
      await clubs.deleteAudience(clubId, 'lund');
      await clubs.deleteAudience(clubId, 'never-saved');
      expect((await clubs.listAudiences(clubId)).map((a) => a.audienceId)).toEqual(['north']);
      expect(await clubs.listAudiences(uniqueId('other'))).toEqual([]);
    });
  });

  describe('folded offers and fewer-like-this', () => {
    it('claims folded offers with the mail that carries them, only once, and frees them when that mail is given back', async () => {
      const { members, ledger } = make();
      const clubId = uniqueId('club');
      const memberId = uniqueId('m');
      await members.createMember(aMember({ clubId, memberId }));
      const carrier = sendIdFor(clubId, 'weekly', memberId);
      const rival = sendIdFor(clubId, 'pasta-week', memberId);
      const claim = (sendId: string, campaignId: string, now: Date, folds?: string[]) =>
        ledger.claim({
          clubId,
          memberId,
          sendId,
          campaignId,
          now,
          policy: DEFAULT_BUDGET,
          frequency: 'club-default',
          ...(folds ? { folds } : {}),
        });
      const claimed = await claim(carrier, 'weekly', later(0), [rival]);
      expect(claimed.kind).toBe('claimed');
      if (claimed.kind !== 'claimed') return;
      expect(foldedInto(claimed.next, rival)).toBe('weekly');
      // The rival campaign never mails the member as well.
      expect(await claim(rival, 'pasta-week', later(10))).toEqual({ kind: 'folded', into: 'weekly' });
      await ledger.release({ clubId, memberId, sendId: carrier });
      expect((await claim(rival, 'pasta-week', later(20))).kind).toBe('claimed');
    });

    it('adds a fewer-like-this once, however often it is asked for', async () => {
      const { members } = make();
      const clubId = uniqueId('club');
      const memberId = uniqueId('m');
      await members.createMember(aMember({ clubId, memberId }));
      for (const minutes of [1, 2])
        expect(
          await members.updatePreferences(clubId, memberId, { addFewer: 'theme:curiosity' }, later(minutes), 'control'),
        ).toBe('updated');
      expect((await members.getState(clubId, memberId))?.member.preferences.fewer).toEqual(['theme:curiosity']);
      expect(
        await members.updatePreferences(clubId, uniqueId('none'), { addFewer: 'theme:curiosity' }, later(3), 'control'),
      ).toBe('not-found');
    });
  });
}
