import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type DemoClub, demoGroceryClub } from '../../bin/demo-club.js';
import { seedDemo } from '../../bin/seed-demo.js';
import { CONSERVATIVE_BUDGET } from '../../lambdas/core/budget.js';
import { CHOICE_REASONS, type MailControl } from '../../lambdas/core/mail-controls.js';
import type { Club, Member } from '../../lambdas/core/model.js';
import { CONTROL_COPY } from '../../lambdas/http/pages/control-copy.js';
import { type Harness, type StoredEmail, startHarness, uniqueId } from '../support/local-harness.js';
import { api, createCampaign, linksOf, mailsOf, pageForm, postForm, runCampaign } from '../support/surveys.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

/** A seeded demo grocery club (50 members with receipts) at one mail in 3 days. */
async function groceryClub(): Promise<DemoClub> {
  const demo = demoGroceryClub(h.clock.now(), 5, uniqueId('mc'));
  const club: Club = { ...demo.club, budget: CONSERVATIVE_BUDGET };
  await seedDemo(h.deps, { ...demo, club });
  return { ...demo, club };
}

const Decisions = z.object({
  dryRun: z.object({
    decisions: z.array(
      z.object({
        memberId: z.string(),
        outcome: z.string(),
        reason: z.string().optional(),
        explanation: z.string().optional(),
        offers: z.array(z.object({ offerId: z.string(), score: z.number() })).optional(),
      }),
    ),
  }),
});

async function dryRun(clubId: string, campaignId: string, lang?: string) {
  const answer = await api(h, `/clubs/${clubId}/campaigns/${campaignId}/dry-run${lang ? `?lang=${lang}` : ''}`, {
    method: 'POST',
  });
  expect(answer.status).toBe(200);
  return new Map(Decisions.parse(answer.json).dryRun.decisions.map((d) => [d.memberId, d]));
}

const Report = z.object({ report: z.object({ controls: z.record(z.string(), z.number()) }) });

async function controlsReport(clubId: string, campaignId: string) {
  const answer = await api(h, `/clubs/${clubId}/campaigns/${campaignId}`);
  expect(answer.status).toBe(200);
  return Report.parse(answer.json).report.controls;
}

/** Everything a control could change about a member. */
async function choices(clubId: string, memberId: string) {
  const state = await h.deps.members.getState(clubId, memberId);
  if (!state) throw new Error('member gone');
  const { preferences, subscription } = state.member;
  const { updatedAt: _at, updatedVia: _via, ...prefs } = preferences;
  return { subscription, prefs, updatedVia: preferences.updatedVia };
}

function memberOf(demo: DemoClub, mail: StoredEmail): Member {
  const member = demo.members.find((m) => m.email === mail.destination.to[0]);
  if (!member) throw new Error('mail to an unknown member');
  return member;
}

function controlLink(mail: StoredEmail, control: MailControl): string {
  const link = linksOf(mail).find((l) => new RegExp(`/c/[^/]+/${control}$`).test(l));
  if (!link) throw new Error(`no ${control} link`);
  return link;
}

/** Every link in both parts of a mail. */
function everyLink(mail: StoredEmail): string[] {
  const fromText = [...(mail.body.text ?? '').matchAll(/https?:\/\/\S+/g)].map((m) => m[0]);
  return [...new Set([...linksOf(mail), ...fromText])];
}

