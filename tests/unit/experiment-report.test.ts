import { describe, expect, it } from 'vitest';
import { DEFAULT_ENGAGEMENT } from '../../lambdas/core/engagement.js';
import { Experiment } from '../../lambdas/core/experiment.js';
import { type MemberHistory, monthsOf } from '../../lambdas/core/experiment-outcomes.js';
import { experimentReport, policiesFingerprint } from '../../lambdas/core/experiment-report.js';
import { bootstrapMean, meanDifference, meanInterval, newcombe, wilson } from '../../lambdas/core/experiment-stats.js';

const DAY = 86_400_000;
const START = Date.parse('2027-01-01T00:00:00.000Z');

describe('the intervals, against worked examples', () => {
  it('gives the Wilson interval of 10 of 100', () => {
    // By hand, z = 1.959964, z² = 3.841459, p = 0.1, n = 100:
    //   denominator = 1 + z²/n = 1.0384146
    //   centre = (p + z²/2n) / denominator = (0.1 + 0.0192073) / 1.0384146 = 0.1147967
    //   half   = z·√(p(1−p)/n + z²/4n²) / denominator = 1.959964·√(0.0009 + 0.0000960365) / 1.0384146
    //          = 1.959964 · 0.0315600 / 1.0384146 = 0.0595673
    //   → 0.0552294 to 0.1743640 (Newcombe 1998, Table I, gives 0.0552–0.1744 for 10/100).
    const i = wilson(10, 100);
    expect(i.estimate).toBe(0.1);
    expect(i.low).toBeCloseTo(0.05523, 4);
    expect(i.high).toBeCloseTo(0.17436, 4);
  });

  it("gives Newcombe's hybrid score interval for 56/70 − 48/80", () => {
    // By hand (Newcombe 1998, example (a); method 10 gives +0.0524 to +0.3339):
    //   56/70: p1 = 0.8, denominator 1 + 3.841459/70 = 1.0548780, centre (0.8 + 0.0274390)/1.0548780 = 0.7843935,
    //          half 1.959964·√(0.16/70 + 3.841459/19600)/1.0548780 = 1.959964·0.0498168/1.0548780 = 0.0925596
    //          → l1 = 0.6918339, u1 = 0.8769531
    //   48/80: p2 = 0.6, denominator 1.0480182, centre 0.6240091/1.0480182 = 0.5954181,
    //          half 1.959964·√(0.24/80 + 3.841459/25600)/1.0480182 = 1.959964·0.0561254/1.0480182 = 0.1049636
    //          → l2 = 0.4904545, u2 = 0.7003817
    //   d = 0.2; low  = d − √((p1 − l1)² + (u2 − p2)²) = 0.2 − √(0.1081661² + 0.1003817²) = 0.2 − 0.1475691 = 0.0524309
    //            high = d + √((u1 − p1)² + (p2 − l2)²) = 0.2 + √(0.0769531² + 0.1095455²) = 0.2 + 0.1338726 = 0.3338726
    const d = newcombe(56, 70, 48, 80);
    expect(d.estimate).toBeCloseTo(0.2, 10);
    expect(d.low).toBeCloseTo(0.05243, 4);
    expect(d.high).toBeCloseTo(0.33387, 4);
  });

  it('gives the normal interval of a mean and Welch’s of a difference of means', () => {
    // 0, 1, 2, 3, 4: mean 2, sample variance (4+1+0+1+4)/4 = 2.5, standard error √(2.5/5) = 0.7071068,
    // half width 1.959964 · 0.7071068 = 1.3859038 → 0.6140962 to 3.3859038.
    const m = meanInterval([0, 1, 2, 3, 4]);
    expect(m.estimate).toBe(2);
    expect(m.low).toBeCloseTo(0.6141, 4);
    expect(m.high).toBeCloseTo(3.3859, 4);
    // Against 1, 1, 1, 1 (variance 0): difference 1, half width 1.959964·√(2.5/5 + 0/4) = 1.3859038.
    const d = meanDifference([0, 1, 2, 3, 4], [1, 1, 1, 1]);
    expect(d.estimate).toBe(1);
    expect(d.low).toBeCloseTo(-0.3859, 4);
    expect(d.high).toBeCloseTo(2.3859, 4);
  });

  it('gives the same bootstrap interval for the same seed, and one close to the normal interval for symmetric data', () => {
    const spend = Array.from({ length: 400 }, (_, i) => (i % 20) * 10); // 0…190, mean 95
    const a = bootstrapMean('club/exp/2027-01/budget', spend);
    expect(bootstrapMean('club/exp/2027-01/budget', spend)).toEqual(a);
    expect(bootstrapMean('club/exp/2027-01/other', spend)).not.toEqual(a);
    expect(a.estimate).toBe(95);
    // Normal half width: 1.959964 · sd / √400, sd = √(Σ(x − 95)² / 399) = 57.7 → 5.66. The bootstrap's
    // percentiles estimate the same interval from 2,000 resamples: within 15 % of it.
    const normal = meanInterval(spend);
    expect(a.low).toBeLessThan(95);
    expect(a.high).toBeGreaterThan(95);
    expect((a.high - a.low) / (normal.high - normal.low)).toBeGreaterThan(0.85);
    expect((a.high - a.low) / (normal.high - normal.low)).toBeLessThan(1.15);
  });
});

