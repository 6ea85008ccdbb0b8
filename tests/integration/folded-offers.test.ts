import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { demoGroceryClub } from '../../bin/demo-club.js';
import { seedDemo } from '../../bin/seed-demo.js';
import { startCampaign } from '../../lambdas/app/start-campaign.js';
import { CONSERVATIVE_BUDGET } from '../../lambdas/core/budget.js';
import { conflictingTags, forbiddenTags } from '../../lambdas/core/diet.js';
import type { SendJob } from '../../lambdas/core/jobs.js';
import { ALSO_THIS_WEEK } from '../../lambdas/core/mail-controls.js';
import type { Club } from '../../lambdas/core/model.js';
import { effectiveRestrictions } from '../../lambdas/core/profile.js';
import { type Harness, sesInbox, startHarness, uniqueId } from '../support/local-harness.js';
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

describe('an offer held back by the budget', () => {
  it('rides along in the member’s other mail, never breaks a restriction or the offers per mail, and the held-back campaign reports it and never mails them', async () => {
    const demo = demoGroceryClub(h.clock.now(), 5, uniqueId('fold'));
    const club: Club = { ...demo.club, budget: CONSERVATIVE_BUDGET };
    await seedDemo(h.deps, { ...demo, club });
    const clubId = club.clubId;

    // The weekly mail in two days, scheduled first; the budget (1 mail in 3 days) has room for one of the two.
    const weekly = await createCampaign(h, clubId, {
      name: 'Weekly',
      theme: 'community',
      offerPool: demo.offers.slice(10, 30).map((o) => o.offerId),
      sendAt: new Date(h.clock.now().getTime() + 2 * DAY).toISOString(),
    });
    const scheduled = await api(h, `/clubs/${clubId}/campaigns/${weekly}/schedule`, { method: 'POST' });
    expect(scheduled.status).toBe(200);
    // The big weekend mail now, worth more, with room for one more offer than its pool gives.
    const big = await createCampaign(h, clubId, {
      name: 'Big weekend',
      theme: 'celebration',
      priority: 2,
      offersPerMail: 3,
      offerPool: demo.offers.slice(0, 2).map((o) => o.offerId),
    });
    await runCampaign(h, clubId, big);

    const records = await h.deps.campaigns.listDecisions(clubId, big);
    const folding = records.flatMap((r) =>
      r.decision.outcome === 'send' && r.decision.folded ? [{ decision: r.decision, folded: r.decision.folded }] : [],
    );
    expect(folding.length).toBeGreaterThanOrEqual(3);
    const mails = await mailsOf(h, big);
    const products = new Map(demo.products.map((p) => [p.productId, p]));
    const offers = new Map(demo.offers.map((o) => [o.offerId, o]));
    let restrictedMembers = 0;
    for (const { decision, folded } of folding) {
      // Within the campaign's offers per mail, and each folded offer from the held-back campaign.
      expect(decision.offers.length + folded.length).toBeLessThanOrEqual(3);
      expect(folded.every((f) => f.campaignId === weekly)).toBe(true);
      // Never an offer that clashes with the member's declared or inferred restrictions.
      const state = await h.deps.members.getState(clubId, decision.memberId);
      if (!state) throw new Error('member gone');
      const restrictions = effectiveRestrictions(
        state.member.preferences.declaredRestrictions,
        state.profile.inferredRestrictions,
        state.member.preferences.rejectedInferences,
      );
      if (restrictions.length > 0) restrictedMembers += 1;
      for (const f of folded) {
        const product = products.get(f.productId);
        if (!product) throw new Error(`unknown product ${f.productId}`);
        expect(conflictingTags(product, forbiddenTags(restrictions))).toEqual([]);
      }
      // The member's mail shows it under "also this week", in both parts.
      const mail = mails.find((m) => m.destination.to[0] === state.member.email);
      if (!mail) throw new Error('no mail for a member decided send');
      const heading = ALSO_THIS_WEEK[state.member.language];
      const html = mail.body.html ?? '';
      const text = mail.body.text ?? '';
      expect(html).toContain(`>${heading}</h2>`);
      expect(text).toContain(`${heading}:`);
      for (const f of folded) {
        const name = products.get(f.productId)?.name ?? '?';
        const headline = offers.get(f.offerId)?.headline ?? '?';
        expect(html.slice(html.indexOf(heading))).toContain(name);
        expect(text).toContain(`- ${name}: ${headline}`);
      }
    }
    // Restricted members (the demo's gluten-free buyers) get folds too: the rule is kept, not avoided.
    expect(restrictedMembers).toBeGreaterThan(0);

    // Two days later the weekly campaign is planned: each member whose offer rode along is reported
    // as folded into the big one, and gets no second mail.
    h.clock.advance(2 * DAY + 60_000);
    await startCampaign(h.deps, { clubId, campaignId: weekly });
    for (let i = 0; i < 200; i++) {
      await h.settle();
      if ((await h.deps.campaigns.getCampaign(clubId, weekly))?.status === 'planned') break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await h.settle();
    const report = await api(h, `/clubs/${clubId}/campaigns/${weekly}`);
    expect(report.status).toBe(200);
    const { suppressed } = Report.parse(report.json).report;
    expect(suppressed[`folded-into:${big}`]).toBe(folding.length);
    const weeklyMails = await mailsOf(h, weekly);
    const foldedEmails = new Set<string>();
    for (const { decision } of folding) {
      const state = await h.deps.members.getState(clubId, decision.memberId);
      if (state) foldedEmails.add(state.member.email);
    }
    expect(weeklyMails.filter((m) => foldedEmails.has(m.destination.to[0] ?? ''))).toEqual([]);
    const weeklyRecords = await h.deps.campaigns.listDecisions(clubId, weekly);
    for (const { decision } of folding) {
      const own = weeklyRecords.find((r) => r.decision.memberId === decision.memberId)?.decision;
      expect(own).toMatchObject({ outcome: 'suppress', reason: `folded-into:${big}` });
    }
  });
});

describe('a folded offer and exactly-once sending', () => {
  /** The big mail's job, carrying the weekly campaign's offer along. */
  const carrying = (clubId: string, big: string, weekly: string, memberId: string): SendJob => {
    const job = sendJob(clubId, big, memberId);
    const offer = job.offers[0];
    if (!offer) throw new Error('no offer');
    return { ...job, folded: [{ ...offer, campaignId: weekly, sendId: sendJob(clubId, weekly, memberId).sendId }] };
  };
  const inboxOf = async (clubId: string, memberId: string) =>
    (await sesInbox(h.urls.ses)).filter((m) => m.destination.to[0] === `${memberId}@${clubId}.example`);

  it('drops the held-back campaign’s own job once its offer went along, however often it is delivered', async () => {
    const { clubId, campaignId: big } = await sendClub(h, ['m1']);
    const weekly = await storedCampaign(h, clubId);
    await h.handlers.sendMail(sqsEvent([JSON.stringify(carrying(clubId, big, weekly, 'm1'))]));
    const own = JSON.stringify(sendJob(clubId, weekly, 'm1'));
    await Promise.all([h.handlers.sendMail(sqsEvent([own, own])), h.handlers.sendMail(sqsEvent([own]))]);
    await h.settle();
    const mails = await inboxOf(clubId, 'm1');
    expect(mails).toHaveLength(1);
    expect(mails[0]?.body.text).toContain(`${ALSO_THIS_WEEK.en}:`);
    const delivery = await h.deps.campaigns.getDelivery(clubId, weekly, 'm1');
    expect(delivery).toMatchObject({ state: 'dropped', reason: `folded-into:${big}` });
  });

  it('leaves the offer out of the carrying mail when its own campaign mailed the member first', async () => {
    const { clubId, campaignId: big } = await sendClub(h, ['m2']);
    const weekly = await storedCampaign(h, clubId);
    await h.handlers.sendMail(sqsEvent([JSON.stringify(sendJob(clubId, weekly, 'm2'))]));
    await h.handlers.sendMail(sqsEvent([JSON.stringify(carrying(clubId, big, weekly, 'm2'))]));
    await h.settle();
    const mails = await inboxOf(clubId, 'm2');
    expect(mails).toHaveLength(2);
    for (const mail of mails) expect(mail.body.text).not.toContain(ALSO_THIS_WEEK.en);
  });
});
