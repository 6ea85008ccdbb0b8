import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { buildSesEvent } from '../../lambdas/adapters/local-ses-event-builder.js';
import type { SendStep } from '../../lambdas/app/send-settings.js';
import type { Mailer } from '../../lambdas/core/ports.js';
import { callApi, type Harness, startHarness } from '../support/local-harness.js';
import {
  deliveryStates,
  mailsPerRecipient,
  quiesce,
  SendingStatus,
  sendClub,
  sendJob,
  sqsEvent,
} from '../support/send-fixtures.js';
import { SesFaultProxy } from '../support/ses-fault-proxy.js';

const MINUTE = 60_000;
const run = promisify(execFile);
let h: Harness;
const proxy = new SesFaultProxy();
/** SES calls per sendId, as the worker made them (whatever SES answered). */
const sesCalls = new Map<string, number>();
/** A test sets this to stop the worker at a step of the protocol. */
let killAt: ((step: SendStep, sendId: string) => boolean) | undefined;
/** A test sets this to let something happen at a step before the worker goes on (e.g. SES's events). */
let holdAt: ((step: SendStep) => Promise<void>) | undefined;

const countingMailer = (inner: Mailer): Mailer => ({
  async send(mail) {
    const sendId = mail.tags.sendId;
    if (sendId) sesCalls.set(sendId, (sesCalls.get(sendId) ?? 0) + 1);
    return inner.send(mail);
  },
});

beforeAll(async () => {
  const proxyUrl = await proxy.start();
  h = await startHarness({
    sesApiEndpoint: proxyUrl,
    wrapMailer: countingMailer,
    faults: async (step, job) => {
      if (killAt?.(step, job.sendId)) throw new Error(`worker killed at ${step}`);
      await holdAt?.(step);
    },
  });
  proxy.target = h.urls.ses;
});
afterAll(async () => {
  await h?.stop();
  await proxy.stop();
});

const settleAll = (timeoutMs?: number) => quiesce(h, timeoutMs);

async function sendingStatus(clubId: string) {
  const answer = await callApi(h.urls.http, 'GET', `/clubs/${clubId}/sending`);
  expect(answer.status).toBe(200);
  return SendingStatus.parse(answer.json);
}

describe('exactly-once delivery under duplicate, reordered and concurrent jobs', () => {
  it('calls SES at most once per sendId and mails every member exactly once (fast-check, fixed seed)', async () => {
    const seed = 20261123;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 10 }),
        fc.infiniteStream(fc.double({ min: 0, max: 1, noNaN: true })),
        async (copies, concurrency, batchSize, randoms) => {
          const ids = copies.map((_, i) => `m${i}`);
          const { clubId, campaignId } = await sendClub(h, ids);
          const bodies = ids.flatMap((id, i) =>
            Array.from({ length: copies[i] ?? 1 }, () => JSON.stringify(sendJob(clubId, campaignId, id))),
          );
          // Shuffle with the generated randoms, so the order is part of the reproducible case.
          const it = randoms[Symbol.iterator]();
          for (let i = bodies.length - 1; i > 0; i--) {
            const j = Math.floor((it.next().value ?? 0) * (i + 1)) % (i + 1);
            const a = bodies[i];
            const b = bodies[j];
            if (a === undefined || b === undefined) continue;
            bodies[i] = b;
            bodies[j] = a;
          }
          const batches: string[][] = [];
          for (let i = 0; i < bodies.length; i += batchSize) batches.push(bodies.slice(i, i + batchSize));
          let next = 0;
          const worker = async () => {
            while (next < batches.length) {
              const batch = batches[next++];
              if (batch) await h.handlers.sendMail(sqsEvent(batch));
            }
          };
          await Promise.all(Array.from({ length: concurrency }, worker));
          await settleAll();

          const perMember = await mailsPerRecipient(h, clubId);
          expect(perMember.size).toBe(ids.length);
          expect([...perMember.values()].every((n) => n === 1)).toBe(true);
          for (const id of ids) expect(sesCalls.get(sendJob(clubId, campaignId, id).sendId)).toBe(1);
          expect(await deliveryStates(h, clubId, campaignId, ids)).toEqual({ sent: ids.length });
        },
      ),
      { seed, numRuns: 12, verbose: true },
    );
  }, 120_000);
});

