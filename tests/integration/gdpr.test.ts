import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { demoGroceryClub } from '../../bin/demo-club.js';
import { seedDemo } from '../../bin/seed-demo.js';
import { createDocumentClient } from '../../lambdas/adapters/dynamodb-client.js';
import { Keys } from '../../lambdas/adapters/dynamodb-keys.js';
import { csrfToken } from '../../lambdas/core/form-tokens.js';
import { sendIdFor } from '../../lambdas/core/ledger.js';
import { signToken } from '../../lambdas/core/tokens.js';
import { apiFetch, type Harness, sesInbox, startHarness, uniqueId } from '../support/local-harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

const Export = z.object({
  format: z.literal('club-planner/member-export/v1'),
  clubId: z.string(),
  memberId: z.string(),
  member: z.object({
    email: z.string(),
    consent: z.object({
      marketing: z.boolean(),
      textVersion: z.string(),
      at: z.string(),
      source: z.string(),
      legalBasis: z.string(),
    }),
    preferences: z.object({ frequency: z.string() }),
  }),
  profile: z.object({ inferredRestrictions: z.array(z.string()) }).optional(),
  ledger: z.object({ version: z.number() }).optional(),
  consentHistory: z.array(
    z.object({
      marketing: z.boolean(),
      textVersion: z.string(),
      at: z.string(),
      source: z.string(),
      legalBasis: z.string(),
    }),
  ),
  withdrawals: z.array(z.object({ scope: z.string(), at: z.string(), source: z.string() })),
  deliveries: z.array(z.object({ campaignId: z.string(), state: z.string() })),
  receipts: z.array(z.object({ receiptId: z.string() })),
  decisions: z.array(z.object({ campaignId: z.string(), decidedAt: z.string() })),
});

/** A seeded club, one member with receipts, a withdrawal and a plan decision, and their links. */
async function memberWithHistory() {
  const demo = demoGroceryClub(h.clock.now(), 11, uniqueId('gdpr'));
  await seedDemo(h.deps, demo);
  const member =
    demo.members.find((m) => (demo.profiles.get(m.memberId)?.inferredRestrictions.length ?? 0) > 0) ?? demo.members[0];
  if (!member) throw new Error('demo has no members');
  const clubId = demo.club.clubId;
  const campaignId = uniqueId('cmp');
  const now = h.clock.now().toISOString();
  await h.deps.campaigns.createCampaign({
    clubId,
    campaignId,
    name: 'Planned before the request',
    theme: 'community',
    kind: 'offers',
    priority: 1,
    holdoutShare: 0,
    brandFitOverride: false,
    offerPool: demo.offers.map((o) => o.offerId),
    offersPerMail: 3,
    sendAt: now,
    status: 'planned',
    createdAt: now,
    updatedAt: now,
  });
  await h.deps.campaigns.recordDecision(
    clubId,
    campaignId,
    { outcome: 'suppress', memberId: member.memberId, reason: 'holdout', message: 'control group' },
    h.clock.now(),
  );
  const link = (purpose: 'preferences' | 'unsubscribe') =>
    signToken(h.tokenKeys, { purpose, clubId, memberId: member.memberId }, h.clock.now());
  return { demo, clubId, member, campaignId, link };
}

async function itemsOf(pk: string): Promise<number> {
  const db = createDocumentClient({ endpoint: h.urls.dynamodb });
  const result = await db.send(
    new QueryCommand({
      TableName: 'club-planner',
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': pk },
    }),
  );
  return result.Count ?? 0;
}

