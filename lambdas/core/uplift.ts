/**
 * Rates of two groups and their difference with a 95 % interval (docs/decisions/0035-campaign-report.md):
 * Wilson's score interval for each rate and Newcombe's hybrid interval (his method 10) for the
 * difference, which stay inside [-1, 1] and behave with small counts and rates near 0, where the
 * textbook Wald interval does not.
 */

const Z95 = 1.959963984540054;

export interface Interval {
  readonly low: number;
  readonly high: number;
}

/** Wilson's score interval for `successes` of `trials`. */
export function wilson(successes: number, trials: number, z = Z95): Interval {
  if (trials <= 0) return { low: 0, high: 1 };
  const p = successes / trials;
  const z2 = z * z;
  const centre = (p + z2 / (2 * trials)) / (1 + z2 / trials);
  const half = (z / (1 + z2 / trials)) * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials));
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

export interface Comparison {
  readonly treated: { readonly rate: number; readonly interval: Interval };
  readonly control: { readonly rate: number; readonly interval: Interval };
  /** treated − control, with its 95 % interval; undefined without both groups. */
  readonly difference?: { readonly value: number; readonly interval: Interval };
}

/** The rate of `x1` in `n1` (mailed) against `x2` in `n2` (held out). */
export function compareRates(x1: number, n1: number, x2: number, n2: number): Comparison {
  const p1 = n1 > 0 ? x1 / n1 : 0;
  const p2 = n2 > 0 ? x2 / n2 : 0;
  const w1 = wilson(x1, n1);
  const w2 = wilson(x2, n2);
  const base = { treated: { rate: p1, interval: w1 }, control: { rate: p2, interval: w2 } };
  if (n1 <= 0 || n2 <= 0) return base;
  const d = p1 - p2;
  const low = d - Math.sqrt((p1 - w1.low) ** 2 + (w2.high - p2) ** 2);
  const high = d + Math.sqrt((w1.high - p1) ** 2 + (p2 - w2.low) ** 2);
  return { ...base, difference: { value: d, interval: { low, high } } };
}
