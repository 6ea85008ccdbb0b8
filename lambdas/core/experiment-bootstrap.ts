import type { Interval } from './experiment-figures.js';

/**
 * The spend bootstrap resampled from value counts (docs/decisions/0053-experiment-counted-in-slices.md):
 * a resample of n members drawn with replacement from a histogram of d distinct values is a
 * multinomial draw of n over the d values, drawn exactly as d sequential binomials (value i gets
 * Binomial(n − drawn so far, cᵢ / members not yet passed)). Each binomial costs O(1) expected time
 * (Hörmann's BTRD for large means, inversion for small ones), so a resample costs O(d) whatever n is.
 * Pure.
 */

/** `[value, members]` pairs in ascending value order. */
export type Counts = readonly (readonly [number, number])[];

/** Distinct values a bootstrap resamples at most: more are merged into groups of about equal members. */
export const MAX_DISTINCT = 400;

/** Stirling's series correction log(k!) − log(√(2π) (k + ½)^… ) for k = 0…9 (Hörmann 1993, table). */
const FC = [
  0.08106146679532726, 0.04134069595540929, 0.02767792568499834, 0.02079067210376509, 0.01664469118982119,
  0.01387612882307075, 0.01189670994589177, 0.01041126526197209, 0.009255462182712733, 0.008330563433362871,
];

function stirlingCorrection(k: number): number {
  if (k < FC.length) return FC[k] ?? 0;
  const k1 = k + 1;
  const k2 = k1 * k1;
  return (1 / 12 - (1 / 360 - 1 / 1260 / k2) / k2) / k1;
}

/** Inversion, for a small mean n·p (< 10, p ≤ ½): expected O(n·p) steps. */
function binomialInversion(n: number, p: number, random: () => number): number {
  const q = 1 - p;
  const s = p / q;
  const a = (n + 1) * s;
  for (;;) {
    let r = q ** n;
    let u = random();
    let x = 0;
    while (u > r) {
      u -= r;
      x += 1;
      if (x > n) break;
      r *= a / x - s;
    }
    if (x <= n) return x;
  }
}

/**
 * BTRD (W. Hörmann, "The generation of binomial random variates", J. Statist. Comput. Simul. 46
 * (1993) 101–110): transformed rejection with decomposition, exact, for n·p ≥ 10 and p ≤ ½.
 */
function binomialBtrd(n: number, p: number, random: () => number): number {
  const m = Math.floor((n + 1) * p);
  const r = p / (1 - p);
  const nr = (n + 1) * r;
  const npq = n * p * (1 - p);
  const spq = Math.sqrt(npq);
  const b = 1.15 + 2.53 * spq;
  const a = -0.0873 + 0.0248 * b + 0.01 * p;
  const c = n * p + 0.5;
  const alpha = (2.83 + 5.1 / b) * spq;
  const vr = 0.92 - 4.2 / b;
  const urvr = 0.86 * vr;
  for (;;) {
    let v = random();
    let u: number;
    if (v <= urvr) {
      u = v / vr - 0.43;
      return Math.floor(((2 * a) / (0.5 - Math.abs(u)) + b) * u + c);
    }
    if (v >= vr) u = random() - 0.5;
    else {
      u = v / vr - 0.93;
      u = Math.sign(u) * 0.5 - u;
      v = random() * vr;
    }
    const us = 0.5 - Math.abs(u);
    const k = Math.floor(((2 * a) / us + b) * u + c);
    if (k < 0 || k > n) continue;
    v = (v * alpha) / (a / (us * us) + b);
    const km = Math.abs(k - m);
    if (km <= 15) {
      // f(k) / f(m) by its recurrence.
      let f = 1;
      if (m < k) for (let i = m + 1; i <= k; i++) f *= nr / i - r;
      else if (m > k) for (let i = k + 1; i <= m; i++) v *= nr / i - r;
      if (v <= f) return k;
      continue;
    }
    // Squeeze on log(f(k) / f(m)), then the exact test.
    v = Math.log(v);
    const rho = (km / npq) * (((km / 3 + 0.625) * km + 1 / 6) / npq + 0.5);
    const t = (-km * km) / (2 * npq);
    if (v < t - rho) return k;
    if (v > t + rho) continue;
    const nm = n - m + 1;
    const h = (m + 0.5) * Math.log((m + 1) / (r * nm)) + stirlingCorrection(m) + stirlingCorrection(n - m);
    const nk = n - k + 1;
    if (
      v <=
      h +
        (n + 1) * Math.log(nm / nk) +
        (k + 0.5) * Math.log((nk * r) / (k + 1)) -
        stirlingCorrection(k) -
        stirlingCorrection(n - k)
    )
      return k;
  }
}

