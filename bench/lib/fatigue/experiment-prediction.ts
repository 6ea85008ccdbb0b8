/**
 * The churn simulator's prediction for the arms of a club's policy experiment: each arm's policy
 * run over the same simulated club and year (the same members, campaigns and dice), so the report
 * can put what the simulator expects beside what the club's members did
 * (docs/decisions/0044-policy-experiment.md).
 */
import { type BudgetPolicy, BudgetPolicy as BudgetPolicySchema } from '../../../lambdas/core/budget.js';
import type { EngagementPolicy } from '../../../lambdas/core/engagement.js';
import type { ArmPolicy, Experiment } from '../../../lambdas/core/experiment.js';
import type { ExperimentPrediction } from '../../../lambdas/core/experiment-ports.js';
import { policiesFingerprint } from '../../../lambdas/core/experiment-report.js';
import { assertNever } from '../../../lambdas/core/units.js';
import { firstComeFirstServed, ours, type Policy } from './policies.js';
import { simulate } from './simulate.js';
import { buildWorld, DAY_MS } from './world.js';

/** The average calendar month. */
const MONTH_MS = (365.25 / 12) * DAY_MS;

export interface PredictOptions {
  readonly members: number;
  readonly weeks: number;
  readonly seed: number;
}

/** The simulator's policy for an arm's policy: the same rules the planner applies to that arm. */
export function simulatedPolicy(
  armId: string,
  policy: ArmPolicy,
  club: { readonly budget: BudgetPolicy; readonly engagement: EngagementPolicy },
): Policy {
  switch (policy.type) {
    case 'club-budget':
      return ours(armId, { budget: club.budget, engagement: club.engagement });
    case 'previous-settings':
      return ours(armId, { budget: policy.budget, engagement: policy.engagement });
    case 'fixed-cap':
      return firstComeFirstServed(
        armId,
        BudgetPolicySchema.parse({ ...club.budget, windows: policy.windows, minGapHours: policy.minGapHours }),
      );
    case 'no-campaign-mail':
      return { name: armId, send: () => false };
    default:
      return assertNever(policy);
  }
}

/** Every arm over one simulated club: leavers by month, mails and conversions per member per month. */
export function predictExperiment(
  experiment: Experiment,
  club: { readonly budget: BudgetPolicy; readonly engagement: EngagementPolicy },
  options: PredictOptions,
  now: Date,
): ExperimentPrediction {
  const world = buildWorld({ seed: options.seed, members: options.members, weeks: options.weeks });
  const months = Math.max(1, Math.round((options.weeks * 7 * DAY_MS) / MONTH_MS));
  const arms = experiment.arms.map((arm) => {
    const leftInMonth = new Array<number>(months).fill(0);
    const result = simulate(world, simulatedPolicy(arm.armId, arm.policy, club), undefined, {
      onLeave: (_member, campaign) => {
        const month = Math.min(months - 1, Math.floor((campaign.at - world.start) / MONTH_MS));
        leftInMonth[month] = (leftInMonth[month] ?? 0) + 1;
      },
    });
    let cumulative = 0;
    const leftShareByMonth = leftInMonth.map((n) => {
      cumulative += n;
      return round(cumulative / result.members);
    });
    return {
      armId: arm.armId,
      leftShareByMonth,
      mailsPerMemberPerMonth: round(result.mails / result.members / months),
      conversionsPerMemberPerMonth: round(result.conversions / result.members / months),
    };
  });
  return {
    experimentId: experiment.experimentId,
    policies: policiesFingerprint(experiment),
    simulator: {
      members: options.members,
      weeks: options.weeks,
      seed: options.seed,
      world: 'bench/lib/fatigue: the demo grocery club, behaviour model of docs/benchmarks-fatigue.md',
    },
    arms,
    computedAt: now.toISOString(),
  };
}

const round = (value: number) => Math.round(value * 10_000) / 10_000;
