/**
 * Next-basket relevance and speed on the real Ta-Feng baskets.
 *
 *   npm run bench:relevance             # validation + test tables with the fixed, tuned parameters
 *   npm run bench:relevance -- --tune   # re-run the hyperparameter search (validation split only);
 *                                       # --tune=ours or --tune=tifu for one method
 *
 * Data: $TAFENG_DIR, else ../shared/data/tafeng beside the repository root. Missing data → skipped, exit 0.
 * Protocol: docs/benchmarks.md, "Relevance (Ta-Feng)".
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDbSqlEngine } from '../lambdas/adapters/duckdb-sql-engine.js';
import { LocalReceiptArchive } from '../lambdas/adapters/local-receipt-archive.js';
import { runFitQueries } from '../lambdas/app/fit-club-model-sql.js';
import { type ClubModel, modelScorer, toClubModel } from '../lambdas/core/club-model.js';
import { clubModelFromRows, popularityFromRows } from '../lambdas/core/fit-assembly.js';
import { fitQueries } from '../lambdas/core/fit-sql.js';
import { DEFAULT_PARAMS, fitModel, type NextBasketParams } from '../lambdas/core/next-basket.js';
import { rankOffers } from '../lambdas/core/offers.js';
import type { Receipt } from '../lambdas/core/ports.js';
import { buildProfile } from '../lambdas/core/profile.js';
import { gpTopFreq, gTopFreq, pTopFreq } from './lib/baselines.js';
import { evaluate, type Rankings, type Scores } from './lib/metrics.js';
import {
  basketRecords,
  futureTargets,
  loadBaskets,
  parseBaskets,
  type Split,
  tafengDir,
  tafengFiles,
  validationSplit,
} from './lib/tafeng.js';
import { TIFU_PAPER_TAFENG, TIFU_TUNED_TAFENG, type TifuParams, tifuKnn } from './lib/tifu-knn.js';
import { type Axis, axis, coordinateSearch } from './lib/tune.js';

const K = 10;

interface Method {
  readonly name: string;
  readonly rank: (split: Split) => Rankings;
}

function ourRankings(split: Split, params: NextBasketParams): Rankings {
  const model = fitModel(basketRecords(split.history), params);
  const out = new Map<string, readonly string[]>();
  for (const member of split.targets.keys())
    out.set(
      member,
      model.recommend(member, K).map((s) => s.itemId),
    );
  return out;
}

/**
 * The mail planner's own path, end to end: the club model stored by the fit job (`toClubModel`,
 * every product an offer), each member's profile built by `buildProfile` from receipts (one per
 * Ta-Feng basket, a day apart), popularity as the club's trip counters hold it, and `rankOffers`
 * with `modelScorer`, as `decide` calls it. It should match the model row above: that is the proof
 * the planner gets the measured quality. Ta-Feng has no categories, so the category part is 0.
 */
const PLANNER_NOW = new Date('2001-03-01T00:00:00Z');

/** The planner's club model and popularity from the in-process fit. */
function inProcessParts(split: Split): { clubModel: ClubModel; popularity: Map<string, number> } {
  const model = fitModel(basketRecords(split.history), DEFAULT_PARAMS);
  const trips = new Map<string, number>();
  for (const baskets of split.history.values())
    for (const b of baskets) for (const item of new Set(b.items)) trips.set(item, (trips.get(item) ?? 0) + 1);
  const most = Math.max(1, ...trips.values());
  const popularity = new Map([...trips].map(([item, n]) => [item, n / most]));
  return { clubModel: toClubModel(model, trips.keys(), PLANNER_NOW), popularity };
}

/**
 * The same parts through the nightly fit's SQL path on DuckDB: every basket archived as a receipt (a
 * day apart, as the planner row's profiles have them), every member in the snapshot, every product a
 * target, and popularity from the SQL's own popularity part.
 */
async function sqlParts(split: Split): Promise<{ clubModel: ClubModel; popularity: Map<string, number> }> {
  const dir = await mkdtemp(join(tmpdir(), 'relevance-sql-'));
  const engine = new DuckDbSqlEngine(dir);
  try {
    const archive = new LocalReceiptArchive(dir);
    const receipts: Receipt[] = [];
    const items = new Set<string>();
    for (const [member, baskets] of split.history) {
      const last = baskets.length - 1;
      baskets.forEach((b, i) => {
        for (const item of b.items) items.add(item);
        receipts.push({
          receiptId: String(i),
          memberId: member,
          at: new Date(PLANNER_NOW.getTime() - (last - i) * 86_400_000).toISOString(),
          items: b.items.map((productId) => ({ productId, quantity: 1 })),
        });
      });
    }
    await archive.append('tafeng', receipts, PLANNER_NOW);
    await archive.writeMembers('tafeng', 'all', 0, [...split.history.keys()]);
    const queries = fitQueries({
      clubId: 'tafeng',
      snapshot: 'all',
      oldest: new Date(PLANNER_NOW.getTime() - 10 * 365 * 86_400_000),
      targets: [...items].sort(),
    });
    const results = await runFitQueries(engine, { clubId: 'tafeng', snapshot: 'all', fittedAt: '', queries });
    return { clubModel: clubModelFromRows(results, PLANNER_NOW), popularity: popularityFromRows(results.popularity) };
  } finally {
    await engine.close();
    await rm(dir, { recursive: true, force: true });
  }
}

