import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { demoGroceryClub } from '../../../bin/demo-club.js';
import { seedDemo } from '../../../bin/seed-demo.js';
import { EMPTY_PROFILE } from '../../../lambdas/core/profile.js';
import { uniqueId } from '../../support/ids.js';
import { apiFetch, type MemoryApi, memoryApi } from '../../support/memory-api.js';

/** Purchase ingest through the marketer API, on in-memory ports (tests/support/memory-api.ts). */
let h: MemoryApi;
beforeAll(() => {
  h = memoryApi();
  // The receipts below are dated from the wall clock, as a club's export would be.
  h.clock.set(new Date());
});

const IngestAnswer = z.object({
  ingest: z.object({
    accepted: z.number(),
    rejectedCount: z.number(),
    rejected: z.array(z.object({ line: z.number(), field: z.string(), message: z.string(), text: z.string() })),
    receiptsStored: z.number(),
    receiptsAlreadyKnown: z.number(),
    profilesUpdated: z.number(),
    profilesSkipped: z.number(),
  }),
});

async function post(clubId: string, type: string, body: string) {
  const response = await apiFetch(h, `/clubs/${clubId}/purchases`, {
    method: 'POST',
    headers: { 'content-type': type },
    body,
  });
  return { status: response.status, json: await response.json() };
}

/** A demo club whose member m050 ("single" persona) starts with no profile. */
async function club() {
  const demo = demoGroceryClub(h.clock.now(), 3, uniqueId('buy'));
  await seedDemo(h.deps, { ...demo, profiles: new Map() });
  const product = (name: string) => {
    const found = demo.products.find((p) => p.name === name);
    if (!found) throw new Error(`no product ${name}`);
    return found.productId;
  };
  return { demo, clubId: demo.club.clubId, product };
}

const daysAgo = (d: number) => new Date(Date.now() - d * 86_400_000).toISOString();

