import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { expect } from 'vitest';
import { z } from 'zod';
import type { SendJob } from '../../lambdas/core/jobs.js';
import { sendIdFor } from '../../lambdas/core/ledger.js';
import { callApi, type Harness, sesInbox, uniqueId } from './local-harness.js';
import { memberRecord } from './member-records.js';

const ALL = ['gluten', 'lactose', 'dairy', 'egg', 'meat', 'pork', 'fish', 'alcohol', 'nuts'];

/**
 * A club made through the real API, with members and a stored campaign to send for: the ground the
 * send-protocol tests stand on. `emails` overrides a member's address (e.g. the SES mailbox simulator).
 */
export async function sendClub(
  h: Harness,
  memberIds: readonly string[],
  options: {
    emails?: Record<string, string>;
    reputation?: Record<string, unknown>;
    profiles?: boolean;
    /** The club's id and sender, for a harness with sending domains (the defaults suit one without). */
    clubId?: string;
    senderEmail?: string;
    /** More fields of the club, e.g. a budget and engagement rules that let a plan mail everyone. */
    clubFields?: Record<string, unknown>;
  } = {},
): Promise<{ clubId: string; campaignId: string }> {
  const clubId = options.clubId ?? uniqueId('send');
  const call = (method: string, path: string, body?: unknown) => callApi(h.urls.http, method, path, body);
  const created = await call('PUT', `/clubs/${clubId}`, {
    name: 'Send Grocer',
    language: 'en',
    senderName: 'Send Grocer',
    senderEmail: options.senderEmail ?? 'club@send.example',
    postalAddress: 'High Street 1, London',
    brand: { primaryEmotion: 'community', colours: { primary: '#1d6b3a', background: '#ffffff', text: '#111111' } },
    ...(options.reputation ? { reputation: options.reputation } : {}),
    ...options.clubFields,
  });
  expect(created.status).toBe(201);
  await call('PUT', `/clubs/${clubId}/products`, {
    products: [{ productId: 'milk', name: 'Fresh milk', category: 'Dairy', contains: [], freeFrom: ALL }],
  });
  await call('PUT', `/clubs/${clubId}/offers`, {
    offers: [{ offerId: 'o-milk', productId: 'milk', headline: '2 for 1' }],
  });
  const members = memberIds.map((memberId) =>
    memberRecord(memberId, options.emails?.[memberId] ?? `${memberId}@${clubId}.example`),
  );
  expect((await call('POST', `/clubs/${clubId}/members`, { members })).status).toBe(200);
  if (options.profiles) {
    const now = h.clock.now().toISOString();
    for (const memberId of memberIds) {
      await h.deps.members.putProfile(clubId, memberId, {
        receipts: 3,
        lines: 3,
        lastPurchaseAt: now,
        products: { milk: { count: 3, lastAt: now, basketShare: 1 } },
        categories: { Dairy: 3 },
        inferredRestrictions: [],
      });
    }
  }
  const campaignId = await storedCampaign(h, clubId);
  return { clubId, campaignId };
}

export async function storedCampaign(h: Harness, clubId: string): Promise<string> {
  const campaignId = uniqueId('c');
  const now = h.clock.now().toISOString();
  const created = await h.deps.campaigns.createCampaign({
    clubId,
    campaignId,
    name: 'Milk',
    theme: 'community',
    offerPool: ['o-milk'],
    offersPerMail: 1,
    kind: 'offers',
    priority: 2,
    holdoutShare: 0,
    brandFitOverride: false,
    sendAt: now,
    status: 'planned',
    createdAt: now,
    updatedAt: now,
  });
  expect(created).toBe('created');
  return campaignId;
}

export function sendJob(clubId: string, campaignId: string, memberId: string): SendJob {
  return {
    clubId,
    campaignId,
    memberId,
    sendId: sendIdFor(clubId, campaignId, memberId),
    theme: 'community',
    offers: [
      { offerId: 'o-milk', productId: 'milk', score: 1, why: 'often-bought', reason: 'You often buy Fresh milk' },
    ],
  };
}

let counter = 0;
export function sqsRecord(body: string): SQSRecord {
  counter += 1;
  return {
    messageId: `m-${counter}`,
    receiptHandle: `r-${counter}`,
    body,
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: '0',
      SenderId: 'test',
      ApproximateFirstReceiveTimestamp: '0',
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:local:000000000000:send',
    awsRegion: 'local',
  };
}

export function sqsEvent(bodies: readonly string[]): SQSEvent {
  return { Records: bodies.map(sqsRecord) };
}

/** Mails in the local SES inbox per recipient, for one club's members. */
export async function mailsPerRecipient(h: Harness, clubId: string): Promise<Map<string, number>> {
  const inbox = (await sesInbox(h.urls.ses)).filter((m) =>
    m.destination.to.some((to) => to.endsWith(`@${clubId}.example`)),
  );
  const perMember = new Map<string, number>();
  for (const mail of inbox) for (const to of mail.destination.to) perMember.set(to, (perMember.get(to) ?? 0) + 1);
  return perMember;
}

export const SendingStatus = z.object({
  sending: z.enum(['active', 'paused', 'blocked']),
  club: z.object({ state: z.string(), reason: z.string() }).nullable(),
  account: z.object({ state: z.string(), reason: z.string() }).nullable(),
  sender: z.object({ email: z.string(), domain: z.string(), ownDomain: z.boolean(), reason: z.string().optional() }),
  window: z.object({
    sent: z.number(),
    bounced: z.number(),
    complained: z.number(),
    bounceRate: z.number(),
    complaintRate: z.number(),
  }),
});

/** How many of the members' mails are in each delivery state, read from their send records. */
export async function deliveryStates(
  h: Harness,
  clubId: string,
  campaignId: string,
  memberIds: readonly string[],
): Promise<Record<string, number>> {
  const states: Record<string, number> = {};
  for (const memberId of memberIds) {
    const state = (await h.deps.campaigns.getDelivery(clubId, campaignId, memberId))?.state ?? 'queued';
    states[state] = (states[state] ?? 0) + 1;
  }
  return states;
}

/**
 * Settle the system, including mail parked on the queue for a delay (held, deferred, waiting to be
 * reconciled), until nothing moves or `timeoutMs` has passed.
 */
export async function quiesce(h: Harness, timeoutMs = 15_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    await h.settle();
    if (h.sendQueue.parkedCount === 0 && h.eventsQueue.parkedCount === 0 && h.sendQueue.idle && h.eventsQueue.idle)
      return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