describe('the controls inside a mail', () => {
  it('each asks on a GET and changes nothing, applies on the POST, is counted once, survives an import, and the next dry-run gives its reason', async () => {
    const demo = await groceryClub();
    const clubId = demo.club.clubId;
    const pool = demo.offers.slice(0, 6).map((o) => o.offerId);
    const campaignId = await createCampaign(h, clubId, { name: 'Weekend', theme: 'care', offerPool: pool });
    const scores = await dryRun(clubId, campaignId);
    await runCampaign(h, clubId, campaignId);
    const mails = await mailsOf(h, campaignId);
    expect(mails.length).toBeGreaterThanOrEqual(3);

    const controls: MailControl[] = ['fewer', 'pause', 'occasions-only'];
    const used = new Map<MailControl, { mail: StoredEmail; member: Member }>();
    controls.forEach((control, i) => {
      const mail = mails[i];
      if (!mail) throw new Error('too few mails');
      used.set(control, { mail, member: memberOf(demo, mail) });
    });

    // The next campaign of the same theme, with a floor between the member's halved and full score.
    const fewerMember = used.get('fewer')?.member;
    const best = scores.get(fewerMember?.memberId ?? '')?.offers?.[0]?.score ?? 0;
    expect(best).toBeGreaterThan(0);
    const next = await createCampaign(h, clubId, {
      name: 'Next week',
      theme: 'care',
      offerPool: pool,
      relevanceFloor: best * 0.7,
    });
    const before = await dryRun(clubId, next);

    for (const control of controls) {
      const { mail, member } = used.get(control) ?? { mail: mails[0], member: undefined };
      if (!mail || !member) throw new Error('no mail');
      const link = controlLink(mail, control);
      const unchanged = await choices(clubId, member.memberId);
      const copy = CONTROL_COPY[member.language].controls[control];

      // A GET (the member's or a scanner's) and a HEAD only ask.
      const page = await fetch(link);
      expect(page.status).toBe(200);
      expect(page.headers.get('cache-control')).toBe('no-store');
      expect(page.headers.get('referrer-policy')).toBe('no-referrer');
      const body = await page.text();
      expect(body).toContain(copy.ask);
      expect(body).toMatch(
        /<form method="post" action="\/c\/[^"]+"><input type="hidden" name="csrf" value="[^"]+"><button type="submit">/,
      );
      expect((await fetch(link, { method: 'HEAD' })).status).toBe(200);
      expect(await choices(clubId, member.memberId)).toEqual(unchanged);

      // A post without the page's form token, or from another site, changes nothing either.
      expect((await postForm(h, new URL(link).pathname, {})).status).toBe(403);
      const crossSite = await fetch(link, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example' },
        body: 'csrf=x',
      });
      expect(crossSite.status).toBe(403);
      expect(await choices(clubId, member.memberId)).toEqual(unchanged);

      // The page's button applies it and says what changed, with the way to the preference centre.
      const { csrf } = await pageForm(link);
      const posted = await postForm(h, new URL(link).pathname, { csrf });
      expect(posted.status).toBe(200);
      const done = await posted.text();
      expect(done).toContain(copy.done('').split(' ')[0] ?? '');
      expect(done).toMatch(/<a href="\/p\/[^"]+">/);
      expect(done).not.toContain(CONTROL_COPY[member.language].already);
      const after = await choices(clubId, member.memberId);
      expect(after).not.toEqual(unchanged);
      expect(after.updatedVia).toBe('mail-control');
      // Pressed again: nothing new, and said so.
      const again = await postForm(h, new URL(link).pathname, { csrf });
      expect(await again.text()).toContain(CONTROL_COPY[member.language].already);
    }

    expect((await choices(clubId, used.get('fewer')?.member.memberId ?? '')).prefs.fewer).toEqual(['theme:care']);
    expect((await choices(clubId, used.get('occasions-only')?.member.memberId ?? '')).prefs.frequency).toBe(
      'occasions-only',
    );
    expect(await controlsReport(clubId, campaignId)).toEqual({ fewer: 1, pause: 1, 'occasions-only': 1 });

    // The nightly CRM sync sends the three members as the club has them: their choices stay theirs.
    const chosen = await Promise.all(controls.map((c) => choices(clubId, used.get(c)?.member.memberId ?? '')));
    const records = controls.map((c) => {
      const member = used.get(c)?.member;
      if (!member) throw new Error('no member');
      const { clubId: _club, languageChosenAt: _chosen, ...record } = member;
      return record;
    });
    const synced = await api(h, `/clubs/${clubId}/members`, { method: 'POST', body: { members: records } });
    expect(synced.status).toBe(200);
    expect(await Promise.all(controls.map((c) => choices(clubId, used.get(c)?.member.memberId ?? '')))).toEqual(chosen);

    // The next plan honours each choice, and the dry-run says why in the club's language and on request.
    const reasonOf = (decisions: Awaited<ReturnType<typeof dryRun>>, control: MailControl) =>
      decisions.get(used.get(control)?.member.memberId ?? '');
    const expected: Record<MailControl, string> = {
      fewer: 'fewer-like-this',
      pause: 'paused',
      'occasions-only': 'member-frequency-choice',
    };
    const after = await dryRun(clubId, next);
    const inEnglish = await dryRun(clubId, next, 'en');
    for (const control of controls) {
      expect(reasonOf(before, control)?.reason).not.toBe(expected[control]);
      expect(reasonOf(after, control)).toMatchObject({
        outcome: 'suppress',
        reason: expected[control],
        explanation: CHOICE_REASONS.sv[expected[control]],
      });
      expect(reasonOf(inEnglish, control)?.explanation).toBe(CHOICE_REASONS.en[expected[control]]);
    }
  });

  it('under a link scanner that GETs and HEADs every link of every mail, changes nothing for anyone', async () => {
    const demo = await groceryClub();
    const clubId = demo.club.clubId;
    const campaignId = await createCampaign(h, clubId, {
      name: 'Scanned',
      theme: 'community',
      offerPool: demo.offers.slice(0, 6).map((o) => o.offerId),
    });
    await runCampaign(h, clubId, campaignId);
    const mails = await mailsOf(h, campaignId);
    expect(mails.length).toBeGreaterThanOrEqual(5);
    const before = await Promise.all(demo.members.map((m) => choices(clubId, m.memberId)));

    let fetched = 0;
    for (const mail of mails) {
      const links = everyLink(mail);
      // The three controls, in the HTML part and in the plain-text part.
      expect(links.filter((l) => /\/c\/[^/]+\/(fewer|pause|occasions-only)$/.test(l))).toHaveLength(3);
      expect((mail.body.text ?? '').match(/\/c\/[^/\s]+\/(fewer|pause|occasions-only)/g)).toHaveLength(3);
      const statuses = await Promise.all(
        links.flatMap((link) => [
          fetch(link).then(async (r) => {
            await r.arrayBuffer();
            return r.status;
          }),
          fetch(link, { method: 'HEAD' }).then((r) => r.status),
        ]),
      );
      fetched += statuses.length;
      expect(new Set(statuses)).toEqual(new Set([200]));
    }
    expect(fetched).toBeGreaterThanOrEqual(mails.length * 10);
    expect(await Promise.all(demo.members.map((m) => choices(clubId, m.memberId)))).toEqual(before);
    expect(await controlsReport(clubId, campaignId)).toEqual({ fewer: 0, pause: 0, 'occasions-only': 0 });
  });

  it('answers a tampered, unknown or other-purpose link with the one invalid page', async () => {
    const demo = await groceryClub();
    const clubId = demo.club.clubId;
    const campaignId = await createCampaign(h, clubId, {
      name: 'Links',
      theme: 'community',
      offerPool: demo.offers.slice(0, 6).map((o) => o.offerId),
    });
    await runCampaign(h, clubId, campaignId);
    const [mail] = await mailsOf(h, campaignId);
    if (!mail) throw new Error('no mail');
    const link = controlLink(mail, 'pause');
    const preferences = linksOf(mail).find((l) => l.includes('/p/')) ?? '';
    const token = new URL(preferences).pathname.split('/')[2] ?? '';
    for (const bad of [
      link.replace(/\/pause$/, '/unsubscribe-everything'),
      link.replace(/\/c\/([^/]+)\//, (_m, t: string) => `/c/${t.slice(0, -2)}xx/`),
      `${h.urls.http}/c/${token}/pause`,
    ]) {
      const answer = await fetch(bad);
      expect(answer.status).toBe(404);
    }
  });
});
