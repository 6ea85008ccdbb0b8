import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MEMBER_SHARDS, shardOf } from '../../lambdas/core/jobs.js';
import {
  BUCKETS_PER_PARTITION,
  groupOf,
  MEMBER_SLOTS,
  segmentsOf,
  shardCountFor,
  slotOf,
} from '../../lambdas/core/member-slots.js';

const slotsOf = (index: number, of: number) =>
  segmentsOf({ index, of }).flatMap((s) =>
    Array.from(
      { length: s.toBucket - s.fromBucket + 1 },
      (_, b) => s.partition * BUCKETS_PER_PARTITION + s.fromBucket + b,
    ),
  );

describe('member slots', () => {
  it('give every slot to exactly one shard, in order, for any shard count', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 300 }), (of) => {
        const all = Array.from({ length: of }, (_, index) => slotsOf(index, of)).flat();
        expect(all.length).toBe(MEMBER_SLOTS);
        expect(all.every((slot, i) => slot === i)).toBe(true);
      }),
      { numRuns: 25 },
    );
  });

  it('keep a member in the index partition it always had', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/), (id) => {
        expect(Math.floor(slotOf(id) / BUCKETS_PER_PARTITION)).toBe(shardOf(id));
      }),
    );
  });

  it('make shard k of 16 exactly index partition k, as plans were before', () => {
    for (let k = 0; k < MEMBER_SHARDS; k += 1)
      expect(segmentsOf({ index: k, of: MEMBER_SHARDS })).toEqual([
        { partition: k, fromBucket: 0, toBucket: BUCKETS_PER_PARTITION - 1 },
      ]);
  });

  it('spread ids evenly over the buckets of a partition', () => {
    const counts = new Array(64).fill(0);
    for (let i = 0; i < 64_000; i += 1) counts[Math.floor((slotOf(`m${i}`) % BUCKETS_PER_PARTITION) / 64)] += 1;
    expect(Math.min(...counts)).toBeGreaterThan(800);
    expect(Math.max(...counts)).toBeLessThan(1200);
  });

  it('follow the member count: one shard per 10,000 members, at least one', () => {
    expect(shardCountFor(0)).toBe(1);
    expect(shardCountFor(9_999)).toBe(1);
    expect(shardCountFor(10_001)).toBe(2);
    expect(shardCountFor(3_000_000)).toBe(300);
  });

  it('group shards so that no group has more than ⌈√S⌉ members and every shard is in one', () => {
    for (const of of [1, 2, 16, 17, 300, 1000]) {
      const groups = new Map<number, number>();
      for (let index = 0; index < of; index += 1) {
        const g = groupOf({ index, of });
        groups.set(g.group, (groups.get(g.group) ?? 0) + 1);
        expect(g.size).toBeLessThanOrEqual(Math.ceil(Math.sqrt(of)));
      }
      for (let index = 0; index < of; index += 1) {
        const g = groupOf({ index, of });
        expect(groups.get(g.group)).toBe(g.size);
        expect(groups.size).toBe(g.groups);
      }
    }
  });
});
