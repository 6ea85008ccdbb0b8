import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { demoGroceryClub } from '../../bin/demo-club.js';
import { seedDemo } from '../../bin/seed-demo.js';
import { csrfToken } from '../../lambdas/core/form-tokens.js';
import type { MemberRecord } from '../../lambdas/core/member-sync.js';
import { signToken } from '../../lambdas/core/tokens.js';
import { apiFetch, type Harness, startHarness, uniqueId } from '../support/local-harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

const ImportAnswer = z.object({
  stored: z.number(),
  created: z.number(),
  updated: z.number(),
  unchanged: z.number(),
  kept: z.array(
    z.object({
      memberId: z.string(),
      fields: z.array(z.object({ field: z.string(), owner: z.string(), why: z.string().optional() })),
    }),
  ),
  suppressed: z.array(z.string()).optional(),
  blocked: z.array(z.string()).optional(),
});
const DryRun = z.object({
  dryRun: z.object({
    decisions: z.array(z.object({ memberId: z.string(), outcome: z.string(), reason: z.string().optional() })),
  }),
});
const Export = z.object({
  consentHistory: z.array(z.object({ marketing: z.boolean(), source: z.string(), at: z.string() })),
});

async function importMembers(clubId: string, members: readonly MemberRecord[]) {
  const response = await apiFetch(h, `/clubs/${clubId}/members`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ members }),
  });
  const json: unknown = await response.json();
  return { status: response.status, json };
}

/** A CRM record as the club's system exports it every night. */
function crmRecord(memberId: string, email = `${memberId}@${uniqueId('crm')}.example`): MemberRecord {
  return {
    memberId,
    email,
    firstName: 'Kim',
    language: 'sv',
    timeZone: 'Europe/Stockholm',
    joinedAt: '2024-03-01T10:00:00.000Z',
    subscription: 'subscribed',
    deliverability: 'ok',
    consent: {
      marketing: true,
      textVersion: 'terms-2024',
      at: '2024-03-01T10:00:00.000Z',
      source: 'crm',
      legalBasis: 'consent',
    },
    preferences: {
      frequency: 'club-default',
      topics: ['offers', 'news', 'events', 'surveys'],
      declaredRestrictions: [],
      rejectedInferences: [],
      nameDayMail: false,
    },
  };
}

async function seededClub() {
  const demo = demoGroceryClub(h.clock.now(), 7, uniqueId('sync'));
  await seedDemo(h.deps, demo);
  const clubId = demo.club.clubId;
  const created = await apiFetch(h, `/clubs/${clubId}/campaigns`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      name: 'Nightly check',
      theme: 'community',
      offerPool: demo.offers.map((o) => o.offerId),
      sendAt: new Date(h.clock.now().getTime() + 86_400_000).toISOString(),
    }),
  });
  const campaignId = z.object({ campaign: z.object({ campaignId: z.string() }) }).parse(await created.json())
    .campaign.campaignId;
  const dryRun = async () => {
    const response = await apiFetch(h, `/clubs/${clubId}/campaigns/${campaignId}/dry-run`, {
      method: 'POST',
    });
    return new Map(DryRun.parse(await response.json()).dryRun.decisions.map((d) => [d.memberId, d]));
  };
  const link = (purpose: 'unsubscribe' | 'preferences', memberId: string) =>
    signToken(h.tokenKeys, { purpose, clubId, memberId }, h.clock.now());
  return { clubId, dryRun, link };
}

async function preferencePost(token: string, fields: Record<string, string | string[]>) {
  const body = new URLSearchParams({ csrf: csrfToken(h.tokenKeys, token) ?? '' });
  for (const [name, value] of Object.entries(fields))
    for (const v of Array.isArray(value) ? value : [value]) body.append(name, v);
  const response = await fetch(`${h.urls.http}/p/${token}`, {
    method: 'POST',
    headers: { origin: h.urls.http },
    body,
    redirect: 'manual',
  });
  expect(response.status).toBe(303);
}

