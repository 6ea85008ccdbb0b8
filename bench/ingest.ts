/**
 * `npm run bench:ingest`: members and receipt lines per second through the bulk import path.
 *
 * It starts the real local system (the DynamoDB emulator persisting to a temporary folder, the
 * import worker on its local queue, the file store in a folder), writes a member file of MEMBERS
 * members (default 100,000) and a receipt file of LINES purchase lines (default 2,000,000) into the
 * file store as a stream, and runs each as an import job through the marketer API: create, start,
 * wait for done. The receipt job reads the file once, writes the receipts, rebuilds every member's
 * profile and adds the popularity change. Every DynamoDB call asks for ReturnConsumedCapacity, so the
 * units are the emulator's own accounting; a failed conditional write counts as 1 write unit.
 * Prices: DynamoDB on-demand $0.625 per million write and $0.125 per million read request units
 * (us-east-1 list prices, November 2026; check before relying on them). The emulator runs in a process
 * of its own, so the peak memory is the importing process's (API, queue, worker). CI does not run this.
 */

import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { z } from 'zod';
import { DEFAULT_BUDGET } from '../lambdas/core/budget.js';
import { DEFAULT_ENGAGEMENT } from '../lambdas/core/engagement.js';
import { ImportFiles } from '../lambdas/core/import-job.js';
import type { Product } from '../lambdas/core/model.js';
import { clubScope } from '../lambdas/core/roles.js';
import { DEFAULT_DELIVERABILITY } from '../lambdas/core/send-protocol.js';
import { DAY_MS } from '../lambdas/core/units.js';
import { type LocalSystem, startLocalSystem } from '../lambdas/runtime/local-system.js';
import { clientCredentialsToken } from '../lambdas/runtime/oidc-client.js';
import { countConsumedCapacity, newTally, type Tally } from './lib/consumed-capacity.js';

const MEMBERS = Number(process.env.MEMBERS ?? 100_000);
const LINES = Number(process.env.LINES ?? 2_000_000);
const PRODUCTS = Number(process.env.PRODUCTS ?? 2_000);
/** Purchase lines per receipt: a small basket, as in a grocery club. */
const LINES_PER_RECEIPT = 5;
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 2);
const WRITE_PER_UNIT = 0.625 / 1e6;
const READ_PER_UNIT = 0.125 / 1e6;
const CLUB = 'bench';

let tally: Tally | undefined;
let peakRss = 0;
let peakHeap = 0;
const sampler = setInterval(() => {
  const usage = process.memoryUsage();
  peakRss = Math.max(peakRss, usage.rss);
  peakHeap = Math.max(peakHeap, usage.heapUsed);
}, 200);

const quiet = {
  info: () => {},
  warn: () => {},
  error: (m: string, f?: Record<string, unknown>) => console.error(m, f),
};

/** A deterministic pseudo-random sequence, so every run imports the same files. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const memberId = (i: number) => `m${String(i).padStart(7, '0')}`;

async function* memberFile(): AsyncGenerator<Uint8Array> {
  const encoder = new TextEncoder();
  yield encoder.encode(
    'member_id,email,first_name,language,joined_at,consent_marketing,consent_text_version,consent_at,consent_source,consent_legal_basis\n',
  );
  let rows: string[] = [];
  for (let i = 0; i < MEMBERS; i++) {
    rows.push(
      `${memberId(i)},${memberId(i)}@bench.example,Alex,sv,2024-01-01T00:00:00Z,ja,terms-2024,2024-01-01T00:00:00Z,crm,consent`,
    );
    if (rows.length === 1000) {
      yield encoder.encode(`${rows.join('\n')}\n`);
      rows = [];
    }
  }
  if (rows.length > 0) yield encoder.encode(`${rows.join('\n')}\n`);
}

/** Receipts of LINES_PER_RECEIPT lines, for random members, over the last 700 days, products skewed to the popular. */
async function* receiptFile(now: number): AsyncGenerator<Uint8Array> {
  const encoder = new TextEncoder();
  const rnd = random(42);
  yield encoder.encode('member_id,receipt_id,purchased_at,product_id,quantity\n');
  let rows: string[] = [];
  for (let line = 0, receipt = 0; line < LINES; receipt++) {
    const member = memberId(Math.floor(rnd() * MEMBERS));
    const at = new Date(now - Math.floor(rnd() * 700 * DAY_MS)).toISOString();
    for (let j = 0; j < LINES_PER_RECEIPT && line < LINES; j++, line++) {
      const product = `p${String(Math.floor(rnd() ** 2 * PRODUCTS)).padStart(5, '0')}`;
      rows.push(`${member},r${receipt},${at},${product},${1 + Math.floor(rnd() * 3)}`);
    }
    if (rows.length >= 5000) {
      yield encoder.encode(`${rows.join('\n')}\n`);
      rows = [];
    }
  }
  if (rows.length > 0) yield encoder.encode(`${rows.join('\n')}\n`);
}

