import { createHash } from 'node:crypto';
import type { EngagementPolicy } from './engagement.js';
import type { Arm, Experiment } from './experiment.js';
import { type MemberHistory, type Month, type MonthOutcome, monthsOf, outcomeIn } from './experiment-outcomes.js';
import type { ExperimentPrediction } from './experiment-ports.js';
import { bootstrapMean, type Interval, meanDifference, meanInterval, newcombe, wilson } from './experiment-stats.js';

/** A share with its count and 95 % interval. */
export interface Share extends Interval {
  readonly count: number;
}

export interface ArmMonth {
  readonly armId: string;
  readonly policy: Arm['policy']['type'];
  readonly members: number;
  readonly left: Share | null;
  readonly passive: Share | null;
  readonly mailsPerMember: Interval | null;
  readonly conversionsPerMember: Interval | null;
  /** Null when no receipt of the arm's month carries an amount. */
  readonly spendPerMember: Interval | null;
}

/** `armId − versus`, each with its 95 % interval; null where an arm has no members. */
export interface ArmDifference {
  readonly armId: string;
  readonly versus: string;
  readonly left: Interval | null;
  readonly passive: Interval | null;
  readonly mailsPerMember: Interval | null;
  readonly conversionsPerMember: Interval | null;
  readonly spendPerMember: Interval | null;
}

export interface ReportMonth {
  readonly month: string;
  readonly complete: boolean;
  readonly arms: ArmMonth[];
  readonly differences: ArmDifference[];
}

export interface Readable {
  readonly readable: boolean;
  /** "readable", or "not yet readable: …" with what is missing. */
  readonly message: string;
  readonly monthsComplete: number;
  readonly smallestArm: number;
}

/** A fingerprint of the arms and their policies: a prediction made for other policies is stale. */
export function policiesFingerprint(experiment: Pick<Experiment, 'experimentId' | 'arms'>): string {
  const arms = experiment.arms.map((a) => ({ armId: a.armId, policy: a.policy }));
  return createHash('sha256')
    .update(JSON.stringify({ experimentId: experiment.experimentId, arms }))
    .digest('hex')
    .slice(0, 32);
}

const round = (value: number, digits = 4) => Math.round(value * 10 ** digits) / 10 ** digits;
const rounded = (i: Interval): Interval => ({ estimate: round(i.estimate), low: round(i.low), high: round(i.high) });

function share(outcomes: readonly MonthOutcome[], pick: (o: MonthOutcome) => boolean): Share | null {
  if (outcomes.length === 0) return null;
  const count = outcomes.filter(pick).length;
  return { count, ...rounded(wilson(count, outcomes.length)) };
}

function mean(outcomes: readonly MonthOutcome[], pick: (o: MonthOutcome) => number): Interval | null {
  return outcomes.length === 0 ? null : rounded(meanInterval(outcomes.map(pick)));
}

const hasSpend = (outcomes: readonly MonthOutcome[]) => outcomes.some((o) => o.receiptsWithAmount > 0);

/** One month of every arm, with each arm's difference from the reference arm. */
export function reportMonth(
  experiment: Experiment,
  month: Month,
  byArm: ReadonlyMap<string, readonly MonthOutcome[]>,
): ReportMonth {
  const arms = experiment.arms.map((arm): ArmMonth => {
    const outcomes = byArm.get(arm.armId) ?? [];
    return {
      armId: arm.armId,
      policy: arm.policy.type,
      members: outcomes.length,
      left: share(outcomes, (o) => o.left),
      passive: share(outcomes, (o) => o.passive),
      mailsPerMember: mean(outcomes, (o) => o.mails),
      conversionsPerMember: mean(outcomes, (o) => o.conversions),
      spendPerMember: hasSpend(outcomes)
        ? rounded(
            bootstrapMean(
              seedOf(experiment, month, arm.armId),
              outcomes.map((o) => o.spend),
            ),
          )
        : null,
    };
  });
  const reference = referenceArm(experiment);
  const base = byArm.get(reference) ?? [];
  const differences = experiment.arms
    .filter((arm) => arm.armId !== reference)
    .map((arm): ArmDifference => {
      const other = byArm.get(arm.armId) ?? [];
      const both = other.length > 0 && base.length > 0;
      const count = (list: readonly MonthOutcome[], pick: (o: MonthOutcome) => boolean) => list.filter(pick).length;
      const proportion = (pick: (o: MonthOutcome) => boolean) =>
        both ? rounded(newcombe(count(other, pick), other.length, count(base, pick), base.length)) : null;
      const means = (pick: (o: MonthOutcome) => number) =>
        both ? rounded(meanDifference(other.map(pick), base.map(pick))) : null;
      return {
        armId: arm.armId,
        versus: reference,
        left: proportion((o) => o.left),
        passive: proportion((o) => o.passive),
        mailsPerMember: means((o) => o.mails),
        conversionsPerMember: means((o) => o.conversions),
        spendPerMember:
          both && (hasSpend(other) || hasSpend(base))
            ? rounded(
                bootstrapMean(
                  seedOf(experiment, month, `${arm.armId}-${reference}`),
                  other.map((o) => o.spend),
                  base.map((o) => o.spend),
                ),
              )
            : null,
      };
    });
  return { month: month.month, complete: month.complete, arms, differences };
}

