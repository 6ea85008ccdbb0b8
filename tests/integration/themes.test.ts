import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { demoGroceryClub } from '../../bin/demo-club.js';
import { seedDemo } from '../../bin/seed-demo.js';
import { BUILT_IN_THEMES } from '../../lambdas/core/built-in-themes.js';
import { callApi, type Harness, sesInbox, startHarness, uniqueId } from '../support/local-harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

const call = (method: string, path: string, body?: unknown) => callApi(h.urls.http, method, path, body);

/** A club's own theme: the built-in community copy with its own Swedish headline. */
function harvestTheme(id: string, headline = 'Skördefest hos oss, {{ first_name }}!') {
  const base = BUILT_IN_THEMES.find((t) => t.id === 'community');
  if (!base) throw new Error('no community theme');
  return {
    ...structuredClone(base),
    id,
    copy: { ...structuredClone(base.copy), sv: { informal: { ...base.copy.sv.informal, headline } } },
  };
}

describe('a club’s own themes', () => {
  it('stores a theme through the API, lists it, and mails with it', async () => {
    const demo = demoGroceryClub(h.clock.now(), 11, uniqueId('themes'));
    await seedDemo(h.deps, demo);
    const clubId = demo.club.clubId;
    const put = await call('PUT', `/clubs/${clubId}/themes/harvest`, harvestTheme('harvest'));
    expect(put.status).toBe(200);
    expect(put.json.brandFit).toMatchObject({ verdict: 'fits' });
    const listed = await call('GET', `/clubs/${clubId}/themes`);
    expect(listed.json.themes).toContainEqual({ id: 'harvest', emotion: 'community', builtIn: false });
    expect(listed.json.themes).toContainEqual({ id: 'curiosity', emotion: 'curiosity', builtIn: true });

    const created = await call('POST', `/clubs/${clubId}/campaigns`, {
      name: 'Harvest',
      theme: 'celebration',
      themeId: 'harvest',
      offerPool: demo.offers.map((o) => o.offerId),
      sendAt: new Date(h.clock.now().getTime() + 200).toISOString(),
    });
    expect(created.status).toBe(201);
    const campaign = z
      .object({ campaign: z.object({ campaignId: z.string(), theme: z.string() }) })
      .parse(created.json).campaign;
    expect(campaign.theme).toBe('community'); // the theme's own emotion wins
    expect((await call('POST', `/clubs/${clubId}/campaigns/${campaign.campaignId}/schedule`)).status).toBe(200);
    for (
      let i = 0;
      i < 200 && (await h.deps.campaigns.getCampaign(clubId, campaign.campaignId))?.status !== 'planned';
      i += 1
    ) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await h.settle();
    const swedish = demo.members.find(
      (m) =>
        m.language === 'sv' &&
        m.subscription === 'subscribed' &&
        m.consent.marketing &&
        m.preferences.frequency === 'club-default' &&
        !m.preferences.pausedUntil,
    );
    const mail = (await sesInbox(h.urls.ses)).find((m) => swedish && m.destination.to.includes(swedish.email));
    expect(mail?.body.html).toContain(`Skördefest hos oss, ${swedish?.firstName}!`);
  });

  it('lists the year’s calendar occasions for the club’s country, Midsummer and Mother’s Day computed', async () => {
    const demo = demoGroceryClub(h.clock.now(), 13, uniqueId('dates'));
    await seedDemo(h.deps, demo);
    const se = await call('GET', `/clubs/${demo.club.clubId}/occasions?year=2027`);
    expect(se.json).toMatchObject({ country: 'SE', year: 2027 });
    expect(se.json.occasions).toContainEqual({ occasion: 'midsummer', date: '2027-06-25' });
    expect(se.json.occasions).toContainEqual({ occasion: 'mothers-day', date: '2027-05-30' });
    const dk = await call('GET', `/clubs/${demo.club.clubId}/occasions?year=2027&country=DK`);
    expect(dk.json.occasions).toContainEqual({ occasion: 'midsummer', date: '2027-06-23' });
    expect(dk.json.occasions).toContainEqual({ occasion: 'fathers-day', date: '2027-06-05' });
    const bad = await call('GET', `/clubs/${demo.club.clubId}/occasions?country=NO`);
    expect(bad.status).toBe(400);
  });

  it('refuses a theme with an unknown placeholder, a built-in id, or an id unlike the path, naming the field', async () => {
    const demo = demoGroceryClub(h.clock.now(), 12, uniqueId('badtheme'));
    await seedDemo(h.deps, demo);
    const clubId = demo.club.clubId;
    const typo = await call('PUT', `/clubs/${clubId}/themes/typo`, harvestTheme('typo', 'Hej {{ firstname }}'));
    expect(typo.status).toBe(400);
    expect(String(typo.json.message)).toMatch(/^copy\.sv\.informal\.headline: unknown placeholder \{\{ firstname \}\}/);
    const builtIn = await call('PUT', `/clubs/${clubId}/themes/community`, harvestTheme('community'));
    expect(builtIn.status).toBe(400);
    expect(String(builtIn.json.message)).toMatch(/^id: "community" is the id of the built-in theme/);
    const mismatch = await call('PUT', `/clubs/${clubId}/themes/one`, harvestTheme('other'));
    expect(mismatch.json.message).toBe('id: must be one, the id in the path');
    const unknown = await call('POST', `/clubs/${clubId}/campaigns`, {
      name: 'x',
      theme: 'community',
      themeId: 'nope',
      offerPool: ['o001'],
      sendAt: '2030-01-01T10:00:00Z',
    });
    expect(unknown.status).toBe(400);
    expect(unknown.json.message).toBe('themeId: unknown theme nope');
  });
});
