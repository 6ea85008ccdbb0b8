import { createHash } from 'node:crypto';
import type { EngagementPolicy } from './engagement.js';
import type { Experiment } from './experiment.js';
import { resampledMeans } from './experiment-bootstrap.js';
import type { ArmDifference, ArmMonth, Interval, ReportMonth, Share } from './experiment-figures.js';
import { type MemberHistory, type Month, monthsOf } from './experiment-outcomes.js';
import type { ExperimentPrediction } from './experiment-ports.js';
import {
  BOOTSTRAP_RESAMPLES,
  bootstrapOfMeans,
  meanDifference,
  meanInterval,
  newcombe,
  seededRandom,
  wilson,
} from './experiment-stats.js';
import { type ArmTally, type Histogram, type Tallies, tallyMembers, valuesOf } from './experiment-tally.js';

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

function share(tally: ArmTally | undefined, count: (t: ArmTally) => number): Share | null {
  if (!tally || tally.members === 0) return null;
  return { count: count(tally), ...rounded(wilson(count(tally), tally.members)) };
}

function mean(tally: ArmTally | undefined, values: (t: ArmTally) => Histogram): Interval | null {
  return !tally || tally.members === 0 ? null : rounded(meanInterval(valuesOf(values(tally))));
}

const hasSpend = (tally: ArmTally | undefined) => (tally?.withAmount ?? 0) > 0;
/** Spend per member in the club's currency: exact, from the sum. */
const spendMean = (tally: ArmTally) => tally.spendSumMinor / tally.members / 100;
/** An interval whose estimate is in the currency and whose limits are in minor units, all in the currency. */
const inCurrency = (i: Interval): Interval => ({ estimate: i.estimate, low: i.low / 100, high: i.high / 100 });

/**
 * One month of every arm, with each arm's difference from the reference arm, from the month's tallies
 * (core/experiment-tally.ts): the same figures however the members were counted.
 */
export function reportMonth(experiment: Experiment, month: Month, byArm: ReadonlyMap<string, ArmTally>): ReportMonth {
  // Each arm's spend resampled once (seeded by the arm), for its own interval and every difference with it.
  const resampled = new Map<string, Float64Array>();
  const spendResamples = (armId: string, tally: ArmTally) => {
    let means = resampled.get(armId);
    if (!means) {
      means = resampledMeans(tally.spendMinor, BOOTSTRAP_RESAMPLES, seededRandom(seedOf(experiment, month, armId)));
      resampled.set(armId, means);
    }
    return means;
  };
  const arms = experiment.arms.map((arm): ArmMonth => {
    const tally = byArm.get(arm.armId);
    return {
      armId: arm.armId,
      policy: arm.policy.type,
      members: tally?.members ?? 0,
      left: share(tally, (t) => t.left),
      passive: share(tally, (t) => t.passive),
      mailsPerMember: mean(tally, (t) => t.mails),
      conversionsPerMember: mean(tally, (t) => t.conversions),
      spendPerMember:
        tally && hasSpend(tally)
          ? rounded(inCurrency(bootstrapOfMeans(spendMean(tally), spendResamples(arm.armId, tally))))
          : null,
    };
  });
  const reference = referenceArm(experiment);
  const base = byArm.get(reference);
  const differences = experiment.arms
    .filter((arm) => arm.armId !== reference)
    .map((arm): ArmDifference => {
      const other = byArm.get(arm.armId);
      const both = other !== undefined && base !== undefined && other.members > 0 && base.members > 0;
      const proportion = (count: (t: ArmTally) => number) =>
        both ? rounded(newcombe(count(other), other.members, count(base), base.members)) : null;
      const means = (values: (t: ArmTally) => Histogram) =>
        both ? rounded(meanDifference(valuesOf(values(other)), valuesOf(values(base)))) : null;
      return {
        armId: arm.armId,
        versus: reference,
        left: proportion((t) => t.left),
        passive: proportion((t) => t.passive),
        mailsPerMember: means((t) => t.mails),
        conversionsPerMember: means((t) => t.conversions),
        spendPerMember:
          both && (hasSpend(other) || hasSpend(base))
            ? rounded(
                inCurrency(
                  bootstrapOfMeans(
                    spendMean(other) - spendMean(base),
                    spendResamples(arm.armId, other),
                    spendResamples(reference, base),
                  ),
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

/** The months from the experiment's start to `now` (or its stop), each worked out from the tallies. */
export function monthsFromTallies(experiment: Experiment, tallies: Tallies, now: number): ReportMonth[] {
  const byMonth = new Map<string, Map<string, ArmTally>>();
  for (const t of tallies) {
    const arms = byMonth.get(t.month) ?? new Map<string, ArmTally>();
    arms.set(t.armId, t);
    byMonth.set(t.month, arms);
  }
  return monthsUntil(experiment, now).map((month) =>
    reportMonth(experiment, month, byMonth.get(month.month) ?? new Map()),
  );
}

/** The calendar months the report covers: from the start to `now`, or to the stop when it stopped. */
export function monthsUntil(experiment: Experiment, now: number): Month[] {
  return monthsOf(Date.parse(experiment.startedAt), untilOf(experiment, now));
}

/** The report ends at the experiment's stop. */
export const untilOf = (experiment: Pick<Experiment, 'stoppedAt'>, now: number) =>
  experiment.stoppedAt ? Math.min(now, Date.parse(experiment.stoppedAt)) : now;

/** The report around its months: the reference arm, whether it may be read, the prediction beside. */
export function reportAround(
  experiment: Experiment,
  months: readonly ReportMonth[],
  prediction: ExperimentPrediction | undefined,
) {
  return {
    experiment,
    reference: referenceArm(experiment),
    readability: readability(experiment, months),
    months: [...months],
    prediction: besideObserved(prediction, experiment, months),
  };
}

/**
 * The whole report from every member's history at once: every month, readability, the prediction
 * beside. The stored report (app/experiment-count.ts) counts the same tallies a slice at a time.
 */
export function experimentReport(
  experiment: Experiment,
  members: readonly MemberHistory[],
  now: number,
  engagement: EngagementPolicy,
  prediction: ExperimentPrediction | undefined,
) {
  const until = untilOf(experiment, now);
  const rules = { engagement, conversionWindowDays: experiment.conversionWindowDays };
  const tallies = tallyMembers(members, monthsUntil(experiment, now), until, rules);
  return reportAround(experiment, monthsFromTallies(experiment, tallies, now), prediction);
}
