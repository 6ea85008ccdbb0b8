import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MEMBER_SHARDS, PlanShardJob, shardOf } from '../../lambdas/core/jobs.js';

function spread(ids: readonly string[], shards = MEMBER_SHARDS): number[] {
  const counts = new Array<number>(shards).fill(0);
  for (const id of ids) {
    const shard = shardOf(id, shards);
    counts[shard] = (counts[shard] ?? 0) + 1;
  }
  return counts;
}

describe('shardOf', () => {
  it('puts a member in the same shard every time', () => {
    expect(shardOf('member-12345')).toBe(shardOf('member-12345'));
    expect(shardOf('member-12345', 7)).toBe(shardOf('member-12345', 7));
  });

  // FNV-1a("") = 0x811c9dc5, FNV-1a("a") = 0xe40c292c, FNV-1a("foobar") = 0xbf9cf968, each xor-folded (h ^ h >>> 16).
  const folded = (h: number) => (h ^ (h >>> 16)) >>> 0;

  it('matches the xor-folded 32-bit FNV-1a reference values, so shards never move between releases', () => {
    expect(shardOf('', 1000)).toBe(folded(0x811c9dc5) % 1000);
    expect(shardOf('a', 1000)).toBe(folded(0xe40c292c) % 1000);
    expect(shardOf('foobar', 1000)).toBe(folded(0xbf9cf968) % 1000);
  });

  it('uses 16 shards by default', () => {
    expect(MEMBER_SHARDS).toBe(16);
    expect(shardOf('foobar')).toBe(folded(0xbf9cf968) % 16);
  });

  it('spreads ids that differ only in one character over more than one shard', () => {
    const shards = ['a', 'q', 'A', 'Q', '1'].map((c) => shardOf(`member-${c}`));
    expect(new Set(shards).size).toBeGreaterThan(1);
  });

  it('always returns a whole shard number within range', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 64 }), fc.integer({ min: 1, max: 1024 }), (id, shards) => {
        const shard = shardOf(id, shards);
        expect(Number.isInteger(shard)).toBe(true);
        expect(shard).toBeGreaterThanOrEqual(0);
        expect(shard).toBeLessThan(shards);
        expect(PlanShardJob.safeParse({ clubId: 'c', campaignId: 'k', shard }).success).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it.each([
    ['sequential ids', (i: number) => `member-${i}`],
    ['zero-padded ids', (i: number) => `M${String(i).padStart(8, '0')}`],
    ['hex ids', (i: number) => createHash('sha256').update(String(i)).digest('hex').slice(0, 24)],
  ])('spreads 10,000 %s over every shard, none more than twice the mean', (_, idOf) => {
    const counts = spread(Array.from({ length: 10_000 }, (_, i) => idOf(i)));
    const mean = 10_000 / MEMBER_SHARDS;
    expect(counts.every((c) => c > 0)).toBe(true);
    expect(Math.max(...counts)).toBeLessThanOrEqual(2 * mean);
  });

  it('spreads over a non-default shard count too', () => {
    const counts = spread(
      Array.from({ length: 10_000 }, (_, i) => `member-${i}`),
      10,
    );
    expect(counts.every((c) => c > 0)).toBe(true);
    expect(Math.max(...counts)).toBeLessThanOrEqual(2 * 1000);
  });
});
