import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type Harness, type StoredEmail, startHarness } from '../support/local-harness.js';
import {
  answer,
  api,
  createCampaign,
  linksOf,
  mailsOf,
  npsNow,
  pageForm,
  postForm,
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

const HOUR = 3_600_000;
const EVERYONE = { relationshipSampleShare: 1, caseDueHours: 48, topics: [] };
/** A fifth of the members: enough mails for each test, few enough to send in a moment. */
const SOME = { ...EVERYONE, relationshipSampleShare: 0.2 };

async function surveyed(feedback = SOME) {
  const demo = await surveyClub(h, feedback);
  const clubId = demo.club.clubId;
  const campaignId = await createCampaign(h, clubId, { kind: 'survey', survey: { type: 'relationship' } });
  return { demo, clubId, campaignId };
}

/** The member a survey mail went to. */
const memberOf = (demo: { members: readonly { memberId: string; email: string }[] }, mail: StoredEmail) => {
  const member = demo.members.find((m) => m.email === mail.destination.to[0]);
  if (!member) throw new Error('mail to an unknown member');
  return member;
};

describe('a survey mail under a link scanner', () => {
  it('records no vote when every link of every mail is fetched with GET and HEAD within a second of delivery, and exactly one from the page', async () => {
    // Half of the demo's ~46 subscribed members (a random sample per campaign): with a quarter, fewer
    // than five were drawn about once in a hundred runs. The scanner's 34 requests per mail stay some hundreds.
    const { demo, clubId, campaignId } = await surveyed({ ...EVERYONE, relationshipSampleShare: 0.5 });
    // The scanner: it watches the inbox and, as each mail lands, fetches all of its links at once.
    const scanned = new Map<string, Promise<{ lagMs: number; statuses: number[] }>>();
    const scan = (mail: StoredEmail) => {
      // The local SES stamps a mail with the whole second it took it (`at`, epoch seconds).
      const lagMs = Date.now() - mail.at * 1000;
      return Promise.all(
        linksOf(mail).flatMap((link) => [
          fetch(link).then(async (r) => {
            await r.arrayBuffer();
            return r.status;
          }),
          fetch(link, { method: 'HEAD' }).then((r) => r.status),
        ]),
      ).then((statuses) => ({ lagMs, statuses }));
    };
    const watch = async () => {
      for (const mail of await mailsOf(h, campaignId))
        if (!scanned.has(mail.messageId)) scanned.set(mail.messageId, scan(mail));
    };
    const running = runCampaign(h, clubId, campaignId);
    let done = false;
    void running.then(() => {
      done = true;
    });
    while (!done) {
      await watch();
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await running;
    await watch();
    const scans = await Promise.all(scanned.values());

    const mails = await mailsOf(h, campaignId);
    expect(mails.length).toBeGreaterThanOrEqual(5);
    expect(scans).toHaveLength(mails.length);
    // 11 score links, the honeypot, preferences, unsubscribe and the three in-mail controls: 17 links, each fetched twice.
    for (const { lagMs, statuses } of scans) {
      // Under a second after the end of the stamped second: within a second of delivery, up to the stamp's rounding.
      expect(lagMs).toBeLessThan(2000);
      expect(statuses).toHaveLength(34);
      expect(new Set(statuses)).toEqual(new Set([200]));
    }
    expect((await npsNow(h, clubId)).responses).toBe(0);
    for (const member of demo.members) {
      expect(await h.deps.surveys.ofMember(clubId, member.memberId)).toEqual([]);
      const state = await h.deps.members.getState(clubId, member.memberId);
      expect(state?.member.subscription).toBe(member.subscription);
    }

    // A member opens the 9 and sends the page's form: exactly one response.
    const mail = mails[0];
    if (!mail) throw new Error('no mail');
    const next = await answer(h, scoreLink(mail, 9));
    expect(next).toMatch(/\/s\/[^/]+\/reason$/);
    expect(await npsNow(h, clubId)).toMatchObject({ responses: 1, promoters: 1, nps: 100 });
    const stored = await h.deps.surveys.ofMember(clubId, memberOf(demo, mail).memberId);
    expect(stored.map((s) => s.response.score)).toEqual([9]);
  });

  it('shows the score the button named, selected, in a form that posts; the page answers HEAD without a body', async () => {
    const { clubId, campaignId } = await surveyed();
    await runCampaign(h, clubId, campaignId);
    const [mail] = await mailsOf(h, campaignId);
    if (!mail) throw new Error('no mail');
    const page = await pageForm(scoreLink(mail, 7));
    expect(page.html).toMatch(/<input type="radio" name="score" value="7" required checked>/);
    expect(page.html.match(/ checked>/g)).toHaveLength(1);
    expect(page.html).toMatch(/<legend>[^<]*0 = [^<]*10 = [^<]*<\/legend>/);
    const head = await fetch(scoreLink(mail, 7), { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });
});

describe('votes from the page', () => {
  it('takes one response per member, changeable for 24 hours, and final after that', async () => {
    const { demo, clubId, campaignId } = await surveyed();
    await runCampaign(h, clubId, campaignId);
    const [mail] = await mailsOf(h, campaignId);
    if (!mail) throw new Error('no mail');
    const member = memberOf(demo, mail);
    await answer(h, scoreLink(mail, 6));
    await answer(h, scoreLink(mail, 8));
    expect(await npsNow(h, clubId)).toMatchObject({ responses: 1, passives: 1, detractors: 0 });
    // The detractor's case opened by the 6 was resolved by the member's own change.
    const cases = await h.deps.feedbackCases.list(clubId, {});
    expect(cases.map((c) => [c.memberId, c.state])).toEqual([[member.memberId, 'resolved']]);

    h.clock.advance(25 * HOUR);
    const page = await fetch(scoreLink(mail, 2));
    expect(page.status).toBe(200);
    expect(await page.text()).not.toContain('name="score"');
    const { csrf } = await pageForm(scoreLink(mail, 9)).catch(() => ({ csrf: '' }));
    expect(csrf).toBe('');
    const [stored] = await h.deps.surveys.ofMember(clubId, member.memberId);
    expect(stored?.response.score).toBe(8);
  });

  it('records the score the script posts after the page was visible, as JSON, and marks a honeypot vote automated', async () => {
    const { demo, clubId, campaignId } = await surveyed();
    await runCampaign(h, clubId, campaignId);
    const [first, second] = await mailsOf(h, campaignId);
    if (!first || !second) throw new Error('too few mails');

    const { action, csrf } = await pageForm(scoreLink(first, 10));
    const scripted = await fetch(new URL(action, h.urls.http), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: h.urls.http, accept: 'application/json' },
      body: new URLSearchParams({ csrf, score: '10', via: 'script' }),
    });
    expect(scripted.status).toBe(200);
    expect(await scripted.json()).toEqual({ saved: true });

    // Only a machine reaches the honeypot's page; its form marks the answer automated.
    const honeypot = linksOf(second).find((l) => l.endsWith('/x'));
    if (!honeypot) throw new Error('no honeypot link');
    const trap = await pageForm(honeypot);
    expect(trap.html).toContain('name="via" value="honeypot"');
    expect((await postForm(h, trap.action, { csrf: trap.csrf, score: '2', via: 'honeypot' })).status).toBe(303);
    const [caught] = await h.deps.surveys.ofMember(clubId, memberOf(demo, second).memberId);
    expect(caught?.response.automated).toBe('honeypot');
    expect(await npsNow(h, clubId)).toMatchObject({ responses: 1, promoters: 1, detractors: 0 });
    // No case for a machine's 2.
    expect(await h.deps.feedbackCases.list(clubId, {})).toEqual([]);
  });

  it('marks votes for several different scores within seconds automated, and resolves the case they opened', async () => {
    const { demo, clubId, campaignId } = await surveyed();
    await runCampaign(h, clubId, campaignId);
    const [mail] = await mailsOf(h, campaignId);
    if (!mail) throw new Error('no mail');
    for (const score of [1, 5, 9]) await answer(h, scoreLink(mail, score));
    const [stored] = await h.deps.surveys.ofMember(clubId, memberOf(demo, mail).memberId);
    expect(stored?.response.automated).toBe('rapid-scores');
    expect((await npsNow(h, clubId)).responses).toBe(0);
    const [opened] = await h.deps.feedbackCases.list(clubId, {});
    expect(opened?.state).toBe('resolved');
  });

  it('refuses a post without the page’s form token or from another site, and a score outside 0–10', async () => {
    const { clubId, campaignId } = await surveyed();
    await runCampaign(h, clubId, campaignId);
    const [mail] = await mailsOf(h, campaignId);
    if (!mail) throw new Error('no mail');
    const { action, csrf } = await pageForm(scoreLink(mail, 5));
    expect((await postForm(h, action, { score: '5' })).status).toBe(403);
    const foreign = await fetch(new URL(action, h.urls.http), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example' },
      body: new URLSearchParams({ csrf, score: '5' }),
    });
    expect(foreign.status).toBe(403);
    for (const score of ['11', '-1', '', '5.0', 'five']) {
      expect((await postForm(h, action, { csrf, score })).status).toBe(400);
    }
    expect((await npsNow(h, clubId)).responses).toBe(0);
  });

  it('answers a tampered, truncated or foreign survey link with the one page for every bad link', async () => {
    const { clubId, campaignId } = await surveyed();
    await runCampaign(h, clubId, campaignId);
    const [mail] = await mailsOf(h, campaignId);
    if (!mail) throw new Error('no mail');
    const good = scoreLink(mail, 5);
    const token = new URL(good).pathname.split('/')[2] ?? '';
    const preferences = linksOf(mail).find((l) => l.includes('/p/')) ?? '';
    const bad = [
      `${h.urls.http}/s/${token.slice(0, -2)}xx`,
      `${h.urls.http}/s/${token.slice(0, 20)}`,
      `${h.urls.http}/s/${new URL(preferences).pathname.split('/')[2]}`,
    ];
    const pages = await Promise.all(
      bad.map(async (url) => ({ status: (await fetch(url)).status, body: await (await fetch(url)).text() })),
    );
    for (const page of pages) {
      expect(page.status).toBe(404);
      expect(page.body).toBe(pages[0]?.body);
    }
    const invalid = await (await fetch(`${h.urls.http}/p/nonsense`)).text();
    expect(pages[0]?.body).toBe(invalid);
  });
});

describe('the survey campaign over the API', () => {
  it('refuses a survey with offers and a note about a topic the club never declared, naming the field', async () => {
    const demo = await surveyClub(h, EVERYONE);
    const sendAt = new Date(h.clock.now().getTime() + 60_000).toISOString();
    const withOffers = await api(h, `/clubs/${demo.club.clubId}/campaigns`, {
      method: 'POST',
      body: { name: 'S', kind: 'survey', offerPool: ['o001'], sendAt },
    });
    expect(withOffers).toMatchObject({ status: 400, json: { message: 'offerPool: a survey carries no offers' } });
    const badType = await api(h, `/clubs/${demo.club.clubId}/campaigns`, {
      method: 'POST',
      body: { name: 'S', kind: 'survey', survey: { type: 'monthly' }, sendAt },
    });
    expect(badType.status).toBe(400);
    expect(String(badType.json.message)).toMatch(/^survey\.type: /);
    const text = { sv: 'x', da: 'x', en: 'x' };
    const note = await api(h, `/clubs/${demo.club.clubId}/campaigns`, {
      method: 'POST',
      body: { name: 'N', kind: 'note', note: { topic: 'queues', subject: text, headline: text, body: text }, sendAt },
    });
    expect(note).toMatchObject({ status: 400 });
    expect(String(note.json.message)).toMatch(/^note\.topic: unknown comment topic queues/);
    const offers = await api(h, `/clubs/${demo.club.clubId}/campaigns`, {
      method: 'POST',
      body: { name: 'O', offerPool: [], sendAt },
    });
    expect(String(offers.json.message)).toBe('offerPool: an offers campaign needs at least one offer');
    const ok = await api(h, `/clubs/${demo.club.clubId}/campaigns`, {
      method: 'POST',
      body: { name: 'S', kind: 'survey', survey: { type: 'after-purchase', daysAfter: 2 }, sendAt },
    });
    expect(ok.status).toBe(201);
    expect(
      z.object({ campaign: z.object({ theme: z.string(), offerPool: z.array(z.string()) }) }).parse(ok.json),
    ).toMatchObject({
      campaign: { theme: 'community', offerPool: [] },
    });
  });

  it('sends nothing to the members a dry-run suppresses, each with its reason', async () => {
    const demo = await surveyClub(h, { ...EVERYONE, relationshipSampleShare: 0.5 });
    const clubId = demo.club.clubId;
    const campaignId = await createCampaign(h, clubId, { kind: 'survey' });
    const dry = await api(h, `/clubs/${clubId}/campaigns/${campaignId}/dry-run`, { method: 'POST' });
    const counts = z
      .object({ dryRun: z.object({ toSend: z.number(), suppressed: z.record(z.string(), z.number()) }) })
      .parse(dry.json).dryRun;
    // The demo's unsubscribed, unconsenting, paused and birthdays-only members, and half of the rest.
    expect(counts.suppressed['not-in-sample']).toBeGreaterThan(10);
    expect(counts.suppressed).toMatchObject({
      unsubscribed: 1,
      'no-consent': 1,
      paused: 1,
      'member-frequency-choice': 1,
    });
    await runCampaign(h, clubId, campaignId);
    // Under load a send can still be on its way when the queues look idle: wait for the inbox (up to 30 s),
    // then check that it holds exactly the dry-run's mails, no more.
    let mails = await mailsOf(h, campaignId);
    for (let i = 0; i < 60 && mails.length < counts.toSend; i++) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      await h.settle();
      mails = await mailsOf(h, campaignId);
    }
    expect(mails.length).toBe(counts.toSend);
  });
});
