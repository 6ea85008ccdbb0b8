import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CONSERVATIVE_BUDGET } from '../../lambdas/core/budget.js';
import { CONSERVATIVE_ENGAGEMENT } from '../../lambdas/core/engagement.js';
import type { Mailer } from '../../lambdas/core/ports.js';
import { callApi, type Harness, header, sesInbox, startHarness, uniqueId } from '../support/local-harness.js';
import { deliveryStates, quiesce, SendingStatus, sendClub, sendJob } from '../support/send-fixtures.js';
import { SesFaultProxy } from '../support/ses-fault-proxy.js';

/**
 * A club's sender must be its own (docs/decisions/0030-club-sender-and-sender-check.md), through
 * the real API, the local SES and the send worker: one club per documented fixture domain
 * (lambdas/adapters/local-sending-fixtures.ts), and two of the test's own.
 */
const DAY = 86_400_000;
const MINUTE = 60_000;
const club = {
  verified: uniqueId('verified'),
  pending: uniqueId('pending'),
  failed: uniqueId('failed'),
  noDmarc: uniqueId('nodmarc'),
  misaligned: uniqueId('misaligned'),
  scheduling: uniqueId('scheduling'),
  refused: uniqueId('refused'),
  foreign: uniqueId('foreign'),
  headers: uniqueId('headers'),
};
let h: Harness;
const proxy = new SesFaultProxy();
/** SES calls per club, as the worker made them (whatever SES answered). */
const sesCalls = new Map<string, number>();

beforeAll(async () => {
  const proxyUrl = await proxy.start();
  h = await startHarness({
    sesApiEndpoint: proxyUrl,
    wrapMailer: (inner: Mailer): Mailer => ({
      send(mail) {
        const clubId = mail.tags.club ?? '';
        sesCalls.set(clubId, (sesCalls.get(clubId) ?? 0) + 1);
        return inner.send(mail);
      },
    }),
    sendingDomains: [
      { clubId: club.verified, domain: 'verified.example' },
      { clubId: club.pending, domain: 'pending.example' },
      { clubId: club.failed, domain: 'failed.example' },
      { clubId: club.noDmarc, domain: 'no-dmarc.example' },
      { clubId: club.misaligned, domain: 'misaligned.example' },
      { clubId: club.scheduling, domain: 'scheduling.example' },
      { clubId: club.refused, domain: 'refused.example' },
      { clubId: club.foreign, domain: 'foreign.example' },
      { clubId: club.headers, domain: 'klubb.headers.example', mailFromSubdomain: 'mail' },
    ],
    identities: { 'scheduling.example': 'pending' },
    dnsRecords: { '_dmarc.headers.example': ['v=DMARC1; p=quarantine; sp=none; rua=mailto:dmarc@headers.example'] },
  });
  proxy.target = h.urls.ses;
});
afterAll(async () => {
  await h?.stop();
  await proxy.stop();
});

const call = (method: string, path: string, body?: unknown) => callApi(h.urls.http, method, path, body);

/** A club whose plans mail every member: no relevance floor, as the demo clubs. */
const mailsEveryone = { budget: CONSERVATIVE_BUDGET, engagement: CONSERVATIVE_ENGAGEMENT };

const clubBody = (senderEmail: string) => ({
  name: 'Domain Grocer',
  language: 'en',
  senderName: 'Domain Grocer',
  senderEmail,
  postalAddress: 'High Street 1, London',
  brand: { primaryEmotion: 'community', colours: { primary: '#1d6b3a', background: '#ffffff', text: '#111111' } },
});

const Refusal = z.object({
  error: z.string(),
  message: z.string(),
  issues: z.array(z.object({ path: z.string(), message: z.string() })),
});
const Report = z.object({ domain: z.record(z.string(), z.unknown()) });
const CreatedCampaign = z.object({ campaign: z.object({ campaignId: z.string() }) });

async function domainCheck(clubId: string): Promise<Record<string, unknown>> {
  const answer = await call('GET', `/clubs/${clubId}/sending/domain`);
  expect(answer.status).toBe(200);
  return Report.parse(answer.json).domain;
}

/** A draft campaign of the club's one offer, through the API. */
async function draftCampaign(clubId: string): Promise<string> {
  const created = await call('POST', `/clubs/${clubId}/campaigns`, {
    name: 'Milk week',
    theme: 'community',
    offerPool: ['o-milk'],
    sendAt: new Date(h.clock.now().getTime() + 200).toISOString(),
  });
  expect(created.status).toBe(201);
  return CreatedCampaign.parse(created.json).campaign.campaignId;
}

