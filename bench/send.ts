/**
 * `npm run bench:send`: how fast the send path runs, and what it costs in DynamoDB units per mail.
 *
 * It starts the real local system (DynamoDB emulator, local SES, the deployed handlers), seeds
 * MEMBERS members (default 10,000) with a one-offer campaign, puts one send job per member on the
 * queue and lets the send worker run (phase 1: claim, SES, mark, batch counters). Then it lets the
 * SES events handler consume the SEND and DELIVERY events the local SES stand-in published
 * (phase 2). Every DynamoDB call asks for ReturnConsumedCapacity, so the units are the emulator's
 * own accounting of each request; a conditional write that fails is counted as 1 write unit.
 * Prices: SES $0.10 per 1,000 mails; DynamoDB on-demand $0.625 per million write and $0.125 per
 * million read request units (us-east-1 list prices, November 2026). Check before relying on them.
 */

import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { createDocumentClient } from '../lambdas/adapters/dynamodb-client.js';
import { DEFAULT_BUDGET } from '../lambdas/core/budget.js';
import { DEFAULT_ENGAGEMENT } from '../lambdas/core/engagement.js';
import type { SendJob } from '../lambdas/core/jobs.js';
import { claimSend, EMPTY_LEDGER, sendIdFor, storedLedger } from '../lambdas/core/ledger.js';
import { DEFAULT_DELIVERABILITY } from '../lambdas/core/send-protocol.js';
import { startLocalSystem } from '../lambdas/runtime/local-system.js';
import { countConsumedCapacity, newTally, type Tally } from './lib/consumed-capacity.js';

const MEMBERS = Number(process.env.MEMBERS ?? 10_000);
/** Each member's mail over the past year: 69 is what the default policy sent per member in bench:fatigue. */
const HISTORY_PER_YEAR = Number(process.env.HISTORY_PER_YEAR ?? 69);
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 8);
let tally: Tally | undefined;
const SES_PER_MAIL = 0.1 / 1000;
const WRITE_PER_UNIT = 0.625 / 1e6;
const READ_PER_UNIT = 0.125 / 1e6;

const quiet = { info: () => {}, warn: () => {}, error: () => {} };

