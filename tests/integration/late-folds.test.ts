import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type DemoClub, demoGroceryClub } from '../../bin/demo-club.js';
import { seedDemo } from '../../bin/seed-demo.js';
import { startCampaign } from '../../lambdas/app/start-campaign.js';
import { CONSERVATIVE_BUDGET } from '../../lambdas/core/budget.js';
import { conflictingTags, forbiddenTags, Restriction } from '../../lambdas/core/diet.js';
import type { SendJob } from '../../lambdas/core/jobs.js';
import { foldedInto, sendIdFor } from '../../lambdas/core/ledger.js';
import { ALSO_THIS_WEEK } from '../../lambdas/core/mail-controls.js';
import type { Club } from '../../lambdas/core/model.js';
import { effectiveRestrictions } from '../../lambdas/core/profile.js';
import { callApi, type Harness, sesInbox, startHarness, uniqueId } from '../support/local-harness.js';
import { sendClub, sendJob, sqsEvent, storedCampaign } from '../support/send-fixtures.js';
import { api, createCampaign, mailsOf, runCampaign } from '../support/surveys.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

const DAY = 86_400_000;
const Report = z.object({
  report: z.object({ planned: z.number(), toSend: z.number(), suppressed: z.record(z.string(), z.number()) }),
});
const DryRunFolds = z.object({
  dryRun: z.object({
    decisions: z.array(
      z.object({
        memberId: z.string(),
        outcome: z.string(),
        folded: z.array(z.object({ campaignId: z.string(), offerId: z.string(), productId: z.string() })).optional(),
      }),
    ),
  }),
});

/**
 * The weekly mail goes now and the big weekend mail, worth more, tomorrow: the budget (1 mail in 3 days)
 * has room for one, and the weekly one is planned first (docs/decisions/0054).
 */
async function weeklyBeforeBig(): Promise<{ demo: DemoClub; clubId: string; big: string; weekly: string }> {
  const demo = demoGroceryClub(h.clock.now(), 5, uniqueId('late'));
  const club: Club = { ...demo.club, budget: CONSERVATIVE_BUDGET };
  await seedDemo(h.deps, { ...demo, club });
  const clubId = club.clubId;
  const big = await createCampaign(h, clubId, {
    name: 'Big weekend',
    theme: 'celebration',
    priority: 2,
    offersPerMail: 3,
    offerPool: demo.offers.slice(0, 2).map((o) => o.offerId),
    sendAt: new Date(h.clock.now().getTime() + DAY).toISOString(),
  });
  expect((await api(h, `/clubs/${clubId}/campaigns/${big}/schedule`, { method: 'POST' })).status).toBe(200);
  const weekly = await createCampaign(h, clubId, {
    name: 'Weekly',
    theme: 'community',
    offerPool: demo.offers.slice(10, 30).map((o) => o.offerId),
  });
  await runCampaign(h, clubId, weekly);
  return { demo, clubId, big, weekly };
}

