import { beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startCampaign } from '../../../lambdas/app/start-campaign.js';
import { CONSERVATIVE_BUDGET } from '../../../lambdas/core/budget.js';
import { CONSERVATIVE_ENGAGEMENT } from '../../../lambdas/core/engagement.js';
import { SuppressReason } from '../../../lambdas/core/reasons.js';
import { uniqueId } from '../../support/ids.js';
import { type MemoryApi, memoryApi } from '../../support/memory-api.js';

/**
 * The marketer API's club, catalog and campaign routes on in-memory ports, through `app.request()`
 * (tests/support/memory-api.ts): what the routes answer needs no emulator. The same routes over real
 * HTTP, the table and the local SES are in tests/integration/campaign-flow.test.ts and beside it.
 */
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
let h: MemoryApi;

beforeEach(() => {
  h = memoryApi();
});

const call = (method: string, path: string, body?: unknown) => h.call(method, path, body);

const clubBody = {
  name: 'Test Grocer',
  language: 'en',
  senderName: 'Test Grocer',
  senderEmail: 'club@grocer.example',
  postalAddress: 'High Street 1, London',
  brand: { primaryEmotion: 'community', colours: { primary: '#1d6b3a', background: '#ffffff', text: '#111111' } },
  budget: { ...CONSERVATIVE_BUDGET, minGapHours: 24 },
  engagement: CONSERVATIVE_ENGAGEMENT,
};

const ALL = ['gluten', 'lactose', 'dairy', 'egg', 'meat', 'pork', 'fish', 'alcohol', 'nuts'];
const labelled = (productId: string, name: string, category: string, contains: string[]) => ({
  productId,
  name,
  category,
  contains,
  freeFrom: ALL.filter((t) => !contains.includes(t)),
});

function memberBody(
  memberId: string,
  overrides: Record<string, unknown> = {},
  preferences: Record<string, unknown> = {},
) {
  return {
    memberId,
    email: `${memberId}@test.example`,
    firstName: memberId,
    language: 'en',
    joinedAt: '2025-01-01T00:00:00.000Z',
    consent: {
      marketing: true,
      textVersion: 'v1',
      at: '2025-01-01T00:00:00.000Z',
      source: 'test',
      legalBasis: 'consent',
    },
    preferences: { ...preferences },
    ...overrides,
  };
}

