/**
 * `npm run bench:offline`: the offline command end to end, exactly as the README documents it.
 *
 *  1. Ta-Feng, all 13,858 members, k = 10: wall time of `npm run --silent offers` against a plain
 *     Python GP-TopFreq script over the same file (bench/gp_topfreq.py), alternated in the same run;
 *     Recall@10 / NDCG@10 / PHR@10 of both outputs against future.csv; peak memory of each.
 *  2. A 100,000-product catalog labelled from the real Instacart names and aisles, `contains` only
 *     (read as declared), every Ta-Feng product one of its products, and restrictions declared for a
 *     third of the members: the same command with and without `--catalog` and `--members`. Forbidden
 *     picks, members with k picks and members with a pick in one of their top-3 categories
 *     (restricted against the others), the time ratio, peak memory.
 *  3. Profile rebuild with that catalog: `buildProfile` for every member (one receipt per basket, a
 *     day apart), in a child process so its peak memory is its own.
 *
 * RUNS (default 3) rounds, medians reported; BENCH_KEEP=dir keeps the generated files. Data: ../shared/data (TAFENG_DIR, INSTACART_DIR); without
 * it the benchmark prints `skipped: …` and exits 0. Writes only to a temporary directory.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { random } from '../bin/demo-club.js';
import { readCatalog } from '../lambdas/app/offline-input.js';
import { indexCatalog } from '../lambdas/core/catalog-index.js';
import { csvRecords, toCsv } from '../lambdas/core/csv.js';
import { conflictingTags, type DietTag, forbiddenTags, type Restriction } from '../lambdas/core/diet.js';
import { buildProfile, type PurchaseLine } from '../lambdas/core/profile.js';
import { DAY_MS } from '../lambdas/core/units.js';
import { containsOnly, instacartDir, loadInstacartCatalog } from './instacart-catalog.js';
import { evaluate, type Rankings } from './lib/metrics.js';
import { futureTargets, loadBaskets, parseBaskets, tafengDir, tafengFiles } from './lib/tafeng.js';

const K = 10;
const RUNS = Number(process.env.RUNS ?? 3);
const CATALOG_SIZE = 100_000;
const SEED = 2026;
const ROOT = join(import.meta.dirname, '..');
/** Declared restrictions of the restricted third, by share. */
const RESTRICTIONS: ReadonlyArray<readonly [Restriction, number]> = [
  ['gluten-free', 0.35],
  ['lactose-free', 0.3],
  ['vegetarian', 0.2],
  ['vegan', 0.1],
  ['nut-free', 0.05],
];

interface Run {
  readonly seconds: number;
  readonly peakMb: number;
  readonly stderr: string;
}

