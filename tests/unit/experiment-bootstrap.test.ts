import { describe, expect, it } from 'vitest';
import { binomial, coarsened, resampledMeans } from '../../lambdas/core/experiment-bootstrap.js';
import { bootstrapCounts, countsOf, seededRandom } from '../../lambdas/core/experiment-stats.js';
import { spendBin } from '../../lambdas/core/experiment-tally.js';

/** log(n choose k) + k log p + (n − k) log(1 − p), by sums of logs (exact enough for n ≤ 2,000). */
function binomialPmf(n: number, p: number): number[] {
  const logFactorial = [0];
  for (let i = 1; i <= n; i++) logFactorial.push((logFactorial[i - 1] ?? 0) + Math.log(i));
  const lf = (i: number) => logFactorial[i] ?? 0;
  return Array.from({ length: n + 1 }, (_, k) =>
    Math.exp(lf(n) - lf(k) - lf(n - k) + k * Math.log(p) + (n - k) * Math.log(1 - p)),
  );
}

/** Pearson's χ² of draws against the distribution, over cells pooled to at least 10 expected draws each. */
function chiSquare(draws: readonly number[], pmf: readonly number[]): { statistic: number; cells: number } {
  const observed = new Array<number>(pmf.length).fill(0);
  for (const k of draws) observed[k] = (observed[k] ?? 0) + 1;
  let statistic = 0;
  let cells = 0;
  let expected = 0;
  let seen = 0;
  for (let k = 0; k < pmf.length; k++) {
    expected += (pmf[k] ?? 0) * draws.length;
    seen += observed[k] ?? 0;
    if (expected >= 10 || k === pmf.length - 1) {
      statistic += (seen - expected) ** 2 / Math.max(expected, 1e-9);
      cells += 1;
      expected = 0;
      seen = 0;
    }
  }
  return { statistic, cells };
}