describe('GDPR export (Art. 15 and 20)', () => {
  it('downloads everything stored about the member from their own page: member and consent, profile, ledger, receipts, decisions and withdrawals', async () => {
    const { clubId, member, campaignId, link } = await memberWithHistory();
    await fetch(`${h.urls.http}/u/${link('unsubscribe')}`, {
      method: 'POST',
      body: new URLSearchParams({ 'List-Unsubscribe': 'One-Click' }),
    });
    const response = await fetch(`${h.urls.http}/p/${link('preferences')}/export`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/application\/json/);
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename=".+\.json"$/);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    const data = Export.parse(await response.json());
    expect(data).toMatchObject({ clubId, memberId: member.memberId });
    expect(data.member.email).toBe(member.email);
    // The grant the member was imported with, then their withdrawal: the history, and the latest in force.
    expect(data.consentHistory).toEqual([
      member.consent,
      expect.objectContaining({ marketing: false, source: 'one-click', textVersion: member.consent.textVersion }),
    ]);
    expect(data.member.consent).toEqual(data.consentHistory[1]);
    expect(data.receipts.length).toBeGreaterThan(0);
    expect(data.receipts.length).toBe((await h.deps.purchases.listReceipts(clubId, member.memberId)).length);
    expect(data.decisions).toEqual([expect.objectContaining({ campaignId })]);
    expect(data.withdrawals).toEqual([expect.objectContaining({ scope: 'marketing', source: 'one-click' })]);
    expect(JSON.stringify(data)).not.toMatch(/"pk"|"gsi1pk"/);
  });

  it('gives the marketer the same export, and a 404 for an unknown member', async () => {
    const { clubId, member } = await memberWithHistory();
    const response = await apiFetch(h, `/clubs/${clubId}/members/${member.memberId}/export`);
    expect(response.status).toBe(200);
    expect(Export.parse(await response.json()).member.email).toBe(member.email);
    expect((await apiFetch(h, `/clubs/${clubId}/members/nobody/export`)).status).toBe(404);
  });

  it('answers a bad export link exactly like every other bad link', async () => {
    const { link } = await memberWithHistory();
    const [bad, unknown] = await Promise.all([
      fetch(`${h.urls.http}/p/${link('unsubscribe')}/export`),
      fetch(`${h.urls.http}/u/garbage`),
    ]);
    expect(bad.status).toBe(404);
    expect(await bad.text()).toBe(await unknown.text());
  });
});

