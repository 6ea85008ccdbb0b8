import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoGroceryClub } from '../../bin/demo-club.js';
import { seedDemo } from '../../bin/seed-demo.js';
import { checkEligibility } from '../../lambdas/core/eligibility.js';
import { csrfToken } from '../../lambdas/core/form-tokens.js';
import { sendIdFor } from '../../lambdas/core/ledger.js';
import { signToken } from '../../lambdas/core/tokens.js';
import { PAGE_COPY } from '../../lambdas/http/pages/copy.js';
import { type Harness, header, sesInbox, startHarness, uniqueId } from '../support/local-harness.js';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

async function memberInClub() {
  const demo = demoGroceryClub(h.clock.now(), 11, uniqueId('pages'));
  await seedDemo(h.deps, demo);
  const member = demo.members[1];
  if (!member) throw new Error('demo has no members');
  const token = (purpose: 'unsubscribe' | 'preferences', memberId = member.memberId) =>
    signToken(h.tokenKeys, { purpose, clubId: demo.club.clubId, memberId }, h.clock.now());
  return { demo, member, token };
}

/** Withdrawals of consent recorded for the member: events in their consent history. */
async function withdrawals(clubId: string, memberId: string): Promise<number> {
  const data = await h.deps.memberData.collect(clubId, memberId);
  return data?.consentHistory.filter((event) => !event.marketing).length ?? 0;
}

async function subscription(clubId: string, memberId: string): Promise<string | undefined> {
  return (await h.deps.members.getState(clubId, memberId))?.member.subscription;
}

describe('one-click unsubscribe (RFC 8058)', () => {
  it('shows a confirm button on GET and changes nothing, as link scanners fetch URLs', async () => {
    const { demo, member, token } = await memberInClub();
    const response = await fetch(`${h.urls.http}/u/${token('unsubscribe')}`);
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toMatch(/<form method="post">/);
    expect(html).toContain('<button type="submit">');
    expect(await subscription(demo.club.clubId, member.memberId)).toBe('subscribed');
    expect(await withdrawals(demo.club.clubId, member.memberId)).toBe(0);
  });

  it('answers ten form-encoded POSTs with ten 200s, no redirect, and records one withdrawal', async () => {
    const { demo, member, token } = await memberInClub();
    const url = `${h.urls.http}/u/${token('unsubscribe')}`;
    for (let i = 0; i < 10; i++) {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://mail.provider.example' },
        body: 'List-Unsubscribe=One-Click',
        redirect: 'manual',
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('location')).toBeNull();
    }
    expect(await subscription(demo.club.clubId, member.memberId)).toBe('unsubscribed');
    expect(await withdrawals(demo.club.clubId, member.memberId)).toBe(1);
  });

  it('accepts the multipart/form-data encoding too, without a cookie', async () => {
    const { demo, member, token } = await memberInClub();
    const form = new FormData();
    form.set('List-Unsubscribe', 'One-Click');
    const response = await fetch(`${h.urls.http}/u/${token('unsubscribe')}`, {
      method: 'POST',
      body: form,
      redirect: 'manual',
    });
    expect(response.status).toBe(200);
    expect(await subscription(demo.club.clubId, member.memberId)).toBe('unsubscribed');
  });

  it('drops a mail that was already queued when the member unsubscribes', async () => {
    const { demo, member, token } = await memberInClub();
    const campaignId = uniqueId('cmp');
    await h.deps.campaigns.createCampaign({
      clubId: demo.club.clubId,
      campaignId,
      name: 'Queued before the click',
      theme: 'community',
      kind: 'offers',
      priority: 1,
      holdoutShare: 0,
      brandFitOverride: false,
      offerPool: demo.offers.map((o) => o.offerId),
      offersPerMail: 3,
      sendAt: h.clock.now().toISOString(),
      status: 'planning',
      createdAt: h.clock.now().toISOString(),
      updatedAt: h.clock.now().toISOString(),
    });
    const offer = demo.offers[0];
    if (!offer) throw new Error('no offers');
    const sendId = sendIdFor(demo.club.clubId, campaignId, member.memberId);
    const picks = [
      { offerId: offer.offerId, productId: offer.productId, score: 0.9, why: 'often-bought' as const, reason: 'test' },
    ];
    await h.deps.campaigns.recordDecision(
      demo.club.clubId,
      campaignId,
      { outcome: 'send', memberId: member.memberId, sendId, offers: picks, message: 'queued' },
      h.clock.now(),
    );
    await fetch(`${h.urls.http}/u/${token('unsubscribe')}`, {
      method: 'POST',
      body: new URLSearchParams({ 'List-Unsubscribe': 'One-Click' }),
    });

    const before = (await sesInbox(h.urls.ses)).length;
    await h.sendQueue.send([
      { clubId: demo.club.clubId, campaignId, memberId: member.memberId, sendId, theme: 'community', offers: picks },
    ]);
    await h.settle();
    expect((await sesInbox(h.urls.ses)).length).toBe(before);
    const [record] = await h.deps.campaigns.listDecisions(demo.club.clubId, campaignId);
    expect(record?.delivery).toMatchObject({ state: 'dropped', reason: 'unsubscribed' });
  });
});

