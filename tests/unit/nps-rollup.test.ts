import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MemorySurveyResponses } from '../../lambdas/adapters/memory/memory-survey-responses.js';
import { NpsQuery, type NpsReport, npsReport } from '../../lambdas/app/nps-report.js';
import {
  bySegment,
  changeBetween,
  figureBetween,
  MIN_READABLE_RESPONSES,
  type NpsAnswer,
  rollingSeries,
} from '../../lambdas/core/nps.js';
import { dayOf, daysBetween, HourlyCounts, periodEnd, rollUpDay, wholeHour } from '../../lambdas/core/nps-days.js';
import { SurveyResponse } from '../../lambdas/core/survey-response.js';
import { DAY_MS, NOW } from './fixtures.js';

const HOUR = 3_600_000;
const clock = { now: () => NOW };

/** The report as it was computed before the roll-up: from every answer, with the times on whole hours. */
function fromAnswers(answers: readonly NpsAnswer[], query: NpsQuery): Omit<NpsReport, 'minReadableResponses'> {
  const from = wholeHour(Date.parse(query.from));
  const to = Math.max(from, periodEnd(Date.parse(query.to), NOW.getTime()));
  const length = to - from;
  const sorted = [...answers].sort((a, b) => a.at - b.at);
  const current = figureBetween(sorted, from, to);
  const previous = figureBetween(sorted, from - length, from);
  const inPeriod = sorted.filter((a) => a.at > from && a.at <= to);
  const keys = [...new Set(inPeriod.flatMap((a) => Object.keys(a.segments)))].sort();
  return {
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
    window: query.window,
    ...current,
    previous: { ...previous, from: new Date(from - length).toISOString(), to: new Date(from).toISOString() },
    change: changeBetween(previous, current),
    series: rollingSeries(sorted, { from: new Date(from), to: new Date(to) }, query.window, query.step),
    segments: Object.fromEntries(keys.map((key) => [key, bySegment(inPeriod, key)])),
  };
}

/** What a test does to the store: a first vote, a corrected score, the same write again, or an erasure. */
type Op =
  | { kind: 'vote'; member: number; campaign: number; hoursAgo: number; score: number; store: number }
  | { kind: 'correct'; member: number; campaign: number; score: number; automated: boolean }
  | { kind: 'again'; member: number; campaign: number }
  | { kind: 'erase'; member: number }
  | { kind: 'read' };

const anOp: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('vote' as const),
      member: fc.nat(40),
      campaign: fc.nat(3),
      // Whole hours, half-hours and odd minutes, some exactly on midnight: the hour and day edges.
      hoursAgo: fc.oneof(
        fc.nat(24 * 300),
        fc.integer({ min: 0, max: 300 * 24 * 60 }).map((m) => m / 60),
        fc.integer({ min: 0, max: 180 }).map((m) => m / 60),
      ),
      score: fc.nat(10),
      store: fc.nat(4),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('correct' as const),
      member: fc.nat(40),
      campaign: fc.nat(3),
      score: fc.nat(10),
      automated: fc.boolean(),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('again' as const), member: fc.nat(40), campaign: fc.nat(3) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('erase' as const), member: fc.nat(40) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('read' as const) }) },
);

const aQuery = fc
  .record({
    // Some periods end after now, at odd minutes: they count every answer so far.
    toHoursAgo: fc.oneof(
      fc.nat(24 * 120),
      fc.integer({ min: -180, max: 120 * 24 * 60 }).map((m) => m / 60),
    ),
    days: fc.integer({ min: 1, max: 200 }),
    extraHours: fc.nat(23),
    window: fc.integer({ min: 7, max: 120 }),
    step: fc.integer({ min: 1, max: 30 }),
  })
  .map(({ toHoursAgo, days, extraHours, window, step }) => {
    const to = NOW.getTime() - toHoursAgo * HOUR;
    return NpsQuery.parse({
      from: new Date(to - days * DAY_MS - extraHours * HOUR).toISOString(),
      to: new Date(to).toISOString(),
      window,
      step,
    });
  });

