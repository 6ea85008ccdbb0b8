import { readFileSync } from 'node:fs';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createDocumentClient } from '../../lambdas/adapters/dynamodb-client.js';
import { buildSesEvent } from '../../lambdas/adapters/local-ses-event-builder.js';
import type { MailEventKind } from '../../lambdas/core/ses-events.js';
import { callApi, type Harness, startHarness } from '../support/local-harness.js';
import {
  deliveryStates,
  mailsPerRecipient,
  quiesce,
  SendingStatus,
  sendClub,
  sendJob,
  storedCampaign,
} from '../support/send-fixtures.js';

const HOUR = 3_600_000;
let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

const call = (method: string, path: string, body?: unknown) => callApi(h.urls.http, method, path, body);

const settleAll = (timeoutMs?: number) => quiesce(h, timeoutMs);

const DryRun = z.object({
  dryRun: z.object({
    decisions: z.array(z.object({ memberId: z.string(), outcome: z.string(), reason: z.string().optional() })),
  }),
});

/** A new campaign through the API, dry-run: what the next plan would decide for each member. */
async function nextPlan(clubId: string): Promise<Map<string, { outcome: string; reason?: string }>> {
  const created = await call('POST', `/clubs/${clubId}/campaigns`, {
    name: 'Next',
    theme: 'community',
    offerPool: ['o-milk'],
    sendAt: new Date(h.clock.now().getTime() + HOUR).toISOString(),
  });
  expect(created.status).toBe(201);
  const campaignId = z.object({ campaign: z.object({ campaignId: z.string() }) }).parse(created.json)
    .campaign.campaignId;
  const answer = await call('POST', `/clubs/${clubId}/campaigns/${campaignId}/dry-run`);
  expect(answer.status).toBe(200);
  return new Map(DryRun.parse(answer.json).dryRun.decisions.map((d) => [d.memberId, d]));
}

/** An SES event for a mail we sent, in SES's EventBridge shape, published as SES would. */
function publish(
  kind: MailEventKind,
  mail: { clubId: string; campaignId: string; memberId: string; to: string; messageId: string },
  at: Date,
): void {
  const { clubId, campaignId, memberId } = mail;
  const event = buildSesEvent(kind, {
    messageId: mail.messageId,
    from: 'Send Grocer <club@send.example>',
    to: mail.to,
    subject: 'Offers',
    tags: {
      sendId: sendJob(clubId, campaignId, memberId).sendId,
      club: clubId,
      campaign: campaignId,
      member: memberId,
      kind: 'offers',
    },
    sentAt: new Date(at.getTime() - 60_000),
    at,
    configurationSet: 'club-planner-local',
  });
  h.eventsQueue.sendRaw(JSON.stringify(event));
}

async function messageIdOf(clubId: string, campaignId: string, memberId: string): Promise<string> {
  const delivery = await h.deps.campaigns.getDelivery(clubId, campaignId, memberId);
  if (!delivery || !('messageId' in delivery)) throw new Error(`no messageId for ${memberId}`);
  return delivery.messageId;
}

