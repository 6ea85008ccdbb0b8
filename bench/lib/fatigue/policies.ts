/**
 * The send policies compared by `bench/fatigue.ts`. Every policy sees what a real planner sees: the
 * member's ledger, their chosen frequency, their engagement, and the relevance the real ranking gives
 * each campaign's mail. None sees the behaviour model.
 */
import { type Allocation, type AllocationRequest, allocate } from '../../../lambdas/core/allocation.js';
import { BudgetPolicy, checkBudget, DEFAULT_BUDGET } from '../../../lambdas/core/budget.js';
import { DEFAULT_RELEVANCE_FLOOR } from '../../../lambdas/core/decision.js';
import {
  budgetFor,
  DEFAULT_ENGAGEMENT,
  defaultFloorFor,
  type EngagementInput,
  type EngagementPolicy,
  engagementOf,
  relevanceFloorFor,
  type ScoreEvidence,
} from '../../../lambdas/core/engagement.js';
import type { Frequency } from '../../../lambdas/core/model.js';
import { DAY_MS } from '../../../lambdas/core/units.js';
import type { SimCampaign, SimMember } from './world.js';

/** One campaign's mail for one member, at the moment the policy decides. */
export interface MailContext {
  readonly member: SimMember;
  readonly campaign: SimCampaign;
  /** The best offer's score from the real ranking (> 0: the mail has offers). */
  readonly relevance: number;
  /** The ledger: epoch ms of the member's marketing mails in the last `LEDGER_DAYS`, oldest first. */
  readonly sentAt: readonly number[];
  /** The mails since the member's latest open, click or purchase from a mail, and when that was. */
  readonly engagement: EngagementInput;
  /** The member's latest club-card purchase before this mail, from the profile. */
  readonly lastPurchaseAt: number | undefined;
  /** The campaigns after this one, up to `MAX_PLANNING_HORIZON_DAYS` ahead, whose mail would have offers for this member. */
  readonly upcoming: () => ReadonlyArray<{ readonly campaign: SimCampaign; readonly relevance: number }>;
}

export interface Policy {
  readonly name: string;
  readonly send: (mail: MailContext) => boolean;
}

/** No club cap at all: one window that never binds. The member's own choice is still honoured. */
const NO_CAP = BudgetPolicy.parse({ windows: [{ days: 1, max: 100 }] });

/**
 * A policy that only checks a budget first-come first-served, at send time. Every policy honours
 * the member's chosen frequency: that is the member's right, not a tuning knob.
 */
export function firstComeFirstServed(name: string, budget: BudgetPolicy): Policy {
  return {
    name,
    send: (mail) => checkBudget(mail.sentAt, new Date(mail.campaign.at), budget, mail.member.frequency).ok,
  };
}

export const SEND_EVERYTHING: Policy = firstComeFirstServed('send everything', NO_CAP);
export const FIXED_CAP: Policy = firstComeFirstServed(
  'fixed cap ≤ 2 per 7 days',
  BudgetPolicy.parse({ windows: [{ days: 7, max: 2 }] }),
);
export const MIN_GAP_16H: Policy = firstComeFirstServed(
  '≤ 1 per 16 hours',
  BudgetPolicy.parse({ windows: [{ days: 1, max: 100 }], minGapHours: 16 }),
);

export interface OursInput {
  readonly campaignId: string;
  /** This campaign's request and those of the campaigns competing for the member in the horizon. */
  readonly requests: ReadonlyArray<AllocationRequest & { readonly floor?: number }>;
  /** The ledger's recent sends. */
  readonly sentAt: readonly number[];
  /**
   * What engagement is judged on. Not the ledger: it forgets sends after 30 days, and with them a
   * passive member's silence, so the member item must keep its mails since the last engagement.
   */
  readonly history: EngagementInput;
  readonly frequency: Frequency;
  readonly budget: BudgetPolicy;
  readonly engagement: EngagementPolicy;
  /** How much the scores know the member: sets the floor of requests without their own (as `decide`). */
  readonly evidence: ScoreEvidence;
}