function plannerRankings(split: Split, parts = inProcessParts(split)): Rankings {
  const { clubModel, popularity } = parts;
  const now = PLANNER_NOW;
  // Items outside a member's own and successor items score popularity alone, so the most popular suffice.
  const shortlist = [...popularity]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, 200)
    .map(([id]) => id);
  const product = (id: string) => ({ productId: id, name: id, category: 'all', contains: [], freeFrom: [] });
  const out = new Map<string, readonly string[]>();
  for (const member of split.targets.keys()) {
    const baskets = split.history.get(member) ?? [];
    const last = baskets.length - 1;
    const lines = baskets.flatMap((b, i) =>
      b.items.map((item) => ({
        memberId: member,
        receiptId: String(i),
        at: new Date(now.getTime() - (last - i) * 86_400_000).toISOString(),
        productId: item,
      })),
    );
    const profile = buildProfile(lines, new Map(), now);
    const ids = new Set([...lines.map((l) => l.productId), ...shortlist]);
    for (const basket of profile.recentBaskets ?? []) {
      for (const source of basket)
        for (const target of Object.keys(clubModel.successors[source] ?? {})) ids.add(target);
    }
    const candidates = [...ids].map((id) => ({
      offer: { offerId: id, productId: id, headline: 'x' },
      product: product(id),
    }));
    const { picks } = rankOffers({
      scorer: modelScorer(clubModel, profile, popularity),
      candidates,
      restrictions: [],
      k: K,
      maxPerCategory: K,
    });
    out.set(
      member,
      picks.map((p) => p.productId),
    );
  }
  return out;
}

const METHODS: readonly Method[] = [
  { name: 'G-TopFreq', rank: (s) => gTopFreq(s.history, s.targets.keys(), K) },
  { name: 'P-TopFreq', rank: (s) => pTopFreq(s.history, s.targets.keys(), K) },
  { name: 'GP-TopFreq', rank: (s) => gpTopFreq(s.history, s.targets.keys(), K) },
  { name: 'TIFU-KNN (paper Ta-Feng params)', rank: (s) => tifuKnn(s.history, s.targets.keys(), K, TIFU_PAPER_TAFENG) },
  { name: 'TIFU-KNN (tuned on validation)', rank: (s) => tifuKnn(s.history, s.targets.keys(), K, TIFU_TUNED_TAFENG) },
  { name: 'next-basket (ours, DEFAULT_PARAMS)', rank: (s) => ourRankings(s, DEFAULT_PARAMS) },
  { name: 'mail planner (stored club model + profiles + rankOffers)', rank: (s) => plannerRankings(s) },
];

/** The planner row once more, with the model fitted by the nightly SQL path (DuckDB) instead of in process. */
async function sqlPlannerRow(split: Split): Promise<void> {
  const started = performance.now();
  const parts = await sqlParts(split);
  const s = evaluate(plannerRankings(split, parts), split.targets, K);
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `| mail planner, model from the SQL fit (DuckDB) | ${f3(s.recall)} | ${f3(s.ndcgWholeBasket)} | ${f3(s.phr)} | ${f3(s.ndcg)} | ${seconds.toFixed(2)} s |`,
  );
}

const f3 = (x: number) => x.toFixed(4);

function table(split: Split): void {
  console.log(`\n### ${split.name}: ${split.targets.size} members, k=${K}\n`);
  console.log('| method | Recall@10 | NDCG@10 | PHR@10 | NDCG@10 (ideal over min(10,|B|)) | time |');
  console.log('|---|---|---|---|---|---|');
  for (const method of METHODS) {
    const started = performance.now();
    const rankings = method.rank(split);
    const seconds = (performance.now() - started) / 1000;
    const s: Scores = evaluate(rankings, split.targets, K);
    console.log(
      `| ${method.name} | ${f3(s.recall)} | ${f3(s.ndcgWholeBasket)} | ${f3(s.phr)} | ${f3(s.ndcg)} | ${seconds.toFixed(2)} s |`,
    );
  }
}

