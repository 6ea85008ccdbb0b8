/**
 * `npm run bench:experiment-month`: how long the experiment count's finishing step takes to work out one
 * month (docs/decisions/0053-experiment-counted-in-slices.md) for a club of MEMBERS (a million by
 * default) in three arms (45 / 45 / 10 %), spend 0 for 40 % and exponential with mean 250 for the rest,
 * kept as the tallies keep it. Beside it, the member-by-member bootstrap it replaced, timed over 20
 * resamples of one arm and scaled to the month's 2,000 resamples of 3 arms and 2 differences.
 */
import { cpus } from 'node:os';
import { Experiment } from '../lambdas/core/experiment.js';
import { monthsOf } from '../lambdas/core/experiment-outcomes.js';
import { reportMonth } from '../lambdas/core/experiment-report.js';
import { seededRandom } from '../lambdas/core/experiment-stats.js';
import { type ArmTally, spendBin } from '../lambdas/core/experiment-tally.js';

const MEMBERS = Number(process.env.MEMBERS ?? 1_000_000);
const SHARES = [
  ['budget', 0.45],
  ['fixed', 0.45],
  ['control', 0.1],
] as const;
const random = seededRandom('bench-month');
const spendMinor = () => (random() < 0.4 ? 0 : Math.round(-25_000 * Math.log(1 - random())));

const experiment = Experiment.parse({
  clubId: 'bench',
  experimentId: 'leaving-bench',
  status: 'running',
  arms: [
    { armId: 'budget', share: 0.45, policy: { type: 'club-budget' } },
    { armId: 'fixed', share: 0.45, policy: { type: 'fixed-cap', windows: [{ days: 7, max: 2 }] } },
    { armId: 'control', share: 0.1, policy: { type: 'no-campaign-mail' } },
  ],
  readableAfter: { minMembersPerArm: 5, minMonths: 1 },
  startedAt: '2027-01-01T00:00:00.000Z',
  updatedAt: '2027-01-01T00:00:00.000Z',
});
const byArm = new Map<string, ArmTally>();
let distinct = 0;
for (const [armId, share] of SHARES) {
  const members = Math.round(MEMBERS * share);
  const values = new Map<number, number>();
  let sum = 0;
  for (let i = 0; i < members; i++) {
    const v = spendMinor();
    sum += v;
    values.set(spendBin(v), (values.get(spendBin(v)) ?? 0) + 1);
  }
  distinct = Math.max(distinct, values.size);
  byArm.set(armId, {
    month: '2027-01',
    armId,
    members,
    left: 0,
    passive: 0,
    withAmount: members,
    spendSumMinor: sum,
    mails: [[0, members]],
    conversions: [[0, members]],
    spendMinor: [...values].sort((a, b) => a[0] - b[0]),
  });
}
const started = performance.now();
const [month0] = monthsOf(Date.parse('2027-01-01T00:00:00.000Z'), Date.parse('2027-02-01T00:00:00.000Z'));
if (!month0) throw new Error('no month');
reportMonth(experiment, month0, byArm);
const month = performance.now() - started;

// The member-by-member bootstrap: every member's value in an array, each resample draws n members.
const arm = Array.from({ length: Math.round(MEMBERS * 0.45) }, () => spendMinor() / 100);
const pick = seededRandom('old-way');
const oldStart = performance.now();
for (let r = 0; r < 20; r++) {
  let sum = 0;
  for (let i = 0; i < arm.length; i++) sum += arm[Math.floor(pick() * arm.length)] ?? 0;
  if (Number.isNaN(sum)) throw new Error('no sum');
}
const perResample = (performance.now() - oldStart) / 20;
// Before, each arm was resampled for its interval (45, 45 and 10 % of the members) and both arms again for
// each difference with the reference (fixed − budget, control − budget): in resamplings of a 45 % arm.
const armResamplings = (0.45 + 0.45 + 0.1 + (0.45 + 0.45) + (0.1 + 0.45)) / 0.45;
console.log(
  `bench:experiment-month: ${MEMBERS.toLocaleString('en')} members in 3 arms, node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? '?'}`,
);
console.log(`distinct spend values in the largest arm's tally: ${distinct.toLocaleString('en')}`);
console.log(`one month worked out (3 arms, 2 differences, 2,000 resamples each): ${month.toFixed(0)} ms`);
console.log(
  `member by member (before): one resample of ${arm.length.toLocaleString('en')} members ${perResample.toFixed(1)} ms, so the month's bootstrap about ${((perResample * 2000 * armResamplings) / 1000).toFixed(0)} s`,
);
