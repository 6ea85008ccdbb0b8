import { z } from 'zod';
import { type BudgetPolicy, BudgetWindow } from './budget.js';

/**
 * When a member counts as passive, and what that changes for the planner.
 *
 * A member is passive once they have not opened, clicked or bought after `passiveAfterUnengagedMails`
 * marketing mails in a row. Passive members get the extra `passiveWindows` on top of the club's
 * budget and need offers `passiveFloorBoost` more relevant than active members do: mailing someone
 * who no longer reads us costs reputation and unsubscribes for little expected value.
 */
export const EngagementPolicy = z.object({
  passiveAfterUnengagedMails: z.number().int().min(1).default(10),
  passiveWindows: z
    .array(BudgetWindow)
    .max(6)
    .default([{ days: 30, max: 1 }]),
  passiveFloorBoost: z.number().min(0).default(0.15),
  /**
   * The club's relevance floor for members whose habits the scores know (a fitted club model and at
   * least `HABIT_RECEIPTS` receipts), for campaigns without their own floor. `null`: the planner's
   * default floor for everyone. See `SELECTIVE_ENGAGEMENT`.
   */
  habitRelevanceFloor: z.number().min(0).max(1).nullable().default(0.4),
});
export type EngagementPolicy = z.infer<typeof EngagementPolicy>;

/**
 * Passive after 10 unengaged mails, then at most 1 mail per 30 days and a floor 0.15 higher; a habit
 * floor of 0.4 for members the fitted model knows. See `SELECTIVE_ENGAGEMENT` for the reasoning.
 */
export const DEFAULT_ENGAGEMENT: EngagementPolicy = EngagementPolicy.parse({});

/**
 * Settings measured to meet the product's churn and conversion goals in the fatigue simulation
 * (docs/benchmarks-fatigue.md), with `SELECTIVE_BUDGET`: choose mails by relevance rather than by
 * count. A floor of 0.4 on the fitted scorer (about the median mail's best offer) for members with
 * known habits; passive only after 10 unengaged mails, because at a list's typical open rate of
 * about 22 % (Mailchimp 2019) a reader misses 3 mails in a row half the time (0.78³ ≈ 0.47) but
 * 10 in a row 8 % of the time. These are the defaults (DEFAULT_ENGAGEMENT).
 */
export const SELECTIVE_ENGAGEMENT: EngagementPolicy = EngagementPolicy.parse({
  passiveAfterUnengagedMails: 10,
  habitRelevanceFloor: 0.4,
});

/** The first default: passive after 3 unengaged mails and no habit floor. */
export const CONSERVATIVE_ENGAGEMENT: EngagementPolicy = EngagementPolicy.parse({
  passiveAfterUnengagedMails: 3,
  habitRelevanceFloor: null,
});

/** Receipts after which a member's scores reflect their own habits rather than popularity. */
export const HABIT_RECEIPTS = 3;

/** What the planner knows about how well its scores know this member. */
export interface ScoreEvidence {
  /** Whether the club model has been fitted (scores on the measured scale). */
  readonly modelFitted: boolean;
  /** The member's receipts in the profile. */
  readonly receipts: number;
}

/**
 * The floor of a campaign without its own: the club's `habitRelevanceFloor` once the scores know the
 * member, else `fallback` (the planner's default). Before the first fit or with few receipts, scores
 * come mostly from popularity (at most 0.3), and a habit floor would silence new members altogether.
 */
export function defaultFloorFor(
  fallback: number,
  evidence: ScoreEvidence,
  policy: EngagementPolicy = DEFAULT_ENGAGEMENT,
): number {
  const habit = policy.habitRelevanceFloor;
  return habit !== null && evidence.modelFitted && evidence.receipts >= HABIT_RECEIPTS ? habit : fallback;
}

export type EngagementState = 'active' | 'passive';

export interface Engagement {
  readonly state: EngagementState;
  /** Marketing mails sent after the member's last open, click or purchase (all of them if never engaged). */
  readonly unengagedMails: number;
  /**
   * A 0–1 factor on a mail's expected value: 1 while active; once passive, 1 / (1 + n) where n counts
   * the unengaged mails from the threshold on (so 1/2 on becoming passive, 1/3 one mail later, …).
   */
  readonly weight: number;
}

export interface EngagementInput {
  /** Epoch milliseconds of earlier marketing mails (as in the ledger). */
  readonly sentAt: readonly number[];
  /** Epoch milliseconds of the member's latest open, click or purchase, if any. */
  readonly lastEngagedAt?: number;
}

/**
 * Whether a member is active or passive. A mail counts as unengaged when it was sent after the
 * member's last engagement, so a member is active again as soon as they engage after their latest
 * mail. Only the sends given are counted: a ledger that forgets old sends also forgets old silence.
 */
export function engagementOf(input: EngagementInput, policy: EngagementPolicy = DEFAULT_ENGAGEMENT): Engagement {
  const since = input.lastEngagedAt ?? Number.NEGATIVE_INFINITY;
  const unengagedMails = input.sentAt.filter((at) => at > since).length;
  if (unengagedMails < policy.passiveAfterUnengagedMails) return { state: 'active', unengagedMails, weight: 1 };
  const beyondThreshold = unengagedMails - policy.passiveAfterUnengagedMails + 1;
  return { state: 'passive', unengagedMails, weight: 1 / (1 + beyondThreshold) };
}

/** The club's budget for this member: passive members get the passive windows on top. */
export function budgetFor<P extends Pick<BudgetPolicy, 'windows'>>(
  club: P,
  engagement: Engagement,
  policy: EngagementPolicy = DEFAULT_ENGAGEMENT,
): P {
  if (engagement.state === 'active' || policy.passiveWindows.length === 0) return club;
  return { ...club, windows: [...club.windows, ...policy.passiveWindows] };
}

/** The relevance a mail's best offer needs for this member: the campaign's floor, raised for passive members. */
export function relevanceFloorFor(
  campaignFloor: number,
  engagement: Engagement,
  policy: EngagementPolicy = DEFAULT_ENGAGEMENT,
): number {
  return engagement.state === 'passive' ? campaignFloor + policy.passiveFloorBoost : campaignFloor;
}
