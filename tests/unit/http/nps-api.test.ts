import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type DemoClub, demoGroceryClub } from '../../../bin/demo-club.js';
import { seedDemo } from '../../../bin/seed-demo.js';
import type { Club } from '../../../lambdas/core/model.js';
import { castVote } from '../../../lambdas/core/survey-response.js';
import { uniqueId } from '../../support/ids.js';
import { type MemoryApi, memoryApi } from '../../support/memory-api.js';

/** The NPS report through the marketer API, on in-memory ports (tests/support/memory-api.ts). */
let h: MemoryApi;
beforeAll(() => {
  h = memoryApi();
});

const api = (_: MemoryApi, path: string) => h.call('GET', path);

/** The figures of one period (as tests/support/surveys.ts has them, without the harness it imports). */
const NpsAnswer = z.object({
  nps: z.number().nullable(),
  margin95: z.number().nullable(),
  responses: z.number(),
  promoters: z.number(),
  passives: z.number(),
  detractors: z.number(),
});

/** A seeded demo grocery club with these feedback settings. */
async function surveyClub(_: MemoryApi, feedback: NonNullable<Club['feedback']>): Promise<DemoClub> {
  const demo = demoGroceryClub(h.clock.now(), 5, uniqueId('fb'));
  const club: Club = { ...demo.club, feedback };
  await seedDemo(h.deps, { ...demo, club });
  return { ...demo, club };
}

const DAY = 86_400_000;

/** Store answers as the survey page would, `daysAgo` apart in time, through the store. */
async function answers(clubId: string, campaignId: string, scores: readonly number[], from: number, days: number) {
  await Promise.all(
    scores.map(async (score, i) => {
      const cast = castVote(undefined, {
        clubId,
        campaignId,
        memberId: `${campaignId}-m${i}`,
        score,
        via: 'button',
        now: new Date(from - ((i + 0.5) / scores.length) * days * DAY),
        segments: { engagement: i % 3 === 0 ? 'passive' : 'active' },
      });
      if (!cast.ok) throw new Error('vote refused');
      await h.deps.surveys.save(cast.response, 0);
    }),
  );
}

const scores = (promoters: number, passives: number, detractors: number) => [
  ...Array<number>(promoters).fill(9),
  ...Array<number>(passives).fill(7),
  ...Array<number>(detractors).fill(2),
];

const Report = NpsAnswer.extend({
  tooFewToRead: z.boolean(),
  previous: NpsAnswer.extend({ tooFewToRead: z.boolean() }),
  change: z.string(),
  series: z.array(
    NpsAnswer.extend({ from: z.string(), to: z.string(), change: z.string(), tooFewToRead: z.boolean() }),
  ),
  segments: z.record(z.string(), z.record(z.string(), NpsAnswer)),
});

describe('GET /api/clubs/:club/nps', () => {
  it('gives the NPS with its margin, the period before, rolling windows each with its own margin, and segments', async () => {
    const demo = await surveyClub(h, { relationshipSampleShare: 1, caseDueHours: 48, topics: [] });
    const clubId = demo.club.clubId;
    const now = h.clock.now().getTime();
    await answers(clubId, 'q-now', scores(180, 90, 30), now, 90); // NPS 50
    await answers(clubId, 'q-before', scores(135, 105, 60), now - 90 * DAY, 90); // NPS 25
    await answers(clubId, 'q-long-ago', scores(20, 10, 10), now - 180 * DAY, 90); // 40 answers

    const from = new Date(now - 90 * DAY).toISOString();
    const to = new Date(now).toISOString();
    const answered = await api(h, `/clubs/${clubId}/nps?from=${from}&to=${to}&window=90&step=30`);
    expect(answered.status).toBe(200);
    const report = Report.parse(answered.json);
    expect(report).toMatchObject({ nps: 50, responses: 300, promoters: 180, passives: 90, detractors: 30 });
    // Var = 100² (0.6 + 0.1 − 0.5²) / 300 = 15; 1.96 √15 = 7.6
    expect(report.margin95).toBe(7.6);
    expect(report.previous).toMatchObject({ nps: 25, responses: 300, tooFewToRead: false });
    expect(report.change).toBe('up');
    expect(report.series.map((p) => p.to)).toEqual([90, 60, 30, 0].map((d) => new Date(now - d * DAY).toISOString()));
    expect(report.series.at(-1)).toMatchObject({ nps: 50, margin95: 7.6, change: 'up' });
    // The window ending 90 days ago is compared with one of 40 answers: too few to read, so no change is flagged.
    expect(report.series[0]).toMatchObject({ nps: 25, change: 'none' });
    expect(report.segments.engagement).toEqual({
      active: expect.objectContaining({ responses: 200 }),
      passive: expect.objectContaining({ responses: 100 }),
    });

    const thin = Report.parse(
      (
        await api(
          h,
          `/clubs/${clubId}/nps?from=${new Date(now - 270 * DAY).toISOString()}&to=${new Date(now - 180 * DAY).toISOString()}`,
        )
      ).json,
    );
    expect(thin).toMatchObject({ responses: 40, nps: 25, tooFewToRead: true });
  });

  it('names the query field at fault', async () => {
    const demo = await surveyClub(h, { relationshipSampleShare: 1, caseDueHours: 48, topics: [] });
    const base = `/clubs/${demo.club.clubId}/nps`;
    const now = h.clock.now().toISOString();
    const earlier = new Date(h.clock.now().getTime() - DAY).toISOString();
    expect((await api(h, `${base}?from=${now}&to=${earlier}`)).json.message).toBe('query.to: must be after from');
    expect(String((await api(h, `${base}?from=${earlier}&to=${now}&window=3`)).json.message)).toMatch(
      /^query\.window: /,
    );
    expect(String((await api(h, `${base}?to=${now}`)).json.message)).toMatch(/^query\.from: /);
  });
});
