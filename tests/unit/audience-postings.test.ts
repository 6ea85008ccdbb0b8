import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { random } from '../../bin/demo-club.js';
import { LocalFileStore } from '../../lambdas/adapters/local-file-store.js';
import { estimateAudience } from '../../lambdas/app/audience-estimate.js';
import { FactsFiles, writeFactsFiles } from '../../lambdas/app/audience-facts-files.js';
import type { Deps } from '../../lambdas/app/deps.js';
import { compileAudience, type SavedAudience } from '../../lambdas/core/audience.js';
import { factOf } from '../../lambdas/core/audience-facts.js';
import { PURCHASE_BUCKETS } from '../../lambdas/core/audience-postings.js';
import type { AudienceRule } from '../../lambdas/core/audience-rules.js';
import { subjectOf } from '../../lambdas/core/audience-subject.js';
import { indexCatalog } from '../../lambdas/core/catalog-index.js';
import { DEFAULT_ENGAGEMENT } from '../../lambdas/core/engagement.js';
import { EMPTY_LEDGER } from '../../lambdas/core/ledger.js';
import { buildProfile } from '../../lambdas/core/profile.js';
import { aClub, aMember, aProduct, NOW } from './fixtures.js';

const club = aClub({ clubId: 'club-postings' });
// More products than a profile keeps dates for (64), so heavy shoppers fall back on the latest date.
const products = Array.from({ length: 120 }, (_, i) => aProduct({ productId: `p${i}`, category: `Cat ${i % 7}` }));
const catalog = indexCatalog(products);

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

/** Member i: none to hundreds of receipt lines over two years, some with amounts. */
function stateOf(i: number, rnd: () => number) {
  const member = aMember({ clubId: club.clubId, memberId: `m${String(i).padStart(4, '0')}` });
  const lineCount = i % 6 === 0 ? 0 : Math.floor(rnd() ** 2 * 400);
  const withAmounts = rnd() < 0.5;
  const lines = Array.from({ length: lineCount }, (_, k) => ({
    memberId: member.memberId,
    receiptId: `r${k % 40}`,
    at: new Date(NOW.getTime() - Math.floor(rnd() * 700) * 86_400_000 - 3_600_000).toISOString(),
    productId: `p${Math.floor(rnd() ** 1.5 * products.length)}`,
    ...(withAmounts ? { amount: Math.round(rnd() * 5000) / 100 } : {}),
  }));
  return { member, profile: buildProfile(lines, catalog, NOW), ledger: EMPTY_LEDGER };
}

const audienceOf = (audienceId: string, rule: AudienceRule): SavedAudience => ({
  clubId: club.clubId,
  audienceId,
  name: audienceId,
  description: '',
  rule,
  createdAt: NOW.toISOString(),
  updatedAt: NOW.toISOString(),
});

