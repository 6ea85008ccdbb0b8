import { createHash } from 'node:crypto';
import { z } from 'zod';
import { BudgetPolicy, BudgetWindow } from './budget.js';
import { EngagementPolicy } from './engagement.js';
import { Id } from './ids.js';
import type { CampaignKind } from './model.js';
import { assertNever } from './units.js';

/**
 * A club-level policy experiment (docs/decisions/0044-policy-experiment.md): members are split by a
 * stable hash into arms, each mailed under its own frequency policy, so the club can see on its own
 * members whether the budget keeps them in the club.
 */

/** A plain cap: rolling windows and a minimum gap, no passive caps, no habit floor (the simulator's "fixed cap"). */
export const FixedCap = z.object({
  type: z.literal('fixed-cap'),
  windows: z.array(BudgetWindow).min(1).max(6),
  minGapHours: z
    .number()
    .min(0)
    .max(24 * 30)
    .default(0),
});

/** What each arm's members are mailed under. */
export const ArmPolicy = z.discriminatedUnion('type', [
  /** The club's own frequency budget and engagement rules, as they are set now. */
  z.object({ type: z.literal('club-budget') }),
  FixedCap,
  /**
   * The club's settings from before: the budget and engagement rules given, or (when the admin
   * leaves them out) the club's settings at the moment the experiment was configured, kept as they were.
   */
  z.object({ type: z.literal('previous-settings'), budget: BudgetPolicy, engagement: EngagementPolicy }),
  /** The permanent control group: no campaign mail at all (surveys and service mail still go). */
  z.object({ type: z.literal('no-campaign-mail') }),
]);
export type ArmPolicy = z.infer<typeof ArmPolicy>;

export const Arm = z.object({
  armId: Id,
  /** Share of newly assigned members, 0–1; the arms' shares add up to 1. */
  share: z.number().min(0).max(1),
  policy: ArmPolicy,
});
export type Arm = z.infer<typeof Arm>;

/** When a result may be read, stated before the experiment starts (docs/decisions/0045-experiment-intervals.md). */
export const Readability = z.object({
  /** Members every arm needs before a difference is read. */
  minMembersPerArm: z.number().int().min(1).max(10_000_000).default(1000),
  /** Whole months the experiment must have run. */
  minMonths: z.number().int().min(1).max(36).default(3),
});
export type Readability = z.infer<typeof Readability>;

const SHARE_TOLERANCE = 1e-9;

/** The experiment as stored: one per club at a time. */
export const Experiment = z
  .object({
    clubId: Id,
    experimentId: Id,
    status: z.enum(['running', 'stopped']),
    arms: z.array(Arm).min(2).max(4),
    readableAfter: Readability,
    /** A purchase of an offered product counts as a conversion this many days after the mail. */
    conversionWindowDays: z.number().int().min(1).max(60).default(14),
    startedAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    stoppedAt: z.iso.datetime().optional(),
  })
  .superRefine((e, ctx) => checkArms(e.arms, ctx));
export type Experiment = z.infer<typeof Experiment>;

type ArmShape = Pick<Arm, 'armId' | 'share'> & { readonly policy: { readonly type: ArmPolicy['type'] } };

function checkArms(arms: readonly ArmShape[], ctx: z.RefinementCtx): void {
  const total = arms.reduce((sum, a) => sum + a.share, 0);
  if (Math.abs(total - 1) > SHARE_TOLERANCE)
    ctx.addIssue({ code: 'custom', path: ['arms'], message: `the shares add up to ${total}, not 1` });
  const ids = new Set<string>();
  for (const [i, arm] of arms.entries()) {
    if (ids.has(arm.armId)) ctx.addIssue({ code: 'custom', path: ['arms', i, 'armId'], message: 'is used twice' });
    ids.add(arm.armId);
  }
  const controls = arms.filter((a) => a.policy.type === 'no-campaign-mail');
  if (controls.length > 1)
    ctx.addIssue({ code: 'custom', path: ['arms'], message: 'at most one arm gets no campaign mail' });
  for (const [i, arm] of arms.entries())
    if (arm.policy.type === 'no-campaign-mail' && arm.share > MAX_CONTROL_SHARE)
      ctx.addIssue({
        code: 'custom',
        path: ['arms', i, 'share'],
        message: `a control group without campaign mail is at most ${MAX_CONTROL_SHARE * 100} % of the members`,
      });
}

/** A permanent control group gives up the club's mail: it stays small. */
export const MAX_CONTROL_SHARE = 0.1;

/** What an admin sends to start or change the club's experiment. */
export const ExperimentInput = z
  .object({
    experimentId: Id,
    status: z.enum(['running', 'stopped']).default('running'),
    arms: z
      .array(
        Arm.extend({
          policy: z.discriminatedUnion('type', [
            z.object({ type: z.literal('club-budget') }),
            FixedCap,
            z.object({
              type: z.literal('previous-settings'),
              budget: BudgetPolicy.optional(),
              engagement: EngagementPolicy.optional(),
            }),
            z.object({ type: z.literal('no-campaign-mail') }),
          ]),
        }),
      )
      .min(2)
      .max(4),
    readableAfter: Readability.default({ minMembersPerArm: 1000, minMonths: 3 }),
    conversionWindowDays: z.number().int().min(1).max(60).default(14),
  })
  .superRefine((e, ctx) => checkArms(e.arms, ctx));