const experiment = (readable = { minMembersPerArm: 50, minMonths: 1 }) =>
  Experiment.parse({
    clubId: 'club-1',
    experimentId: 'leaving-2027',
    status: 'running',
    arms: [
      { armId: 'budget', share: 0.5, policy: { type: 'club-budget' } },
      { armId: 'fixed', share: 0.5, policy: { type: 'fixed-cap', windows: [{ days: 7, max: 2 }] } },
    ],
    readableAfter: readable,
    startedAt: new Date(START).toISOString(),
    updatedAt: new Date(START).toISOString(),
  });

/** `n` members of an arm, the first `left` of whom unsubscribed on 10 January; each got `mails` mails. */
function members(armId: string, n: number, left: number, mails: (i: number) => number): MemberHistory[] {
  return Array.from({ length: n }, (_, i) => ({
    memberId: `${armId}-${i}`,
    armId,
    assignedAt: START,
    ...(i < left ? { leftAt: START + 9 * DAY } : {}),
    // Engaged on the last day of the month: nobody passive.
    lastEngagedAt: START + 30 * DAY,
    mails: Array.from({ length: mails(i) }, (_, k) => ({ at: START + (k + 1) * DAY, productIds: ['p1'] })),
    receipts: i === 0 ? [{ at: START + 2 * DAY + 3_600_000, productIds: ['p1', 'p2'], spend: 250 }] : [],
  }));
}

