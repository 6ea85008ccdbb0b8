import type { SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type DemoClub, demoGroceryClub } from '../../bin/demo-club.js';
import { seedDemo } from '../../bin/seed-demo.js';
import { conflictingTags, forbiddenTags } from '../../lambdas/core/diet.js';
import type { SendJob } from '../../lambdas/core/jobs.js';
import type { Member } from '../../lambdas/core/model.js';
import { effectiveRestrictions } from '../../lambdas/core/profile.js';
import {
  apiFetch,
  type Harness,
  header,
  type StoredEmail,
  sesInbox,
  startHarness,
  uniqueId,
} from '../support/local-harness.js';

const DAY = 86_400_000;
let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

async function api(
  path: string,
  init: { method?: string; body?: unknown } = {},
): Promise<{ status: number; json: unknown }> {
  const response = await apiFetch(h, path, {
    method: init.method ?? 'GET',
    headers: init.body === undefined ? {} : { 'content-type': 'application/json' },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  return { status: response.status, json: await response.json() };
}

/** Create and schedule a campaign over HTTP, then wait until it is planned and every mail has gone out. */
async function runCampaign(demo: DemoClub): Promise<string> {
  const created = await api(`/clubs/${demo.club.clubId}/campaigns`, {
    method: 'POST',
    body: {
      name: 'Weekly member offers',
      theme: 'community',
      offerPool: demo.offers.map((o) => o.offerId),
      sendAt: new Date(h.clock.now().getTime() + 200).toISOString(),
    },
  });
  expect(created.status).toBe(201);
  const campaignId = z.object({ campaign: z.object({ campaignId: z.string() }) }).parse(created.json)
    .campaign.campaignId;
  const scheduled = await api(`/clubs/${demo.club.clubId}/campaigns/${campaignId}/schedule`, { method: 'POST' });
  expect(scheduled.status).toBe(200);
  for (let i = 0; i < 200; i++) {
    await h.settle();
    const campaign = await h.deps.campaigns.getCampaign(demo.club.clubId, campaignId);
    if (campaign?.status === 'planned') break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await h.settle();
  return campaignId;
}

/** The club's marketing mail (the transactional unsubscribe confirmation carries no List-Unsubscribe). */
async function inboxOf(demo: DemoClub): Promise<StoredEmail[]> {
  const domain = `@${demo.club.clubId}.example`;
  return (await sesInbox(h.urls.ses)).filter(
    (m) => header(m, 'List-Unsubscribe') && m.destination.to.some((to) => to.endsWith(domain)),
  );
}

function eligibleByHand(members: readonly Member[], now: Date): Member[] {
  return members.filter(
    (m) =>
      m.subscription === 'subscribed' &&
      m.deliverability === 'ok' &&
      m.consent.marketing &&
      !(m.preferences.pausedUntil && Date.parse(m.preferences.pausedUntil) > now.getTime()) &&
      m.preferences.frequency !== 'occasions-only',
  );
}

async function seeded(): Promise<DemoClub> {
  const demo = demoGroceryClub(h.clock.now(), 7, uniqueId('club'));
  await seedDemo(h.deps, demo);
  return demo;
}

describe('a campaign from schedule to inbox', () => {
  it('mails every eligible member exactly once, with RFC 8058 headers and no offer that breaks a restriction', async () => {
    const demo = await seeded();
    const inferredGlutenFree = [...demo.profiles.values()].filter((p) =>
      p.inferredRestrictions.includes('gluten-free'),
    );
    expect(inferredGlutenFree.length).toBeGreaterThanOrEqual(5);

    await runCampaign(demo);
    const inbox = await inboxOf(demo);

    const expected = eligibleByHand(demo.members, h.clock.now());
    expect(inbox).toHaveLength(expected.length);
    expect(new Set(inbox.map((m) => m.destination.to[0]))).toEqual(new Set(expected.map((m) => m.email)));

    const byEmail = new Map(demo.members.map((m) => [m.email, m]));
    let restrictedMembersMailed = 0;
    for (const mail of inbox) {
      expect(header(mail, 'List-Unsubscribe')).toMatch(/^<http:\/\/localhost:\d+\/u\/[A-Za-z0-9._-]+>$/);
      expect(header(mail, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
      const member = byEmail.get(mail.destination.to[0] ?? '');
      if (!member) throw new Error(`mail to an unknown address ${mail.destination.to[0]}`);
      const profile = demo.profiles.get(member.memberId);
      const restrictions = effectiveRestrictions(
        member.preferences.declaredRestrictions,
        profile?.inferredRestrictions ?? [],
        member.preferences.rejectedInferences,
      );
      if (restrictions.length === 0) continue;
      restrictedMembersMailed += 1;
      const forbidden = forbiddenTags(restrictions);
      const text = mail.body.text ?? '';
      for (const product of demo.products) {
        if (conflictingTags(product, forbidden).length === 0) continue;
        expect(text, `${member.memberId} (${restrictions.join(', ')}) got ${product.name}`).not.toContain(
          `* ${product.name}:`,
        );
      }
    }
    expect(restrictedMembersMailed).toBeGreaterThanOrEqual(10);
  });

  it('sends a member nothing in the next campaign after a one-click unsubscribe', async () => {
    const demo = await seeded();
    await runCampaign(demo);
    const first = await inboxOf(demo);
    const leaving = first[0];
    if (!leaving) throw new Error('the first campaign sent nothing');
    const unsubscribeUrl = header(leaving, 'List-Unsubscribe')?.slice(1, -1) ?? '';

    const response = await fetch(unsubscribeUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
      redirect: 'manual',
    });
    expect(response.status).toBe(200);

    h.clock.advance(8 * DAY); // past the 3-day window and the weekly choice, so only the unsubscribe holds mail back
    await runCampaign(demo);
    const second = (await inboxOf(demo)).slice(first.length);
    expect(second).toHaveLength(first.length - 1);
    expect(second.map((m) => m.destination.to[0])).not.toContain(leaving.destination.to[0]);
  });

  it('sends nothing more when the same send job is delivered again, even concurrently', async () => {
    const demo = await seeded();
    const campaignId = await runCampaign(demo);
    const before = (await inboxOf(demo)).length;
    expect(before).toBeGreaterThan(0);

    const records = await h.deps.campaigns.listDecisions(demo.club.clubId, campaignId);
    const jobs: SendJob[] = records.flatMap(({ decision }) =>
      decision.outcome === 'send'
        ? [
            {
              clubId: demo.club.clubId,
              campaignId,
              memberId: decision.memberId,
              sendId: decision.sendId,
              theme: 'community',
              offers: decision.offers,
            },
          ]
        : [],
    );
    expect(jobs).toHaveLength(before);

    // Through the queue, twice over…
    await h.sendQueue.send([...jobs, ...jobs]);
    await h.settle();
    // …and straight into the handler, two identical batches at once.
    const event: SQSEvent = {
      Records: jobs.slice(0, 5).map((job, i) => ({
        messageId: `dup-${i}`,
        receiptHandle: `dup-${i}`,
        body: JSON.stringify(job),
        attributes: {
          ApproximateReceiveCount: '2',
          SentTimestamp: '0',
          SenderId: 'test',
          ApproximateFirstReceiveTimestamp: '0',
        },
        messageAttributes: {},
        md5OfBody: '',
        eventSource: 'aws:sqs',
        eventSourceARN: 'arn:aws:sqs:local:000000000000:send',
        awsRegion: 'local',
      })),
    };
    const results = await Promise.all([h.handlers.sendMail(event), h.handlers.sendMail(event)]);
    for (const result of results) expect(result?.batchItemFailures ?? []).toEqual([]);

    expect(await inboxOf(demo)).toHaveLength(before);
  });

  it('reports planned, sent and suppressed counts that match the inbox', async () => {
    const demo = await seeded();
    const campaignId = await runCampaign(demo);
    const report = await api(`/clubs/${demo.club.clubId}/campaigns/${campaignId}`);
    expect(report.status).toBe(200);
    const parsed = z
      .object({
        report: z.object({
          campaign: z.object({ status: z.string() }),
          planned: z.number(),
          toSend: z.number(),
          sent: z.number(),
          suppressed: z.record(z.string(), z.number()),
        }),
      })
      .parse(report.json).report;
    expect(parsed.campaign.status).toBe('planned');
    expect(parsed.planned).toBe(demo.members.length);
    expect(parsed.sent).toBe((await inboxOf(demo)).length);
    expect(parsed.sent + Object.values(parsed.suppressed).reduce((a, b) => a + b, 0)).toBe(demo.members.length);
    expect(parsed.suppressed).toMatchObject({
      unsubscribed: 1,
      'no-consent': 1,
      paused: 1,
      'member-frequency-choice': 1,
    });
  });
});