/** Schedule a campaign and wait until it is planned and its mail has gone (or is held). */
async function scheduleAndPlan(clubId: string, campaignId: string): Promise<void> {
  expect((await call('POST', `/clubs/${clubId}/campaigns/${campaignId}/schedule`)).status).toBe(200);
  for (let i = 0; i < 200; i++) {
    await h.scheduler.settle();
    if ((await h.deps.campaigns.getCampaign(clubId, campaignId))?.status === 'planned') return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`campaign ${campaignId} was not planned`);
}

describe('PUT /api/clubs/:club takes a sender only on the club own sending domain', () => {
  it('refuses a sender on another club domain with a 400 naming senderEmail, and stores nothing', async () => {
    const clubId = club.verified;
    const answer = await call('PUT', `/clubs/${clubId}`, clubBody('klubb@pending.example'));
    expect(answer.status).toBe(400);
    const refusal = Refusal.parse(answer.json);
    expect(refusal).toMatchObject({
      error: 'validation',
      message: 'senderEmail: pending.example is a sending domain of another club',
      issues: [{ path: 'senderEmail' }],
    });
    expect((await call('GET', `/clubs/${clubId}`)).status).toBe(404);
  });

  it('refuses a sender on a domain no club was assigned, naming senderEmail and the club own domain', async () => {
    const answer = await call('PUT', `/clubs/${club.verified}`, clubBody('offers@gmail.example'));
    expect(answer.status).toBe(400);
    expect(Refusal.parse(answer.json).message).toBe(
      `senderEmail: gmail.example is not a sending domain of club ${club.verified}; use an address on verified.example`,
    );
  });

  it('accepts a sender on the club own domain, whatever its case', async () => {
    expect((await call('PUT', `/clubs/${club.verified}`, clubBody('Klubb@Verified.example'))).status).toBe(201);
  });
});

describe('GET /api/clubs/:club/sending/domain, the sender check', () => {
  beforeAll(async () => {
    for (const [key, domain] of [
      ['pending', 'pending.example'],
      ['failed', 'failed.example'],
      ['noDmarc', 'no-dmarc.example'],
      ['misaligned', 'misaligned.example'],
    ] as const) {
      expect((await call('PUT', `/clubs/${club[key]}`, clubBody(`klubb@${domain}`))).status).toBe(201);
    }
  });

  it('reports a verified domain: SES status, DKIM and MAIL FROM, the DMARC policy, SPF and DKIM aligned', async () => {
    expect(await domainCheck(club.verified)).toMatchObject({
      senderEmail: 'Klubb@Verified.example',
      domain: 'verified.example',
      checked: 'configured',
      status: 'verified',
      canSend: true,
      identity: {
        verifiedForSending: true,
        dkim: { signingEnabled: true, status: 'SUCCESS' },
        mailFrom: { domain: 'bounce.verified.example', status: 'SUCCESS' },
      },
      dmarc: { found: true, policy: 'reject', record: 'v=DMARC1; p=reject; rua=mailto:dmarc@verified.example' },
      alignment: { dkim: { aligned: true }, spf: { aligned: true, authorizesSes: true }, dmarcPasses: true },
      warnings: [],
    });
  });

  it('reports a pending domain as unable to send, with what to publish', async () => {
    const report = await domainCheck(club.pending);
    expect(report).toMatchObject({ status: 'pending', canSend: false, identity: { verificationStatus: 'PENDING' } });
    expect(report.reason).toMatch(/publish the three DKIM CNAME records/);
  });

  it('reports a failed domain with the error SES gave', async () => {
    const report = await domainCheck(club.failed);
    expect(report).toMatchObject({
      status: 'failed',
      canSend: false,
      identity: { verificationError: 'HOST_NOT_FOUND' },
    });
  });

  it('reports a verified domain with no DMARC record', async () => {
    const report = await domainCheck(club.noDmarc);
    expect(report).toMatchObject({ status: 'verified', canSend: true, dmarc: { found: false } });
    expect(report.warnings).toEqual([expect.stringMatching(/^No DMARC record at _dmarc\.no-dmarc\.example/)]);
  });

  it('reports a misaligned domain: neither DKIM nor SPF aligned, so DMARC fails', async () => {
    expect(await domainCheck(club.misaligned)).toMatchObject({
      status: 'verified',
      dmarc: { found: true, policy: 'quarantine' },
      alignment: {
        dkim: { aligned: false, mode: 'strict' },
        spf: { aligned: false, mode: 'strict' },
        dmarcPasses: false,
      },
    });
  });

  it('answers 404 for a club that does not exist', async () => {
    expect((await call('GET', `/clubs/${uniqueId('nobody')}/sending/domain`)).status).toBe(404);
  });
});