describe('purchase postings for estimates', () => {
  it('count purchase rules exactly as the plan does over each member’s whole profile', async () => {
    const rnd = random(5);
    const states = Array.from({ length: 400 }, (_, i) => stateOf(i, rnd));
    const dir = await mkdtemp(join(tmpdir(), 'audience-postings-'));
    dirs.push(dir);
    const files = new LocalFileStore(dir, (key) => key);
    // Two pages, so member indexes run on across pages.
    const written = states.map((s) => factOf(s, DEFAULT_ENGAGEMENT, NOW));
    await writeFactsFiles(files, club.clubId, [written.slice(0, 150), written.slice(150)], (members) => ({
      asOf: NOW.toISOString(),
      members,
      shardsRead: 16,
      shards: 16,
    }));
    const deps = {
      files,
      clubs: { getClub: async () => club },
      experiments: { get: async () => undefined },
      clock: { now: () => NOW },
      log: { info: () => {}, warn: () => {}, error: () => {} },
    } as unknown as Pick<Deps, 'clubs' | 'files' | 'experiments' | 'clock' | 'log'>;
    const rules: AudienceRule[] = [
      { rule: 'bought', product: 'p0', withinDays: 90, atLeast: 3 },
      { rule: 'bought', product: 'p110', withinDays: 365 },
      { rule: 'bought', product: 'p-never', withinDays: 365 },
      { rule: 'bought', category: 'Cat 3', withinDays: 30, atLeast: 2 },
      { rule: 'not', of: { rule: 'bought', category: 'Cat 5', withinDays: 200 } },
      { rule: 'spent', withinDays: 60, min: 100 },
      { rule: 'last-purchase', atLeastDaysAgo: 20 },
      {
        rule: 'any',
        of: [
          { rule: 'bought', product: 'p7', withinDays: 14 },
          {
            rule: 'all',
            of: [
              { rule: 'bought', category: 'Cat 1', withinDays: 120, atLeast: 5 },
              { rule: 'audience', audienceId: 'big' },
            ],
          },
        ],
      },
    ];
    const saved = [audienceOf('big', { rule: 'spent', withinDays: 365, min: 500 })];
    const counts: number[] = [];
    for (const [n, rule] of rules.entries()) {
      const audience = audienceOf(`rule-${n}`, rule);
      const all = [...saved, audience];
      const compiled = compileAudience(
        audience,
        { clubId: club.clubId, attributes: [], audiences: new Map(all.map((a) => [a.audienceId, a.rule])) },
        NOW,
      );
      const expected = states.filter((s) => compiled.test(subjectOf(s, DEFAULT_ENGAGEMENT))).length;
      const outcome = await estimateAudience(deps, audience, all, 'offers');
      if (outcome.kind !== 'estimate') throw new Error('expected an estimate');
      expect({ rule: n, count: outcome.estimate.count }).toEqual({ rule: n, count: expected });
      counts.push(expected);
    }
    // The population is not degenerate: the rules split it.
    expect(counts.some((c) => c > 0 && c < states.length)).toBe(true);
    expect(states.some((s) => s.profile.activity?.productsCut !== undefined)).toBe(true);
  });

  it('answers `preparing` for postings written with other facts rather than count them as no purchases', async () => {
    const rnd = random(9);
    const states = Array.from({ length: 30 }, (_, i) => stateOf(i, rnd));
    const dir = await mkdtemp(join(tmpdir(), 'audience-postings-'));
    dirs.push(dir);
    const files = new LocalFileStore(dir, (key) => key);
    const meta = (asOf: string) => (members: number) => ({ asOf, members, shardsRead: 16, shards: 16 });
    const written = states.map((s) => factOf(s, DEFAULT_ENGAGEMENT, NOW));
    await writeFactsFiles(files, club.clubId, [written], meta(NOW.toISOString()));
    const old: string[] = [];
    for (let bucket = 0; bucket < PURCHASE_BUCKETS; bucket++) {
      let text = '';
      for await (const bytes of (await files.read(FactsFiles.postings(club.clubId, bucket))) ?? [])
        text += new TextDecoder().decode(bytes);
      old.push(text);
    }
    await writeFactsFiles(files, club.clubId, [written], meta(new Date(NOW.getTime() + 1000).toISOString()));
    for (const [bucket, text] of old.entries()) await files.write(FactsFiles.postings(club.clubId, bucket), text);
    const deps = {
      files,
      clubs: { getClub: async () => club },
      experiments: { get: async () => undefined },
      clock: { now: () => NOW },
      log: { info: () => {}, warn: () => {}, error: () => {} },
    } as unknown as Pick<Deps, 'clubs' | 'files' | 'experiments' | 'clock' | 'log'>;
    const audience = audienceOf('cat', { rule: 'bought', category: 'Cat 0', withinDays: 365 });
    // The route queues a rewrite on `preparing` (http/api/audiences.ts): the estimate comes when it is written.
    expect(await estimateAudience(deps, audience, [audience], 'offers')).toEqual({ kind: 'preparing' });
  });
});