/** A club with a member for every reason the planner can give, built through the API. */
async function clubWithEveryReason(): Promise<{ clubId: string; campaignId: string }> {
  const clubId = uniqueId('api');
  expect((await call('PUT', `/clubs/${clubId}`, clubBody)).status).toBe(201);
  expect(
    (
      await call('PUT', `/clubs/${clubId}/products`, {
        products: [
          labelled('spaghetti', 'Spaghetti', 'Pasta', ['gluten']),
          labelled('pork', 'Pork chops', 'Meat', ['meat', 'pork']),
          labelled('milk', 'Milk', 'Dairy', ['lactose', 'dairy']),
        ],
      })
    ).status,
  ).toBe(200);
  expect(
    (
      await call('PUT', `/clubs/${clubId}/offers`, {
        offers: [
          { offerId: 'o-spaghetti', productId: 'spaghetti', headline: '2 for 1' },
          { offerId: 'o-pork', productId: 'pork', headline: '20 % off' },
          { offerId: 'o-milk', productId: 'milk', headline: 'Member price' },
        ],
      })
    ).status,
  ).toBe(200);

  const now = h.clock.now();
  const members = [
    memberBody('happy'),
    memberBody('unsub', { subscription: 'unsubscribed' }),
    memberBody('bounced', { deliverability: 'bounced' }),
    memberBody('undeliverable', { deliverability: 'undeliverable' }),
    memberBody('complained', { deliverability: 'complained' }),
    memberBody('noconsent', {
      consent: {
        marketing: false,
        textVersion: 'v1',
        at: '2025-01-01T00:00:00.000Z',
        source: 'test',
        legalBasis: 'consent',
      },
    }),
    memberBody('paused', {}, { pausedUntil: new Date(now.getTime() + 10 * DAY).toISOString() }),
    memberBody('notopic', {}, { topics: ['news'] }),
    memberBody('occasions', {}, { frequency: 'occasions-only' }),
    memberBody('strict', {}, { declaredRestrictions: ['vegan', 'gluten-free'] }),
    memberBody('newbie'),
    memberBody('mailed2days'),
    memberBody('mailed1hour'),
  ];
  expect((await call('POST', `/clubs/${clubId}/members`, { members })).status).toBe(200);

  const bought = {
    receipts: 3,
    lines: 6,
    lastPurchaseAt: now.toISOString(),
    products: { spaghetti: { count: 3, lastAt: now.toISOString() }, milk: { count: 3, lastAt: now.toISOString() } },
    categories: { Pasta: 3, Dairy: 3 },
    inferredRestrictions: [],
  };
  for (const m of members) if (m.memberId !== 'newbie') await h.deps.members.putProfile(clubId, m.memberId, bought);
  const sentBefore = async (memberId: string, ago: number) =>
    h.deps.ledger.claim({
      clubId,
      memberId,
      sendId: `${'0'.repeat(31)}1`,
      campaignId: 'earlier',
      now: new Date(now.getTime() - ago),
      policy: CONSERVATIVE_BUDGET,
      frequency: 'club-default',
    });
  expect((await sentBefore('mailed2days', 2 * DAY)).kind).toBe('claimed');
  expect((await sentBefore('mailed1hour', HOUR)).kind).toBe('claimed');

  const created = await call('POST', `/clubs/${clubId}/campaigns`, {
    name: 'Everything',
    theme: 'community',
    offerPool: ['o-spaghetti', 'o-pork', 'o-milk'],
    // Soon: the dry-run judges the budget at the send time, and these reasons are about now.
    sendAt: new Date(now.getTime() + 10 * 60_000).toISOString(),
  });
  expect(created.status).toBe(201);
  const campaignId = z.object({ campaign: z.object({ campaignId: z.string() }) }).parse(created.json)
    .campaign.campaignId;
  return { clubId, campaignId };
}

