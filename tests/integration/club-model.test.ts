import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createDocumentClient } from '../../lambdas/adapters/dynamodb-client.js';
import { ClubModel, EMPTY_CLUB_MODEL } from '../../lambdas/core/club-model.js';
import { apiFetch, type Harness, sesInbox, startHarness, uniqueId } from '../support/local-harness.js';
import { aClub, aMember, aProduct } from '../unit/fixtures.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

async function api(path: string, init: { method?: string; body?: string; type?: string } = {}) {
  const response = await apiFetch(h, path, {
    method: init.method ?? 'GET',
    ...(init.body === undefined
      ? {}
      : { body: init.body, headers: { 'content-type': init.type ?? 'application/json' } }),
  });
  return { status: response.status, json: await response.json() };
}

const Pick = z.object({ productId: z.string(), why: z.string() });
const DryRunAnswer = z.object({
  dryRun: z.object({
    decisions: z.array(z.object({ memberId: z.string(), outcome: z.string(), offers: z.array(Pick).optional() })),
  }),
  model: z.object({ fittedAt: z.string(), members: z.number(), offeredProducts: z.number() }).nullable(),
});

/**
 * Twenty members buy coffee and then buns on their next trip; thirty buy soap on every trip, so
 * soap is the most popular offer. "newbie" has bought coffee once: popularity alone says soap,
 * the model says buns.
 */
async function coffeeThenBunsClub() {
  const clubId = uniqueId('model');
  await h.deps.clubs.putClub(aClub({ clubId }));
  const products = ['coffee', 'buns', 'soap', 'tea'].map((id) =>
    aProduct({ productId: id, name: `Fresh ${id}`, category: id === 'soap' ? 'Household' : 'Breakfast' }),
  );
  await h.deps.clubs.putProducts(clubId, products);
  await h.deps.clubs.putOffers(
    clubId,
    ['buns', 'soap', 'tea'].map((id) => ({ offerId: `o-${id}`, productId: id, headline: '2 for 1' })),
  );
  const ids = [
    ...Array.from({ length: 20 }, (_, i) => `fika${i}`),
    ...Array.from({ length: 30 }, (_, i) => `clean${i}`),
    'newbie',
    'gone',
  ];
  for (const memberId of ids) {
    await h.deps.members.putMember(
      aMember({
        clubId,
        memberId,
        email: `${memberId}@${clubId}.example`,
        ...(memberId === 'gone' ? { subscription: 'unsubscribed' } : {}),
      }),
    );
  }
  const at = (daysAgo: number) => new Date(h.clock.now().getTime() - daysAgo * 86_400_000).toISOString();
  const rows = ['member_id,receipt_id,purchased_at,product_id,quantity'];
  for (let i = 0; i < 20; i += 1) {
    rows.push(
      `fika${i},f${i}a,${at(20)},coffee,1`,
      `fika${i},f${i}b,${at(13)},buns,1`,
      `fika${i},f${i}c,${at(6)},coffee,1`,
      `fika${i},f${i}d,${at(2)},buns,1`,
    );
  }
  for (let i = 0; i < 30; i += 1) for (const d of [20, 13, 6]) rows.push(`clean${i},c${i}-${d},${at(d)},soap,1`);
  rows.push(`newbie,n1,${at(1)},coffee,1`, `gone,g1,${at(9)},coffee,1`, `gone,g2,${at(8)},tea,1`);
  const ingest = await api(`/clubs/${clubId}/purchases`, { method: 'POST', type: 'text/csv', body: rows.join('\n') });
  expect(ingest.status).toBe(200);
  return clubId;
}

async function campaign(clubId: string, sendInMs: number) {
  const created = await api(`/clubs/${clubId}/campaigns`, {
    method: 'POST',
    body: JSON.stringify({
      name: 'Fika week',
      theme: 'community',
      offerPool: ['o-buns', 'o-soap', 'o-tea'],
      offersPerMail: 1,
      sendAt: new Date(h.clock.now().getTime() + sendInMs).toISOString(),
    }),
  });
  expect(created.status).toBe(201);
  return z.object({ campaign: z.object({ campaignId: z.string() }) }).parse(created.json).campaign.campaignId;
}

const newbiePick = (answer: z.infer<typeof DryRunAnswer>) =>
  answer.dryRun.decisions.find((d) => d.memberId === 'newbie')?.offers?.[0];