function timed(command: string, args: string[]): Run {
  const started = performance.now();
  const run = spawnSync(command, args, { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 26 });
  const seconds = (performance.now() - started) / 1000;
  if (run.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${run.status}): ${run.stderr}`);
  const peak = /peak memory (\d+) MB/.exec(run.stderr);
  return { seconds, peakMb: peak ? Number(peak[1]) : Number.NaN, stderr: run.stderr.trim() };
}

const offers = (args: string[]) => timed('npm', ['run', '--silent', 'offers', '--', ...args]);
const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
};
const s2 = (x: number) => x.toFixed(2);

/** member → ranked product ids, from an R.csv. */
function rankingsOf(file: string): Map<string, string[]> {
  const { records } = csvRecords(readFileSync(file, 'utf8'), ['member_id', 'rank', 'product_id']);
  const out = new Map<string, string[]>();
  for (const { values } of records) {
    const member = values.member_id ?? '';
    const list = out.get(member) ?? [];
    list[Number(values.rank) - 1] = values.product_id ?? '';
    out.set(member, list);
  }
  return out;
}

function relevance(rankings: Rankings, targets: Parameters<typeof evaluate>[1]): string {
  const s = evaluate(rankings, targets, K);
  return `${s.recall.toFixed(4)} / ${s.ndcgWholeBasket.toFixed(4)} / ${s.phr.toFixed(4)}`;
}

async function main(): Promise<void> {
  if (process.argv[2] === '--profile-rebuild') return profileRebuild(process.argv[3] ?? '', process.argv[4] ?? '');
  const files = tafengFiles(tafengDir());
  const instacart = loadInstacartCatalog(instacartDir(), { nonFood: true });
  if (!files || !instacart) {
    console.log(`skipped: needs ${tafengDir()} and ${instacartDir()} (set TAFENG_DIR, INSTACART_DIR)`);
    return;
  }
  // BENCH_KEEP=dir keeps the generated files there (to profile a run by hand); a temporary directory otherwise.
  const keep = process.env.BENCH_KEEP;
  const work = keep ?? mkdtempSync(join(tmpdir(), 'bench-offline-'));
  try {
    const targets = futureTargets(await loadBaskets(files.future));
    const history = parseBaskets(readFileSync(files.history, 'utf8'));
    console.log(`Machine: ${machine()}; ${RUNS} rounds, medians.\n`);

    // 1. Ta-Feng: ours against plain Python, alternating which goes first.
    const ours: Run[] = [];
    const python: Run[] = [];
    const oursOut = join(work, 'R-ours.csv');
    const pythonOut = join(work, 'R-python.csv');
    for (let round = 0; round < RUNS; round += 1) {
      const runPython = () =>
        python.push(
          timed('python3', ['bench/gp_topfreq.py', '--history', files.history, '--k', String(K), '--out', pythonOut]),
        );
      const runOurs = () => ours.push(offers(['--history', files.history, '--k', String(K), '--out', oursOut]));
      if (round % 2 === 0) {
        runPython();
        runOurs();
      } else {
        runOurs();
        runPython();
      }
    }
    console.log('### Ta-Feng end to end (13,858 members, k = 10)\n');
    console.log('| command | wall (median) | runs | peak memory | Recall@10 / NDCG@10 / PHR@10 |');
    console.log('|---|---|---|---|---|');
    console.log(
      `| \`npm run --silent offers -- --history history.csv --k 10 --out R.csv\` | ${s2(median(ours.map((r) => r.seconds)))} s | ${ours.map((r) => s2(r.seconds)).join(', ')} | ${median(ours.map((r) => r.peakMb))} MB | ${relevance(rankingsOf(oursOut), targets)} |`,
    );
    console.log(
      `| \`python3 bench/gp_topfreq.py --history history.csv --k 10 --out R.csv\` | ${s2(median(python.map((r) => r.seconds)))} s | ${python.map((r) => s2(r.seconds)).join(', ')} | ${median(python.map((r) => r.peakMb))} MB | ${relevance(rankingsOf(pythonOut), targets)} |`,
    );
    console.log(
      `\nours ÷ Python: ${(median(ours.map((r) => r.seconds)) / median(python.map((r) => r.seconds))).toFixed(2)}; last: ${ours.at(-1)?.stderr}`,
    );

    // 2. The 100,000-product catalog.
    const rnd = random(SEED);
    const items = [...new Set([...history.values()].flatMap((baskets) => baskets.flatMap((b) => b.items)))].sort();
    const shuffled = [...containsOnly(instacart)];
    for (let i = shuffled.length - 1; i > 0; i -= 1) {
      const j = Math.floor(rnd() * (i + 1));
      const a = shuffled[i];
      const b = shuffled[j];
      if (a && b) {
        shuffled[i] = b;
        shuffled[j] = a;
      }
    }
    const VARIANTS = ['', ' (family pack)', ' (organic)', ' (store brand)'];
    const catalogRows: string[][] = [];
    const byId = new Map<string, { category: string; contains: readonly DietTag[] }>();
    for (let i = 0; i < CATALOG_SIZE; i += 1) {
      const base = shuffled[i % shuffled.length];
      if (!base) break;
      const productId = i < items.length ? (items[i] ?? `c${i}`) : `c${i}`;
      const name = `${base.name}${VARIANTS[Math.floor(i / shuffled.length)] ?? ''}`;
      catalogRows.push([productId, name, base.category, base.contains.join(';')]);
      byId.set(productId, { category: base.category, contains: base.contains });
    }
    const catalogFile = join(work, 'C.csv');
    writeFileSync(catalogFile, toCsv(['product_id', 'name', 'category', 'contains'], catalogRows));
    const declared = new Map<string, Restriction[]>();
    for (const member of [...history.keys()].sort()) {
      if (rnd() >= 1 / 3) continue;
      declared.set(member, [pickShare(RESTRICTIONS, rnd())]);
    }
    const membersFile = join(work, 'M.csv');
    writeFileSync(
      membersFile,
      toCsv(
        ['member_id', 'restrictions'],
        [...declared].map(([m, r]) => [m, r.join(';')]),
      ),
    );
    const containing = catalogRows.filter((r) => (r[3] ?? '') !== '').length;

    const plain: Run[] = [];
    const full: Run[] = [];
    const plainOut = join(work, 'R-plain.csv');
    const fullOut = join(work, 'R-catalog.csv');
    for (let round = 0; round < RUNS; round += 1) {
      const runPlain = () => plain.push(offers(['--history', files.history, '--k', String(K), '--out', plainOut]));
      const runFull = () =>
        full.push(
          offers([
            '--history',
            files.history,
            '--k',
            String(K),
            '--out',
            fullOut,
            '--catalog',
            catalogFile,
            '--members',
            membersFile,
          ]),
        );
      if (round % 2 === 0) {
        runPlain();
        runFull();
      } else {
        runFull();
        runPlain();
      }
    }
    const picks = rankingsOf(fullOut);
    let forbidden = 0;
    const share = { restricted: { k: 0, top3: 0, n: 0 }, others: { k: 0, top3: 0, n: 0 } };
    for (const [member, baskets] of history) {
      const restrictions = declared.get(member) ?? [];
      const tags = forbiddenTags(restrictions);
      const mine = picks.get(member) ?? [];
      for (const id of mine) {
        const product = byId.get(id);
        if (!product || conflictingTags({ ...product, freeFrom: [], labelling: 'declared' }, tags).length > 0)
          forbidden += 1;
      }
      const counts = new Map<string, number>();
      for (const b of baskets)
        for (const id of b.items) {
          const c = byId.get(id)?.category ?? '';
          counts.set(c, (counts.get(c) ?? 0) + 1);
        }
      const top3 = new Set(
        [...counts]
          .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
          .slice(0, 3)
          .map(([c]) => c),
      );
      const group = restrictions.length > 0 ? share.restricted : share.others;
      group.n += 1;
      if (mine.length >= K) group.k += 1;
      if (mine.some((id) => top3.has(byId.get(id)?.category ?? ''))) group.top3 += 1;
    }
    const pct = (n: number, of: number) => `${((100 * n) / Math.max(1, of)).toFixed(1)} %`;
    console.log(
      `\n### 100,000-product catalog (Instacart-derived labelling, contains only: ${containing} products contain a tag; ${declared.size} of ${history.size} members declare a restriction)\n`,
    );
    console.log('| run | wall (median) | runs | peak memory | Recall@10 / NDCG@10 / PHR@10 |');
    console.log('|---|---|---|---|---|');
    console.log(
      `| history only | ${s2(median(plain.map((r) => r.seconds)))} s | ${plain.map((r) => s2(r.seconds)).join(', ')} | ${median(plain.map((r) => r.peakMb))} MB | ${relevance(rankingsOf(plainOut), targets)} |`,
    );
    console.log(
      `| with --catalog C.csv --members M.csv | ${s2(median(full.map((r) => r.seconds)))} s | ${full.map((r) => s2(r.seconds)).join(', ')} | ${median(full.map((r) => r.peakMb))} MB | ${relevance(picks, targets)} |`,
    );
    console.log('');
    console.log('| measure | restricted members | others |');
    console.log('|---|---|---|');
    console.log(`| members | ${share.restricted.n} | ${share.others.n} |`);
    console.log(
      `| with k = ${K} picks | ${pct(share.restricted.k, share.restricted.n)} | ${pct(share.others.k, share.others.n)} |`,
    );
    console.log(
      `| a pick in one of their top-3 categories | ${pct(share.restricted.top3, share.restricted.n)} | ${pct(share.others.top3, share.others.n)} |`,
    );
    console.log(`\nforbidden picks (against declared restrictions): ${forbidden}`);
    console.log(
      `catalog + members ÷ history only: ${(median(full.map((r) => r.seconds)) / median(plain.map((r) => r.seconds))).toFixed(2)}`,
    );
    console.log(`last: ${full.at(-1)?.stderr}`);

    // 3. Profile rebuild, in its own process.
    const rebuild = timed('node', [
      '--import',
      'tsx',
      'bench/offline.ts',
      '--profile-rebuild',
      catalogFile,
      files.history,
    ]);
    console.log(`\n### Profile rebuild with the 100,000-product catalog\n\n${rebuild.stderr}`);
    if (forbidden > 0) process.exitCode = 1;
  } finally {
    if (!keep) rmSync(work, { recursive: true, force: true });
  }
}