async function main(): Promise<void> {
  const system = await startLocalSystem({
    tokenKeys: { current: 'b1', keys: { b1: randomBytes(32).toString('base64url') } },
    log: quiet,
    instrumentDynamo: (db) => countConsumedCapacity(db, () => tally),
    sendConcurrency: CONCURRENCY,
    // As deployed: the catalog is cached per instance for a minute.
    sendSettings: { catalogTtlMs: 60_000 },
  });
  const { deps } = system;
  const clubId = 'bench';
  const campaignId = 'bench-campaign';
  const now = new Date().toISOString();
  await deps.clubs.putClub({
    clubId,
    name: 'Bench Club',
    language: 'en',
    senderName: 'Bench Club',
    senderEmail: 'club@bench.example',
    postalAddress: 'Bench Street 1, Stockholm',
    brand: {
      primaryEmotion: 'community',
      secondaryEmotions: [],
      address: 'informal',
      colours: { primary: '#1d6b3a', background: '#ffffff', text: '#111111' },
    },
    budget: DEFAULT_BUDGET,
    engagement: DEFAULT_ENGAGEMENT,
    reputation: DEFAULT_DELIVERABILITY,
    createdAt: now,
  });
  await deps.clubs.putProducts(clubId, [
    { productId: 'milk', name: 'Fresh milk', category: 'Dairy', contains: [], freeFrom: [] },
  ]);
  await deps.clubs.putOffers(clubId, [{ offerId: 'o-milk', productId: 'milk', headline: '2 for 1' }]);
  await deps.campaigns.createCampaign({
    clubId,
    campaignId,
    name: 'Bench',
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
  const ids = Array.from({ length: MEMBERS }, (_, i) => `m${String(i).padStart(6, '0')}`);
  const seedStart = performance.now();
  for (let i = 0; i < ids.length; i += 100) {
    await Promise.all(
      ids.slice(i, i + 100).map((memberId) =>
        deps.members.putMember({
          clubId,
          memberId,
          email: `${memberId}@bench.example`,
          firstName: 'Alex',
          language: 'en',
          timeZone: 'Europe/Stockholm',
          joinedAt: '2025-01-01T00:00:00.000Z',
          subscription: 'subscribed',
          deliverability: 'ok',
          // Engaged yesterday: a passive member's extra 1-in-30-days cap would stop most of these mails.
          lastEngagedAt: new Date(Date.now() - 86_400_000).toISOString(),
          consent: {
            marketing: true,
            textVersion: 'v1',
            at: '2025-01-01T00:00:00.000Z',
            source: 'bench',
            legalBasis: 'consent',
          },
          preferences: {
            frequency: 'club-default',
            topics: ['offers', 'surveys'],
            declaredRestrictions: [],
            rejectedInferences: [],
            nameDayMail: false,
          },
        }),
      ),
    );
  }
  // A year of earlier mail in every ledger, as the claim would have left it: the claim rewrites the
  // whole item, so its size is what the write costs.
  const DAY = 86_400_000;
  let history = EMPTY_LEDGER;
  for (let i = HISTORY_PER_YEAR; i >= 1; i--) {
    const at = new Date(Date.now() - (i * 365 * DAY) / HISTORY_PER_YEAR);
    const claimed = claimSend(
      history,
      {
        sendId: sendIdFor(clubId, `earlier-${i}`, 'x'),
        campaignId: `earlier-${i}`,
        ...(i % 30 === 0 ? { kind: 'survey' } : {}),
      },
      at,
      { windows: [{ days: 30, max: 100 }], minGapHours: 0, surveysPerYear: 12 },
      'club-default',
    );
    if (claimed.kind === 'claimed') history = claimed.next;
  }
  const ledgerItem = storedLedger(history);
  const ledgerBytes = Buffer.byteLength(
    JSON.stringify({ pk: 'MEMBER#bench#m000000', sk: 'LEDGER', type: 'ledger', ...ledgerItem }),
  );
  const db = createDocumentClient({ endpoint: system.urls.dynamodb });
  for (let i = 0; i < ids.length; i += 100) {
    await Promise.all(
      ids.slice(i, i + 100).map((memberId) =>
        db.send(
          new PutCommand({
            TableName: 'club-planner',
            Item: { pk: `MEMBER#${clubId}#${memberId}`, sk: 'LEDGER', type: 'ledger', ...ledgerItem },
          }),
        ),
      ),
    );
  }
  const seedSeconds = (performance.now() - seedStart) / 1000;

  const jobs: SendJob[] = ids.map((memberId) => ({
    clubId,
    campaignId,
    memberId,
    sendId: sendIdFor(clubId, campaignId, memberId),
    theme: 'community',
    offers: [
      { offerId: 'o-milk', productId: 'milk', score: 1, why: 'often-bought', reason: 'You often buy Fresh milk' },
    ],
  }));

  // Phase 1: the send worker alone (events wait in their queue).
  system.eventsQueue.pause();
  const worker = newTally();
  tally = worker;
  const sendStart = performance.now();
  await system.sendQueue.send(jobs);
  await system.sendQueue.drain();
  const sendSeconds = (performance.now() - sendStart) / 1000;

  // Phase 2: the SES events handler.
  const events = newTally();
  tally = events;
  const eventStart = performance.now();
  system.eventsQueue.resume();
  await system.eventsQueue.drain();
  const eventSeconds = (performance.now() - eventStart) / 1000;
  tally = undefined;

  const inbox = z.object({ emails: z.array(z.unknown()) }).parse(await (await fetch(`${system.urls.ses}/store`)).json())
    .emails.length;
  const sentStates = (
    await Promise.all(ids.slice(0, 200).map((id) => deps.campaigns.getDelivery(clubId, campaignId, id)))
  ).filter((d) => d?.state === 'sent').length;
  const counts = await deps.deliveryStats.campaignCounts(clubId, campaignId);
  await system.stop();

  const mails = inbox;
  const per = (n: number) => n / Math.max(1, mails);
  const row = (name: string, value: string) => console.log(`| ${name.padEnd(46)} | ${value.padStart(14)} |`);
  console.log(
    `\nbench:send  members=${MEMBERS} sendConcurrency=${CONCURRENCY} history=${HISTORY_PER_YEAR}/year (local emulators, unpaced)\n`,
  );
  console.log(`| ${'measure'.padEnd(46)} | ${'value'.padStart(14)} |`);
  console.log(`|${'-'.repeat(48)}|${'-'.repeat(16)}|`);
  row('mails in the local SES inbox', String(mails));
  row('sample of 200 send records in state "sent"', String(sentStates));
  row('delivered (counted from DELIVERY events)', String(counts.delivered ?? 0));
  row('seeding members and ledgers (s)', seedSeconds.toFixed(1));
  row(`ledger: ${HISTORY_PER_YEAR} earlier mails/year, entries kept`, String(Object.keys(history.sends).length));
  row('ledger item size before the claim (bytes)', String(ledgerBytes));
  row('send path: seconds', sendSeconds.toFixed(1));
  row('send path: mails per second', (mails / sendSeconds).toFixed(0));
  row('events: seconds for SEND + DELIVERY events', eventSeconds.toFixed(1));
  row('worker: read units per mail', per(worker.reads).toFixed(3));
  row('worker: write units per mail', per(worker.writes).toFixed(3));
  row('events: read units per mail', per(events.reads).toFixed(3));
  row('events: write units per mail', per(events.writes).toFixed(3));
  row('total: read units per mail', per(worker.reads + events.reads).toFixed(3));
  row('total: write units per mail', per(worker.writes + events.writes).toFixed(3));
  row('failed conditional writes (counted 1 unit)', String(worker.failedConditions + events.failedConditions));
  const dynamo = (worker.writes + events.writes) * WRITE_PER_UNIT + (worker.reads + events.reads) * READ_PER_UNIT;
  row('DynamoDB $ per million mails', (per(dynamo) * 1e6).toFixed(2));
  row('SES $ per million mails', (SES_PER_MAIL * 1e6).toFixed(2));
  row('DynamoDB + SES $ per million mails', ((per(dynamo) + SES_PER_MAIL) * 1e6).toFixed(2));
  console.log('\nDynamoDB calls by command (both phases):');
  const all = new Map<string, { calls: number; units: number }>();
  for (const t of [worker, events])
    for (const [k, v] of t.byCommand) {
      const e = all.get(k) ?? { calls: 0, units: 0 };
      e.calls += v.calls;
      e.units += v.units;
      all.set(k, e);
    }
  for (const [command, v] of [...all].sort())
    console.log(`  ${command.padEnd(22)} calls/mail ${per(v.calls).toFixed(3)}  units/mail ${per(v.units).toFixed(3)}`);
  if (mails !== MEMBERS) {
    console.error(`expected ${MEMBERS} mails, got ${mails}`);
    process.exitCode = 1;
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