describe('sending is refused while the domain is not verified', () => {
  it('refuses to schedule with 409 and the reason, and schedules once SES has verified the domain', async () => {
    const clubId = club.scheduling;
    await sendClub(h, ['s1'], {
      clubId,
      senderEmail: 'klubb@scheduling.example',
      clubFields: mailsEveryone,
      profiles: true,
    });
    const campaignId = await draftCampaign(clubId);
    const refused = await call('POST', `/clubs/${clubId}/campaigns/${campaignId}/schedule`);
    expect(refused.status).toBe(409);
    expect(refused.json).toMatchObject({
      error: 'sending-domain-not-ready',
      message: expect.stringMatching(/^senderEmail: SES has not verified scheduling\.example yet \(DKIM PENDING\)/),
    });
    expect((await h.deps.campaigns.getCampaign(clubId, campaignId))?.status).toBe('draft');

    h.sendingFixtures.identities.set('scheduling.example', 'verified');
    await scheduleAndPlan(clubId, campaignId);
    await quiesce(h);
    expect(await deliveryStates(h, clubId, campaignId, ['s1'])).toEqual({ sent: 1 });
  });

  it('holds the club mail when SES refuses its sender, shows why, and sends it once a probe gets through', async () => {
    const clubId = club.refused;
    const ids = ['r1', 'r2', 'r3'];
    await sendClub(h, ids, { clubId, senderEmail: 'klubb@refused.example', clubFields: mailsEveryone, profiles: true });
    const campaignId = await draftCampaign(clubId);
    proxy.mode = 'unverified';
    try {
      await scheduleAndPlan(clubId, campaignId);
      await new Promise((resolve) => setTimeout(resolve, 500));
      const calls = sesCalls.get(clubId) ?? 0;
      expect(calls).toBeGreaterThanOrEqual(1);
      expect(calls).toBeLessThanOrEqual(ids.length);

      const status = SendingStatus.parse((await call('GET', `/clubs/${clubId}/sending`)).json);
      expect(status).toMatchObject({
        sending: 'paused',
        club: { state: 'open', reason: 'sending-domain-not-verified' },
      });
      const report = await call('GET', `/clubs/${clubId}/campaigns/${campaignId}`);
      expect(report.json).toMatchObject({
        report: {
          sent: 0,
          blocked: {
            by: 'club',
            reason: 'sending-domain-not-verified',
            message: expect.stringMatching(/Email address is not verified.*klubb@refused\.example/),
            probeAfter: expect.any(String),
          },
        },
      });
      // While the breaker is open the mail waits on the queue: SES hears nothing more from this club.
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(sesCalls.get(clubId)).toBe(calls);
    } finally {
      proxy.mode = 'ok';
    }
    h.clock.advance(6 * MINUTE);
    await quiesce(h);
    expect(await deliveryStates(h, clubId, campaignId, ids)).toEqual({ sent: 3 });
    const inbox = (await sesInbox(h.urls.ses)).filter((m) => m.from.includes('@refused.example'));
    expect(inbox).toHaveLength(3);
    expect(SendingStatus.parse((await call('GET', `/clubs/${clubId}/sending`)).json)).toMatchObject({
      sending: 'active',
      club: { state: 'closed' },
    });
    expect((await call('GET', `/clubs/${clubId}/campaigns/${campaignId}`)).json).not.toHaveProperty('report.blocked');
  });

  it('lets a rates pause replace a domain breaker, never the other way, and a probe close only the domain one', async () => {
    const clubId = uniqueId('breaker');
    const scope = { kind: 'club', clubId } as const;
    const now = h.clock.now();
    const later = (ms: number) => new Date(now.getTime() + ms).toISOString();
    const domain = {
      state: 'open',
      reason: 'sending-domain-not-verified',
      openedAt: now.toISOString(),
      probeAfter: later(5 * MINUTE),
    } as const;
    expect(await h.deps.sending.open(scope, domain)).toBe(true);
    expect(await h.deps.sending.open(scope, { ...domain, probeAfter: later(10 * MINUTE) })).toBe(true);
    expect(
      await h.deps.sending.open(scope, { state: 'open', reason: 'bounce-rate', openedAt: now.toISOString() }),
    ).toBe(true);
    expect(await h.deps.sending.open(scope, domain)).toBe(false);
    expect(await h.deps.sending.close(scope, now, 'probe', { probing: true })).toBe(false);
    expect((await h.deps.sending.read(clubId)).club).toMatchObject({ state: 'open', reason: 'bounce-rate' });
    expect(await h.deps.sending.close(scope, now, 'marketer-api')).toBe(true);
  });

  it('holds mail of a club whose sender is no longer on its own domain, without calling SES, then drops it', async () => {
    const clubId = club.foreign;
    const { campaignId } = await sendClub(h, ['f1'], { clubId, senderEmail: 'klubb@foreign.example' });
    // The configuration changed after the club was saved: its sender is on a domain it no longer has.
    const saved = await h.deps.clubs.getClub(clubId);
    if (!saved) throw new Error('club not saved');
    await h.deps.clubs.putClub({ ...saved, senderEmail: 'klubb@elsewhere.example' });

    await h.sendQueue.send([sendJob(clubId, campaignId, 'f1')]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await deliveryStates(h, clubId, campaignId, ['f1'])).toEqual({ queued: 1 });
    expect(sesCalls.get(clubId)).toBeUndefined();
    expect(SendingStatus.parse((await call('GET', `/clubs/${clubId}/sending`)).json)).toMatchObject({
      sending: 'blocked',
      sender: { email: 'klubb@elsewhere.example', ownDomain: false, reason: 'sender-not-allowed' },
    });

    h.clock.advance(DAY + MINUTE);
    await quiesce(h);
    expect(await h.deps.campaigns.getDelivery(clubId, campaignId, 'f1')).toMatchObject({
      state: 'dropped',
      reason: 'sender-not-allowed',
    });
    expect(sesCalls.get(clubId)).toBeUndefined();
  });
});

