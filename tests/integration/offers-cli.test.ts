import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { csvRecords } from '../../lambdas/core/csv.js';

const fixtures = join(import.meta.dirname, '..', 'fixtures', 'offers');
const work = mkdtempSync(join(tmpdir(), 'offers-cli-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The command exactly as the README documents it. */
function offers(args: string[]) {
  return spawnSync('npm', ['run', '--silent', 'offers', '--', ...args], { encoding: 'utf8', timeout: 60_000 });
}

function ranking(file: string) {
  const { records, fileErrors } = csvRecords(readFileSync(file, 'utf8'), [
    'member_id',
    'rank',
    'product_id',
    'score',
    'reason',
  ]);
  expect(fileErrors).toEqual([]);
  return records.map((r) => r.values);
}

describe('npm run offers', () => {
  it('ranks every member, best first, with a reason, and never an offer that breaks a declared or inferred diet', () => {
    const out = join(work, 'R.csv');
    const run = offers([
      '--history',
      join(fixtures, 'history.csv'),
      '--k',
      '3',
      '--out',
      out,
      '--catalog',
      join(fixtures, 'catalog.csv'),
      '--members',
      join(fixtures, 'members.csv'),
      '--pool',
      join(fixtures, 'pool.csv'),
    ]);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/ranked 3 members, \d+ rows/);
    expect(run.stderr).toContain('gluten-free 1');
    const rows = ranking(out);
    const byMember = (m: string) => rows.filter((r) => r.member_id === m);
    for (const member of ['anna', 'bo', 'cai']) {
      const picks = byMember(member);
      expect(picks.map((r) => r.rank)).toEqual(picks.map((_, i) => String(i + 1)));
      const scores = picks.map((r) => Number(r.score));
      expect([...scores].sort((a, b) => b - a)).toEqual(scores);
      for (const pick of picks) expect(pick.reason?.length).toBeGreaterThan(5);
    }
    // anna buys only gluten-free pasta and bread over four trips: inferred gluten-free.
    const glutenous = ['spaghetti', 'penne', 'sourdough', 'mystery'];
    for (const pick of byMember('anna')) expect(glutenous).not.toContain(pick.product_id);
    expect(byMember('anna')[0]).toMatchObject({
      product_id: expect.stringMatching(/^gf-/),
      reason: expect.stringMatching(/^You often buy Gluten-free/),
    });
    // cai declared vegetarian and gluten-free: no meat, no gluten, and no product of unknown status.
    for (const pick of byMember('cai')) expect([...glutenous, 'bacon']).not.toContain(pick.product_id);
    // bo has no restriction and gets his own staples.
    expect(byMember('bo').map((r) => r.product_id)).toContain('spaghetti');
  });

  it('treats every product as tag-free without a catalog, and accepts a timestamp column instead of basket_seq', () => {
    const history = join(work, 'timestamps.csv');
    writeFileSync(
      history,
      [
        'member_id,timestamp,product_id',
        'x,2026-01-01T10:00:00Z,spaghetti',
        'x,2026-01-08T10:00:00Z,spaghetti',
        'y,2026-01-02T10:00:00Z,milk',
      ].join('\n'),
    );
    const run = offers(['--history', history, '--k', '2']);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout.split('\n')[0]).toBe('member_id,rank,product_id,score,reason');
    expect(run.stdout).toContain('x,1,spaghetti,');
  });

  it.each([
    [
      'a basket_seq that is not a number',
      'history.csv',
      'member_id,basket_seq,product_id\na,1,p\na,two,q\n',
      /line 3: basket_seq: expected a whole number, got "two"/,
    ],
    [
      'a history without basket_seq or timestamp',
      'history.csv',
      'member_id,product_id\na,p\n',
      /line 1: needs a basket_seq or a timestamp column/,
    ],
    [
      'a catalog tag nobody knows',
      'catalog.csv',
      'product_id,name,category,contains,free_from\np,P,X,glutn,\n',
      /catalog\.csv line 2: contains: unknown value "glutn"/,
    ],
    [
      'a member restriction nobody knows',
      'members.csv',
      'member_id,restrictions\na,keto\n',
      /members\.csv line 2: restrictions: unknown value "keto"/,
    ],
  ])('refuses %s with a message naming the file and line', (_, name, text, message) => {
    const file = join(work, `bad-${name}`);
    writeFileSync(file, text);
    const args = ['--history', join(fixtures, 'history.csv'), '--k', '3', '--out', join(work, 'unused.csv')];
    if (name === 'history.csv') args[1] = file;
    else args.push(`--${name.replace('.csv', '')}`, file);
    const run = offers(args);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(message);
  });
});