describe('the bootstrap resampled from value counts', () => {
  it.each([
    [30, 0.2], // inversion (n·p = 6)
    [1000, 0.3], // BTRD (n·p = 300)
    [2000, 0.01], // BTRD near its edge (n·p = 20)
    [60, 0.85], // p > ½, by symmetry
  ])('draws Binomial(%i, %f) with the exact distribution (χ² of 20,000 seeded draws)', (n, p) => {
    const random = seededRandom(`binomial/${n}/${p}`);
    const draws = Array.from({ length: 20_000 }, () => binomial(n, p, random));
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...draws)).toBeLessThanOrEqual(n);
    const { statistic, cells } = chiSquare(draws, binomialPmf(n, p));
    // χ² with `cells − 1` degrees of freedom: its 99.9th percentile is below df + 4.5·√(2·df) for these df.
    const df = cells - 1;
    expect(statistic).toBeLessThan(df + 4.5 * Math.sqrt(2 * df));
    // And a sampler that is off shows: the same draws against Binomial(n, 1.03p) fail.
    const off = chiSquare(draws, binomialPmf(n, Math.min(0.99, p * 1.03)));
    if (n * p >= 100) expect(off.statistic).toBeGreaterThan(df + 4.5 * Math.sqrt(2 * df));
  });

  it('resamples two members, 0 and 1, as a fair coin twice: means 0, ½ and 1 a quarter, half and quarter of the time', () => {
    // By hand: each resample draws 2 members with replacement from {0, 1}, so its mean is 0 with probability
    // ¼, ½ with ½ and 1 with ¼; of 2,000 resamples the 2.5th percentile is 0 and the 97.5th is 1.
    const means = resampledMeans(
      [
        [0, 1],
        [1, 1],
      ],
      2000,
      seededRandom('coin'),
    );
    const share = (v: number) => means.filter((m) => m === v).length / means.length;
    expect(share(0)).toBeGreaterThan(0.22);
    expect(share(0)).toBeLessThan(0.28);
    expect(share(0.5)).toBeGreaterThan(0.46);
    expect(share(0.5)).toBeLessThan(0.54);
    expect(share(1)).toBeGreaterThan(0.22);
    expect(share(1)).toBeLessThan(0.28);
    const i = bootstrapCounts({
      seed: 'coin',
      counts: [
        [0, 1],
        [1, 1],
      ],
    });
    expect(i).toEqual({ estimate: 0.5, low: 0, high: 1 });
  });

  it('spreads resampled means as σ/√n, however many members an arm has, at a cost of its distinct values', () => {
    // 1,000,000 members over 5 values: mean 2, variance 4·0.1 + 1·0.2 + 0 + 1·0.2 + 4·0.1 = 1.2, so a
    // resampled mean varies with standard deviation √(1.2 / 10⁶) = 0.0011, drawn in 5 binomials a resample.
    const counts: [number, number][] = [
      [0, 100_000],
      [1, 200_000],
      [2, 400_000],
      [3, 200_000],
      [4, 100_000],
    ];
    const n = 1_000_000;
    const variance = counts.reduce((s, [v, c]) => s + c * (v - 2) ** 2, 0) / n; // 1.2
    const means = resampledMeans(counts, 2000, seededRandom('million'));
    const mean = means.reduce((s, m) => s + m, 0) / means.length;
    const sd = Math.sqrt(means.reduce((s, m) => s + (m - mean) ** 2, 0) / (means.length - 1));
    expect(mean).toBeCloseTo(2, 3);
    expect(sd / Math.sqrt(variance / n)).toBeGreaterThan(0.93);
    expect(sd / Math.sqrt(variance / n)).toBeLessThan(1.07);
  });

  it('covers the true mean of a skewed spend in about 95 % of seeded samples (200 samples of 200 members)', () => {
    // Spend of the population: 40 % of members nothing, the rest exponential with mean 250, in whole units:
    // its mean is 0.6 · 250 = 150 (to within the rounding, which the draw below reproduces exactly).
    const random = seededRandom('coverage');
    const draw = () => (random() < 0.4 ? 0 : Math.round(-250 * Math.log(1 - random())));
    const population = Array.from({ length: 200_000 }, draw);
    const truth = population.reduce((s, v) => s + v, 0) / population.length;
    let covered = 0;
    const samples = 200;
    for (let s = 0; s < samples; s++) {
      const sample = Array.from({ length: 200 }, () => population[Math.floor(random() * population.length)] ?? 0);
      const i = bootstrapCounts({ seed: `coverage/${s}`, counts: countsOf(sample) }, undefined, 500);
      if (i.low <= truth && truth <= i.high) covered += 1;
    }
    // It covers the mean in 190 of the 200 (95 %); the bounds allow a percentile bootstrap's usual shortfall
    // on a skewed mean, and fail one that covers far less (too narrow) or nearly always (too wide).
    expect(covered / samples).toBeGreaterThan(0.9);
    expect(covered / samples).toBeLessThan(0.98);
  });

  it('merges more distinct values than it resamples into groups that keep the sum', () => {
    const counts: [number, number][] = Array.from({ length: 5000 }, (_, i) => [i * 7, 1 + (i % 3)]);
    const merged = coarsened(counts, 400);
    expect(merged.length).toBeLessThanOrEqual(400);
    const sum = (c: readonly (readonly [number, number])[]) => c.reduce((s, [v, m]) => s + v * m, 0);
    const members = (c: readonly (readonly [number, number])[]) => c.reduce((s, [, m]) => s + m, 0);
    expect(members(merged)).toBe(members(counts));
    expect(sum(merged)).toBeCloseTo(sum(counts), 3);
    const few = counts.slice(0, 10);
    expect(coarsened(few, 400)).toEqual(few);
  });

  it('keeps 99.5 % of the spread of a long-tailed spend when it merges 100,000 members’ values into at most 400', () => {
    // Lognormal spend (median 200, σ = 1.2 in logs: a long tail), in minor units and to 3 significant
    // digits as the tallies keep it. The bootstrap's spread is the values' variance over n, so what
    // merging loses of the variance is what the interval loses of its width squared.
    const random = seededRandom('lognormal');
    const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    const counts = countsOf(
      Array.from({ length: 100_000 }, () => spendBin(Math.round(20_000 * Math.exp(1.2 * normal())))),
    );
    const variance = (c: readonly (readonly [number, number])[]) => {
      const n = c.reduce((s, [, m]) => s + m, 0);
      const mean = c.reduce((s, [v, m]) => s + v * m, 0) / n;
      return c.reduce((s, [v, m]) => s + m * (v - mean) ** 2, 0) / n;
    };
    expect(counts.length).toBeGreaterThan(2000);
    expect(counts.length).toBeLessThan(5000);
    const merged = coarsened(counts, 400);
    expect(merged.length).toBeLessThanOrEqual(401);
    // 2,829 distinct values here merge into 239 groups that keep 99.95 % of the variance.
    expect(variance(merged) / variance(counts)).toBeGreaterThan(0.995);
  });
});