describe('a worker killed at each step of the protocol, then rerun', () => {
  const steps: SendStep[] = ['before-claim', 'after-claim', 'after-ses', 'after-mark'];
  for (const step of steps) {
    it(`loses nothing and duplicates nothing when killed ${step}`, async () => {
      const ids = ['ann', 'bo', 'cy', 'di'];
      const { clubId, campaignId } = await sendClub(h, ids);
      const killed = new Set<string>();
      killAt = (at, sendId) => {
        if (at !== step || killed.has(sendId)) return false;
        killed.add(sendId);
        return true;
      };
      try {
        await h.sendQueue.send(ids.map((id) => sendJob(clubId, campaignId, id)));
        await settleAll(3_000);
        expect(killed.size).toBe(ids.length);
        if (step === 'after-claim') {
          // Claimed, never sent, and no SEND event: unknown until the grace period has passed.
          expect(await deliveryStates(h, clubId, campaignId, ids)).toEqual({ unknown: ids.length });
          expect((await mailsPerRecipient(h, clubId)).size).toBe(0);
          h.clock.advance(16 * MINUTE);
          await settleAll();
        }
        expect(await deliveryStates(h, clubId, campaignId, ids)).toEqual({ sent: ids.length });
        const perMember = await mailsPerRecipient(h, clubId);
        expect(perMember.size).toBe(ids.length);
        expect([...perMember.values()].every((n) => n === 1)).toBe(true);
        for (const id of ids) expect(sesCalls.get(sendJob(clubId, campaignId, id).sendId)).toBe(1);
      } finally {
        killAt = undefined;
      }
    }, 30_000);
  }
});

describe('an unknown mail whose member leaves meanwhile', () => {
  it('is dropped at the end of the grace period, not taken over and sent', async () => {
    const { clubId, campaignId } = await sendClub(h, ['leaver']);
    const killed = new Set<string>();
    killAt = (at, sendId) => at === 'after-claim' && !killed.has(sendId) && killed.add(sendId) !== undefined;
    try {
      await h.sendQueue.send([sendJob(clubId, campaignId, 'leaver')]);
      await settleAll(2_000);
    } finally {
      killAt = undefined;
    }
    expect(await deliveryStates(h, clubId, campaignId, ['leaver'])).toEqual({ unknown: 1 });
    await h.deps.members.unsubscribe(clubId, 'leaver', h.clock.now(), 'one-click');
    h.clock.advance(16 * MINUTE);
    await settleAll();
    expect(await h.deps.campaigns.getDelivery(clubId, campaignId, 'leaver')).toMatchObject({
      state: 'dropped',
      reason: 'unsubscribed',
    });
    expect((await mailsPerRecipient(h, clubId)).size).toBe(0);
    expect(sesCalls.get(sendJob(clubId, campaignId, 'leaver').sendId)).toBeUndefined();
  }, 30_000);
});