/** A draw from Binomial(n, p), exact in distribution, in O(1) expected time. */
export function binomial(n: number, p: number, random: () => number): number {
  if (n <= 0 || p <= 0) return 0;
  if (p >= 1) return n;
  if (p > 0.5) return n - binomial(n, 1 - p, random);
  return n * p < 10 ? binomialInversion(n, p, random) : binomialBtrd(n, p, random);
}

/**
 * At most `max` distinct values: runs of neighbouring values merged into groups, each group's members
 * given the group's mean. A group closes when it holds its share of the members (1 / (max / 2) of
 * them) or spans its share of the range of values (likewise), so the long tail of spend keeps groups
 * of its own rather than one wide group of the top members. The sum (and so the mean) is kept; what
 * is lost is the spread within a group, a small part of the whole when groups are many.
 */
export function coarsened(counts: Counts, max = MAX_DISTINCT): Counts {
  if (counts.length <= max) return counts;
  const half = Math.max(1, Math.floor(max / 2));
  const total = counts.reduce((s, [, c]) => s + c, 0);
  const lowest = counts[0]?.[0] ?? 0;
  const width = ((counts[counts.length - 1]?.[0] ?? 0) - lowest) / half;
  const groups: [number, number][] = [];
  let sum = 0;
  let members = 0;
  let passed = 0;
  let massGroups = 0;
  let start: number | undefined;
  for (const [value, count] of counts) {
    if (start !== undefined && value - start > width && members > 0) {
      groups.push([sum / members, members]);
      sum = 0;
      members = 0;
      start = undefined;
    }
    start ??= value;
    sum += value * count;
    members += count;
    passed += count;
    if (passed >= ((massGroups + 1) * total) / half) {
      massGroups = Math.floor((passed * half) / total);
      groups.push([sum / members, members]);
      sum = 0;
      members = 0;
      start = undefined;
    }
  }
  if (members > 0) groups.push([sum / members, members]);
  return groups;
}

/** The mean of one resample of all the members, drawn as sequential binomials over the values. */
function resampledMean(counts: Counts, total: number, random: () => number): number {
  let left = total;
  let notPassed = total;
  let sum = 0;
  for (const [value, count] of counts) {
    if (left === 0) break;
    const drawn = count >= notPassed ? left : binomial(left, count / notPassed, random);
    sum += drawn * value;
    left -= drawn;
    notPassed -= count;
  }
  return sum / total;
}

/** `resamples` resampled means of the members counted in `counts` (coarsened first), in draw order. */
export function resampledMeans(counts: Counts, resamples: number, random: () => number): Float64Array {
  const values = coarsened(counts);
  const total = values.reduce((s, [, c]) => s + c, 0);
  if (total === 0) throw new RangeError('a bootstrap needs members');
  const means = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) means[r] = resampledMean(values, total, random);
  return means;
}

/** The p-th quantile (0–1) of sorted values, linear between neighbours. */
export function quantile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) throw new RangeError('a quantile needs values');
  const at = (sorted.length - 1) * p;
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  const a = sorted[lo] ?? 0;
  const b = sorted[hi] ?? a;
  return a + (b - a) * (at - lo);
}

/** The percentile interval (2.5 %, 97.5 %) of resampled estimates around `estimate`. */
export function percentileInterval(estimate: number, resampled: Float64Array): Interval {
  const sorted = Float64Array.from(resampled).sort();
  return { estimate, low: quantile(sorted, 0.025), high: quantile(sorted, 0.975) };
}

/** The exact mean of the members counted in `counts`. */
export function meanOf(counts: Counts): number {
  let sum = 0;
  let members = 0;
  for (const [value, count] of counts) {
    sum += value * count;
    members += count;
  }
  return sum / members;
}