/** The arm the others are compared with: the club's budget when an arm has it, else the first. */
export function referenceArm(experiment: Pick<Experiment, 'arms'>): string {
  const arm = experiment.arms.find((a) => a.policy.type === 'club-budget') ?? experiment.arms[0];
  if (!arm) throw new RangeError('an experiment has arms');
  return arm.armId;
}

/** The bootstrap's seed: the same experiment, month and arms always give the same interval. */
function seedOf(experiment: Pick<Experiment, 'clubId' | 'experimentId'>, month: Month, arms: string): string {
  return `${experiment.clubId}/${experiment.experimentId}/${month.month}/${arms}`;
}

/** Whether the result may be read: the minimum months and members, as stated when it started. */
export function readability(experiment: Experiment, months: readonly ReportMonth[]): Readable {
  const { minMonths, minMembersPerArm } = experiment.readableAfter;
  const complete = months.filter((m) => m.complete);
  const last = complete[complete.length - 1];
  const smallestArm = last ? Math.min(...last.arms.map((a) => a.members)) : 0;
  const missing: string[] = [];
  if (complete.length < minMonths) missing.push(`${minMonths} whole months are needed and ${complete.length} are over`);
  if (smallestArm < minMembersPerArm)
    missing.push(`every arm needs ${minMembersPerArm} members and the smallest has ${smallestArm}`);
  return {
    readable: missing.length === 0,
    message: missing.length === 0 ? 'readable' : `not yet readable: ${missing.join('; ')}`,
    monthsComplete: complete.length,
    smallestArm,
  };
}

/** The simulator's prediction for each arm beside what its members did in the latest month. */
export function besideObserved(
  prediction: ExperimentPrediction | undefined,
  experiment: Experiment,
  months: readonly ReportMonth[],
) {
  if (!prediction) return { status: 'missing' as const, arms: [] };
  const stale =
    prediction.experimentId !== experiment.experimentId || prediction.policies !== policiesFingerprint(experiment);
  const latest = months[months.length - 1];
  const arms = experiment.arms.map((arm) => {
    const predicted = prediction.arms.find((p) => p.armId === arm.armId);
    const observed = latest?.arms.find((a) => a.armId === arm.armId);
    const monthIndex = Math.min(months.length, predicted?.leftShareByMonth.length ?? 0) - 1;
    return {
      armId: arm.armId,
      month: latest?.month ?? null,
      predicted: predicted
        ? {
            leftShare: monthIndex >= 0 ? (predicted.leftShareByMonth[monthIndex] ?? null) : null,
            mailsPerMember: predicted.mailsPerMemberPerMonth,
            conversionsPerMember: predicted.conversionsPerMemberPerMonth,
          }
        : null,
      observed: observed
        ? {
            leftShare: observed.left?.estimate ?? null,
            mailsPerMember: observed.mailsPerMember?.estimate ?? null,
            conversionsPerMember: observed.conversionsPerMember?.estimate ?? null,
          }
        : null,
    };
  });
  return {
    status: stale ? ('stale' as const) : ('present' as const),
    computedAt: prediction.computedAt,
    simulator: prediction.simulator,
    arms,
  };
}

/** The whole report from the members' histories: every month, readability, the prediction beside. */
export function experimentReport(
  experiment: Experiment,
  members: readonly MemberHistory[],
  now: number,
  engagement: EngagementPolicy,
  prediction: ExperimentPrediction | undefined,
) {
  const until = experiment.stoppedAt ? Math.min(now, Date.parse(experiment.stoppedAt)) : now;
  const rules = { engagement, conversionWindowDays: experiment.conversionWindowDays };
  const months = monthsOf(Date.parse(experiment.startedAt), until).map((month) => {
    const byArm = new Map<string, MonthOutcome[]>();
    for (const member of members) {
      const outcome = outcomeIn(member, month, until, rules);
      if (!outcome) continue;
      const list = byArm.get(member.armId) ?? [];
      list.push(outcome);
      byArm.set(member.armId, list);
    }
    return reportMonth(experiment, month, byArm);
  });
  return {
    experiment,
    reference: referenceArm(experiment),
    readability: readability(experiment, months),
    months,
    prediction: besideObserved(prediction, experiment, months),
  };
}