describe('SES faults', () => {
  it('retries a throttling SES with backoff until every mail is out, none twice', async () => {
    const ids = ['t1', 't2', 't3', 't4', 't5', 't6'];
    const { clubId, campaignId } = await sendClub(h, ids);
    const requestsBefore = proxy.requests.length;
    proxy.mode = 'throttle';
    setTimeout(() => {
      proxy.mode = 'ok';
    }, 1_500);
    // Every job twice: a duplicate must not slip through while the first waits out the throttle.
    await h.sendQueue.send(ids.map((id) => sendJob(clubId, campaignId, id)));
    await h.sendQueue.send(ids.map((id) => sendJob(clubId, campaignId, id)));
    const until = Date.now() + 20_000;
    while (Date.now() < until && (await mailsPerRecipient(h, clubId)).size < ids.length)
      await new Promise((r) => setTimeout(r, 100));
    await settleAll();
    const throttled = proxy.requests.slice(requestsBefore).filter((r) => r.answered === 'throttle').length;
    expect(throttled).toBeGreaterThan(0);
    expect(proxy.requests.slice(requestsBefore).filter((r) => r.answered === 'ok')).toHaveLength(ids.length);
    const perMember = await mailsPerRecipient(h, clubId);
    expect(perMember.size).toBe(ids.length);
    expect([...perMember.values()].every((n) => n === 1)).toBe(true);
    expect(await deliveryStates(h, clubId, campaignId, ids)).toEqual({ sent: ids.length });
    for (const id of ids) expect(sesCalls.get(sendJob(clubId, campaignId, id).sendId)).toBeGreaterThanOrEqual(1);
  }, 30_000);

  it('stops all sending while SES has the account paused, and resumes by probe when the pause is lifted', async () => {
    const ids = ['p1', 'p2', 'p3', 'p4', 'p5'];
    const { clubId, campaignId } = await sendClub(h, ids);
    proxy.mode = 'paused';
    try {
      await h.sendQueue.send(ids.map((id) => sendJob(clubId, campaignId, id)));
      await settleAll(1_000);
      const status = await sendingStatus(clubId);
      expect(status.sending).toBe('paused');
      expect(status.account?.reason).toBe('ses-sending-paused');
      // While the breaker is open the workers hold the mail and do not call SES at all.
      const calls = proxy.requests.length;
      await new Promise((resolve) => setTimeout(resolve, 600));
      expect(proxy.requests.length).toBe(calls);
      expect((await mailsPerRecipient(h, clubId)).size).toBe(0);
    } finally {
      proxy.mode = 'ok';
    }
    h.clock.advance(6 * MINUTE);
    await settleAll();
    const perMember = await mailsPerRecipient(h, clubId);
    expect(perMember.size).toBe(ids.length);
    expect([...perMember.values()].every((n) => n === 1)).toBe(true);
    expect((await sendingStatus(clubId)).sending).toBe('active');
  }, 30_000);
});

describe('the suppression re-check', () => {
  it('refuses a claim judged on a ledger read before the member unsubscribed, paused or bounced', async () => {
    const ids = ['gu', 'gp', 'gb', 'gok'];
    const { clubId, campaignId } = await sendClub(h, ids);
    const now = h.clock.now();
    // What a worker read a moment before each change (an eventually consistent read may be that old).
    const before = new Map(
      await Promise.all(ids.map(async (id) => [id, await h.deps.members.getForSend(clubId, id)] as const)),
    );
    await h.deps.members.unsubscribe(clubId, 'gu', now, 'one-click');
    await h.deps.members.updatePreferences(
      clubId,
      'gp',
      { pausedUntil: new Date(now.getTime() + 30 * 24 * 60 * MINUTE).toISOString() },
      now,
      'member-page',
    );
    await h.deps.members.markUndeliverable(clubId, 'gb', 'bounced', now, 'Permanent/General');
    const claim = (id: string) =>
      h.deps.ledger.claim({
        clubId,
        memberId: id,
        sendId: sendJob(clubId, campaignId, id).sendId,
        campaignId,
        now,
        policy: { windows: [{ days: 7, max: 3 }], minGapHours: 0 },
        frequency: 'club-default',
        ledger: before.get(id)?.ledger,
      });
    expect(await claim('gu')).toEqual({ kind: 'stopped', reason: 'unsubscribed' });
    expect(await claim('gp')).toEqual({ kind: 'stopped', reason: 'paused' });
    expect(await claim('gb')).toEqual({ kind: 'stopped', reason: 'bounced' });
    expect((await claim('gok')).kind).toBe('claimed');

    // A pause ends by itself; resuming lifts it at once.
    await h.deps.members.updatePreferences(clubId, 'gp', { pausedUntil: null }, now, 'member-page');
    expect((await claim('gp')).kind).toBe('claimed');
  });
});