/** Read history.csv, fit, rank every member with k=10 and write member_id,rank,product_id to a temp file. */
async function speed(historyPath: string): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'next-basket-'));
  const out = join(dir, 'ranking.csv');
  try {
    const t0 = performance.now();
    const history = parseBaskets(await readFile(historyPath, 'utf8'));
    const t1 = performance.now();
    const model = fitModel(basketRecords(history), DEFAULT_PARAMS);
    const t2 = performance.now();
    const lines = ['member_id,rank,product_id'];
    for (const member of history.keys()) {
      for (const [i, s] of model.recommend(member, K).entries()) lines.push(`${member},${i + 1},${s.itemId}`);
    }
    const t3 = performance.now();
    await writeFile(out, `${lines.join('\n')}\n`);
    const t4 = performance.now();
    const s = (a: number, b: number) => ((b - a) / 1000).toFixed(2);
    console.log(
      `\nspeed: ${history.size} members ranked (k=${K}) in ${s(t0, t4)} s total ` +
        `(read+parse ${s(t0, t1)} s, fit ${s(t1, t2)} s, rank ${s(t2, t3)} s, write ${s(t3, t4)} s; ${lines.length - 1} rows)`,
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function tune(validation: Split, which: 'all' | 'ours' | 'tifu'): void {
  const recall = (rankings: Rankings) => evaluate(rankings, validation.targets, K).recall;
  const log = (line: string) => console.log(`  ${line}`);

  if (which !== 'tifu') tuneOurs(validation, recall, log);
  if (which !== 'ours') tuneTifu(validation, recall, log);
  console.log(
    '\nCopy the best values into DEFAULT_PARAMS / TIFU_TUNED_TAFENG by hand; the test split is not evaluated in --tune mode.',
  );
}

type Objective = (rankings: Rankings) => number;

function tuneOurs(validation: Split, recall: Objective, log: (line: string) => void): void {
  console.log('\nTuning next-basket (ours) on the validation split, objective Recall@10:');
  const ours: readonly Axis<NextBasketParams>[] = [
    axis('popularityWeight', [0.1, 0.2, 0.3, 0.4, 0.5, 0.7]),
    axis('repeatDecay', [0.8, 0.9, 0.95, 0.98, 1]),
    axis('propensityPower', [0, 0.25, 0.5, 0.75, 1]),
    axis('propensityPrior', [1, 3, 10, 30, 100]),
    axis('neighboursWeight', [0, 0.3, 0.6, 1, 1.5, 2, 3]),
    axis('neighboursDepth', [1, 2, 3, 5]),
    axis('neighboursDecay', [0.25, 0.5, 0.75, 1]),
    axis('neighboursSmoothing', [0, 2, 5, 10, 20, 50]),
    axis('neighboursPerItem', [10, 20, 30, 50, 100]),
  ];
  const bestOurs = coordinateSearch(DEFAULT_PARAMS, ours, (p) => recall(ourRankings(validation, p)), log);
  console.log(
    `best (ours): ${bestOurs.value.toFixed(4)} ${JSON.stringify(bestOurs.best)} after ${bestOurs.evaluations} runs`,
  );
}

function tuneTifu(validation: Split, recall: Objective, log: (line: string) => void): void {
  console.log("\nTuning TIFU-KNN on the validation split, objective Recall@10 (start: the paper's Ta-Feng params):");
  const tifu: readonly Axis<TifuParams>[] = [
    axis('alpha', [0.3, 0.5, 0.7, 0.8, 0.9, 1]),
    axis('withinDecay', [0.7, 0.8, 0.9, 0.95, 1]),
    axis('groupDecay', [0.5, 0.6, 0.7, 0.8, 0.9, 1]),
    axis('groupSize', [1, 3, 5, 7, 10]),
    axis('neighbours', [50, 100, 300, 600, 1000]),
    axis('metric', ['euclidean', 'cosine']),
  ];
  const bestTifu = coordinateSearch(
    TIFU_PAPER_TAFENG,
    tifu,
    (p) => recall(tifuKnn(validation.history, validation.targets.keys(), K, p)),
    log,
    2,
  );
  console.log(
    `best (TIFU-KNN): ${bestTifu.value.toFixed(4)} ${JSON.stringify(bestTifu.best)} after ${bestTifu.evaluations} runs`,
  );
}

async function main(): Promise<void> {
  const dir = tafengDir();
  const files = tafengFiles(dir);
  if (files === undefined) {
    console.log(`skipped: data not found at ${dir} (expected history.csv and future.csv; set TAFENG_DIR to override)`);
    return;
  }
  const loadStarted = performance.now();
  const history = await loadBaskets(files.history);
  const targets = futureTargets(await loadBaskets(files.future));
  console.log(
    `Ta-Feng from ${dir}: ${history.size} members in history.csv, ${targets.size} future baskets ` +
      `(loaded in ${((performance.now() - loadStarted) / 1000).toFixed(2)} s)`,
  );
  const validation = validationSplit(history);
  const tuneArg = process.argv.find((arg) => arg.startsWith('--tune'));
  if (tuneArg !== undefined) {
    tune(validation, tuneArg === '--tune=ours' ? 'ours' : tuneArg === '--tune=tifu' ? 'tifu' : 'all');
    return;
  }
  console.log(
    'NDCG@10 = ideal DCG over every item of the future basket (as the Reality Check code); the extra column uses min(10, |B|).',
  );
  table(validation);
  await sqlPlannerRow(validation);
  const test = { name: 'test (future.csv, full history)', history, targets };
  table(test);
  await sqlPlannerRow(test);
  await speed(files.history);
}

await main();
