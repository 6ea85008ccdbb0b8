import { createHash } from 'node:crypto';
import { type Counts, meanOf, percentileInterval, resampledMeans } from './experiment-bootstrap.js';

/**
 * The intervals of the experiment report (docs/decisions/0045-experiment-intervals.md): Wilson score
 * intervals for a share, Newcombe's hybrid score interval (his method 10) for the difference of two
 * shares, the normal interval for a mean count and Welch's for a difference of means, and a seeded
 * percentile bootstrap for spend, whose distribution is too skewed for the normal one, resampled from
 * the value counts (core/experiment-bootstrap.ts). All 95 %.
 */

/** The 97.5th percentile of the standard normal distribution. */
export const Z95 = 1.959964;

import type { Interval } from './experiment-figures.js';

export type { Interval };

/** Wilson's score interval for x successes of n (n > 0). */
export function wilson(x: number, n: number, z = Z95): Interval {
  if (n <= 0) throw new RangeError('a share needs at least one member');
  const p = x / n;
  const z2 = z * z;
  const denominator = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denominator;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denominator;
  return { estimate: p, low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

/**
 * The difference p1 − p2 with Newcombe's hybrid score interval: each share's Wilson limits (l, u)
 * combined as d − √((p1 − l1)² + (u2 − p2)²) to d + √((u1 − p1)² + (p2 − l2)²).
 */
export function newcombe(x1: number, n1: number, x2: number, n2: number, z = Z95): Interval {
  const a = wilson(x1, n1, z);
  const b = wilson(x2, n2, z);
  const d = a.estimate - b.estimate;
  return {
    estimate: d,
    low: d - Math.sqrt((a.estimate - a.low) ** 2 + (b.high - b.estimate) ** 2),
    high: d + Math.sqrt((a.high - a.estimate) ** 2 + (b.estimate - b.low) ** 2),
  };
}

function meanAndVariance(values: readonly number[]): { mean: number; variance: number } {
  const n = values.length;
  const mean = values.reduce((s, v) => s + v, 0) / n;
  const variance = n > 1 ? values.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1) : 0;
  return { mean, variance };
}

/** A mean with its normal interval: mean ± z · s / √n, s the sample standard deviation. */
export function meanInterval(values: readonly number[], z = Z95): Interval {
  if (values.length === 0) throw new RangeError('a mean needs at least one member');
  const { mean, variance } = meanAndVariance(values);
  const half = z * Math.sqrt(variance / values.length);
  return { estimate: mean, low: mean - half, high: mean + half };
}

/** mean(a) − mean(b) with Welch's normal interval: ± z · √(s_a² / n_a + s_b² / n_b). */
export function meanDifference(a: readonly number[], b: readonly number[], z = Z95): Interval {
  if (a.length === 0 || b.length === 0) throw new RangeError('a difference needs members in both arms');
  const x = meanAndVariance(a);
  const y = meanAndVariance(b);
  const d = x.mean - y.mean;
  const half = z * Math.sqrt(x.variance / a.length + y.variance / b.length);
  return { estimate: d, low: d - half, high: d + half };
}

/** mulberry32: a small, fast generator with a 32-bit state, seeded from a SHA-256 of the seed text. */
export function seededRandom(seed: string): () => number {
  let state = createHash('sha256').update(seed).digest().readUInt32BE(0);
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Resamples of a bootstrap: enough for stable 2.5 % and 97.5 % percentiles at report sizes. */
export const BOOTSTRAP_RESAMPLES = 2000;

/** Values as `[value, members]` pairs in ascending order. */
export function countsOf(values: readonly number[]): Counts {
  const counts = new Map<number, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts].sort((x, y) => x[0] - y[0]);
}

/**
 * mean(a) − mean(b) (or mean(a) alone, without b) with a percentile bootstrap interval from value
 * counts (core/experiment-bootstrap.ts): `resamples` resamples of each arm, a's from a generator
 * seeded with `seedA` and b's from one seeded with `seedB`, so the same data and seeds always give the
 * same interval, and an arm's resamples can serve its own interval and every difference with it.
 */
export function bootstrapCounts(
  a: { readonly seed: string; readonly counts: Counts },
  b?: { readonly seed: string; readonly counts: Counts },
  resamples = BOOTSTRAP_RESAMPLES,
): Interval {
  return bootstrapOfMeans(
    meanOf(a.counts) - (b ? meanOf(b.counts) : 0),
    resampledMeans(a.counts, resamples, seededRandom(a.seed)),
    b ? resampledMeans(b.counts, resamples, seededRandom(b.seed)) : undefined,
  );
}

/** The interval from resampled means already drawn: of a, or of a − b paired by draw. */
export function bootstrapOfMeans(estimate: number, a: Float64Array, b?: Float64Array): Interval {
  const estimates = b ? a.map((x, r) => x - (b[r] ?? 0)) : a;
  return percentileInterval(estimate, estimates);
}

/** As `bootstrapCounts`, for values given one per member (b resampled with the seed `${seed}/versus`). */
export function bootstrapMean(
  seed: string,
  a: readonly number[],
  b?: readonly number[],
  resamples = BOOTSTRAP_RESAMPLES,
): Interval {
  if (a.length === 0 || (b && b.length === 0)) throw new RangeError('a bootstrap needs members in every arm');
  return bootstrapCounts(
    { seed, counts: countsOf(a) },
    b ? { seed: `${seed}/versus`, counts: countsOf(b) } : undefined,
    resamples,
  );
}