describe('counting sends for the rates', () => {
  it('counts a mail whose bounce event arrived before the worker marked it sent, once', async () => {
    const { clubId, campaignId } = await sendClub(h, ['fast'], { emails: { fast: 'bounce@simulator.amazonses.com' } });
    // Between SES and the mark, let the events handler run first: the bounce lands before the mark.
    holdAt = async (step) => {
      if (step === 'after-ses') await h.eventsQueue.drain();
    };
    try {
      await h.sendQueue.send([sendJob(clubId, campaignId, 'fast')]);
      await settleAll();
    } finally {
      holdAt = undefined;
    }
    expect(await h.deps.campaigns.getDelivery(clubId, campaignId, 'fast')).toMatchObject({ state: 'bounced' });
    expect((await sendingStatus(clubId)).window).toMatchObject({ sent: 1, bounced: 1 });
  });
});

describe('an SES answer that never arrives', () => {
  it('does not send again when SES took the mail but answered 500: it reconciles from the SEND event', async () => {
    const ids = ['la1', 'la2'];
    const { clubId, campaignId } = await sendClub(h, ids);
    // SES publishes a SEND event for every mail it takes, answer or not; the proxy does it here.
    proxy.onForwarded = (request, answer) => {
      const mail = z
        .object({
          Destination: z.object({ ToAddresses: z.array(z.string()) }),
          EmailTags: z.array(z.object({ Name: z.string(), Value: z.string() })),
        })
        .parse(JSON.parse(request));
      const messageId = z.object({ MessageId: z.string() }).parse(JSON.parse(answer)).MessageId;
      const tags = Object.fromEntries(mail.EmailTags.map((t) => [t.Name, t.Value]));
      h.eventsQueue.sendRaw(
        JSON.stringify(
          buildSesEvent('send', {
            messageId,
            from: 'x@send.example',
            to: mail.Destination.ToAddresses[0] ?? '',
            subject: 's',
            tags,
            sentAt: h.clock.now(),
          }),
        ),
      );
    };
    proxy.mode = 'lost-answer';
    try {
      await h.sendQueue.send(ids.map((id) => sendJob(clubId, campaignId, id)));
      await settleAll(3_000);
    } finally {
      proxy.mode = 'ok';
      proxy.onForwarded = undefined;
    }
    expect(await deliveryStates(h, clubId, campaignId, ids)).toEqual({ sent: ids.length });
    const perMember = await mailsPerRecipient(h, clubId);
    expect([...perMember.values()]).toEqual([1, 1]);
    for (const id of ids) expect(sesCalls.get(sendJob(clubId, campaignId, id).sendId)).toBe(1);
  }, 30_000);
});