const Created = z.object({ import: z.object({ jobId: z.string() }) });
const Status = z.object({
  import: z.object({
    status: z.string(),
    error: z.string().optional(),
    progress: z.record(z.string(), z.number().nullable()),
  }),
});

/** The API needs a bearer token: an editor of the bench club, from the local issuer (client credentials). */
async function editorHeaders(system: LocalSystem): Promise<Record<string, string>> {
  const { issuer } = system.identity;
  const token = await clientCredentialsToken({
    tokenEndpoint: issuer.tokenEndpoint,
    ...issuer.cli,
    scope: clubScope(CLUB, 'editor'),
  });
  return { authorization: `Bearer ${token}` };
}

/** Create the job through the API, put the file in its place, start it and wait until it is done. */
async function runJob(
  system: LocalSystem,
  kind: 'members' | 'purchases',
  file: AsyncIterable<Uint8Array>,
): Promise<{ seconds: number; progress: Record<string, number | null>; tally: Tally }> {
  const auth = await editorHeaders(system);
  const created = await fetch(`${system.urls.http}/api/clubs/${CLUB}/imports`, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json' },
    body: JSON.stringify({ kind, format: 'csv' }),
  });
  if (created.status !== 201) throw new Error(`create answered ${created.status}: ${await created.text()}`);
  const { jobId } = Created.parse(await created.json()).import;
  await system.deps.files.write(ImportFiles.source(CLUB, jobId), file);
  const counted = newTally();
  tally = counted;
  const start = performance.now();
  const started = await fetch(`${system.urls.http}/api/clubs/${CLUB}/imports/${jobId}/start`, {
    method: 'POST',
    headers: auth,
  });
  if (started.status !== 202) throw new Error(`start answered ${started.status}: ${await started.text()}`);
  await system.importQueue.drain();
  const seconds = (performance.now() - start) / 1000;
  tally = undefined;
  const answer = await fetch(`${system.urls.http}/api/clubs/${CLUB}/imports/${jobId}`, { headers: auth });
  const status = Status.parse(await answer.json()).import;
  if (status.status !== 'done') throw new Error(`import ${jobId} ended ${status.status}: ${status.error ?? ''}`);
  return { seconds, progress: status.progress, tally: counted };
}

/**
 * The DynamoDB emulator in a process of its own, persisting to disk, so the memory measured here is
 * the import's (as a Lambda would have it), not the emulator's.
 */
async function emulator(folder: string): Promise<{ endpoint: string; peakMb: () => number; stop: () => void }> {
  const script = `import dynalite from 'dynalite';
const server = dynalite({ path: ${JSON.stringify(folder)}, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
server.listen(0, '127.0.0.1', () => console.log('port ' + server.address().port));`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  process.on('exit', () => child.kill());
  const port = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (data: Buffer) => {
      const match = /port (\d+)/.exec(data.toString());
      if (match?.[1]) resolve(match[1]);
    });
    child.on('exit', (code) => reject(new Error(`the emulator exited with ${code}`)));
  });
  let peak = 0;
  const watch = setInterval(() => {
    const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
    peak = Math.max(peak, Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024);
  }, 1000);
  return {
    endpoint: `http://127.0.0.1:${port}`,
    peakMb: () => peak,
    stop: () => {
      clearInterval(watch);
      child.kill();
    },
  };
}

/** The synchronous members route with a full batch: how far inside the API's 10 s it stays. */
async function syncThousand(system: LocalSystem): Promise<{ created: number; unchanged: number }> {
  const members = Array.from({ length: 1000 }, (_, i) => ({
    memberId: `sync-${i}`,
    email: `sync-${i}@bench.example`,
    firstName: 'Sam',
    language: 'sv',
    joinedAt: '2024-01-01T00:00:00Z',
    consent: { marketing: true, textVersion: 'v1', at: '2024-01-01T00:00:00Z', source: 'crm', legalBasis: 'consent' },
    preferences: {},
  }));
  const auth = await editorHeaders(system);
  const post = async () => {
    const start = performance.now();
    const response = await fetch(`${system.urls.http}/api/clubs/${CLUB}/members`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ members }),
    });
    if (response.status !== 200) throw new Error(`members route answered ${response.status}`);
    return (performance.now() - start) / 1000;
  };
  return { created: await post(), unchanged: await post() };
}