describe('purchase ingest', () => {
  it('keeps every good CSV row, rejects each bad one with its line and field, and updates the profiles', async () => {
    const { clubId, product } = await club();
    const pasta = product('Gårdens spaghetti');
    const milk = product('Gårdens mellanmjölk');
    const csv = [
      'member_id,receipt_id,purchased_at,product_id,quantity',
      `m001,r1,${daysAgo(3)},${pasta},1`,
      `m001,r1,${daysAgo(3)},${milk},2`,
      `m001,r2,yesterday,${pasta},1`,
      `m002,r3,${daysAgo(2)},no-such-product,1`,
      `ghost,r4,${daysAgo(2)},${pasta},1`,
      `m002,r5,${daysAgo(1)},${milk},-1`,
      `m002,r6,${daysAgo(1)},${milk},1`,
    ].join('\n');
    const answer = await post(clubId, 'text/csv', csv);
    expect(answer.status).toBe(200);
    const { ingest } = IngestAnswer.parse(answer.json);
    expect(ingest).toMatchObject({ accepted: 3, rejectedCount: 4, receiptsStored: 2, profilesUpdated: 2 });
    expect(ingest.rejected.map((r) => [r.line, r.field])).toEqual([
      [4, 'purchased_at'],
      [5, 'product_id'],
      [6, 'member_id'],
      [7, 'quantity'],
    ]);
    expect(ingest.rejected[0]?.text).toMatch(/^line 4: purchased_at: /);

    const m001 = await h.deps.members.getState(clubId, 'm001');
    expect(m001?.profile.products[pasta]?.count).toBe(1);
    expect(m001?.profile.products[milk]?.count).toBe(1);
    expect(m001?.profile.receipts).toBe(1);
  });

  it('accepts JSON lines of receipts, naming the item at fault', async () => {
    const { clubId, product } = await club();
    const bread = product('Gårdens surdegsbröd');
    const body = [
      JSON.stringify({ receipt_id: 'j1', member_id: 'm003', purchased_at: daysAgo(5), items: [{ product_id: bread }] }),
      '{"receipt_id": "j2", ',
      JSON.stringify({
        receipt_id: 'j3',
        member_id: 'm003',
        purchased_at: daysAgo(4),
        items: [{ product_id: bread }, { product_id: '' }],
      }),
    ].join('\n');
    const { ingest } = IngestAnswer.parse((await post(clubId, 'application/x-ndjson', body)).json);
    expect(ingest.accepted).toBe(1);
    expect(ingest.rejected.map((r) => [r.line, r.field])).toEqual([
      [2, ''],
      [3, 'items[1].product_id'],
    ]);
  });

  it('counts a receipt once however often the same file is sent', async () => {
    const { clubId, product } = await club();
    const csv = [
      'member_id,receipt_id,purchased_at,product_id',
      `m004,x1,${daysAgo(1)},${product('Gårdens bananer')}`,
    ].join('\n');
    IngestAnswer.parse((await post(clubId, 'text/csv', csv)).json);
    const second = IngestAnswer.parse((await post(clubId, 'text/csv', csv)).json).ingest;
    expect(second).toMatchObject({ receiptsStored: 0, receiptsAlreadyKnown: 1, profilesUpdated: 0 });
    expect((await h.deps.members.getState(clubId, 'm004'))?.profile.products[product('Gårdens bananer')]?.count).toBe(
      1,
    );
  });

  it('infers gluten-free from receipts, and the next dry-run offers that member no gluten', async () => {
    const { demo, clubId, product } = await club();
    const freeFrom = [
      product('Gårdens glutenfritt bröd'),
      product('Gårdens glutenfri penne'),
      product('Nordisk glutenfri spaghetti'),
    ];
    const rows = ['member_id,receipt_id,purchased_at,product_id'];
    for (let r = 0; r < 4; r++) for (const p of freeFrom) rows.push(`m050,g${r},${daysAgo(10 + r * 7)},${p}`);
    const { ingest } = IngestAnswer.parse((await post(clubId, 'text/csv', rows.join('\n'))).json);
    expect(ingest.profilesUpdated).toBe(1);
    expect((await h.deps.members.getState(clubId, 'm050'))?.profile.inferredRestrictions).toEqual(['gluten-free']);

    const glutenOffers = demo.offers.filter((o) =>
      demo.products.find((p) => p.productId === o.productId)?.contains.includes('gluten'),
    );
    const created = await apiFetch(h, `/clubs/${clubId}/campaigns`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'Pasta week',
        theme: 'community',
        offerPool: demo.offers.map((o) => o.offerId),
        sendAt: daysAgo(-1),
      }),
    });
    const campaignId = z.object({ campaign: z.object({ campaignId: z.string() }) }).parse(await created.json())
      .campaign.campaignId;
    const dry = await apiFetch(h, `/clubs/${clubId}/campaigns/${campaignId}/dry-run`, { method: 'POST' });
    const decisions = z
      .object({
        dryRun: z.object({
          decisions: z.array(
            z.object({ memberId: z.string(), offers: z.array(z.object({ offerId: z.string() })).optional() }),
          ),
        }),
      })
      .parse(await dry.json()).dryRun.decisions;
    const m050 = decisions.find((d) => d.memberId === 'm050');
    expect(m050?.offers?.length).toBeGreaterThan(0);
    for (const offer of m050?.offers ?? []) expect(glutenOffers.map((o) => o.offerId)).not.toContain(offer.offerId);
  });

  it('offers a member without history what the club buys most, saying it is popular', async () => {
    const { clubId, product, demo } = await club();
    const favourite = product('Gårdens bananer');
    const rows = ['member_id,receipt_id,purchased_at,product_id'];
    for (const member of ['m007', 'm008', 'm009'])
      for (let r = 0; r < 3; r++) rows.push(`${member},${member}-${r},${daysAgo(r + 1)},${favourite}`);
    IngestAnswer.parse((await post(clubId, 'text/csv', rows.join('\n'))).json);
    expect((await h.deps.popularity.get(clubId)).get(favourite)).toBe(1);

    const created = await apiFetch(h, `/clubs/${clubId}/campaigns`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'Fruit',
        theme: 'community',
        offerPool: demo.offers.map((o) => o.offerId),
        sendAt: daysAgo(-1),
      }),
    });
    const campaignId = z.object({ campaign: z.object({ campaignId: z.string() }) }).parse(await created.json())
      .campaign.campaignId;
    const dry = await apiFetch(h, `/clubs/${clubId}/campaigns/${campaignId}/dry-run`, { method: 'POST' });
    const decisions = z
      .object({
        dryRun: z.object({
          decisions: z.array(
            z.object({
              memberId: z.string(),
              outcome: z.string(),
              offers: z.array(z.object({ productId: z.string(), why: z.string() })).optional(),
            }),
          ),
        }),
      })
      .parse(await dry.json()).dryRun.decisions;
    // m010 has no profile in this club (seeded without), so popularity is all there is to go on.
    const newcomer = decisions.find((d) => d.memberId === 'm010');
    expect(newcomer?.outcome).toBe('send');
    expect(newcomer?.offers?.[0]).toEqual({ productId: favourite, why: 'popular' });
  });

  it('adds a new receipt to the history already kept, not in place of it', async () => {
    const demo = demoGroceryClub(h.clock.now(), 5, uniqueId('keep'));
    await seedDemo(h.deps, demo);
    const before = (await h.deps.members.getState(demo.club.clubId, 'm001'))?.profile.receipts ?? 0;
    expect(before).toBeGreaterThan(3);
    const productId = demo.products[0]?.productId ?? '';
    const csv = ['member_id,receipt_id,purchased_at,product_id', `m001,new-1,${daysAgo(0)},${productId}`].join('\n');
    IngestAnswer.parse((await post(demo.club.clubId, 'text/csv', csv)).json);
    expect((await h.deps.members.getState(demo.club.clubId, 'm001'))?.profile.receipts).toBe(before + 1);
  });

  it('refuses a file without a required column, naming it, and an unknown content type', async () => {
    const { clubId } = await club();
    const missing = await post(clubId, 'text/csv', 'member_id,receipt_id,product_id\nm001,r1,p001');
    expect(missing.status).toBe(400);
    expect(JSON.stringify(missing.json)).toContain('purchased_at');
    const wrongType = await post(clubId, 'application/xml', '<receipts/>');
    expect(wrongType.status).toBe(415);
  });

  it('keeps the receipts of an unsubscribed member but does not profile them', async () => {
    const { clubId, product } = await club();
    await h.deps.members.unsubscribe(clubId, 'm006', h.clock.now(), 'test');
    const csv = [
      'member_id,receipt_id,purchased_at,product_id',
      `m006,u1,${daysAgo(1)},${product('Gårdens tomater')}`,
    ].join('\n');
    const { ingest } = IngestAnswer.parse((await post(clubId, 'text/csv', csv)).json);
    expect(ingest).toMatchObject({ receiptsStored: 1, profilesUpdated: 0, profilesSkipped: 1 });
    expect((await h.deps.members.getState(clubId, 'm006'))?.profile).toEqual(EMPTY_PROFILE);
    expect(await h.deps.purchases.listReceipts(clubId, 'm006')).toHaveLength(1);
  });
});
