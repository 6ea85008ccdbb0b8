import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { demoGroceryClub } from '../../bin/demo-club.js';
import { seedDemo } from '../../bin/seed-demo.js';
import { type Harness, startHarness, uniqueId } from '../support/local-harness.js';
import { answer, api, createCampaign, mailsOf, NpsAnswer, runCampaign, scoreLink } from '../support/surveys.js';

/**
 * The NPS split by a club's imported attributes, after a real survey campaign through the local inbox and
 * the survey page (the report's own figures are tested on in-memory ports in tests/unit/http/nps-api.test.ts).
 */
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

const DAY = 86_400_000;

const Report = NpsAnswer.extend({
  segments: z.record(z.string(), z.record(z.string(), NpsAnswer)),
});

describe('GET /api/clubs/:club/nps after a survey run', () => {
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
});