export type ExperimentInput = z.infer<typeof ExperimentInput>;

/** One member's arm, stored once and never changed (lambdas/core/ports.ts ExperimentStore). */
export const Assignment = z.object({
  experimentId: Id,
  armId: Id,
  assignedAt: z.iso.datetime(),
  /** How it was drawn: the member's hash position (0–1) against the shares in force then. */
  draw: z.number().min(0).max(1),
});
export type Assignment = z.infer<typeof Assignment>;

/**
 * The member's position in [0, 1): a SHA-256 of (club, experiment, member). Uniform, independent of
 * the campaign holdout's hash, and the same on every run, shard and machine.
 */
export function drawOf(clubId: string, experimentId: string, memberId: string): number {
  const hash = createHash('sha256').update(`experiment\u0000${clubId}\u0000${experimentId}\u0000${memberId}`).digest();
  return hash.readUInt32BE(0) / 2 ** 32;
}

/** The arm a draw falls in under the given shares: the arms laid end to end in their order. */
export function armAt(arms: readonly Pick<Arm, 'armId' | 'share'>[], draw: number): string {
  let end = 0;
  for (const arm of arms) {
    end += arm.share;
    if (draw < end) return arm.armId;
  }
  // Rounding may leave the shares a hair under 1: the last arm with a share takes the rest.
  const last = arms.findLast((a) => a.share > 0) ?? arms[arms.length - 1];
  if (!last) throw new RangeError('an experiment has arms');
  return last.armId;
}

/**
 * The member's assignment: the stored one when there is one (it never changes, whatever the shares
 * are now), else a new one drawn under the current shares, for the caller to store.
 */
export function assignmentFor(
  experiment: Pick<Experiment, 'clubId' | 'experimentId' | 'arms'>,
  memberId: string,
  stored: Assignment | undefined,
  now: Date,
): { assignment: Assignment; isNew: boolean } {
  if (stored && stored.experimentId === experiment.experimentId) return { assignment: stored, isNew: false };
  const draw = drawOf(experiment.clubId, experiment.experimentId, memberId);
  return {
    assignment: {
      experimentId: experiment.experimentId,
      armId: armAt(experiment.arms, draw),
      assignedAt: now.toISOString(),
      draw,
    },
    isNew: true,
  };
}

/** The budget and engagement rules one arm's members are planned and claimed under. */
export interface ArmRules {
  readonly budget: BudgetPolicy;
  readonly engagement: EngagementPolicy;
}

/** Never passive, no lower cap, no raised or habit floor: a plain cap only. */
const PLAIN_ENGAGEMENT: EngagementPolicy = EngagementPolicy.parse({
  passiveAfterUnengagedMails: 1_000_000,
  passiveWindows: [],
  passiveFloorBoost: 0,
  habitRelevanceFloor: null,
});

/** The rules of an arm that mails; `undefined` for the control arm, which gets no campaign mail. */
export function armRules(policy: ArmPolicy, club: ArmRules): ArmRules | undefined {
  switch (policy.type) {
    case 'club-budget':
      return club;
    case 'fixed-cap':
      return {
        budget: { ...club.budget, windows: policy.windows, minGapHours: policy.minGapHours },
        engagement: PLAIN_ENGAGEMENT,
      };
    case 'previous-settings':
      return { budget: policy.budget, engagement: policy.engagement };
    case 'no-campaign-mail':
      return undefined;
    default:
      return assertNever(policy);
  }
}

/**
 * Whether a campaign of this kind reaches the control arm. Offers and notes are campaign mail and
 * do not; surveys do: they ask, sell nothing, have caps of their own (2 a year), and let the club
 * compare satisfaction across arms. Service mail (an unsubscribe confirmation, a case alert) is
 * never a campaign and is not touched (docs/decisions/0044-policy-experiment.md).
 */
export function reachesControl(kind: CampaignKind): boolean {
  switch (kind) {
    case 'survey':
      return true;
    case 'offers':
    case 'note':
      return false;
    default:
      return assertNever(kind);
  }
}

/** The arm a running experiment puts a member in, and what that arm's policy is. */
export interface MemberArm {
  readonly experimentId: string;
  readonly armId: string;
  readonly policy: ArmPolicy;
}

/** The member's arm in the club's running experiment, or none. */
export function memberArm(experiment: Experiment | undefined, assignment: Assignment): MemberArm | undefined {
  if (experiment?.status !== 'running' || assignment.experimentId !== experiment.experimentId) return undefined;
  const arm = experiment.arms.find((a) => a.armId === assignment.armId);
  // An arm removed since the member was assigned: the member keeps it, planned under the club's budget.
  return {
    experimentId: experiment.experimentId,
    armId: assignment.armId,
    policy: arm?.policy ?? { type: 'club-budget' },
  };
}
