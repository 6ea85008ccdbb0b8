import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CONSERVATIVE_BUDGET } from '../../lambdas/core/budget.js';
import type { Restriction } from '../../lambdas/core/diet.js';
import { CONSERVATIVE_ENGAGEMENT } from '../../lambdas/core/engagement.js';
import { sendIdFor } from '../../lambdas/core/ledger.js';
import type { PreferencesPatch } from '../../lambdas/core/ports.js';
import { callApi, type Harness, sesInbox, startHarness, uniqueId } from '../support/local-harness.js';
import { memberRecord } from '../support/member-records.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

const call = (method: string, path: string, body?: unknown) => callApi(h.urls.http, method, path, body);

/** As the retailer's product file has it: what each product contains. */
const CATALOG = [
  { productId: 'milk', name: 'Whole milk', category: 'Dairy', contains: ['lactose', 'dairy'] },
  { productId: 'bread', name: 'Rye bread', category: 'Bakery', contains: ['gluten'] },
  { productId: 'crisps', name: 'Salted crisps', category: 'Snacks', contains: [] },
];

const Report = z.object({
  report: z.object({ toSend: z.number(), sent: z.number(), dropped: z.record(z.string(), z.number()) }),
});

/**
 * A club of four members who each bought all three products, the last two with a gluten-free diet
 * inferred from their purchases, and one campaign on the three offers, planned with the send queue
 * held: what happens between a plan and its mails (a club of millions sends for hours) is up to the test.
 */
async function plannedClub() {
  const clubId = uniqueId('sendtime');
  const club = {
    name: 'Corner Grocer',
    language: 'en',
    senderName: 'Corner Grocer',
    senderEmail: 'club@sendtime.example',
    postalAddress: 'High Street 1, London',
    brand: { primaryEmotion: 'community', colours: { primary: '#1d6b3a', background: '#ffffff', text: '#111111' } },
    budget: CONSERVATIVE_BUDGET,
    engagement: CONSERVATIVE_ENGAGEMENT,
  };
  expect((await call('PUT', `/clubs/${clubId}`, club)).status).toBe(201);
  expect((await call('PUT', `/clubs/${clubId}/products`, { labelling: 'declared', products: CATALOG })).status).toBe(
    200,
  );
  const offers = CATALOG.map((p) => ({
    offerId: `o-${p.productId}`,
    productId: p.productId,
    headline: 'Member price',
  }));
  expect((await call('PUT', `/clubs/${clubId}/offers`, { offers })).status).toBe(200);
  const ids = ['declares', 'inferred', 'rejects', 'everything'];
  expect(
    (
      await call('POST', `/clubs/${clubId}/members`, {
        members: ids.map((id) => memberRecord(id, `${id}@sendtime.example`)),
      })
    ).status,
  ).toBe(200);
  const now = h.clock.now().toISOString();
  const inferred: Record<string, Restriction[]> = { inferred: ['gluten-free'], rejects: ['gluten-free'] };
  for (const memberId of ids)
    await h.deps.members.putProfile(clubId, memberId, {
      receipts: 4,
      lines: 12,
      lastPurchaseAt: now,
      products: Object.fromEntries(CATALOG.map((p) => [p.productId, { count: 4, lastAt: now, basketShare: 1 }])),
      categories: Object.fromEntries(CATALOG.map((p) => [p.category, 4])),
      inferredRestrictions: inferred[memberId] ?? [],
    });

  h.sendQueue.pause();
  const created = await call('POST', `/clubs/${clubId}/campaigns`, {
    name: 'Weekend basket',
    theme: 'community',
    offerPool: offers.map((o) => o.offerId),
    offersPerMail: 3,
    relevanceFloor: 0,
    sendAt: new Date(h.clock.now().getTime() + 200).toISOString(),
  });
  expect(created.status, JSON.stringify(created.json)).toBe(201);
  const campaignId = z.object({ campaign: z.object({ campaignId: z.string() }) }).parse(created.json)
    .campaign.campaignId;
  expect((await call('POST', `/clubs/${clubId}/campaigns/${campaignId}/schedule`)).status).toBe(200);
  // The send queue is held, so the system never settles: wait for the plan alone.
  for (let i = 0; i < 400; i += 1) {
    await h.planShardQueue.drain();
    if ((await h.deps.campaigns.getCampaign(clubId, campaignId))?.status === 'planned') break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const decisions = new Map(
    (await h.deps.campaigns.listDecisions(clubId, campaignId)).map((r) => [r.decision.memberId, r.decision]),
  );
  return { clubId, campaignId, decisions };
}

describe('a mail’s offers at send time, hours after its plan', () => {
  it('leaves out an offer that breaks a restriction declared since the plan, or an inferred one on a product relabelled since, and not one the member rejected since', async () => {
    const { clubId, campaignId, decisions } = await plannedClub();
    // The plan (precondition): everything for members without a diet, no bread for the inferred gluten-free diet.
    const offersOf = (memberId: string) => {
      const d = decisions.get(memberId);
      return d?.outcome === 'send' ? d.offers.map((o) => o.productId).sort() : [];
    };
    expect(offersOf('declares')).toEqual(['bread', 'crisps', 'milk']);
    expect(offersOf('everything')).toEqual(['bread', 'crisps', 'milk']);
    expect(offersOf('inferred')).toEqual(['crisps', 'milk']);
    expect(decisions.get('inferred')).toMatchObject({ inferred: ['gluten-free'] });
    expect(decisions.get('declares')).not.toHaveProperty('inferred');

    // Between the plan and the mails: one member declares lactose-free, one rejects the inferred diet
    // (the preference page), another declares both, and the crisps' new recipe may contain gluten.
    const declare = (memberId: string, patch: PreferencesPatch) =>
      h.deps.members.updatePreferences(clubId, memberId, patch, h.clock.now(), 'page');
    expect(await declare('declares', { declaredRestrictions: ['lactose-free'] })).toBe('updated');
    expect(await declare('rejects', { rejectInference: 'gluten-free' })).toBe('updated');
    expect(await declare('everything', { declaredRestrictions: ['lactose-free', 'gluten-free'] })).toBe('updated');
    const relabelled = { ...CATALOG[2], mayContain: ['gluten'] };
    expect(
      (await call('PUT', `/clubs/${clubId}/products`, { labelling: 'declared', products: [relabelled] })).status,
    ).toBe(200);

    h.sendQueue.resume();
    await h.settle();
    const inbox = await sesInbox(h.urls.ses);
    const offered = (memberId: string) => {
      const mails = inbox.filter((m) => m.destination.to.includes(`${memberId}@sendtime.example`));
      expect(mails.length, memberId).toBeLessThanOrEqual(1);
      const text = mails[0]?.body.text;
      return text === undefined ? undefined : CATALOG.filter((p) => text.includes(p.name)).map((p) => p.productId);
    };
    expect(offered('declares')).toEqual(['bread', 'crisps']);
    expect(offered('inferred')).toEqual(['milk']);
    expect(offered('rejects')).toEqual(['milk', 'crisps']);
    // Every offer broke a restriction: no mail, a reason in the report, and the member's budget untouched.
    expect(offered('everything')).toBeUndefined();
    const { report } = Report.parse((await call('GET', `/clubs/${clubId}/campaigns/${campaignId}`)).json);
    expect(report).toMatchObject({ toSend: 4, sent: 3, dropped: { 'no-eligible-offers': 1 } });
    const state = await h.deps.members.getState(clubId, 'everything');
    expect(state?.ledger.sends[sendIdFor(clubId, campaignId, 'everything')]).toBeUndefined();
  });
});