describe('the experiment report', () => {
  const FEB_2 = Date.parse('2027-02-02T00:00:00.000Z');

  it("puts each arm's share of leavers and the difference between arms on the worked examples' numbers", () => {
    // January: 56 of 70 members of "fixed" left, 48 of 80 of "budget": the Newcombe example above.
    const all = [...members('fixed', 70, 56, () => 3), ...members('budget', 80, 48, (i) => i % 5)];
    const report = experimentReport(experiment(), all, FEB_2, DEFAULT_ENGAGEMENT, undefined);
    const january = report.months[0];
    expect(january?.month).toBe('2027-01');
    const fixed = january?.arms.find((a) => a.armId === 'fixed');
    expect(fixed?.members).toBe(70);
    expect(fixed?.left).toEqual({ count: 56, estimate: 0.8, low: 0.6918, high: 0.877 });
    expect(january?.arms.find((a) => a.armId === 'budget')?.left).toMatchObject({
      count: 48,
      low: 0.4905,
      high: 0.7004,
    });
    expect(report.reference).toBe('budget');
    const difference = january?.differences.find((d) => d.armId === 'fixed');
    expect(difference?.versus).toBe('budget');
    expect(difference?.left).toEqual({ estimate: 0.2, low: 0.0524, high: 0.3339 });
    // Mails: "fixed" sent everyone 3 (variance 0); "budget" sent 0,1,2,3,4 in turn, mean 2, variance 160/79 = 2.0253.
    expect(fixed?.mailsPerMember).toEqual({ estimate: 3, low: 3, high: 3 });
    // Welch: 3 − 2 = 1 ± 1.959964·√(0 + 2.0253/80) = 1 ± 0.3119.
    expect(difference?.mailsPerMember).toEqual({ estimate: 1, low: 0.6881, high: 1.3119 });
    // Nobody is passive: engaged after their last mail.
    expect(fixed?.passive?.count).toBe(0);
  });

  it('counts a purchase of an offered product within the window as a conversion, and spend from what receipts came to', () => {
    const all = [...members('fixed', 60, 0, () => 3), ...members('budget', 60, 0, () => 3)];
    const report = experimentReport(experiment(), all, FEB_2, DEFAULT_ENGAGEMENT, undefined);
    const fixed = report.months[0]?.arms.find((a) => a.armId === 'fixed');
    // Member 0 bought p1 (offered on 2 January, the day before) and p2 (never offered): 1 conversion in 60 members.
    expect(fixed?.conversionsPerMember?.estimate).toBeCloseTo(1 / 60, 4);
    expect(fixed?.spendPerMember?.estimate).toBeCloseTo(250 / 60, 4);
  });

  it('says the result is not yet readable before the months and members stated in advance', () => {
    const all = [...members('fixed', 70, 56, () => 3), ...members('budget', 80, 48, () => 1)];
    const early = experimentReport(
      experiment({ minMembersPerArm: 50, minMonths: 3 }),
      all,
      FEB_2,
      DEFAULT_ENGAGEMENT,
      undefined,
    );
    expect(early.readability).toMatchObject({ readable: false, monthsComplete: 1 });
    expect(early.readability.message).toBe('not yet readable: 3 whole months are needed and 1 are over');
    const small = experimentReport(
      experiment({ minMembersPerArm: 100, minMonths: 1 }),
      all,
      FEB_2,
      DEFAULT_ENGAGEMENT,
      undefined,
    );
    expect(small.readability.message).toBe('not yet readable: every arm needs 100 members and the smallest has 70');
    const ready = experimentReport(experiment(), all, FEB_2, DEFAULT_ENGAGEMENT, undefined);
    expect(ready.readability).toMatchObject({ readable: true, message: 'readable' });
  });

  it("puts the simulator's prediction beside the observed month, and marks it stale when the policies changed", () => {
    const e = experiment();
    const prediction = {
      experimentId: e.experimentId,
      policies: policiesFingerprint(e),
      simulator: { members: 500, weeks: 52, seed: 1, world: 'test' },
      arms: [
        {
          armId: 'budget',
          leftShareByMonth: [0.01, 0.02],
          mailsPerMemberPerMonth: 4,
          conversionsPerMemberPerMonth: 0.5,
        },
        {
          armId: 'fixed',
          leftShareByMonth: [0.03, 0.05],
          mailsPerMemberPerMonth: 8,
          conversionsPerMemberPerMonth: 0.4,
        },
      ],
      computedAt: new Date(START).toISOString(),
    };
    const all = [...members('fixed', 70, 56, () => 3), ...members('budget', 80, 48, () => 1)];
    const report = experimentReport(e, all, FEB_2, DEFAULT_ENGAGEMENT, prediction);
    expect(report.prediction.status).toBe('present');
    expect(report.prediction.arms.find((a) => a.armId === 'fixed')).toEqual({
      armId: 'fixed',
      month: '2027-02',
      predicted: { leftShare: 0.05, mailsPerMember: 8, conversionsPerMember: 0.4 },
      observed: { leftShare: 0.8, mailsPerMember: 0, conversionsPerMember: 0 },
    });
    const changed = Experiment.parse({
      ...e,
      arms: [e.arms[0], { ...e.arms[1], policy: { type: 'fixed-cap', windows: [{ days: 7, max: 3 }] } }],
    });
    expect(experimentReport(changed, all, FEB_2, DEFAULT_ENGAGEMENT, prediction).prediction.status).toBe('stale');
    expect(experimentReport(e, all, FEB_2, DEFAULT_ENGAGEMENT, undefined).prediction.status).toBe('missing');
  });

  it('reports calendar months from the start to now', () => {
    expect(
      monthsOf(Date.parse('2027-11-20T00:00:00Z'), Date.parse('2028-01-05T00:00:00Z')).map((m) => [
        m.month,
        m.complete,
      ]),
    ).toEqual([
      ['2027-11', true],
      ['2027-12', true],
      ['2028-01', false],
    ]);
  });
});
