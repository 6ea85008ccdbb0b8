import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cronExpression } from '../../lambdas/adapters/eventbridge-recurring-scheduler.js';
import { LocalScheduler } from '../../lambdas/adapters/local-scheduler.js';
import { missedRun } from '../../lambdas/app/run-automation.js';
import {
  Automation,
  latestOccurrence,
  nextOccurrence,
  nextRunOf,
  occurrenceOf,
  Recurrence,
  runCampaign,
  runIdFor,
  upcomingRuns,
} from '../../lambdas/core/automation.js';
import { CONSERVATIVE_BUDGET } from '../../lambdas/core/budget.js';
import { type DecideInput, type Decision, decide } from '../../lambdas/core/decision.js';
import { EMPTY_LEDGER } from '../../lambdas/core/ledger.js';
import { atLocalTime, localDateOf } from '../../lambdas/core/quiet-hours.js';
import { aCampaign, aMember, anOffer, aProfile, CATALOG, DAY_MS } from './fixtures.js';

const STOCKHOLM = 'Europe/Stockholm';
const daily = Recurrence.parse({ every: 'day', at: '07:00' });
const mondays = Recurrence.parse({ every: 'week', on: ['MON'], at: '07:00' });

function anAutomation(overrides: Partial<Automation> = {}): Automation {
  return Automation.parse({
    clubId: 'club-1',
    automationId: 'birthdays',
    name: 'Birthdays',
    recurrence: daily,
    timeZone: STOCKHOLM,
    campaign: {
      name: 'Birthdays',
      theme: 'celebration',
      offerPool: ['offer-spaghetti'],
      occasion: { id: 'birthday' },
    },
    status: 'active',
    since: '2026-03-01T00:00:00.000Z',
    createdAt: '2026-03-01T00:00:00.000Z',
    updatedAt: '2026-03-01T00:00:00.000Z',
    ...overrides,
  });
}

describe('recurrences', () => {
  it('keep 07:00 in Stockholm across the spring clock change, one occurrence a day', () => {
    const times: string[] = [];
    let at = new Date('2026-03-27T12:00:00Z');
    for (let i = 0; i < 4; i++) {
      at = nextOccurrence(daily, STOCKHOLM, at);
      times.push(at.toISOString());
    }
    expect(times).toEqual([
      '2026-03-28T06:00:00.000Z',
      '2026-03-29T05:00:00.000Z', // summer time from 29 March: 07:00 is 05:00 UTC
      '2026-03-30T05:00:00.000Z',
      '2026-03-31T05:00:00.000Z',
    ]);
  });

  it('run "every Monday at 07:00" on Mondays only, and as a Scheduler cron in the club’s zone', () => {
    const next = nextOccurrence(mondays, STOCKHOLM, new Date('2026-12-09T10:00:00Z')); // a Wednesday
    expect(next.toISOString()).toBe('2026-12-14T06:00:00.000Z');
    expect(nextOccurrence(mondays, STOCKHOLM, next).toISOString()).toBe('2026-12-21T06:00:00.000Z');
    expect(cronExpression(mondays)).toBe('cron(0 7 ? * MON *)');
    expect(cronExpression(Recurrence.parse({ every: 'day', at: '06:30' }))).toBe('cron(30 6 * * ? *)');
  });

  it('refuse a weekday named twice and a time that is not HH:MM', () => {
    expect(Recurrence.safeParse({ every: 'week', on: ['MON', 'MON'], at: '07:00' }).success).toBe(false);
    expect(Recurrence.safeParse({ every: 'day', at: '7am' }).success).toBe(false);
    expect(Recurrence.safeParse({ every: 'hour', at: '07:00' }).success).toBe(false);
  });

  it('find the latest occurrence that has come, and none when it already ran', () => {
    const now = new Date('2026-12-10T12:00:00Z');
    expect(latestOccurrence(daily, STOCKHOLM, now, new Date(0))?.toISOString()).toBe('2026-12-10T06:00:00.000Z');
    expect(latestOccurrence(daily, STOCKHOLM, now, new Date('2026-12-10T06:00:00Z'))).toBeUndefined();
  });
});

