/**
 * `npm run --silent offers -- --history H.csv --k 10 --out R.csv [--catalog C.csv] [--members M.csv] [--pool P.csv]`
 *
 * Offline ranking for evaluation: the product's own model, exclusions and reasons over files.
 * Writes `member_id,rank,product_id,score,reason` (rank 1 best) to --out, or to stdout without it.
 * Exit codes: 0 done, 2 bad arguments or input files (each problem named by file, line and field).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { InputFileError, rankOffline } from '../lambdas/app/offline-ranking.js';

const USAGE =
  'usage: npm run --silent offers -- --history H.csv --k 10 --out R.csv [--catalog C.csv] [--members M.csv] [--pool P.csv]';

function main(): number {
  let values: Record<string, string | undefined>;
  try {
    values = parseArgs({
      options: {
        history: { type: 'string' },
        k: { type: 'string', default: '10' },
        out: { type: 'string' },
        catalog: { type: 'string' },
        members: { type: 'string' },
        pool: { type: 'string' },
      },
      strict: true,
    }).values;
  } catch (error: unknown) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    return 2;
  }
  const k = Number(values.k);
  if (!values.history) {
    console.error(`--history is required\n${USAGE}`);
    return 2;
  }
  if (!Number.isInteger(k) || k < 1 || k > 1000) {
    console.error(`--k must be a whole number from 1 to 1000, got "${values.k ?? ''}"`);
    return 2;
  }
  const read = (path: string | undefined) => {
    if (!path) return undefined;
    try {
      return { name: path, text: readFileSync(path, 'utf8') };
    } catch (error: unknown) {
      throw new InputFileError([`${path}: cannot be read (${error instanceof Error ? error.message : String(error)})`]);
    }
  };
  try {
    const started = performance.now();
    const history = read(values.history);
    if (!history) return 2;
    const catalog = read(values.catalog);
    const members = read(values.members);
    const pool = read(values.pool);
    const result = rankOffline({
      history,
      k,
      ...(catalog ? { catalog } : {}),
      ...(members ? { members } : {}),
      ...(pool ? { pool } : {}),
    });
    if (values.out) writeFileSync(values.out, result.csv);
    else process.stdout.write(result.csv);
    const inferred = Object.entries(result.inferred)
      .map(([r, n]) => `${r} ${n}`)
      .join(', ');
    const { restricted, unrestricted } = result;
    const full =
      restricted.members > 0
        ? `; ${k} picks: ${restricted.full} of ${restricted.members} restricted members, ${unrestricted.full} of ${unrestricted.members} others`
        : '';
    console.error(
      `ranked ${result.members} members, ${result.rows} rows${values.out ? ` → ${values.out}` : ''} in ${((performance.now() - started) / 1000).toFixed(2)} s` +
        (inferred ? `; inferred restrictions: ${inferred}` : '') +
        `${full}; peak memory ${Math.round(process.resourceUsage().maxRSS / 1024)} MB`,
    );
    return 0;
  } catch (error: unknown) {
    if (error instanceof InputFileError) {
      for (const problem of error.problems) console.error(problem);
      return 2;
    }
    throw error;
  }
}

process.exitCode = main();