describe('the club model in the planner', () => {
  it('is fitted nightly from the archived receipts, and the next campaign offers what goes with the last trip', async () => {
    const clubId = await coffeeThenBunsClub();

    const before = DryRunAnswer.parse(
      (await api(`/clubs/${clubId}/campaigns/${await campaign(clubId, 3_600_000)}/dry-run`, { method: 'POST' })).json,
    );
    expect(before.model).toBeNull();
    expect(newbiePick(before)).toMatchObject({ productId: 'soap', why: 'popular' });

    // Starting a campaign never fits: the plan reads the stored model (none yet).
    const unfitted = await campaign(clubId, 100);
    expect((await api(`/clubs/${clubId}/campaigns/${unfitted}/schedule`, { method: 'POST' })).status).toBe(200);
    for (let i = 0; i < 200 && (await h.deps.campaigns.getCampaign(clubId, unfitted))?.status !== 'planned'; i += 1) {
      await h.settle();
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(z.object({ model: z.null() }).parse((await api(`/clubs/${clubId}/model`)).json).model).toBeNull();

    // The nightly fit (DuckDB over the archive, as `npm start` runs it).
    expect(await h.modelFit.fitAll()).toBeGreaterThanOrEqual(1);
    h.clock.advance(4 * 86_400_000); // past the 3-day budget window the first campaign used

    const campaignId = await campaign(clubId, 200);
    expect((await api(`/clubs/${clubId}/campaigns/${campaignId}/schedule`, { method: 'POST' })).status).toBe(200);
    for (let i = 0; i < 200 && (await h.deps.campaigns.getCampaign(clubId, campaignId))?.status !== 'planned'; i += 1) {
      await h.settle();
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await h.settle();

    const model = z
      .object({
        model: z.object({
          fittedAt: z.string(),
          members: z.number(),
          baskets: z.number(),
          offeredProducts: z.number(),
        }),
      })
      .parse((await api(`/clubs/${clubId}/model`)).json).model;
    // 51 subscribed members with receipts. "gone" unsubscribed, so its receipts are not used, and
    // tea, bought by nobody else, is not in the model at all.
    expect(model).toMatchObject({ members: 51, baskets: 20 * 4 + 30 * 3 + 1, offeredProducts: 2 });

    const decisions = await h.deps.campaigns.listDecisions(clubId, campaignId);
    const newbie = decisions.find((d) => d.decision.memberId === 'newbie')?.decision;
    expect(newbie?.outcome).toBe('send');
    expect(newbie?.outcome === 'send' ? newbie.offers[0] : undefined).toMatchObject({
      productId: 'buns',
      why: 'goes-with',
    });
    const mail = (await sesInbox(h.urls.ses))
      .filter((m) => m.destination.to.includes(`newbie@${clubId}.example`))
      .at(-1);
    expect(mail?.body.html).toContain('Fresh buns');

    h.clock.advance(4 * 86_400_000); // past the 3-day budget window the mail above used
    const after = DryRunAnswer.parse(
      (await api(`/clubs/${clubId}/campaigns/${await campaign(clubId, 3_600_000)}/dry-run`, { method: 'POST' })).json,
    );
    expect(after.model?.fittedAt).toBe(model.fittedAt);
    expect(newbiePick(after)).toMatchObject({ productId: 'buns', why: 'goes-with' });
  });

  it('stores a model bigger than one item in chunks, reads back exactly what was put, and leaves no old chunks behind', async () => {
    const clubId = uniqueId('chunks');
    const successors = Object.fromEntries(
      Array.from({ length: 6000 }, (_, i) => [
        `source-${i}`,
        Object.fromEntries(Array.from({ length: 8 }, (_, j) => [`target-${j}`, 0.123456 + i / 1e6])),
      ]),
    );
    const big = ClubModel.parse({ ...EMPTY_CLUB_MODEL, fittedAt: new Date().toISOString(), members: 6000, successors });
    expect(JSON.stringify(big).length).toBeGreaterThan(600_000);
    await h.deps.models.put(clubId, big);
    expect(await h.deps.models.get(clubId)).toEqual(big);

    const small = ClubModel.parse({ ...EMPTY_CLUB_MODEL, fittedAt: new Date().toISOString(), members: 1 });
    await h.deps.models.put(clubId, small);
    expect(await h.deps.models.get(clubId)).toEqual(small);
    const db = createDocumentClient({ endpoint: h.urls.dynamodb });
    const items = await db.send(
      new QueryCommand({
        TableName: 'club-planner',
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :model)',
        ExpressionAttributeValues: { ':pk': `CLUB#${clubId}`, ':model': 'MODEL#' },
      }),
    );
    expect(items.Items?.length).toBe(1);
  });
});