/**
 * Our policy, from the core modules only, so the planner and the simulator share the logic:
 * engagement (engagement.ts) sets the passive caps, the raised relevance floor and the weight; the
 * relevance floor drops mails with nothing relevant enough; the club budget (budget.ts) plus the
 * passive windows bound the member's mail; and allocation (allocation.ts) gives that budget to the
 * campaigns in the planning horizon with the highest expected value.
 */
export function oursPolicy(input: OursInput): Allocation {
  const engagement = engagementOf(input.history, input.engagement);
  const relevant = input.requests.filter(
    (r) =>
      r.relevance >=
      relevanceFloorFor(
        r.floor ?? defaultFloorFor(DEFAULT_RELEVANCE_FLOOR, input.evidence, input.engagement),
        engagement,
        input.engagement,
      ),
  );
  if (!relevant.some((r) => r.campaignId === input.campaignId)) {
    return {
      campaignId: input.campaignId,
      outcome: 'suppress',
      reason: 'below-relevance-floor',
      message: `No offer is relevant enough for a${engagement.state === 'passive' ? ' passive' : 'n active'} member.`,
    };
  }
  const allocations = allocate({
    requests: relevant,
    sentAt: input.sentAt,
    policy: budgetFor(input.budget, engagement, input.engagement),
    frequency: input.frequency,
    engagementWeight: engagement.weight,
  });
  const mine = allocations.find((a) => a.campaignId === input.campaignId);
  if (!mine) throw new Error(`allocate dropped campaign ${input.campaignId}`);
  return mine;
}

/** The longest planning horizon a budget may set (BudgetPolicy.planningHorizonDays); each policy cuts it to its own. */
export const MAX_PLANNING_HORIZON_DAYS = 30;

export interface OursOptions {
  readonly budget?: BudgetPolicy;
  readonly engagement?: EngagementPolicy;
  /**
   * Whether any club-card purchase counts as engagement (Member.lastEngagedAt: "a purchase counts
   * too, from the profile"), or only opens, clicks and purchases from a mail.
   */
  readonly purchasesCount?: boolean;
  /** Every campaign's relevance floor, instead of the default `decide` would use (an ablation). */
  readonly floor?: number;
}

export function ours(name: string, options: OursOptions = {}): Policy {
  const budget = options.budget ?? DEFAULT_BUDGET;
  const engagement = options.engagement ?? DEFAULT_ENGAGEMENT;
  const purchasesCount = options.purchasesCount ?? true;
  return {
    name,
    send: (mail) => {
      const horizon = mail.campaign.at + budget.planningHorizonDays * DAY_MS;
      const rivals = mail.upcoming().filter((r) => r.campaign.at <= horizon);
      const requests = [mail, ...rivals].map(({ campaign, relevance }) => ({
        campaignId: campaign.campaignId,
        at: campaign.at,
        relevance,
        priority: campaign.priority,
        ...(options.floor === undefined ? {} : { floor: options.floor }),
      }));
      const lastEngagedAt = latest(mail.engagement.lastEngagedAt, purchasesCount ? mail.lastPurchaseAt : undefined);
      const decision = oursPolicy({
        campaignId: mail.campaign.campaignId,
        requests,
        sentAt: mail.sentAt,
        history:
          lastEngagedAt === undefined
            ? { sentAt: mail.engagement.sentAt }
            : { sentAt: mail.engagement.sentAt, lastEngagedAt },
        frequency: mail.member.frequency,
        budget,
        engagement,
        // The world fits the club model before the year starts; receipts as the profile counts them.
        evidence: { modelFitted: true, receipts: countBefore(mail.member.purchaseTimes, mail.campaign.at) },
      });
      return decision.outcome === 'send';
    },
  };
}

/** How many of the sorted `times` are before `at`, by binary search. */
export function countBefore(times: readonly number[], at: number): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((times[mid] ?? Number.POSITIVE_INFINITY) < at) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function latest(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return Math.max(a, b);
}
