import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** One basket of a member, items distinct, in file order. */
export interface Basket {
  readonly seq: number;
  readonly items: readonly string[];
}

/** Member id → baskets sorted by ascending `seq`. */
export type Histories = Map<string, Basket[]>;

/** Member id → the distinct items of the basket to predict. */
export type Targets = Map<string, ReadonlySet<string>>;

export interface Split {
  readonly name: string;
  readonly history: Histories;
  readonly targets: Targets;
}

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** `$TAFENG_DIR`, else `../shared/data/tafeng` beside the repository root. */
export function tafengDir(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env.TAFENG_DIR;
  return fromEnv !== undefined && fromEnv !== ''
    ? resolve(fromEnv)
    : resolve(REPO_ROOT, '..', 'shared', 'data', 'tafeng');
}

export function tafengFiles(dir: string): { history: string; future: string } | undefined {
  const history = join(dir, 'history.csv');
  const future = join(dir, 'future.csv');
  return existsSync(history) && existsSync(future) ? { history, future } : undefined;
}

/**
 * Parses `member_id,basket_seq,product_id` rows (header required) into baskets.
 * A product repeated within one basket is kept once.
 */
export function parseBaskets(text: string): Histories {
  const byMember = new Map<string, Map<number, string[]>>();
  const seen = new Map<string, Set<string>>();
  let start = text.indexOf('\n') + 1;
  if (start === 0) return new Map();
  const header = text.slice(0, start).trim();
  if (header !== 'member_id,basket_seq,product_id') throw new Error(`unexpected header: ${header}`);
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    const line = text.charCodeAt(end - 1) === 13 ? text.slice(start, end - 1) : text.slice(start, end);
    start = end + 1;
    if (line.length === 0) continue;
    const c1 = line.indexOf(',');
    const c2 = line.indexOf(',', c1 + 1);
    if (c1 <= 0 || c2 <= c1) throw new Error(`bad row: ${line}`);
    const member = line.slice(0, c1);
    const seq = Number(line.slice(c1 + 1, c2));
    const item = line.slice(c2 + 1);
    if (!Number.isInteger(seq) || item.length === 0) throw new Error(`bad row: ${line}`);
    let baskets = byMember.get(member);
    if (baskets === undefined) {
      baskets = new Map();
      byMember.set(member, baskets);
    }
    let items = baskets.get(seq);
    const key = `${member},${seq}`;
    let itemSet = seen.get(key);
    if (items === undefined || itemSet === undefined) {
      items = [];
      itemSet = new Set();
      baskets.set(seq, items);
      seen.set(key, itemSet);
    }
    if (!itemSet.has(item)) {
      itemSet.add(item);
      items.push(item);
    }
  }
  const out: Histories = new Map();
  for (const [member, baskets] of byMember) {
    const sorted = [...baskets.entries()].sort((a, b) => a[0] - b[0]).map(([seq, items]) => ({ seq, items }));
    out.set(member, sorted);
  }
  return out;
}

export async function loadBaskets(path: string): Promise<Histories> {
  return parseBaskets(await readFile(path, 'utf8'));
}

/** The member's next basket: the one with the lowest seq in the future file, as a set. */
export function futureTargets(future: Histories): Targets {
  const targets: Targets = new Map();
  for (const [member, baskets] of future) {
    const first = baskets[0];
    if (first !== undefined) targets.set(member, new Set(first.items));
  }
  return targets;
}

/**
 * Validation split from history alone: for each member with ≥ 2 baskets the LAST history basket
 * becomes the target and the earlier baskets the history. Members with fewer baskets stay as
 * history only (they can still be neighbours or count toward popularity), never as targets.
 */
export function validationSplit(history: Histories): Split {
  const truncated: Histories = new Map();
  const targets: Targets = new Map();
  for (const [member, baskets] of history) {
    const last = baskets[baskets.length - 1];
    if (baskets.length >= 2 && last !== undefined) {
      truncated.set(member, baskets.slice(0, -1));
      targets.set(member, new Set(last.items));
    } else {
      truncated.set(member, baskets);
    }
  }
  return { name: 'validation', history: truncated, targets };
}

/** Flattens histories into the record shape `fitModel` takes. */
export function* basketRecords(
  history: Histories,
): Generator<{ memberId: string; seq: number; items: readonly string[] }> {
  for (const [memberId, baskets] of history) {
    for (const basket of baskets) yield { memberId, seq: basket.seq, items: basket.items };
  }
}