describe('member import as a sync', () => {
  it('re-imports the same CRM records without undoing an unsubscribe, a pause or an undeliverable address', async () => {
    const { clubId, dryRun, link } = await seededClub();
    const records = [crmRecord('crm-gone'), crmRecord('crm-paused'), crmRecord('crm-bouncing')];
    expect(ImportAnswer.parse((await importMembers(clubId, records)).json)).toMatchObject({ created: 3, unchanged: 0 });

    // The member's own choices, over HTTP as they make them, and what the system learned.
    const oneClick = await fetch(`${h.urls.http}/u/${link('unsubscribe', 'crm-gone')}`, {
      method: 'POST',
      body: new URLSearchParams({ 'List-Unsubscribe': 'One-Click' }),
    });
    expect(oneClick.status).toBe(200);
    const prefs = link('preferences', 'crm-paused');
    await preferencePost(prefs, {
      action: 'save',
      frequency: 'club-default',
      topics: ['news'],
      language: 'sv',
      confirmation: 'on',
    });
    await preferencePost(prefs, { action: 'pause', pause: '1m' });
    await h.deps.members.markUndeliverable(clubId, 'crm-bouncing', 'undeliverable', h.clock.now(), '5 soft bounces');

    // The nightly sync sends the very same records again.
    const again = ImportAnswer.parse((await importMembers(clubId, records)).json);
    expect(again).toMatchObject({ stored: 3, created: 0, updated: 0, unchanged: 3 });
    const kept = new Map(again.kept.map((k) => [k.memberId, k.fields.map((f) => `${f.owner}:${f.field}`).sort()]));
    expect(kept.get('crm-gone')).toEqual(['member:subscription']);
    expect(kept.get('crm-paused')).toEqual(['member:preferences.pausedUntil', 'member:preferences.topics']);
    expect(kept.get('crm-bouncing')).toEqual(['system:deliverability']);

    const decisions = await dryRun();
    expect(decisions.get('crm-gone')).toMatchObject({ outcome: 'suppress', reason: 'unsubscribed' });
    expect(decisions.get('crm-paused')).toMatchObject({ outcome: 'suppress', reason: 'paused' });
    expect(decisions.get('crm-bouncing')).toMatchObject({ outcome: 'suppress', reason: 'undeliverable' });

    const exported = await apiFetch(h, `/clubs/${clubId}/members/crm-gone/export`);
    const history = Export.parse(await exported.json()).consentHistory;
    expect(history.map((e) => [e.marketing, e.source])).toEqual([
      [true, 'crm'],
      [false, 'one-click'],
    ]);
  });

  it('does not mail an address that unsubscribed when it comes back under a new member id', async () => {
    const { clubId, dryRun, link } = await seededClub();
    const first = crmRecord('crm-old');
    await importMembers(clubId, [first]);
    await fetch(`${h.urls.http}/u/${link('unsubscribe', 'crm-old')}`, {
      method: 'POST',
      body: new URLSearchParams({ 'List-Unsubscribe': 'One-Click' }),
    });
    const returning = { ...crmRecord('crm-new', first.email.toUpperCase()), firstName: 'Kim Again' };
    const answer = ImportAnswer.parse((await importMembers(clubId, [returning])).json);
    expect(answer).toMatchObject({ created: 1, blocked: ['crm-new'] });
    expect((await dryRun()).get('crm-new')).toMatchObject({ outcome: 'suppress', reason: 'unsubscribed' });
  });

  it('does not mail an address that unsubscribed on the preference page when it comes back under a new member id', async () => {
    const { clubId, dryRun, link } = await seededClub();
    const first = crmRecord('crm-page');
    await importMembers(clubId, [first]);
    const token = link('preferences', 'crm-page');
    const page = await (await fetch(`${h.urls.http}/p/${token}`)).text();
    const csrf = /name="csrf" value="([^"]+)"/.exec(page)?.[1];
    if (!csrf) throw new Error('no form token on the preference page');
    const posted = await fetch(`${h.urls.http}/p/${token}/unsubscribe`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: h.urls.http },
      body: new URLSearchParams({ csrf }),
    });
    expect(posted.status).toBe(200);
    expect(await h.deps.suppressions.has(clubId, first.email)).toBe(true);
    const returning = crmRecord('crm-page-new', first.email);
    expect(ImportAnswer.parse((await importMembers(clubId, [returning])).json)).toMatchObject({
      created: 1,
      blocked: ['crm-page-new'],
    });
    expect((await dryRun()).get('crm-page-new')).toMatchObject({ outcome: 'suppress', reason: 'unsubscribed' });
  });

  it('takes a renewed grant with its own source, and then mails the member and their address again', async () => {
    const { clubId, dryRun, link } = await seededClub();
    const record = crmRecord('crm-back');
    await importMembers(clubId, [record]);
    await fetch(`${h.urls.http}/u/${link('unsubscribe', 'crm-back')}`, {
      method: 'POST',
      body: new URLSearchParams({ 'List-Unsubscribe': 'One-Click' }),
    });
    const later = new Date(h.clock.now().getTime() + 60_000).toISOString();
    // The CRM re-stamps its old grant with today's date: not a renewal.
    const restamped = { ...record, consent: { ...record.consent, at: later } };
    const refused = ImportAnswer.parse((await importMembers(clubId, [restamped])).json);
    expect(refused).toMatchObject({ unchanged: 1 });
    expect(refused.kept[0]?.fields.find((f) => f.field === 'consent')?.why).toMatch(/own source/);
    expect((await dryRun()).get('crm-back')).toMatchObject({ reason: 'unsubscribed' });

    h.clock.advance(120_000);
    const renewed = { ...record, consent: { ...record.consent, at: later, source: 'web-signup-2026' } };
    expect(ImportAnswer.parse((await importMembers(clubId, [renewed])).json)).toMatchObject({ updated: 1 });
    expect((await dryRun()).get('crm-back')?.outcome).toBe('send');
    expect(await h.deps.suppressions.has(clubId, record.email)).toBe(false);
  });

  it('syncs 1,000 members in one call, and the same call again changes nothing', async () => {
    const { clubId } = await seededClub();
    const records = Array.from({ length: 1000 }, (_, i) => crmRecord(`bulk-${i}`));
    expect(ImportAnswer.parse((await importMembers(clubId, records)).json)).toMatchObject({ created: 1000 });
    const renamed = records.map((r, i) => (i % 10 === 0 ? { ...r, firstName: 'Renamed' } : r));
    expect(ImportAnswer.parse((await importMembers(clubId, renamed)).json)).toMatchObject({
      created: 0,
      updated: 100,
      unchanged: 900,
    });
  }, 60_000);

  it('refuses a body over the limit with a 413 that says where big files go, and a repeated id with a 400', async () => {
    const { clubId } = await seededClub();
    const big = await apiFetch(h, `/clubs/${clubId}/members`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: `{"members": [${'"x",'.repeat(600_000)}"x"]}`,
    });
    expect(big.status).toBe(413);
    expect(await big.json()).toMatchObject({
      error: 'payload-too-large',
      message: expect.stringContaining('/imports'),
    });
    const twice = await importMembers(clubId, [crmRecord('same'), crmRecord('same')]);
    expect(twice.status).toBe(400);
    expect(twice.json).toMatchObject({ message: 'members[1].memberId: repeats members[0]' });
  });
});
