import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { demoGroceryClub } from '../../bin/demo-club.js';
import { seedDemo } from '../../bin/seed-demo.js';
import type { Logger } from '../../lambdas/core/ports.js';
import { signToken } from '../../lambdas/core/tokens.js';
import { apiFetch, type Harness, startHarness, uniqueId } from '../support/local-harness.js';
import {
  answer,
  api,
  createCampaign,
  mailsOf,
  pageForm,
  postForm,
  runCampaign,
  scoreLink,
  surveyClub,
} from '../support/surveys.js';

/** Every log line the whole local system writes, as JSON text. */
const lines: string[] = [];
const capture: Logger = {
  info: (message, fields) => void lines.push(JSON.stringify({ message, ...fields })),
  warn: (message, fields) => void lines.push(JSON.stringify({ message, ...fields })),
  error: (message, fields) => void lines.push(JSON.stringify({ message, ...fields })),
};

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ log: capture });
});
afterAll(async () => {
  await h?.stop();
});

describe('logs (docs/reliability.md 10)', () => {
  it('never contain a token or an email address, through a campaign, a preference change, an unsubscribe, an export and an erasure', async () => {
    const demo = demoGroceryClub(h.clock.now(), 21, uniqueId('logs'));
    await seedDemo(h.deps, demo);
    const clubId = demo.club.clubId;
    const created = await apiFetch(h, `/clubs/${clubId}/campaigns`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'Logs',
        theme: 'community',
        offerPool: demo.offers.map((o) => o.offerId),
        sendAt: new Date(h.clock.now().getTime() + 200).toISOString(),
      }),
    });
    const { campaign } = z.object({ campaign: z.object({ campaignId: z.string() }) }).parse(await created.json());
    await apiFetch(h, `/clubs/${clubId}/campaigns/${campaign.campaignId}/schedule`, { method: 'POST' });
    for (
      let i = 0;
      i < 200 && (await h.deps.campaigns.getCampaign(clubId, campaign.campaignId))?.status !== 'planned';
      i += 1
    ) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await h.settle();

    const tokens: string[] = [];
    for (const member of demo.members.slice(0, 4)) {
      const unsubscribe = signToken(
        h.tokenKeys,
        { purpose: 'unsubscribe', clubId, memberId: member.memberId },
        h.clock.now(),
      );
      const preferences = signToken(
        h.tokenKeys,
        { purpose: 'preferences', clubId, memberId: member.memberId },
        h.clock.now(),
      );
      tokens.push(unsubscribe, preferences);
      await fetch(`${h.urls.http}/p/${preferences}`);
      await fetch(`${h.urls.http}/p/${preferences}/export`);
      await fetch(`${h.urls.http}/u/${unsubscribe}`, {
        method: 'POST',
        body: new URLSearchParams({ 'List-Unsubscribe': 'One-Click' }),
      });
      await fetch(`${h.urls.http}/u/${unsubscribe.slice(0, -3)}xyz`, {
        method: 'POST',
        body: new URLSearchParams({ 'List-Unsubscribe': 'One-Click' }),
      });
    }
    const erased = demo.members[5];
    if (erased) await apiFetch(h, `/clubs/${clubId}/members/${erased.memberId}/erase`, { method: 'POST' });
    await h.settle();

    expect(lines.length).toBeGreaterThan(20);
    const everything = lines.join('\n');
    for (const token of tokens) {
      // Not the whole token, nor its tag (the part that grants access).
      expect(everything).not.toContain(token);
      expect(everything).not.toContain(token.split('.').at(-1) ?? token);
    }
    for (const member of demo.members) expect(everything).not.toContain(member.email);
    expect(everything).not.toMatch(/[\w.+-]+@[\w-]+\.example/);
  });

  it('never contain a survey comment, through the answer, its case, the alert, the overdue check and an export', async () => {
    const demo = await surveyClub(h, {
      relationshipSampleShare: 0.2,
      feedbackEmail: 'feedback@club-staff.test',
      caseDueHours: 1,
      topics: [{ id: 'queues', keywords: ['queue'] }],
    });
    const clubId = demo.club.clubId;
    const campaignId = await createCampaign(h, clubId, { kind: 'survey' });
    await runCampaign(h, clubId, campaignId);
    const [mail] = await mailsOf(h, campaignId);
    if (!mail) throw new Error('no survey mail');
    const secret = `queue ${uniqueId('private-remark')} call me on +46 70 123 45 67`;
    const reason = await pageForm(new URL(await answer(h, scoreLink(mail, 1)), h.urls.http).toString());
    expect((await postForm(h, reason.action, { csrf: reason.csrf, reason: secret })).status).toBe(303);
    const [opened] = await h.deps.feedbackCases.list(clubId, {});
    if (!opened) throw new Error('no case');
    expect((await api(h, `/clubs/${clubId}/feedback/cases/${opened.caseId}`)).json).toMatchObject({
      answers: { comment: secret },
    });
    await api(h, `/clubs/${clubId}/members/${opened.memberId}/export`);
    h.clock.advance(2 * 3_600_000);
    await h.handlers.checkFeedbackCases();
    await h.settle();

    const everything = lines.join('\n');
    expect(everything).toContain('survey vote recorded');
    expect(everything).not.toContain(secret.slice(6, 40));
    expect(everything).not.toContain('123 45 67');
    expect(everything).not.toMatch(/[\w.+-]+@[\w-]+\.example/);
  });
});