describe('the headers mailbox providers expect, on a real mail in the local inbox', () => {
  it('carries List-Id, Feedback-ID and one-click unsubscribe, text and HTML, and leaves Date and Message-ID to SES', async () => {
    const clubId = club.headers;
    await sendClub(h, ['hh'], {
      clubId,
      senderEmail: 'klubb@klubb.headers.example',
      clubFields: mailsEveryone,
      profiles: true,
    });
    expect(await domainCheck(clubId)).toMatchObject({
      status: 'verified',
      dmarc: { name: '_dmarc.headers.example', policy: 'quarantine', appliedPolicy: 'none' },
      alignment: { spf: { domain: 'mail.klubb.headers.example', aligned: true } },
    });
    const campaignId = await draftCampaign(clubId);
    const before = Date.now();
    await scheduleAndPlan(clubId, campaignId);
    await quiesce(h);
    const after = Date.now();

    const mails = (await sesInbox(h.urls.ses)).filter((m) => m.from.includes('@klubb.headers.example'));
    expect(mails).toHaveLength(1);
    const [mail] = mails;
    if (!mail) throw new Error('no mail');
    expect(mail.from).toBe('Send Grocer <klubb@klubb.headers.example>');
    expect(header(mail, 'List-Id')).toBe(`<${clubId}.klubb.headers.example>`);
    expect(header(mail, 'Feedback-ID')).toBe(`${campaignId}:${clubId}:offers:clubplanner`);
    expect(header(mail, 'List-Unsubscribe')).toMatch(/^<http:\/\/localhost:\d+\/u\/[A-Za-z0-9._-]+>$/);
    expect(header(mail, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    // SESv2 refuses Date and Message-ID as custom headers and writes its own (docs/decisions/0031-mail-headers.md):
    // the mail carries neither as ours. The local SES records what stands for them: its message id
    // (SES's Message-ID is <that id@region.amazonses.com>) and when it took the mail.
    expect(header(mail, 'Message-ID')).toBeUndefined();
    expect(header(mail, 'Date')).toBeUndefined();
    expect(await h.deps.campaigns.getDelivery(clubId, campaignId, 'hh')).toMatchObject({
      state: 'sent',
      messageId: mail.messageId,
    });
    expect(mail.at).toBeGreaterThanOrEqual(Math.floor(before / 1000));
    expect(mail.at).toBeLessThanOrEqual(Math.ceil(after / 1000));
    // Both parts, each with the unsubscribe link and the sender's postal address.
    const unsubscribe = header(mail, 'List-Unsubscribe')?.slice(1, -1) ?? 'missing';
    expect(mail.body.text).toContain(unsubscribe);
    expect(mail.body.html).toContain(unsubscribe);
    expect(mail.body.text).toContain('High Street 1, London');
    expect(mail.body.html).toMatch(/^<!doctype html>/);
  });
});
