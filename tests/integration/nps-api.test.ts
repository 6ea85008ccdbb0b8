import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { demoGroceryClub } from '../../bin/demo-club.js';
import { seedDemo } from '../../bin/seed-demo.js';
import { castVote } from '../../lambdas/core/survey-response.js';
import { type Harness, startHarness, uniqueId } from '../support/local-harness.js';
import {
  answer,
  api,
  createCampaign,
  mailsOf,
  NpsAnswer,
  runCampaign,
  scoreLink,
  surveyClub,
} from '../support/surveys.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

const DAY = 86_400_000;

/** Store answers as the survey page would, `daysAgo` apart in time, through the real adapter. */
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

  it('splits the answers by the attributes the club imports, such as a home store, and not by numbers or dates', async () => {
    const demo = demoGroceryClub(h.clock.now(), 5, uniqueId('seg'));
    const stores = ['north', 'south'];
    const club = {
      ...demo.club,
      feedback: { relationshipSampleShare: 1, caseDueHours: 48, topics: [] },
      attributes: [
        { name: 'home_store', type: 'enum' as const, values: stores },
        { name: 'visits_per_month', type: 'number' as const },
      ],
    };
    const members = demo.members.map((m, i) => ({
      ...m,
      attributes: { home_store: stores[i % 2] ?? 'north', visits_per_month: i },
    }));
    await seedDemo(h.deps, { ...demo, club, members });
    const clubId = club.clubId;
    const campaignId = await createCampaign(h, clubId, { kind: 'survey' });
    await runCampaign(h, clubId, campaignId);
    const mails = await mailsOf(h, campaignId);
    const storeOf = (email: string | undefined) =>
      members.find((m) => m.email === email)?.attributes.home_store ?? 'unknown';
    // One answer from each store's first two members who got the mail.
    const asked = stores.flatMap((store) => mails.filter((m) => storeOf(m.destination.to[0]) === store).slice(0, 2));
    expect(asked).toHaveLength(4);
    for (const mail of asked) await answer(h, scoreLink(mail, 9));

    const now = h.clock.now().getTime();
    const report = Report.parse(
      (
        await api(
          h,
          `/clubs/${clubId}/nps?from=${new Date(now - DAY).toISOString()}&to=${new Date(now + DAY).toISOString()}`,
        )
      ).json,
    );
    expect(report.responses).toBe(4);
    expect(report.segments['attr.home_store']).toEqual({
      north: expect.objectContaining({ responses: 2 }),
      south: expect.objectContaining({ responses: 2 }),
    });
    expect(Object.keys(report.segments).sort()).toEqual(['attr.home_store', 'engagement']);
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
