import { MEMBER_SHARDS } from './jobs.js';

/**
 * How a club's members are split for planning (docs/decisions/0025-planning-at-scale.md).
 *
 * Every member has a fixed slot: one of MEMBER_SHARDS index partitions (`shardOf`, the gsi1 partition
 * key as before) and, inside it, one of BUCKETS_PER_PARTITION buckets (the start of the gsi1 sort key).
 * Slots are numbered partition × buckets + bucket. A plan of S shards gives shard k the slots
 * [⌊k·N/S⌋, ⌊(k+1)·N/S⌋): any S from 1 to N covers every member exactly once, so the shard count can
 * follow the member count, and a shard's members are one or a few key ranges of the index.
 */
export const BUCKETS_PER_PARTITION = 4096;
export const MEMBER_SLOTS = MEMBER_SHARDS * BUCKETS_PER_PARTITION;

/** Members one plan shard should hold: 100 pages of 100, well inside a few minutes of one worker. */
export const MEMBERS_PER_PLAN_SHARD = 10_000;

/** FNV-1a of the id, xor-folded: the same hash as `shardOf` in lambdas/core/jobs.ts. */
function folded(memberId: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < memberId.length; i++) {
    hash ^= memberId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return (hash ^ (hash >>> 16)) >>> 0;
}

/** The member's bucket inside its partition: hash bits above the four `shardOf` uses (16 partitions). */
export function bucketOf(memberId: string): number {
  return (folded(memberId) >>> 4) % BUCKETS_PER_PARTITION;
}

export function slotOf(memberId: string): number {
  return (folded(memberId) % MEMBER_SHARDS) * BUCKETS_PER_PARTITION + bucketOf(memberId);
}

/** A plan shard: number `index` of `of`. */
export interface PlanShard {
  readonly index: number;
  readonly of: number;
}

/** One key range of one index partition: buckets `fromBucket` to `toBucket`, both included. */
export interface SlotSegment {
  readonly partition: number;
  readonly fromBucket: number;
  readonly toBucket: number;
}

/** The index key ranges holding the shard's members, in slot order. */
export function segmentsOf(shard: PlanShard): SlotSegment[] {
  if (!Number.isInteger(shard.of) || shard.of < 1 || shard.of > MEMBER_SLOTS)
    throw new RangeError(`a plan has 1 to ${MEMBER_SLOTS} shards, got ${shard.of}`);
  if (!Number.isInteger(shard.index) || shard.index < 0 || shard.index >= shard.of)
    throw new RangeError(`shard ${shard.index} is not one of ${shard.of}`);
  const from = Math.floor((shard.index * MEMBER_SLOTS) / shard.of);
  const to = Math.floor(((shard.index + 1) * MEMBER_SLOTS) / shard.of);
  const segments: SlotSegment[] = [];
  for (let slot = from; slot < to; ) {
    const partition = Math.floor(slot / BUCKETS_PER_PARTITION);
    const end = Math.min(to, (partition + 1) * BUCKETS_PER_PARTITION);
    segments.push({
      partition,
      fromBucket: slot - partition * BUCKETS_PER_PARTITION,
      toBucket: end - 1 - partition * BUCKETS_PER_PARTITION,
    });
    slot = end;
  }
  return segments;
}

/** Plan shards for a club of about `members` members: one per MEMBERS_PER_PLAN_SHARD, at least one. */
export function shardCountFor(members: number): number {
  const wanted = Math.ceil(Math.max(0, members) / MEMBERS_PER_PLAN_SHARD);
  return Math.min(MEMBER_SLOTS, Math.max(1, wanted));
}

/**
 * Shards report completion in groups of about √S, and each complete group once to the campaign's
 * top item: no item is written by more than ⌈√S⌉ shards.
 */
export function groupSizeFor(shards: number): number {
  return Math.max(1, Math.ceil(Math.sqrt(shards)));
}

export function groupOf(shard: PlanShard): { group: number; size: number; groups: number } {
  const size = groupSizeFor(shard.of);
  const group = Math.floor(shard.index / size);
  const groups = Math.ceil(shard.of / size);
  return { group, size: Math.min(size, shard.of - group * size), groups };
}