async function main(): Promise<void> {
  const folder = mkdtempSync(join(tmpdir(), 'club-planner-bench-ingest-'));
  const dynamo = await emulator(join(folder, 'dynamodb'));
  const system = await startLocalSystem({
    tokenKeys: { current: 'b1', keys: { b1: randomBytes(32).toString('base64url') } },
    log: quiet,
    dynamoEndpoint: dynamo.endpoint,
    filesDir: join(folder, 'imports'),
    importConcurrency: CONCURRENCY,
    instrumentDynamo: (db) => countConsumedCapacity(db, () => tally),
  });
  const now = Date.now();
  const { deps } = system;
  await deps.clubs.putClub({
    clubId: CLUB,
    name: 'Bench Club',
    language: 'sv',
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
    createdAt: new Date(now).toISOString(),
  });
  const categories = ['Bread', 'Pasta', 'Dairy', 'Fruit', 'Vegetables', 'Meat', 'Fish', 'Snacks'];
  const products: Product[] = Array.from({ length: PRODUCTS }, (_, i) => ({
    productId: `p${String(i).padStart(5, '0')}`,
    name: `Product ${i}`,
    category: categories[i % categories.length] ?? 'Other',
    contains: i % 5 === 0 ? ['gluten'] : [],
    freeFrom: i % 7 === 0 ? ['gluten'] : [],
  }));
  for (let i = 0; i < products.length; i += 1000) await deps.clubs.putProducts(CLUB, products.slice(i, i + 1000));

  const members = await runJob(system, 'members', memberFile());
  const receipts = await runJob(system, 'purchases', receiptFile(now));
  const sync = await syncThousand(system);
  clearInterval(sampler);
  await system.stop();
  const emulatorMb = dynamo.peakMb();
  dynamo.stop();
  rmSync(folder, { recursive: true, force: true });

  const row = (name: string, value: string) => console.log(`| ${name.padEnd(52)} | ${value.padStart(14)} |`);
  const cost = (t: Tally) => t.writes * WRITE_PER_UNIT + t.reads * READ_PER_UNIT;
  console.log(
    `\nbench:ingest  members=${MEMBERS} lines=${LINES} products=${PRODUCTS} importConcurrency=${CONCURRENCY} (local emulators)\n`,
  );
  console.log(`| ${'measure'.padEnd(52)} | ${'value'.padStart(14)} |`);
  console.log(`|${'-'.repeat(54)}|${'-'.repeat(16)}|`);
  row('members: created', String(members.progress.created));
  row('members: seconds', members.seconds.toFixed(1));
  row('members: per second', (MEMBERS / members.seconds).toFixed(0));
  row('members: read units per member', (members.tally.reads / MEMBERS).toFixed(3));
  row('members: write units per member', (members.tally.writes / MEMBERS).toFixed(3));
  row('members: DynamoDB $ per million members', ((cost(members.tally) / MEMBERS) * 1e6).toFixed(2));
  row('members route: 1,000 new members in one call (s)', sync.created.toFixed(2));
  row('members route: the same 1,000 again, unchanged (s)', sync.unchanged.toFixed(2));
  row('receipts: lines accepted', String(receipts.progress.accepted));
  row('receipts: receipts stored', String(receipts.progress.receiptsStored));
  row('receipts: profiles rebuilt', String(receipts.progress.profilesRebuilt));
  row('receipts: chunks', String(receipts.progress.chunks));
  row('receipts: seconds (read, chunks, popularity)', receipts.seconds.toFixed(1));
  row('receipts: lines per second, profiles included', (LINES / receipts.seconds).toFixed(0));
  row('receipts: read units per line', (receipts.tally.reads / LINES).toFixed(3));
  row('receipts: write units per line', (receipts.tally.writes / LINES).toFixed(3));
  row('receipts: DynamoDB $ per million lines', ((cost(receipts.tally) / LINES) * 1e6).toFixed(2));
  row(
    'failed conditional writes (counted 1 unit)',
    String(members.tally.failedConditions + receipts.tally.failedConditions),
  );
  row('peak memory of the import process (RSS, MB)', (peakRss / 1024 / 1024).toFixed(0));
  row('peak JavaScript heap in use (MB)', (peakHeap / 1024 / 1024).toFixed(0));
  row('peak memory of the DynamoDB emulator process (MB)', emulatorMb.toFixed(0));
  console.log('\nDynamoDB calls by command (receipts job):');
  for (const [command, v] of [...receipts.tally.byCommand].sort())
    console.log(
      `  ${command.padEnd(22)} calls ${String(v.calls).padStart(9)}  units ${v.units.toFixed(0).padStart(10)}`,
    );
  if (receipts.progress.accepted !== LINES) {
    console.error(`expected ${LINES} accepted lines, got ${receipts.progress.accepted}`);
    process.exitCode = 1;
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
