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
  passiveAfterUnengagedMails: z.number().int().min(1).default(3),
  passiveWindows: z.array(BudgetWindow).max(6).default([{ days: 30, max: 1 }]),
  passiveFloorBoost: z.number().min(0).default(0.15),
});
export type EngagementPolicy = z.infer<typeof EngagementPolicy>;

/** Passive after 3 unengaged mails; then at most 1 mail per 30 days, and a relevance floor 0.15 higher. */
export const DEFAULT_ENGAGEMENT: EngagementPolicy = EngagementPolicy.parse({});

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
export function budgetFor<P extends Pick<BudgetPolicy, 'windows'>>(club: P, engagement: Engagement, policy: EngagementPolicy = DEFAULT_ENGAGEMENT): P {
  if (engagement.state === 'active' || policy.passiveWindows.length === 0) return club;
  return { ...club, windows: [...club.windows, ...policy.passiveWindows] };
}

/** The relevance a mail's best offer needs for this member: the campaign's floor, raised for passive members. */
export function relevanceFloorFor(campaignFloor: number, engagement: Engagement, policy: EngagementPolicy = DEFAULT_ENGAGEMENT): number {
  return engagement.state === 'passive' ? campaignFloor + policy.passiveFloorBoost : campaignFloor;
}