/** Child: index the catalog once, then build every member's profile from their receipts, timing each. */
function profileRebuild(catalogFile: string, historyFile: string): void {
  const started = performance.now();
  const { products } = readCatalog({ name: catalogFile, text: readFileSync(catalogFile, 'utf8') });
  const read = performance.now();
  const index = indexCatalog(products);
  const indexed = performance.now();
  const history = parseBaskets(readFileSync(historyFile, 'utf8'));
  const now = new Date('2001-03-01T00:00:00Z');
  const times: number[] = [];
  let inferred = 0;
  let lines = 0;
  for (const [member, baskets] of history) {
    const last = baskets.length - 1;
    const memberLines: PurchaseLine[] = baskets.flatMap((b, i) =>
      b.items.map((productId) => ({
        memberId: member,
        receiptId: `r${i}`,
        at: new Date(now.getTime() - (last - i) * DAY_MS).toISOString(),
        productId,
      })),
    );
    lines += memberLines.length;
    const t = performance.now();
    const profile = buildProfile(memberLines, index, now);
    times.push(performance.now() - t);
    inferred += profile.inferredRestrictions.length > 0 ? 1 : 0;
  }
  const sorted = [...times].sort((a, b) => a - b);
  const at = (q: number) => (sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0).toFixed(3);
  const mean = times.reduce((a, b) => a + b, 0) / Math.max(1, times.length);
  console.error(
    [
      '| measure | value |',
      '|---|---|',
      `| catalog read (CSV, 100,000 rows) | ${(read - started).toFixed(0)} ms |`,
      `| catalog index, once per catalog version | ${(indexed - read).toFixed(0)} ms |`,
      `| members rebuilt | ${times.length} (${lines} purchase lines, mean ${(lines / Math.max(1, times.length)).toFixed(1)} per member) |`,
      `| per member: mean / median / p99 / max | ${mean.toFixed(3)} / ${at(0.5)} / ${at(0.99)} / ${(sorted.at(-1) ?? 0).toFixed(3)} ms |`,
      `| members with an inferred restriction | ${inferred} |`,
      `| peak memory | ${Math.round(process.resourceUsage().maxRSS / 1024)} MB |`,
    ].join('\n'),
  );
}

/** The entry whose share the draw `u` (0–1) falls into. */
function pickShare<T>(shares: ReadonlyArray<readonly [T, number]>, u: number): T {
  let left = u;
  for (const [value, share] of shares) {
    if (left < share) return value;
    left -= share;
  }
  const last = shares.at(-1);
  if (!last) throw new Error('no shares');
  return last[0];
}

function machine(): string {
  const cpus = spawnSync('nproc', [], { encoding: 'utf8' }).stdout.trim();
  const node = spawnSync('node_modules/.bin/node', ['--version'], { cwd: ROOT, encoding: 'utf8' }).stdout.trim();
  const py = spawnSync('python3', ['--version'], { encoding: 'utf8' }).stdout.trim();
  let load = 'unknown';
  try {
    load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  } catch {
    // Not Linux: the load is not shown.
  }
  return `${cpus} cores, Node ${node}, ${py}, load average at start ${load}`;
}

await main();