describe('signed member links', () => {
  it('gives the same status and the same bytes for tampered, truncated, unknown-key, expired, wrong-purpose and unknown-member links', async () => {
    const { token } = await memberInClub();
    const good = token('unsubscribe');
    const [kid, payload, tag] = good.split('.');
    const expired = signToken(
      h.tokenKeys,
      { purpose: 'unsubscribe', clubId: 'x', memberId: 'y' },
      new Date('2020-01-01'),
      10,
    );
    const bad = [
      `${kid}.${payload}.${tag?.startsWith('A') ? 'B' : 'A'}${tag?.slice(1)}`,
      good.slice(0, -5),
      `zz.${payload}.${tag}`,
      expired,
      token('preferences'),
      token('unsubscribe', 'no-such-member'),
      'not-a-token',
    ];
    const answers = await Promise.all(
      bad.flatMap((t) => [
        fetch(`${h.urls.http}/u/${t}`),
        fetch(`${h.urls.http}/u/${t}`, {
          method: 'POST',
          body: new URLSearchParams({ 'List-Unsubscribe': 'One-Click' }),
        }),
      ]),
    );
    const bodies = await Promise.all(answers.map((r) => r.text()));
    expect(new Set(answers.map((r) => r.status))).toEqual(new Set([404]));
    expect(new Set(bodies).size).toBe(1);
  });

  it('sends no-referrer, no-store and a strict CSP on member pages', async () => {
    const { token } = await memberInClub();
    for (const url of [`/u/${token('unsubscribe')}`, `/p/${token('preferences')}`, '/u/garbage']) {
      const response = await fetch(`${h.urls.http}${url}`);
      expect(response.headers.get('referrer-policy')).toBe('no-referrer');
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(response.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
      expect(response.headers.get('content-security-policy')).toMatch(/frame-ancestors 'none'/);
    }
  });
});

describe('preference page', () => {
  it('shows the member their frequency, topics, diet and language in their language', async () => {
    const { demo } = await memberInClub();
    const glutenFree = demo.members.find((m) =>
      demo.profiles.get(m.memberId)?.inferredRestrictions.includes('gluten-free'),
    );
    if (!glutenFree) throw new Error('demo has no inferred gluten-free member');
    const url = `${h.urls.http}/p/${signToken(h.tokenKeys, { purpose: 'preferences', clubId: demo.club.clubId, memberId: glutenFree.memberId }, h.clock.now())}`;
    const html = await (await fetch(url)).text();
    expect(html).toContain(`<html lang="${glutenFree.language}">`);
    expect(html).toContain(glutenFree.firstName);
    expect(html).toMatch(/Glutenfri|Gluten-free/);
    expect(html).toContain(demo.club.brand.colours.primary);
  });

  it('rejects a cross-site post of the human unsubscribe form but accepts a same-origin one with its form token', async () => {
    const { demo, member, token } = await memberInClub();
    const prefs = token('preferences');
    const url = `${h.urls.http}/p/${prefs}/unsubscribe`;
    const csrf = csrfToken(h.tokenKeys, prefs) ?? '';
    const crossSite = await fetch(url, {
      method: 'POST',
      headers: { origin: 'https://evil.example' },
      body: new URLSearchParams({ csrf }),
    });
    expect(crossSite.status).toBe(403);
    const noFormToken = await fetch(url, { method: 'POST', headers: { origin: h.urls.http } });
    expect(noFormToken.status).toBe(403);
    expect(await subscription(demo.club.clubId, member.memberId)).toBe('subscribed');
    const sameSite = await fetch(url, {
      method: 'POST',
      headers: { origin: h.urls.http },
      body: new URLSearchParams({ csrf }),
    });
    expect(sameSite.status).toBe(200);
    expect(await subscription(demo.club.clubId, member.memberId)).toBe('unsubscribed');
  });

  const post = (
    prefs: string,
    fields: Record<string, string | string[]>,
    options: { csrf?: string; origin?: string } = {},
  ) => {
    const body = new URLSearchParams({ csrf: options.csrf ?? csrfToken(h.tokenKeys, prefs) ?? '' });
    for (const [name, value] of Object.entries(fields))
      for (const v of Array.isArray(value) ? value : [value]) body.append(name, v);
    return fetch(`${h.urls.http}/p/${prefs}`, {
      method: 'POST',
      body,
      redirect: 'manual',
      headers: { origin: options.origin ?? h.urls.http },
    });
  };
  const saveAll = {
    action: 'save',
    frequency: 'monthly',
    topics: ['offers', 'events'],
    declared: ['vegan'],
    language: 'da',
    nameDayMail: 'on',
  };

  it('saves every choice of the main form in one write, records when and from where, and confirms it after a 303', async () => {
    const { demo, member, token } = await memberInClub();
    const prefs = token('preferences');
    const response = await post(prefs, saveAll);
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(`/p/${prefs}?done=saved`);
    const stored = (await h.deps.members.getState(demo.club.clubId, member.memberId))?.member;
    expect(stored?.preferences).toMatchObject({
      frequency: 'monthly',
      topics: ['offers', 'events'],
      declaredRestrictions: ['vegan'],
      nameDayMail: true,
      unsubscribeConfirmation: false,
      updatedAt: expect.any(String),
      updatedVia: 'preference-page',
    });
    expect(stored?.language).toBe('da');
    const confirmation = await (await fetch(`${h.urls.http}${response.headers.get('location')}`)).text();
    expect(confirmation).toContain('<html lang="da">');
    expect(confirmation).toContain('Sådan! Dine valg er gemt.');
  });

  it('refuses a post without the form token, or from another site, and changes nothing', async () => {
    const { demo, member, token } = await memberInClub();
    const prefs = token('preferences');
    const before = (await h.deps.members.getState(demo.club.clubId, member.memberId))?.member;
    expect((await post(prefs, saveAll, { csrf: 'forged' })).status).toBe(403);
    expect((await post(prefs, saveAll, { origin: 'https://evil.example' })).status).toBe(403);
    expect((await post(token('preferences', 'someone-else'), saveAll)).status).toBe(404);
    expect((await h.deps.members.getState(demo.club.clubId, member.memberId))?.member).toEqual(before);
  });

  it("answers a bad post with a 400 that names the field in the member's language, and changes nothing", async () => {
    const { demo, member, token } = await memberInClub();
    const prefs = token('preferences');
    const before = (await h.deps.members.getState(demo.club.clubId, member.memberId))?.member;
    const response = await post(prefs, { ...saveAll, frequency: 'hourly' });
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toContain('role="alert"');
    expect(html).toContain(PAGE_COPY[member.language].invalidField(PAGE_COPY[member.language].fieldNames.frequency));
    expect((await post(prefs, { ...saveAll, topics: ['offers', 'gossip'] })).status).toBe(400);
    expect((await post(prefs, { action: 'pause', pause: '10y' })).status).toBe(400);
    expect((await post(prefs, { action: 'drop-table' })).status).toBe(400);
    expect((await h.deps.members.getState(demo.club.clubId, member.memberId))?.member).toEqual(before);
  });

  it('removes an inferred restriction once, however often the member asks, and hides it from the page', async () => {
    const { demo, token } = await memberInClub();
    const glutenFree = demo.members.find((m) =>
      demo.profiles.get(m.memberId)?.inferredRestrictions.includes('gluten-free'),
    );
    if (!glutenFree) throw new Error('demo has no inferred gluten-free member');
    const prefs = token('preferences', glutenFree.memberId);
    for (let i = 0; i < 3; i++)
      expect((await post(prefs, { action: 'reject-inference', restriction: 'gluten-free' })).status).toBe(303);
    const stored = await h.deps.members.getState(demo.club.clubId, glutenFree.memberId);
    expect(stored?.member.preferences.rejectedInferences).toEqual(['gluten-free']);
    const html = await (await fetch(`${h.urls.http}/p/${prefs}`)).text();
    expect(html).not.toContain('name="restriction" value="gluten-free"');
  });

  it('pauses mail for a month, which suppresses the member, and resumes it', async () => {
    const { demo, member, token } = await memberInClub();
    const prefs = token('preferences');
    expect((await post(prefs, { action: 'pause', pause: '1m' })).status).toBe(303);
    const paused = (await h.deps.members.getState(demo.club.clubId, member.memberId))?.member;
    const days = (Date.parse(paused?.preferences.pausedUntil ?? '') - h.clock.now().getTime()) / 86_400_000;
    expect(days).toBeGreaterThanOrEqual(28);
    expect(days).toBeLessThanOrEqual(31);
    expect(paused && checkEligibility(paused, 'offers', h.clock.now())).toMatchObject({
      eligible: false,
      reason: 'paused',
    });
    expect((await post(prefs, { action: 'resume' })).status).toBe(303);
    expect(
      (await h.deps.members.getState(demo.club.clubId, member.memberId))?.member.preferences.pausedUntil,
    ).toBeUndefined();
  });
});

describe('unsubscribe confirmation mail', () => {
  const inboxFor = async (email: string) =>
    (await sesInbox(h.urls.ses)).filter((m) => m.destination.to.includes(email));

  it('arrives exactly once after ten one-click POSTs, without a List-Unsubscribe header', async () => {
    const { member, token } = await memberInClub();
    const url = `${h.urls.http}/u/${token('unsubscribe')}`;
    for (let i = 0; i < 10; i++) {
      const response = await fetch(url, {
        method: 'POST',
        body: new URLSearchParams({ 'List-Unsubscribe': 'One-Click' }),
      });
      expect(response.status).toBe(200);
    }
    const mails = await inboxFor(member.email);
    expect(mails).toHaveLength(1);
    const [mail] = mails;
    expect(mail && header(mail, 'List-Unsubscribe')).toBeUndefined();
    expect(mail?.body.text).toContain('/p/');
  });

  it('is not sent when the member turned it off', async () => {
    const { demo, member, token } = await memberInClub();
    await h.deps.members.updatePreferences(
      demo.club.clubId,
      member.memberId,
      { unsubscribeConfirmation: false },
      h.clock.now(),
      'test',
    );
    await fetch(`${h.urls.http}/u/${token('unsubscribe')}`, {
      method: 'POST',
      body: new URLSearchParams({ 'List-Unsubscribe': 'One-Click' }),
    });
    expect(await subscription(demo.club.clubId, member.memberId)).toBe('unsubscribed');
    expect(await inboxFor(member.email)).toHaveLength(0);
  });
});