describe('runs of an automation', () => {
  it('have one id per occurrence, to the minute, whatever the seconds of the firing', () => {
    const occurrence = occurrenceOf('2026-12-07T06:00:42.123Z');
    expect(occurrence.toISOString()).toBe('2026-12-07T06:00:00.000Z');
    expect(runIdFor('birthdays', occurrence)).toBe('birthdays-r202612070600');
    expect(runIdFor('birthdays', occurrenceOf('2026-12-07T06:00:00Z'))).toBe('birthdays-r202612070600');
  });

  it('run only the latest missed occurrence once, none from before it was activated, none when paused', () => {
    const now = new Date('2026-12-10T12:00:00Z');
    const ranMonday = anAutomation({ lastOccurrence: '2026-12-07T06:00:00.000Z' });
    expect(missedRun(ranMonday, now)?.scheduledTime).toBe('2026-12-10T06:00:00.000Z');
    expect(missedRun({ ...ranMonday, lastOccurrence: '2026-12-10T06:00:00.000Z' }, now)).toBeUndefined();
    expect(missedRun(anAutomation({ since: '2026-12-10T06:30:00.000Z' }), now)).toBeUndefined();
    expect(missedRun(anAutomation({ status: 'paused' }), now)).toBeUndefined();
  });

  it('show the planner the runs to come within its horizon, and none of a paused automation', () => {
    const now = new Date('2026-12-10T12:00:00Z');
    const until = new Date(now.getTime() + 7 * DAY_MS);
    expect(upcomingRuns(anAutomation(), now, until).map((r) => r.campaignId)).toEqual(
      [11, 12, 13, 14, 15, 16, 17].map((d) => `birthdays-r202612${d}0600`),
    );
    expect(upcomingRuns(anAutomation({ status: 'paused' }), now, until)).toEqual([]);
  });

  it('list no next run unless active', () => {
    const now = new Date('2026-12-10T12:00:00Z');
    expect(nextRunOf(anAutomation(), now)?.toISOString()).toBe('2026-12-11T06:00:00.000Z');
    expect(nextRunOf(anAutomation({ status: 'paused' }), now)).toBeUndefined();
    expect(nextRunOf(anAutomation({ status: 'awaiting-approval' }), now)).toBeUndefined();
  });

  it('make a personal-occasion run for the club’s date of the occurrence, at each member’s 08:00', () => {
    const run = runCampaign(anAutomation(), new Date('2026-12-06T23:30:00Z'), new Date('2026-12-06T23:30:00Z'));
    expect(run).toMatchObject({
      campaignId: 'birthdays-r202612062330',
      status: 'scheduled',
      kind: 'offers',
      personalDay: { date: '2026-12-07', time: '08:00' }, // 00:30 on 7 December in Stockholm
      automation: { automationId: 'birthdays', occurrence: '2026-12-06T23:30:00.000Z' },
    });
    const weekly = runCampaign(
      anAutomation({ recurrence: mondays, campaign: { ...anAutomation().campaign, occasion: undefined } }),
      new Date('2026-12-07T06:00:00Z'),
      new Date('2026-12-07T06:00:00Z'),
    );
    expect(weekly.personalDay).toBeUndefined();
  });
});

describe('decide: a personal-occasion run', () => {
  const pool = [CATALOG.spaghetti].map((p) => anOffer(p));
  // The run fires at 06:00 in Stockholm on 7 December 2026 for that date.
  const now = new Date('2026-12-07T05:00:00Z');
  const campaign = aCampaign({
    occasion: { id: 'birthday' },
    theme: 'celebration',
    personalDay: { date: '2026-12-07', time: '08:00' },
  });
  const input = (overrides: Partial<DecideInput>): DecideInput => ({
    member: aMember(),
    profile: { ...aProfile({ spaghetti: 6 }), lastPurchaseAt: new Date(now.getTime() - DAY_MS).toISOString() },
    ledger: EMPTY_LEDGER,
    campaign,
    candidates: pool,
    policy: CONSERVATIVE_BUDGET,
    now,
    ...overrides,
  });
  const send = (d: Decision) => (d.outcome === 'send' ? d : undefined);

  it('sends at 08:00 on the day in the member’s own time zone, west and east of the club', () => {
    const newYork = decide(input({ member: aMember({ birthDate: '1990-12-07', timeZone: 'America/New_York' }) }));
    expect(send(newYork)?.notBefore).toBe(atLocalTime('2026-12-07', '08:00', 'America/New_York').toISOString());
    expect(send(newYork)?.notBefore).toBe('2026-12-07T13:00:00.000Z');
    const stockholm = decide(input({ member: aMember({ birthDate: '1990-12-07', timeZone: STOCKHOLM }) }));
    expect(send(stockholm)?.notBefore).toBe('2026-12-07T07:00:00.000Z');
    // In Tokyo it is 14:00 already: the mail goes now, still on the birthday there.
    const tokyo = decide(input({ member: aMember({ birthDate: '1990-12-07', timeZone: 'Asia/Tokyo' }) }));
    expect(send(tokyo)?.outcome).toBe('send');
    expect(send(tokyo)?.notBefore).toBeUndefined();
    expect(localDateOf(now, 'Asia/Tokyo')).toBe('2026-12-07');
  });

  it('judges the run’s own date, not the day it happens to be planned in the member’s zone', () => {
    // At 05:00 UTC it is still 6 December in Honolulu, but the run is for 7 December.
    const honolulu = aMember({ birthDate: '1990-12-07', timeZone: 'Pacific/Honolulu' });
    expect(decide(input({ member: honolulu })).outcome).toBe('send');
    const yesterday = aMember({ birthDate: '1990-12-06', timeZone: 'Pacific/Honolulu' });
    expect(decide(input({ member: yesterday }))).toMatchObject({ outcome: 'suppress', reason: 'not-their-occasion' });
  });
});

describe('LocalScheduler, recurring', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: new Date('2026-12-07T05:00:00Z') });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('delivers each occurrence with its scheduled time, then stops once disarmed', async () => {
    const runs: string[] = [];
    const s = new LocalScheduler({ now: () => new Date() }, { info: () => {}, warn: () => {}, error: () => {} });
    s.setRecurringTarget(async (job) => {
      runs.push(job.scheduledTime);
    });
    await s.arm({ clubId: 'club-1', automationId: 'birthdays', recurrence: daily, timeZone: STOCKHOLM });
    expect(s.nextRun('club-1', 'birthdays')?.toISOString()).toBe('2026-12-07T06:00:00.000Z');
    await vi.advanceTimersByTimeAsync(3 * DAY_MS);
    expect(runs).toEqual(['2026-12-07T06:00:00.000Z', '2026-12-08T06:00:00.000Z', '2026-12-09T06:00:00.000Z']);
    await s.disarm('club-1', 'birthdays');
    await vi.advanceTimersByTimeAsync(3 * DAY_MS);
    expect(runs).toHaveLength(3);
    expect(s.pending).toBe(0);
  });
});