describe('the NPS day roll-up', () => {
  it('gives the figures, series and segments that every answer gives, through corrections, repeated writes and erasures', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(anOp, { minLength: 1, maxLength: 120 }),
        fc.array(aQuery, { minLength: 1, maxLength: 3 }),
        async (ops, queries) => {
          const surveys = new MemorySurveyResponses();
          const clubId = 'club';
          /** What the club's answers are, kept by the test apart from the store. */
          const truth = new Map<string, NpsAnswer>();
          const erased = new Set<number>();
          const stores = ['north', 'south', '__proto__', 'Söder', 'öst'];
          const check = async () => {
            const answers = [...truth.values()];
            for (const query of queries) {
              const report = await npsReport({ surveys, clock }, clubId, query);
              const { minReadableResponses, ...figures } = report;
              expect(minReadableResponses).toBe(MIN_READABLE_RESPONSES);
              expect(figures).toEqual(fromAnswers(answers, query));
              // A period ending now or later counts every answer since its start, however its end falls.
              const end = Date.parse(query.to);
              if (end >= NOW.getTime())
                expect(report.responses).toBe(figureBetween(answers, wholeHour(Date.parse(query.from)), end).responses);
            }
          };
          for (const op of ops) {
            if (op.kind === 'read') {
              await check();
              continue;
            }
            if (op.kind === 'erase') {
              await surveys.eraseMember(clubId, `m${op.member}`);
              for (const key of [...truth.keys()]) if (key.startsWith(`m${op.member}/`)) truth.delete(key);
              // The member's responses go with their partition, by the member store's erasure: gone for good.
              erased.add(op.member);
              continue;
            }
            if (erased.has(op.member)) continue;
            const memberId = `m${op.member}`;
            const campaignId = `c${op.campaign}`;
            const key = `${memberId}/${campaignId}`;
            const existing = (await surveys.get(clubId, campaignId, memberId))?.response;
            if (op.kind === 'vote') {
              if (existing) continue;
              const at = new Date(wholeHour(NOW.getTime()) - op.hoursAgo * HOUR).toISOString();
              const segments = { engagement: op.score % 2 === 0 ? 'active' : 'passive', home: stores[op.store] ?? '' };
              const response = SurveyResponse.parse({
                clubId,
                campaignId,
                memberId,
                score: op.score,
                answeredAt: at,
                changedAt: at,
                votes: [{ score: op.score, at, via: 'button' }],
                segments,
                version: 0,
              });
              expect(await surveys.save(response, 0)).toBe('saved');
              truth.set(key, { at: Date.parse(at), score: op.score, segments });
            } else if (op.kind === 'correct') {
              if (!existing || existing.automated) continue;
              const next = {
                ...existing,
                score: op.score,
                ...(op.automated ? { automated: 'rapid-scores' as const } : {}),
              };
              expect(await surveys.save(next, existing.version)).toBe('saved');
              if (op.automated) truth.delete(key);
              else
                truth.set(key, { at: Date.parse(existing.answeredAt), score: op.score, segments: existing.segments });
            } else {
              // The same write again, at the version it was read: refused, and counted once.
              if (!existing) continue;
              expect(await surveys.save(existing, existing.version - 1)).toBe('changed');
            }
          }
          await check();
        },
      ),
      { numRuns: 60 },
    );
  });

  it('counts an answer at exactly midnight in the day that ends then, as the report counts (from, to]', () => {
    const midnight = Date.parse('2025-06-15T00:00:00.000Z');
    expect(dayOf(midnight)).toBe('2025-06-14');
    expect(dayOf(midnight + 1)).toBe('2025-06-15');
    const day = rollUpDay('2025-06-14', [{ at: midnight, score: 9, segments: {} }]);
    expect(day.hours).toEqual([[23, 1, 0, 0]]);
    const counts = new HourlyCounts([day]);
    expect(counts.between(midnight - HOUR, midnight)).toEqual({ promoters: 1, passives: 0, detractors: 0 });
    expect(counts.between(midnight, midnight + HOUR)).toEqual({ promoters: 0, passives: 0, detractors: 0 });
    expect(daysBetween(midnight - DAY_MS, midnight)).toEqual(['2025-06-14']);
    expect(daysBetween(midnight - HOUR, midnight + HOUR)).toEqual(['2025-06-14', '2025-06-15']);
  });

  it('reads one day item per day once counted, and counts again only the days an answer changed', async () => {
    let raw = 0;
    const counting = new (class extends MemorySurveyResponses {
      override answers(clubId: string, from: Date, to: Date) {
        raw += 1;
        return super.answers(clubId, from, to);
      }
    })();
    const surveys = counting;
    const query = NpsQuery.parse({
      from: new Date(Date.parse('2025-03-01T00:00:00.000Z')).toISOString(),
      to: new Date(Date.parse('2025-06-01T00:00:00.000Z')).toISOString(),
      window: 30,
      step: 7,
    });
    const at = '2025-05-10T12:30:00.000Z';
    const response = SurveyResponse.parse({
      clubId: 'club',
      campaignId: 'c',
      memberId: 'm',
      score: 9,
      answeredAt: at,
      changedAt: at,
      votes: [{ score: 9, at, via: 'button' }],
      version: 0,
    });
    await surveys.save(response, 0);
    const first = await npsReport({ surveys: counting, clock }, 'club', query);
    // Every day of the period and the windows before it, counted once (no part-days: midnight to midnight).
    const from = Date.parse(query.from);
    const to = Date.parse(query.to);
    expect(raw).toBe(daysBetween(from - (to - from), to).length);
    expect(first).toMatchObject({ promoters: 1, responses: 1 });
    raw = 0;
    await npsReport({ surveys: counting, clock }, 'club', query);
    expect(raw).toBe(0);
    await surveys.save({ ...response, score: 2 }, 1);
    const corrected = await npsReport({ surveys: counting, clock }, 'club', query);
    expect(raw).toBe(1);
    expect(corrected).toMatchObject({ promoters: 0, detractors: 1, responses: 1 });
  });
});
