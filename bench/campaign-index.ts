/**
 * bench:campaign-index — what reading a club's campaigns costs when it has many (docs/decisions/0059):
 * every campaign (`listCampaigns`, as the calendar, forecast and plan read them before) against a window
 * by send time (`campaignsBetween`) for the plan's context, a calendar month and the forecast.
 *
 *   npm run bench:campaign-index -- --campaigns 2000
 *
 * The DynamoDB adapter on the in-process emulator (dynalite), which accounts read units by DynamoDB's
 * rules; every call asks for ReturnConsumedCapacity. Campaigns: one a day for `campaigns` days up to a
 * month ahead, each with 50 offers in its pool, as a club with daily automations keeps them.
 */
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import dynalite from 'dynalite';
import { DynamoDbCampaignStore } from '../lambdas/adapters/dynamodb-campaign-store.js';
import { createDocumentClient } from '../lambdas/adapters/dynamodb-client.js';
import type { Campaign } from '../lambdas/core/model.js';
import { ensureTable } from '../lambdas/runtime/local-table.js';
import { countConsumedCapacity, newTally, type Tally } from './lib/consumed-capacity.js';

const { values } = parseArgs({ options: { campaigns: { type: 'string', default: '2000' } } });
const COUNT = Number(values.campaigns);
if (!Number.isInteger(COUNT) || COUNT < 1) throw new Error('--campaigns: a whole number of at least 1');
const DAY = 86_400_000;
const RUNS = 5;

const emulator = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
await new Promise<void>((resolve) => emulator.listen(0, '127.0.0.1', () => resolve()));
const endpoint = `http://127.0.0.1:${(emulator.address() as AddressInfo).port}`;
await ensureTable(endpoint, 'club-planner');
const db = createDocumentClient({ endpoint });
let tally: Tally | undefined;
countConsumedCapacity(db, () => tally);
const store = new DynamoDbCampaignStore(db, 'club-planner');

const clubId = 'bench-club';
const now = Date.UTC(2026, 11, 7, 9);
const at = (day: number) => new Date(now + day * DAY).toISOString();
const first = 30 - COUNT;
for (let i = 0; i < COUNT; i++) {
  const sendAt = at(first + i);
  const campaign: Campaign = {
    clubId,
    campaignId: `c${String(i).padStart(5, '0')}`,
    name: `Daily automation run ${i}`,
    theme: 'community',
    offerPool: Array.from({ length: 50 }, (_, o) => `offer-${String(o).padStart(4, '0')}`),
    offersPerMail: 3,
    kind: 'offers',
    priority: 1,
    holdoutShare: 0.1,
    brandFitOverride: false,
    sendAt,
    status: first + i < 0 ? 'planned' : 'scheduled',
    createdAt: sendAt,
    updatedAt: sendAt,
  };
  await store.createCampaign(campaign);
}
// The first windowed read of a club marks it (and lists it whole once, for campaigns stored before the index).
await store.campaignsBetween(clubId, new Date(now), new Date(now));

async function measure(name: string, read: () => Promise<Campaign[]>) {
  const times: number[] = [];
  let units = 0;
  let found = 0;
  for (let run = 0; run < RUNS; run++) {
    tally = newTally();
    const started = performance.now();
    found = (await read()).length;
    times.push(performance.now() - started);
    units = tally.reads;
    tally = undefined;
  }
  times.sort((a, b) => a - b);
  return { name, found, units, ms: times[Math.floor(RUNS / 2)] ?? 0 };
}

const rows = [
  await measure('every campaign (listCampaigns)', () => store.listCampaigns(clubId)),
  await measure('plan context: 14 days back to 7 ahead', () =>
    store.campaignsBetween(clubId, new Date(now - 14 * DAY), new Date(now + 7 * DAY)),
  ),
  await measure('calendar month: 6 weeks and a day each side', () =>
    store.campaignsBetween(clubId, new Date(now - 8 * DAY), new Date(now + 36 * DAY)),
  ),
  await measure('forecast: a week and the 7-day horizon', () =>
    store.campaignsBetween(clubId, new Date(now), new Date(now + 14 * DAY)),
  ),
];

console.log(`\nbench:campaign-index  campaigns=${COUNT} (one a day, 50 offers each), ${RUNS} runs, median time\n`);
console.log('| read | campaigns | read units | ms (median) |');
console.log('|---|---|---|---|');
for (const r of rows) console.log(`| ${r.name} | ${r.found} | ${r.units.toFixed(1)} | ${r.ms.toFixed(1)} |`);
await new Promise<void>((resolve) => emulator.close(() => resolve()));