describe('SES events', () => {
  it('suppresses a member at once on a hard bounce or a complaint from the mailbox simulator, and no later plan selects them', async () => {
    const ids = ['ok1', 'bouncer', 'complainer'];
    const { clubId, campaignId } = await sendClub(h, ids, {
      emails: { bouncer: 'bounce@simulator.amazonses.com', complainer: 'complaint@simulator.amazonses.com' },
      profiles: true,
    });
    await h.sendQueue.send(ids.map((id) => sendJob(clubId, campaignId, id)));
    await settleAll();

    expect(await deliveryStates(h, clubId, campaignId, ids)).toEqual({ sent: 1, bounced: 1, complained: 1 });
    // All three count as sent for the rates, even where SES's bounce beat the worker's own mark.
    expect(SendingStatus.parse((await call('GET', `/clubs/${clubId}/sending`)).json).window).toMatchObject({
      sent: 3,
      bounced: 1,
      complained: 1,
    });
    const bouncer = await h.deps.members.getState(clubId, 'bouncer');
    const complainer = await h.deps.members.getState(clubId, 'complainer');
    expect(bouncer?.member.deliverability).toBe('bounced');
    expect(complainer?.member).toMatchObject({ deliverability: 'complained', subscription: 'unsubscribed' });
    // Both addresses are remembered by keyed hash only, so a re-import stays suppressed.
    expect(await h.deps.suppressions.has(clubId, 'bounce@simulator.amazonses.com')).toBe(true);
    expect(await h.deps.suppressions.has(clubId, 'complaint@simulator.amazonses.com')).toBe(true);

    const plan = await nextPlan(clubId);
    expect(plan.get('ok1')?.outcome).toBe('send');
    expect(plan.get('bouncer')).toMatchObject({ outcome: 'suppress', reason: 'bounced' });
    expect(plan.get('complainer')).toMatchObject({ outcome: 'suppress', reason: 'complained' });
  });

  it('ends in the right state whatever the order of duplicate and late bounce, complaint and delivery events', async () => {
    const ids = ['ann', 'bo', 'cy'];
    const { clubId, campaignId } = await sendClub(h, ids);
    await h.sendQueue.send(ids.map((id) => sendJob(clubId, campaignId, id)));
    await settleAll();
    const mail = async (memberId: string) => ({
      clubId,
      campaignId,
      memberId,
      to: `${memberId}@${clubId}.example`,
      messageId: await messageIdOf(clubId, campaignId, memberId),
    });
    const t = h.clock.now().getTime();
    const at = (minutes: number) => new Date(t + minutes * 60_000);

    // Ann: complaint, then the delivery arrives late, the complaint again, then a stray bounce.
    for (const [kind, minute] of [
      ['complaint', 5],
      ['delivery', 1],
      ['complaint', 5],
      ['hard-bounce', 6],
    ] as const)
      publish(kind, await mail('ann'), at(minute));
    // Bo: two soft bounces, then a hard one, then a soft one again, late.
    for (const [kind, minute] of [
      ['soft-bounce', 2],
      ['soft-bounce', 2],
      ['hard-bounce', 3],
      ['soft-bounce', 1],
    ] as const)
      publish(kind, await mail('bo'), at(minute));
    // Cy: the same hard bounce three times.
    for (let i = 0; i < 3; i++) publish('hard-bounce', await mail('cy'), at(2));
    await settleAll();

    expect(await h.deps.campaigns.getDelivery(clubId, campaignId, 'ann')).toMatchObject({ state: 'complained' });
    expect(await h.deps.campaigns.getDelivery(clubId, campaignId, 'bo')).toMatchObject({ state: 'bounced' });
    expect(await h.deps.campaigns.getDelivery(clubId, campaignId, 'cy')).toMatchObject({ state: 'bounced' });
    expect((await h.deps.members.getState(clubId, 'ann'))?.member.deliverability).toBe('complained');
    expect((await h.deps.members.getState(clubId, 'bo'))?.member.deliverability).toBe('bounced');
    // Counted once each, however often SES said it: the rates are not inflated by duplicates.
    const counts = await h.deps.deliveryStats.campaignCounts(clubId, campaignId);
    expect(counts).toMatchObject({ complained: 1, bounced: 2 });
    const status = SendingStatus.parse((await call('GET', `/clubs/${clubId}/sending`)).json);
    expect(status.window).toMatchObject({ sent: 3, bounced: 2, complained: 1 });
  });

  it('makes an address undeliverable after soft bounces of three different mails within 30 days, not of one mail three times', async () => {
    const { clubId, campaignId } = await sendClub(h, ['sb']);
    await h.sendQueue.send([sendJob(clubId, campaignId, 'sb')]);
    await settleAll();
    const first = {
      clubId,
      campaignId,
      memberId: 'sb',
      to: `sb@${clubId}.example`,
      messageId: await messageIdOf(clubId, campaignId, 'sb'),
    };
    for (let i = 0; i < 3; i++) publish('soft-bounce', first, h.clock.now());
    await settleAll();
    expect((await h.deps.members.getState(clubId, 'sb'))?.member.deliverability).toBe('ok');
    for (const other of ['second', 'third'])
      publish(
        'soft-bounce',
        { ...first, campaignId: `${campaignId}-${other}`, messageId: `${first.messageId}-${other}` },
        h.clock.now(),
      );
    await settleAll();
    expect((await h.deps.members.getState(clubId, 'sb'))?.member.deliverability).toBe('undeliverable');
    expect((await nextPlan(clubId)).get('sb')).toMatchObject({ outcome: 'suppress', reason: 'undeliverable' });
  });

  it('stores the recipient of an event only as a keyed hash', async () => {
    const { clubId, campaignId } = await sendClub(h, ['dee']);
    await h.sendQueue.send([sendJob(clubId, campaignId, 'dee')]);
    await settleAll();
    publish(
      'hard-bounce',
      {
        clubId,
        campaignId,
        memberId: 'dee',
        to: `dee@${clubId}.example`,
        messageId: await messageIdOf(clubId, campaignId, 'dee'),
      },
      h.clock.now(),
    );
    await settleAll();
    const db = createDocumentClient({ endpoint: h.urls.dynamodb });
    const scan = await db.send(
      new ScanCommand({
        TableName: 'club-planner',
        FilterExpression: '#t = :send',
        ExpressionAttributeNames: { '#t': 'type' },
        ExpressionAttributeValues: { ':send': 'send' },
      }),
    );
    const items = JSON.stringify(scan.Items?.filter((i) => String(i.pk).includes(clubId)));
    expect(items).toContain('recipientHash');
    expect(items).not.toContain(`dee@${clubId}.example`);
  });

  it('pauses a club whose bounce rate reaches 4 %, holds its mail, and sends it once a person resumes', async () => {
    const ids = Array.from({ length: 20 }, (_, i) => `r${i}`);
    const { clubId, campaignId } = await sendClub(h, ids, {
      emails: { r0: 'bounce+r0@simulator.amazonses.com', r1: 'bounce+r1@simulator.amazonses.com' },
      reputation: { minSends: 10 },
    });
    await h.sendQueue.send(ids.map((id) => sendJob(clubId, campaignId, id)));
    await settleAll();
    const paused = SendingStatus.parse((await call('GET', `/clubs/${clubId}/sending`)).json);
    expect(paused).toMatchObject({ sending: 'paused', club: { state: 'open', reason: 'bounce-rate' } });
    expect(paused.window).toMatchObject({ sent: 20, bounced: 2, bounceRate: 0.1 });

    // The next campaign's mail waits while the club is paused.
    const later = await storedCampaign(h, clubId);
    await h.sendQueue.send(ids.slice(2, 6).map((id) => sendJob(clubId, later, id)));
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(await deliveryStates(h, clubId, later, ids.slice(2, 6))).toEqual({ queued: 4 });

    const resumed = await call('POST', `/clubs/${clubId}/sending/resume`);
    expect(resumed.json).toEqual({ resumed: true });
    await settleAll();
    expect(await deliveryStates(h, clubId, later, ids.slice(2, 6))).toEqual({ sent: 4 });
    expect([...(await mailsPerRecipient(h, clubId)).values()].filter((n) => n === 2)).toHaveLength(4);
  });

  it('sends a poison event to the dead-letter queue without holding up the events beside it', async () => {
    const { clubId, campaignId } = await sendClub(h, ['eve']);
    await h.sendQueue.send([sendJob(clubId, campaignId, 'eve')]);
    await settleAll();
    const before = h.eventsQueue.dlq.length;
    h.eventsQueue.sendRaw(
      JSON.stringify({ source: 'aws.ses', 'detail-type': 'Email Bounced', detail: { eventType: 'Bounce', mail: {} } }),
    );
    publish(
      'complaint',
      {
        clubId,
        campaignId,
        memberId: 'eve',
        to: `eve@${clubId}.example`,
        messageId: await messageIdOf(clubId, campaignId, 'eve'),
      },
      h.clock.now(),
    );
    await settleAll();
    expect(h.eventsQueue.dlq.length).toBe(before + 1);
    expect(await h.deps.campaigns.getDelivery(clubId, campaignId, 'eve')).toMatchObject({ state: 'complained' });
  });

  it('parses the real SES fixture for a permanent bounce through the deployed handler', async () => {
    const { clubId, campaignId } = await sendClub(h, ['fay']);
    await h.sendQueue.send([sendJob(clubId, campaignId, 'fay')]);
    await settleAll();
    const fixture = z
      .record(z.string(), z.unknown())
      .parse(
        JSON.parse(readFileSync(new URL('../fixtures/ses-events/bounce-permanent.json', import.meta.url), 'utf8')),
      );
    const mail = z
      .object({ tags: z.record(z.string(), z.array(z.string())).optional() })
      .passthrough()
      .parse(fixture.mail);
    const tags = {
      ...mail.tags,
      sendId: [sendJob(clubId, campaignId, 'fay').sendId],
      club: [clubId],
      campaign: [campaignId],
      member: ['fay'],
    };
    const result = await h.handlers.sesEvents({
      Records: [
        {
          messageId: 'fx',
          receiptHandle: 'fx',
          body: JSON.stringify({
            ...fixture,
            mail: { ...mail, messageId: await messageIdOf(clubId, campaignId, 'fay'), tags },
          }),
          attributes: {
            ApproximateReceiveCount: '1',
            SentTimestamp: '0',
            SenderId: 'x',
            ApproximateFirstReceiveTimestamp: '0',
          },
          messageAttributes: {},
          md5OfBody: '',
          eventSource: 'aws:sqs',
          eventSourceARN: 'arn:aws:sqs:local:0:ses-events',
          awsRegion: 'local',
        },
      ],
    });
    expect(result.batchItemFailures).toEqual([]);
    expect(await h.deps.campaigns.getDelivery(clubId, campaignId, 'fay')).toMatchObject({ state: 'bounced' });
    expect((await h.deps.members.getState(clubId, 'fay'))?.member.deliverability).toBe('bounced');
  });
});
