import { z } from 'zod';
import { Id } from './ids.js';
import { MEMBER_SHARDS } from './jobs.js';

/**
 * The experiment report's figures as they are stored and answered, and the stored count they come
 * from (docs/decisions/0053-experiment-counted-in-slices.md).
 */

const Figure = z.number().finite();
export const Interval = z.object({ estimate: Figure, low: Figure, high: Figure });
export type Interval = z.infer<typeof Interval>;

/** A share with its count and 95 % interval. */
export const Share = Interval.extend({ count: z.number().int().min(0) });
export type Share = z.infer<typeof Share>;

export const ArmMonth = z.object({
  armId: z.string(),
  policy: z.enum(['club-budget', 'fixed-cap', 'previous-settings', 'no-campaign-mail']),
  members: z.number().int().min(0),
  left: Share.nullable(),
  passive: Share.nullable(),
  mailsPerMember: Interval.nullable(),
  conversionsPerMember: Interval.nullable(),
  /** Null when no receipt of the arm's month carries an amount. */
  spendPerMember: Interval.nullable(),
});
export type ArmMonth = z.infer<typeof ArmMonth>;

/** `armId − versus`, each with its 95 % interval; null where an arm has no members. */
export const ArmDifference = z.object({
  armId: z.string(),
  versus: z.string(),
  left: Interval.nullable(),
  passive: Interval.nullable(),
  mailsPerMember: Interval.nullable(),
  conversionsPerMember: Interval.nullable(),
  spendPerMember: Interval.nullable(),
});
export type ArmDifference = z.infer<typeof ArmDifference>;

export const ReportMonth = z.object({
  month: z.string().regex(/^\d{4}-\d{2}$/),
  complete: z.boolean(),
  arms: z.array(ArmMonth),
  differences: z.array(ArmDifference),
});
export type ReportMonth = z.infer<typeof ReportMonth>;

/** A count under way: where each member shard's slices have got to. */
export const CountRun = z.object({
  runId: z.string().min(1).max(64),
  experimentId: Id,
  /** Every slice counts up to this instant, so slices counted minutes apart add up to one report. */
  countingAt: z.iso.datetime(),
  startedAt: z.iso.datetime(),
  /** Members per slice (one page of one member shard). */
  pageSize: z.number().int().min(1).max(1000),
  shards: z
    .array(z.object({ cursor: z.string().optional(), pages: z.number().int().min(0), done: z.boolean() }))
    .length(MEMBER_SHARDS),
  /** Members counted so far (progress only: a slice counted twice counts here twice). */
  members: z.number().int().min(0),
  /** The slices' rows as they are now (with `spendSumMinor`): a run without it started before and starts again. */
  rows: z.literal(2).optional(),
  /** Once every shard is done: the slices' rows added up a page at a time, then the months worked out a few at a time. */
  finishing: z
    .object({
      /** The key of the last slice row added in: the sums through it are stored under it. None yet: nothing added. */
      through: z.string().min(1).max(64).optional(),
      slices: z.number().int().min(0),
      /** Every slice row is added in. */
      summed: z.boolean(),
      /** The months worked out so far, in order. */
      months: z.array(ReportMonth).max(36),
    })
    .optional(),
});
export type CountRun = z.infer<typeof CountRun>;

/** The last finished count: the months as of `countedAt`. */
export const CountedReport = z.object({
  experimentId: Id,
  countedAt: z.iso.datetime(),
  finishedAt: z.iso.datetime(),
  slices: z.number().int().min(0),
  months: z.array(ReportMonth).max(36),
});
export type CountedReport = z.infer<typeof CountedReport>;

/** The club's stored experiment count: the last finished one and the one under way, if any. */
export const ExperimentCount = z.object({
  clubId: Id,
  /** Bumped by every write; a write names the version it read. */
  version: z.number().int().min(1),
  run: CountRun.optional(),
  last: CountedReport.optional(),
});
export type ExperimentCount = z.infer<typeof ExperimentCount>;