describe('SES rejections and the send rate', () => {
  it('records a rejected message and never retries it, even when its job comes again', async () => {
    const { clubId, campaignId } = await sendClub(h, ['rj']);
    proxy.mode = 'reject';
    try {
      await h.sendQueue.send([sendJob(clubId, campaignId, 'rj')]);
      await settleAll();
      await h.sendQueue.send([sendJob(clubId, campaignId, 'rj')]);
      await settleAll();
    } finally {
      proxy.mode = 'ok';
    }
    expect(await h.deps.campaigns.getDelivery(clubId, campaignId, 'rj')).toMatchObject({
      state: 'dropped',
      reason: 'rejected-by-provider',
    });
    expect(sesCalls.get(sendJob(clubId, campaignId, 'rj').sendId)).toBe(1);
    expect((await mailsPerRecipient(h, clubId)).size).toBe(0);
  });

  it('never calls SES faster than the configured rate, across concurrent workers', async () => {
    const rateProxy = new SesFaultProxy();
    const url = await rateProxy.start();
    const calls: number[] = [];
    const paced = await startHarness({
      sesApiEndpoint: url,
      sendRatePerSecond: 20,
      sendConcurrency: 4,
      // The moment the worker calls SES (network jitter after that is not ours to pace).
      wrapMailer: (inner: Mailer): Mailer => ({
        send(mail) {
          calls.push(performance.now());
          return inner.send(mail);
        },
      }),
    });
    rateProxy.target = paced.urls.ses;
    try {
      const ids = Array.from({ length: 45 }, (_, i) => `r${i}`);
      const { clubId, campaignId } = await sendClub(paced, ids);
      await paced.sendQueue.send(ids.map((id) => sendJob(clubId, campaignId, id)));
      await paced.settle();
      const times = [...calls].sort((a, b) => a - b);
      expect(times).toHaveLength(45);
      expect(rateProxy.requests).toHaveLength(45);
      const busiest = Math.max(...times.map((start) => times.filter((t) => t >= start && t < start + 1000).length));
      // The pacer starts turns at least 50 ms apart (unit test: exactly 20 per second); between a turn
      // and the SES call the event loop may add a few ms, which can let one extra call into a window.
      expect(busiest).toBeLessThanOrEqual(21);
      const first = times[0] ?? 0;
      const last = times.at(-1) ?? 0;
      expect((times.length - 1) / ((last - first) / 1000)).toBeLessThanOrEqual(20.5);
    } finally {
      await paced.stop();
      await rateProxy.stop();
    }
  }, 30_000);
});

describe('dead letters', () => {
  it('moves a poison message to the DLQ after five receives without blocking its batch, and redrives it', async () => {
    const ids = ['q1', 'q2', 'q3'];
    const { clubId, campaignId } = await sendClub(h, ids);
    const before = h.sendQueue.dlq.length;
    h.sendQueue.sendRaw('{"clubId": "not a job"');
    await h.sendQueue.send(ids.map((id) => sendJob(clubId, campaignId, id)));
    await settleAll();
    expect(h.sendQueue.dlq.length).toBe(before + 1);
    expect(h.sendQueue.dlq.at(-1)).toMatchObject({ body: '{"clubId": "not a job"', receiveCount: 5 });
    const perMember = await mailsPerRecipient(h, clubId);
    expect([...perMember.values()]).toEqual([1, 1, 1]);

    // The ops routes are an operator's: no token gets 401, a marketer outside the operators group 403.
    expect((await fetch(`${h.urls.http}/ops/dead-letters`)).status).toBe(401);
    const marketer = await h.marketer({ roles: { [clubId]: 'admin' } });
    expect((await fetch(`${h.urls.http}/ops/dead-letters`, { headers: marketer.headers })).status).toBe(403);
    const operator = await h.marketer({ groups: ['operators'] });
    const asOperator = { headers: operator.headers };
    const listed = await fetch(`${h.urls.http}/ops/dead-letters`, asOperator).then((r) => r.json());
    expect(JSON.stringify(listed)).toContain('not a job');
    const redrive = await fetch(`${h.urls.http}/ops/dead-letters/send/redrive`, { method: 'POST', ...asOperator });
    expect(await redrive.json()).toMatchObject({ queue: 'send', moved: before + 1 });
    await settleAll();
    // Still poison: back in the DLQ after five more receives.
    expect(h.sendQueue.dlq.length).toBe(before + 1);
    const unknownQueue = await fetch(`${h.urls.http}/ops/dead-letters/nope/redrive`, { method: 'POST', ...asOperator });
    expect(unknownQueue.status).toBe(404);

    // The operator's tool, as run from a shell.
    const { stdout } = await run('npx', ['tsx', 'bin/dlq.ts', 'list', '--url', h.urls.http, '--token', operator.token]);
    expect(stdout).toMatch(/send: \d+ dead letter\(s\)/);
    expect(stdout).toContain('not a job');
  }, 30_000);
});