describe('GDPR erasure (Art. 17)', () => {
  it('erases member, profile, ledger, receipts, decisions and withdrawal records from the member page, keeping only a keyed hash', async () => {
    const { clubId, member, campaignId, link } = await memberWithHistory();
    await fetch(`${h.urls.http}/u/${link('unsubscribe')}`, {
      method: 'POST',
      body: new URLSearchParams({ 'List-Unsubscribe': 'One-Click' }),
    });
    const prefs = link('preferences');
    const url = `${h.urls.http}/p/${prefs}/erase`;
    const csrf = csrfToken(h.tokenKeys, prefs) ?? '';
    // Not without the tick, not from another site, not without the form token.
    expect(
      (await fetch(url, { method: 'POST', headers: { origin: h.urls.http }, body: new URLSearchParams({ csrf }) }))
        .status,
    ).toBe(400);
    expect(
      (
        await fetch(url, {
          method: 'POST',
          headers: { origin: 'https://evil.example' },
          body: new URLSearchParams({ csrf, confirm: 'yes' }),
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await fetch(url, {
          method: 'POST',
          headers: { origin: h.urls.http },
          body: new URLSearchParams({ confirm: 'yes' }),
        })
      ).status,
    ).toBe(403);
    expect(await h.deps.members.getState(clubId, member.memberId)).toBeDefined();

    const erased = await fetch(url, {
      method: 'POST',
      headers: { origin: h.urls.http },
      body: new URLSearchParams({ csrf, confirm: 'yes' }),
    });
    expect(erased.status).toBe(200);
    expect(await h.deps.members.getState(clubId, member.memberId)).toBeUndefined();
    expect(await h.deps.memberData.collect(clubId, member.memberId)).toBeUndefined();
    expect(await itemsOf(Keys.memberPartition(clubId, member.memberId))).toBe(0);
    expect(await h.deps.purchases.listReceipts(clubId, member.memberId)).toEqual([]);
    expect(await h.deps.campaigns.listDecisions(clubId, campaignId)).toEqual([]);
    expect(await h.deps.suppressions.has(clubId, member.email)).toBe(true);
    expect(await h.deps.suppressions.has(clubId, ` ${member.email.toUpperCase()} `)).toBe(true);
    expect(await h.deps.suppressions.has(uniqueId('other-club'), member.email)).toBe(false);

    // What is left holds no address: only the keyed hash, the time and the source.
    const suppression = await itemsOf(`SUPPRESSION#${clubId}`);
    expect(suppression).toBe(1);
    const db = createDocumentClient({ endpoint: h.urls.dynamodb });
    const left = await db.send(
      new QueryCommand({
        TableName: 'club-planner',
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': `SUPPRESSION#${clubId}` },
      }),
    );
    expect(JSON.stringify(left.Items)).not.toContain(member.email);
    expect(JSON.stringify(left.Items)).not.toContain(member.email.split('@')[0]);

    // The link is dead now, and looks like any other dead link.
    expect((await fetch(`${h.urls.http}/p/${prefs}`)).status).toBe(404);
  });

  it('erases through the marketer API, and a re-import of the same address stays suppressed', async () => {
    const { clubId, member } = await memberWithHistory();
    const erased = await apiFetch(h, `/clubs/${clubId}/members/${member.memberId}/erase`, {
      method: 'POST',
    });
    expect(erased.status).toBe(200);
    expect(
      z.object({ erased: z.string(), deletedItems: z.number() }).parse(await erased.json()).deletedItems,
    ).toBeGreaterThan(2);
    expect(await h.deps.members.getState(clubId, member.memberId)).toBeUndefined();
    expect((await apiFetch(h, `/clubs/${clubId}/members/${member.memberId}/erase`, { method: 'POST' })).status).toBe(
      404,
    );

    const newcomer = { ...member, memberId: uniqueId('new'), email: `${uniqueId('fresh')}@example.com` };
    const reimport = await apiFetch(h, `/clubs/${clubId}/members`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        members: [{ ...member, email: member.email.toUpperCase(), memberId: 'returning' }, newcomer].map(
          ({ clubId: _c, ...m }) => m,
        ),
      }),
    });
    expect(reimport.status).toBe(200);
    expect(await reimport.json()).toMatchObject({ stored: 1, created: 1, suppressed: ['returning'] });
    expect(await h.deps.members.getState(clubId, 'returning')).toBeUndefined();
    expect(await h.deps.members.getState(clubId, newcomer.memberId)).toBeDefined();
  });

  it('leaves a mail queued before the erasure unsent', async () => {
    const { demo, clubId, member } = await memberWithHistory();
    const campaignId = uniqueId('cmp');
    const now = h.clock.now().toISOString();
    await h.deps.campaigns.createCampaign({
      clubId,
      campaignId,
      name: 'Queued',
      theme: 'community',
      kind: 'offers',
      priority: 1,
      holdoutShare: 0,
      brandFitOverride: false,
      offerPool: demo.offers.map((o) => o.offerId),
      offersPerMail: 3,
      sendAt: now,
      status: 'planning',
      createdAt: now,
      updatedAt: now,
    });
    const offer = demo.offers[0];
    if (!offer) throw new Error('no offers');
    const sendId = sendIdFor(clubId, campaignId, member.memberId);
    const picks = [
      { offerId: offer.offerId, productId: offer.productId, score: 0.9, why: 'often-bought' as const, reason: 'test' },
    ];
    await h.deps.campaigns.recordDecision(
      clubId,
      campaignId,
      { outcome: 'send', memberId: member.memberId, sendId, offers: picks, message: 'queued' },
      h.clock.now(),
    );
    await apiFetch(h, `/clubs/${clubId}/members/${member.memberId}/erase`, { method: 'POST' });
    const before = (await sesInbox(h.urls.ses)).filter((m) => m.destination.to.includes(member.email)).length;
    await h.sendQueue.send([
      { clubId, campaignId, memberId: member.memberId, sendId, theme: 'community', offers: picks },
    ]);
    await h.settle();
    expect((await sesInbox(h.urls.ses)).filter((m) => m.destination.to.includes(member.email)).length).toBe(before);
    // The dropped delivery does not bring the erased decision back.
    expect(await h.deps.campaigns.listDecisions(clubId, campaignId)).toEqual([]);
    expect(await itemsOf(Keys.memberPartition(clubId, member.memberId))).toBe(0);
  });
});