/** Plan (and send) a scheduled campaign whose time has come. */
async function planNow(clubId: string, campaignId: string): Promise<void> {
  await startCampaign(h.deps, { clubId, campaignId });
  for (let i = 0; i < 200; i++) {
    await h.settle();
    if ((await h.deps.campaigns.getCampaign(clubId, campaignId))?.status === 'planned') break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await h.settle();
}

const emailOf = (clubId: string, memberId: string) => `${memberId}@${clubId}.example`;

describe('an offer held back by a later, more valuable mail', () => {
  it('rides along in that mail when the held-back campaign is planned first, as the dry-run said, within every restriction and the offers per mail, once, and the held-back campaign reports it folded; a member who unsubscribes or adds a restriction in between gets no such offer', async () => {
    const { demo, clubId, big, weekly } = await weeklyBeforeBig();
    const weeklyRecords = await h.deps.campaigns.listDecisions(clubId, weekly);
    const leaving = weeklyRecords.flatMap((r) =>
      r.decision.outcome === 'suppress' && r.decision.pendingFoldInto === big ? [r.decision.memberId] : [],
    );
    expect(leaving.length).toBeGreaterThanOrEqual(4);
    for (const r of weeklyRecords.filter((r) => leaving.includes(r.decision.memberId)))
      expect(r.decision).toMatchObject({ reason: `outranked-by:${big}` });

    // The dry-run of the big mail shows the weekly offer riding along for them.
    const dry = await api(h, `/clubs/${clubId}/campaigns/${big}/dry-run`, { method: 'POST' });
    expect(dry.status).toBe(200);
    const foreseen = new Map(
      DryRunFolds.parse(dry.json).dryRun.decisions.map((d) => [
        d.memberId,
        (d.folded ?? []).filter((f) => f.campaignId === weekly),
      ]),
    );
    const products = new Map(demo.products.map((p) => [p.productId, p]));
    // Between the two plans, one member unsubscribes and another declares a restriction that the
    // offer foreseen for them breaks.
    const [unsubscribed, ...others] = leaving.filter((m) => (foreseen.get(m) ?? []).length > 0);
    if (!unsubscribed) throw new Error('no fold foreseen');
    const restrictionFor = (memberId: string) => {
      const product = products.get(foreseen.get(memberId)?.[0]?.productId ?? '');
      return Restriction.options.find((r) => product && conflictingTags(product, forbiddenTags([r])).length > 0);
    };
    const restricted = others.find((m) => restrictionFor(m) !== undefined);
    const restriction = restricted ? restrictionFor(restricted) : undefined;
    if (!restricted || !restriction) throw new Error('no foreseen fold that a restriction would forbid');
    const untouched = others.filter((m) => m !== restricted);
    expect(untouched.length).toBeGreaterThanOrEqual(2);
    await h.deps.members.unsubscribe(clubId, unsubscribed, h.clock.now(), 'link');
    const patch = { declaredRestrictions: [restriction] };
    expect(await h.deps.members.updatePreferences(clubId, restricted, patch, h.clock.now(), 'page')).toBe('updated');

    h.clock.advance(DAY + 60_000);
    await planNow(clubId, big);
    const bigRecords = await h.deps.campaigns.listDecisions(clubId, big);
    const mails = await mailsOf(h, big);
    const offers = new Map(demo.offers.map((o) => [o.offerId, o]));
    let carried = 0;
    for (const memberId of [...untouched, restricted]) {
      const decision = bigRecords.find((r) => r.decision.memberId === memberId)?.decision;
      if (decision?.outcome !== 'send') throw new Error(`no big mail decided for ${memberId}`);
      const folded = (decision.folded ?? []).filter((f) => f.campaignId === weekly);
      expect(decision.offers.length + (decision.folded?.length ?? 0)).toBeLessThanOrEqual(3);
      const state = await h.deps.members.getState(clubId, memberId);
      if (!state) throw new Error('member gone');
      const restrictions = effectiveRestrictions(
        state.member.preferences.declaredRestrictions,
        state.profile.inferredRestrictions,
        state.member.preferences.rejectedInferences,
      );
      for (const f of folded) {
        const product = products.get(f.productId);
        if (!product) throw new Error(`unknown product ${f.productId}`);
        expect(conflictingTags(product, forbiddenTags(restrictions))).toEqual([]);
        expect(f.late).toBe(true);
      }
      // The real plan folds what the dry-run showed, unless the member's choices changed in between.
      if (memberId !== restricted)
        expect(folded.map((f) => f.offerId)).toEqual((foreseen.get(memberId) ?? []).map((f) => f.offerId));
      else expect(folded.map((f) => f.offerId)).not.toContain(foreseen.get(memberId)?.[0]?.offerId);
      // In the mail, under "also this week", in both parts; and the member got this one mail only.
      const own = mails.filter((m) => m.destination.to[0] === state.member.email);
      expect(own).toHaveLength(1);
      const html = own[0]?.body.html ?? '';
      const text = own[0]?.body.text ?? '';
      const heading = ALSO_THIS_WEEK[state.member.language];
      for (const f of folded) {
        const name = products.get(f.productId)?.name ?? '?';
        expect(html.slice(html.indexOf(`>${heading}</h2>`))).toContain(name);
        expect(text).toContain(`- ${name}: ${offers.get(f.offerId)?.headline ?? '?'}`);
      }
      if (folded.length === 0) expect(text).not.toContain(`${heading}:`);
      // Claimed once, with the mail: the weekly campaign can never mail them as well.
      const ledger = state.ledger;
      const weeklySend = sendIdFor(clubId, weekly, memberId);
      expect(foldedInto(ledger, weeklySend)).toBe(folded.length > 0 ? big : undefined);
      expect(ledger.pendingFolds?.[weekly]).toBeUndefined();
      if (folded.length > 0) carried += 1;
    }
    expect(carried).toBeGreaterThanOrEqual(2);
    // The member who unsubscribed gets nothing: neither mail, nowhere the offer.
    const inbox = await sesInbox(h.urls.ses);
    expect(inbox.filter((m) => m.destination.to[0] === emailOf(clubId, unsubscribed))).toEqual([]);
    expect(bigRecords.find((r) => r.decision.memberId === unsubscribed)?.decision).toMatchObject({
      reason: 'unsubscribed',
    });
    const weeklyMails = await mailsOf(h, weekly);
    expect(weeklyMails.filter((m) => leaving.some((id) => m.destination.to[0] === emailOf(clubId, id)))).toEqual([]);

    // The weekly report: the members whose offer went along are folded into the big mail.
    const report = await api(h, `/clubs/${clubId}/campaigns/${weekly}`);
    expect(report.status).toBe(200);
    const { suppressed } = Report.parse(report.json).report;
    const carriedInAll = bigRecords.filter(
      (r) => r.decision.outcome === 'send' && (r.decision.folded ?? []).some((f) => f.campaignId === weekly && f.late),
    ).length;
    expect(carriedInAll).toBeGreaterThanOrEqual(carried);
    expect(suppressed[`folded-into:${big}`]).toBe(carriedInAll);
    expect(suppressed[`outranked-by:${big}`] ?? 0).toBe(leaving.length - carriedInAll);
  });

  it('is never shown, nor reported folded, when the later mail is cancelled', async () => {
    const { clubId, big, weekly } = await weeklyBeforeBig();
    const records = await h.deps.campaigns.listDecisions(clubId, weekly);
    const leaving = records.filter((r) => r.decision.outcome === 'suppress' && r.decision.pendingFoldInto === big);
    expect(leaving.length).toBeGreaterThan(0);
    expect((await api(h, `/clubs/${clubId}/campaigns/${big}/cancel`, { method: 'POST' })).status).toBe(200);
    h.clock.advance(DAY + 60_000);
    // A late firing of its schedule plans nothing: the campaign is cancelled.
    await startCampaign(h.deps, { clubId, campaignId: big });
    await h.settle();
    expect(await mailsOf(h, big)).toEqual([]);
    const inbox = await sesInbox(h.urls.ses);
    for (const { decision } of leaving)
      expect(inbox.filter((m) => m.destination.to[0] === emailOf(clubId, decision.memberId))).toEqual([]);
    const { suppressed } = Report.parse((await api(h, `/clubs/${clubId}/campaigns/${weekly}`)).json).report;
    expect(suppressed[`folded-into:${big}`]).toBeUndefined();
    expect(suppressed[`outranked-by:${big}`]).toBe(leaving.length);
  });
});

describe('a folded offer at send time', () => {
  const carrying = (clubId: string, big: string, weekly: string, memberId: string): SendJob => ({
    ...sendJob(clubId, big, memberId),
    folded: [
      {
        campaignId: weekly,
        sendId: sendJob(clubId, weekly, memberId).sendId,
        offerId: 'o-cheese',
        productId: 'cheese',
        score: 0.9,
        why: 'often-bought',
        reason: 'You often buy Aged cheese',
        late: true,
      },
    ],
  });
  const call = (method: string, path: string, body: unknown) => callApi(h.urls.http, method, path, body);

  it('is left out, and left unclaimed, when the member declared a restriction it breaks or its campaign was cancelled since the plan', async () => {
    const { clubId, campaignId: big } = await sendClub(h, ['r1', 'r2', 'r3']);
    const weekly = await storedCampaign(h, clubId);
    // Labelled as retailers send it (ADR 0017): what is not in `contains` is not in the product.
    await call('PUT', `/clubs/${clubId}/products`, {
      labelling: 'declared',
      products: [
        { productId: 'milk', name: 'Fresh milk', category: 'Dairy', contains: [], freeFrom: [] },
        { productId: 'cheese', name: 'Aged cheese', category: 'Dairy', contains: ['lactose'], freeFrom: [] },
      ],
    });
    await call('PUT', `/clubs/${clubId}/offers`, {
      offers: [
        { offerId: 'o-milk', productId: 'milk', headline: '2 for 1' },
        { offerId: 'o-cheese', productId: 'cheese', headline: 'Half price' },
      ],
    });
    const patch = { declaredRestrictions: ['lactose-free' as const] };
    expect(await h.deps.members.updatePreferences(clubId, 'r1', patch, h.clock.now(), 'page')).toBe('updated');
    await h.handlers.sendMail(sqsEvent([JSON.stringify(carrying(clubId, big, weekly, 'r1'))]));
    await h.handlers.sendMail(sqsEvent([JSON.stringify(carrying(clubId, big, weekly, 'r2'))]));
    await h.settle();
    const inbox = async (memberId: string) =>
      (await sesInbox(h.urls.ses)).filter((m) => m.destination.to[0] === emailOf(clubId, memberId));
    const [restricted] = await inbox('r1');
    expect(restricted?.body.text).toContain('Fresh milk');
    expect(restricted?.body.text).not.toContain('Aged cheese');
    expect(restricted?.body.text).not.toContain(ALSO_THIS_WEEK.en);
    const [plain] = await inbox('r2');
    expect(plain?.body.text).toContain('- Aged cheese: Half price');
    const ledgerOf = async (memberId: string) => (await h.deps.members.getState(clubId, memberId))?.ledger;
    const r1 = await ledgerOf('r1');
    expect(r1 && foldedInto(r1, sendIdFor(clubId, weekly, 'r1'))).toBeUndefined();
    const r2 = await ledgerOf('r2');
    expect(r2 && foldedInto(r2, sendIdFor(clubId, weekly, 'r2'))).toBe(big);
    expect(await h.deps.campaigns.countLateFolds(clubId, big, weekly)).toBe(1);

    // The held-back campaign cancelled before the carrying mail goes: its offer stays out.
    expect((await api(h, `/clubs/${clubId}/campaigns/${weekly}/cancel`, { method: 'POST' })).status).toBe(200);
    await h.handlers.sendMail(sqsEvent([JSON.stringify(carrying(clubId, big, weekly, 'r3'))]));
    await h.settle();
    const [afterCancel] = await inbox('r3');
    expect(afterCancel?.body.text).toContain('Fresh milk');
    expect(afterCancel?.body.text).not.toContain('Aged cheese');
    expect(await h.deps.campaigns.countLateFolds(clubId, big, weekly)).toBe(1);
  });
});
