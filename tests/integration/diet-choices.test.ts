import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CONSERVATIVE_BUDGET } from '../../lambdas/core/budget.js';
import { CONSERVATIVE_ENGAGEMENT } from '../../lambdas/core/engagement.js';
import { apiFetch, callApi, type Harness, sesInbox, startHarness, uniqueId } from '../support/local-harness.js';
import { memberRecord } from '../support/member-records.js';

const DAY = 86_400_000;
let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

const call = (method: string, path: string, body?: unknown) => callApi(h.urls.http, method, path, body);

const clubBody = {
  name: 'Corner Grocer',
  language: 'en',
  senderName: 'Corner Grocer',
  senderEmail: 'club@corner.example',
  postalAddress: 'High Street 1, London',
  brand: { primaryEmotion: 'community', colours: { primary: '#1d6b3a', background: '#ffffff', text: '#111111' } },
  budget: CONSERVATIVE_BUDGET,
  engagement: CONSERVATIVE_ENGAGEMENT,
};

const memberBody = (memberId: string, declaredRestrictions: string[] = []) =>
  memberRecord(memberId, `${memberId}@corner.example`, { preferences: { declaredRestrictions } });

/** A retailer's catalog as its product data has it: what each product contains, nothing about what it is free from. */
const CATALOG = [
  { productId: 'spaghetti', name: 'Spaghetti', category: 'Pasta', contains: ['gluten'] },
  { productId: 'penne', name: 'Penne', category: 'Pasta', contains: ['gluten'] },
  { productId: 'gf-penne', name: 'Gluten-free penne', category: 'Pasta', contains: [] },
  { productId: 'milk', name: 'Milk', category: 'Dairy', contains: ['lactose', 'dairy'] },
  { productId: 'soap', name: 'Hand soap', category: 'Household', contains: [] },
];

describe('diet choices through the API and the planner', () => {
  it("stores an import's labelling on the products that do not set their own, and keeps requests without it working", async () => {
    const clubId = uniqueId('labels');
    expect((await call('PUT', `/clubs/${clubId}`, clubBody)).status).toBe(201);
    const imported = await call('PUT', `/clubs/${clubId}/products`, {
      labelling: 'declared',
      products: [...CATALOG.slice(0, 2), { ...CATALOG[2], labelling: 'unknown' }],
    });
    expect(imported).toMatchObject({ status: 200, json: { stored: 3 } });
    const older = await call('PUT', `/clubs/${clubId}/products`, {
      products: [{ productId: 'milk', name: 'Milk', category: 'Dairy', contains: ['lactose'], freeFrom: ['gluten'] }],
    });
    expect(older.status).toBe(200);
    const { products } = z
      .object({ products: z.array(z.object({ productId: z.string(), labelling: z.string().optional() })) })
      .parse((await call('GET', `/clubs/${clubId}/offers`)).json);
    const labelling = Object.fromEntries(products.map((p) => [p.productId, p.labelling ?? '(none)']));
    expect(labelling).toEqual({ spaghetti: 'declared', penne: 'declared', 'gf-penne': 'unknown', milk: '(none)' });

    const bad = await call('PUT', `/clubs/${clubId}/products`, { labelling: 'probably', products: CATALOG });
    expect(bad.status).toBe(400);
    expect(String(bad.json.message)).toMatch(/^labelling:/);
    const trace = await call('PUT', `/clubs/${clubId}/products`, {
      products: [{ ...CATALOG[0], mayContain: ['glutn'] }],
    });
    expect(trace.status).toBe(400);
    expect(String(trace.json.message)).toMatch(/^products\[0\]\.mayContain\[0\]/);
  });

  it('mails the gluten-free member who buys pasta the gluten-free pasta, saying why', async () => {
    const clubId = uniqueId('pasta');
    expect((await call('PUT', `/clubs/${clubId}`, clubBody)).status).toBe(201);
    expect((await call('PUT', `/clubs/${clubId}/products`, { labelling: 'declared', products: CATALOG })).status).toBe(
      200,
    );
    const offers = CATALOG.map((p) => ({
      offerId: `o-${p.productId}`,
      productId: p.productId,
      headline: 'Member price',
    }));
    expect((await call('PUT', `/clubs/${clubId}/offers`, { offers })).status).toBe(200);
    const members = [memberBody('celiac', ['gluten-free']), memberBody('crowd1'), memberBody('crowd2')];
    expect((await call('POST', `/clubs/${clubId}/members`, { members })).status).toBe(200);

    // The member bought pasta before the diagnosis; everyone else buys soap, which makes it the popular pick.
    const at = (days: number) => new Date(h.clock.now().getTime() - days * DAY).toISOString();
    const rows = ['member_id,receipt_id,purchased_at,product_id,quantity'];
    for (const [i, product] of ['spaghetti', 'penne', 'spaghetti', 'penne'].entries())
      rows.push(`celiac,c-${i},${at(20 + i * 7)},${product},1`);
    for (const crowd of ['crowd1', 'crowd2'])
      for (let i = 0; i < 4; i += 1) rows.push(`${crowd},${crowd}-${i},${at(3 + i)},soap,1`);
    const ingest = await apiFetch(h, `/clubs/${clubId}/purchases`, {
      method: 'POST',
      headers: { 'content-type': 'text/csv' },
      body: `${rows.join('\n')}\n`,
    });
    expect(ingest.status).toBe(200);

    const created = await call('POST', `/clubs/${clubId}/campaigns`, {
      name: 'Pasta week',
      theme: 'community',
      offerPool: offers.map((o) => o.offerId),
      offersPerMail: 2,
      sendAt: new Date(h.clock.now().getTime() + 200).toISOString(),
    });
    expect(created.status).toBe(201);
    const campaignId = z.object({ campaign: z.object({ campaignId: z.string() }) }).parse(created.json)
      .campaign.campaignId;
    expect((await call('POST', `/clubs/${clubId}/campaigns/${campaignId}/schedule`)).status).toBe(200);
    for (let i = 0; i < 200; i += 1) {
      await h.settle();
      if ((await h.deps.campaigns.getCampaign(clubId, campaignId))?.status === 'planned') break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await h.settle();

    const mail = (await sesInbox(h.urls.ses)).find((m) => m.destination.to.includes('celiac@corner.example'));
    if (!mail) throw new Error('the gluten-free member got no mail');
    const text = mail.body.text ?? '';
    // The first offer is the gluten-free pasta, ahead of the popular soap, with its reason under it.
    const offered = text.split('\n').filter((l) => l.startsWith('* '));
    expect(offered[0]).toBe('* Gluten-free penne: Member price');
    expect(text).toContain('* Gluten-free penne: Member price\n  A gluten-free choice in a category you buy');
    for (const forbidden of ['Spaghetti', 'Penne:', '* Penne', 'Milk']) expect(text).not.toContain(forbidden);
  });
});