describe('marketer API', () => {
  it('creates a club, its catalog and a draft campaign', async () => {
    const { clubId, campaignId } = await clubWithEveryReason();
    const club = await call('GET', `/clubs/${clubId}`);
    expect(club.status).toBe(200);
    expect(club.json).toMatchObject({ club: { clubId, name: 'Test Grocer' } });
    const campaign = await call('GET', `/clubs/${clubId}/campaigns/${campaignId}`);
    expect(campaign.json).toMatchObject({
      report: { campaign: { status: 'draft', offerPool: ['o-spaghetti', 'o-pork', 'o-milk'] }, planned: 0 },
    });
  });

  it('shows in a dry-run every suppression reason the planner can give before sending, with a sentence each', async () => {
    const { clubId, campaignId } = await clubWithEveryReason();
    const result = await call('POST', `/clubs/${clubId}/campaigns/${campaignId}/dry-run`);
    expect(result.status).toBe(200);
    const dryRun = z
      .object({
        dryRun: z.object({
          planned: z.number(),
          toSend: z.number(),
          complete: z.boolean(),
          suppressed: z.record(z.string(), z.number()),
          decisions: z.array(
            z.object({
              memberId: z.string(),
              outcome: z.enum(['send', 'suppress']),
              reason: z.string().optional(),
              message: z.string(),
              offers: z.array(z.object({ offerId: z.string(), reason: z.string() })).optional(),
            }),
          ),
        }),
      })
      .parse(result.json).dryRun;

    // Survey caps, holdouts, occasions and competing campaigns have their own set-ups (frequency-budget and
    // occasion tests), and so have the reasons only surveys and notes give (survey-caps, feedback-cases tests)
    // the policy experiment's control arm (experiment tests) and a member's "fewer mails like this"
    // (mail-controls test, a floor between the halved and full score).
    const ownSetUps = [
      'campaign-cancelled',
      'survey-cap',
      'holdout',
      'not-their-occasion',
      'experiment-control',
      'fewer-like-this',
    ];
    const surveysAndNotes = [
      'survey-gap',
      'recent-service-case',
      'not-in-sample',
      'no-purchase-to-ask-about',
      'not-in-audience',
    ];
    const planTimeReasons = SuppressReason.options.filter((r) => ![...ownSetUps, ...surveysAndNotes].includes(r));
    expect(Object.keys(dryRun.suppressed).sort()).toEqual([...planTimeReasons].sort());
    expect(dryRun).toMatchObject({ planned: 13, toSend: 1, complete: true });
    const byMember = new Map(dryRun.decisions.map((d) => [d.memberId, d]));
    expect(byMember.get('strict')).toMatchObject({ outcome: 'suppress', reason: 'no-eligible-offers' });
    expect(byMember.get('newbie')).toMatchObject({ outcome: 'suppress', reason: 'below-relevance-floor' });
    expect(byMember.get('mailed2days')).toMatchObject({ outcome: 'suppress', reason: 'budget-window' });
    expect(byMember.get('mailed1hour')).toMatchObject({ outcome: 'suppress', reason: 'min-gap' });
    const happy = byMember.get('happy');
    expect(happy?.outcome).toBe('send');
    expect(happy?.offers?.map((o) => o.reason)).toContain('You often buy Spaghetti');
    for (const decision of dryRun.decisions) expect(decision.message.length).toBeGreaterThan(10);
  });

  it('warns in the dry-run when the theme clashes with the brand, and schedules it only with an explicit override', async () => {
    const { clubId } = await clubWithEveryReason();
    const created = await call('POST', `/clubs/${clubId}/campaigns`, {
      name: 'Only for the selected few',
      theme: 'selected',
      offerPool: ['o-milk'],
      sendAt: new Date(h.clock.now().getTime() + DAY).toISOString(),
    });
    const campaignId = z.object({ campaign: z.object({ campaignId: z.string() }) }).parse(created.json)
      .campaign.campaignId;
    const dry = await call('POST', `/clubs/${clubId}/campaigns/${campaignId}/dry-run`);
    expect(dry.json.brandFit).toMatchObject({ verdict: 'clash' });
    const refused = await call('POST', `/clubs/${clubId}/campaigns/${campaignId}/schedule`);
    expect(refused.status).toBe(409);
    expect(refused.json).toMatchObject({ error: 'brand-fit-clash' });
    expect(String(refused.json.message)).toMatch(/^theme: "selected" clashes with a brand that stands for community/);
    const overridden = await call('POST', `/clubs/${clubId}/campaigns/${campaignId}/schedule`, {
      brandFitOverride: true,
    });
    expect(overridden.status).toBe(200);
    expect(overridden.json).toMatchObject({ campaign: { status: 'scheduled', brandFitOverride: true } });
    await call('POST', `/clubs/${clubId}/campaigns/${campaignId}/cancel`);
  });

  it('blocks a campaign whose template cannot render, naming the template line', async () => {
    const { clubId } = await clubWithEveryReason();
    const result = await call('POST', `/clubs/${clubId}/campaigns`, {
      name: 'Broken template',
      theme: 'community',
      offerPool: ['o-milk'],
      sendAt: new Date(h.clock.now().getTime() + DAY).toISOString(),
      template: { html: '<p>Hello</p>\n<p>{{ member.firstname }}</p>' },
    });
    expect(result.status).toBe(400);
    expect(result.json.message).toBe('template.html line 2: undefined variable: member.firstname');
    const long = await call('POST', `/clubs/${clubId}/campaigns`, {
      name: 'Long subject',
      theme: 'community',
      offerPool: ['o-milk'],
      sendAt: new Date(h.clock.now().getTime() + DAY).toISOString(),
      template: { subject: '{{ copy.subject }} – and a very special weekend surprise' },
    });
    expect(long.status).toBe(400);
    expect(String(long.json.message)).toMatch(
      /^template\.subject: renders to up to \d+ characters; inboxes show about 60$/,
    );
    const fine = await call('POST', `/clubs/${clubId}/campaigns`, {
      name: 'Short subject',
      theme: 'community',
      offerPool: ['o-milk'],
      sendAt: new Date(h.clock.now().getTime() + DAY).toISOString(),
      template: { subject: 'Hej {{ member.first_name }}!' },
    });
    expect(fine.status).toBe(201);
  });

  it('writes nothing and sends nothing on a dry-run', async () => {
    const { clubId, campaignId } = await clubWithEveryReason();
    await call('POST', `/clubs/${clubId}/campaigns/${campaignId}/dry-run`);
    expect(await h.deps.campaigns.listDecisions(clubId, campaignId)).toEqual([]);
    expect(h.mailer.sent).toEqual([]);
    expect(h.planShardQueue.sent).toEqual([]);
    expect(h.sendQueue.sent).toEqual([]);
  });

  it.each([
    [
      'a campaign without a name',
      { theme: 'community', offerPool: ['o-milk'], sendAt: '2030-01-01T10:00:00Z' },
      'name',
    ],
    ['an unknown theme', { name: 'x', theme: 'fomo', offerPool: ['o-milk'], sendAt: '2030-01-01T10:00:00Z' }, 'theme'],
    ['an empty offer pool', { name: 'x', theme: 'care', offerPool: [], sendAt: '2030-01-01T10:00:00Z' }, 'offerPool'],
    [
      'an offer the club does not have',
      { name: 'x', theme: 'care', offerPool: ['o-milk', 'nope'], sendAt: '2030-01-01T10:00:00Z' },
      'offerPool[1]',
    ],
    [
      'a send time that is not a date',
      { name: 'x', theme: 'care', offerPool: ['o-milk'], sendAt: 'tomorrow' },
      'sendAt',
    ],
  ])('rejects %s with a 400 that names the field', async (_, body, field) => {
    const { clubId } = await clubWithEveryReason();
    const result = await call('POST', `/clubs/${clubId}/campaigns`, body);
    expect(result.status).toBe(400);
    expect(result.json).toMatchObject({ error: 'validation' });
    expect(String(result.json.message)).toMatch(new RegExp(`^${field.replace(/[[\]]/g, '\\$&')}: `));
  });

  it('rejects a body that is not JSON, and a club whose colour is not a colour', async () => {
    const clubId = uniqueId('bad');
    const notJson = await call('PUT', `/clubs/${clubId}`, '{"name": ');
    expect(notJson.status).toBe(400);
    expect(notJson.json.message).toBe('(body): must be a JSON document');
    const badColour = await call('PUT', `/clubs/${clubId}`, {
      ...clubBody,
      brand: { ...clubBody.brand, colours: { ...clubBody.brand.colours, primary: 'green' } },
    });
    expect(badColour.status).toBe(400);
    expect(badColour.json.message).toMatch(/^brand\.colours\.primary: /);
  });

  it('rejects an offer for a product the club does not sell, naming the offer', async () => {
    const { clubId } = await clubWithEveryReason();
    const result = await call('PUT', `/clubs/${clubId}/offers`, {
      offers: [
        { offerId: 'ok', productId: 'milk', headline: 'fine' },
        { offerId: 'bad', productId: 'caviar', headline: 'nope' },
      ],
    });
    expect(result.status).toBe(400);
    expect(result.json.message).toBe('offers[1].productId: unknown product caviar');
  });

  it('schedules a campaign, shows its status, and cancels it so nothing is sent', async () => {
    const { clubId, campaignId } = await clubWithEveryReason();
    const scheduled = await call('POST', `/clubs/${clubId}/campaigns/${campaignId}/schedule`);
    expect(scheduled.status).toBe(200);
    expect(scheduled.json).toMatchObject({ campaign: { status: 'scheduled' } });
    expect(h.scheduler.scheduledAt(clubId, campaignId)).toBeDefined();

    const cancelled = await call('POST', `/clubs/${clubId}/campaigns/${campaignId}/cancel`);
    expect(cancelled.json).toMatchObject({ campaign: { status: 'cancelled' } });
    const again = await call('POST', `/clubs/${clubId}/campaigns/${campaignId}/schedule`);
    expect(again.status).toBe(409);

    expect(h.scheduler.scheduledAt(clubId, campaignId)).toBeUndefined();
    // Even if the schedule had already fired, a cancelled campaign plans nothing.
    await startCampaign(h.deps, { clubId, campaignId });
    expect(h.planShardQueue.sent).toEqual([]);
    const report = await call('GET', `/clubs/${clubId}/campaigns/${campaignId}`);
    expect(report.json).toMatchObject({ report: { campaign: { status: 'cancelled' }, planned: 0, sent: 0 } });
  });

  it('refuses to schedule a campaign in the past', async () => {
    const { clubId, campaignId } = await clubWithEveryReason();
    const result = await call('POST', `/clubs/${clubId}/campaigns/${campaignId}/schedule`, {
      sendAt: '2020-01-01T00:00:00Z',
    });
    expect(result.status).toBe(400);
    expect(result.json.message).toMatch(/^sendAt: /);
  });

  it('lists the campaigns whole, or newest first a page at a time, and names a bad page parameter', async () => {
    const { clubId } = await clubWithEveryReason();
    for (const day of [3, 1, 2]) {
      const created = await call('POST', `/clubs/${clubId}/campaigns`, {
        name: `Day ${day}`,
        theme: 'community',
        offerPool: ['o-milk'],
        sendAt: `2031-01-0${day}T09:00:00Z`,
      });
      expect(created.status).toBe(201);
    }
    const Page = z.object({ campaigns: z.array(z.object({ name: z.string() })), next: z.string().optional() });
    const whole = Page.parse((await call('GET', `/clubs/${clubId}/campaigns`)).json);
    expect(whole.campaigns).toHaveLength(4);
    expect(whole.next).toBeUndefined();
    const first = Page.parse((await call('GET', `/clubs/${clubId}/campaigns?limit=2`)).json);
    expect(first.campaigns.map((c) => c.name)).toEqual(['Day 3', 'Day 2']);
    // The cursor goes back as it came, with nothing to escape.
    const next = first.next ?? '';
    expect(next).toMatch(/^[A-Za-z0-9_-]+$/);
    const rest = Page.parse((await call('GET', `/clubs/${clubId}/campaigns?limit=2&after=${next}`)).json);
    // The club's first campaign sends before 2031: it is last.
    const other = whole.campaigns.find((c) => !c.name.startsWith('Day'))?.name;
    expect(rest.campaigns.map((c) => c.name)).toEqual(['Day 1', other]);
    expect(rest.next).toBeUndefined();
    for (const [query, field] of [
      ['limit=0', 'limit'],
      ['limit=many', 'limit'],
      ['limit=501', 'limit'],
      ['after=2031-01-01', 'after'],
      [`after=${Buffer.from('2031-01-01').toString('base64url')}`, 'after'],
      ['after=%3Cscript%3E', 'after'],
    ] as const) {
      const refused = await call('GET', `/clubs/${clubId}/campaigns?${query}`);
      expect(refused.status, query).toBe(400);
      expect(String(refused.json.message), query).toMatch(new RegExp(`^(query\\.)?${field}`));
    }
  });

  it('answers 404 for a club that does not exist', async () => {
    const result = await call('GET', `/clubs/${uniqueId('ghost')}`);
    expect(result.status).toBe(404);
  });
});
