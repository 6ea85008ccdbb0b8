import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type Harness, startHarness } from '../support/local-harness.js';
import { api, createCampaign, mailsOf, runCampaign, surveyClub } from '../support/surveys.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

const DAY = 86_400_000;

const DryRun = z.object({
  dryRun: z.object({
    toSend: z.number(),
    suppressed: z.record(z.string(), z.number()),
    decisions: z.array(z.object({ memberId: z.string(), outcome: z.string(), reason: z.string().optional() })),
  }),
});

describe('the survey caps through the planner and the send worker', () => {
  it('asks a member at most twice a year, 90 days apart, never with the surveys topic off', async () => {
    const demo = await surveyClub(h, { relationshipSampleShare: 1, caseDueHours: 48, topics: [] });
    const clubId = demo.club.clubId;
    // One member turned surveys off on their preference page.
    const m001 = demo.members.find((m) => m.memberId === 'm001');
    if (!m001) throw new Error('no m001');
    await h.deps.members.updatePreferences(clubId, 'm001', { topics: ['offers', 'news'] }, h.clock.now(), 'test');

    const first = await createCampaign(h, clubId, { kind: 'survey' });
    await runCampaign(h, clubId, first);
    const firstMails = await mailsOf(h, first);
    expect(firstMails.length).toBeGreaterThan(40);
    expect(firstMails.some((m) => m.destination.to.includes(m001.email))).toBe(false);

    // A second survey the same day: nobody who got the first, and the dry-run says why.
    const second = await createCampaign(h, clubId, { kind: 'survey' });
    const dry = DryRun.parse((await api(h, `/clubs/${clubId}/campaigns/${second}/dry-run`, { method: 'POST' })).json);
    expect(dry.dryRun.toSend).toBe(0);
    expect(dry.dryRun.suppressed['survey-gap']).toBe(firstMails.length);
    expect(dry.dryRun.decisions.find((d) => d.memberId === 'm001')?.reason).toBe('topic-opt-out');
    await runCampaign(h, clubId, second);
    expect(await mailsOf(h, second)).toEqual([]);

    // 91 days on, a survey may go again; 91 more, and two within the year are the cap.
    h.clock.advance(91 * DAY);
    const third = await createCampaign(h, clubId, { kind: 'survey' });
    await runCampaign(h, clubId, third);
    // Everyone asked the first time, and the member whose 30-day pause has ended since.
    const thirdMails = await mailsOf(h, third);
    expect(thirdMails.length).toBe(firstMails.length + 1);
    h.clock.advance(91 * DAY);
    const fourth = await createCampaign(h, clubId, { kind: 'survey' });
    const capped = DryRun.parse(
      (await api(h, `/clubs/${clubId}/campaigns/${fourth}/dry-run`, { method: 'POST' })).json,
    );
    expect(capped.dryRun.suppressed['survey-cap']).toBe(firstMails.length);
    // Only the member who missed the first survey while paused may be asked a second time this year.
    expect(capped.dryRun.toSend).toBe(1);
  });

  it('does not let surveys use up the offers budget: offers mail still goes the day after a survey', async () => {
    const demo = await surveyClub(h, { relationshipSampleShare: 1, caseDueHours: 48, topics: [] });
    const clubId = demo.club.clubId;
    const survey = await createCampaign(h, clubId, { kind: 'survey' });
    await runCampaign(h, clubId, survey);
    const surveyed = (await mailsOf(h, survey)).length;
    h.clock.advance(DAY);
    // The demo club's budget is at most one mail per 3 days.
    const offers = await createCampaign(h, clubId, {
      theme: 'community',
      offerPool: demo.offers.map((o) => o.offerId),
    });
    const dry = DryRun.parse((await api(h, `/clubs/${clubId}/campaigns/${offers}/dry-run`, { method: 'POST' })).json);
    expect(dry.dryRun.suppressed['budget-window'] ?? 0).toBe(0);
    expect(dry.dryRun.toSend).toBeGreaterThanOrEqual(surveyed - 5);
  });
});
