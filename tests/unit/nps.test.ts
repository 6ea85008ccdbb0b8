import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { random } from '../../bin/demo-club.js';
import {
  bySegment,
  changeBetween,
  countAnswers,
  MIN_READABLE_RESPONSES,
  type NpsAnswer,
  npsFigure,
  npsMargin95,
  rollingSeries,
  segmentsOf,
} from '../../lambdas/core/nps.js';
import { DAY_MS, NOW } from './fixtures.js';

/** Answers with these counts, spread evenly over the `days` before `end`. */
function answers(
  counts: { promoters: number; passives: number; detractors: number },
  end: number,
  days: number,
  segments: Record<string, string> = {},
): NpsAnswer[] {
  const scores = [
    ...Array<number>(counts.promoters).fill(10),
    ...Array<number>(counts.passives).fill(8),
    ...Array<number>(counts.detractors).fill(3),
  ];
  return scores.map((score, i) => ({ at: end - ((i + 0.5) / scores.length) * days * DAY_MS, score, segments }));
}

describe('the NPS margin of error', () => {
  it('gives the worked example: 45 % promoters and 20 % detractors of 100 answers is 25 ± 15', () => {
    const figure = npsFigure({ promoters: 45, passives: 35, detractors: 20 });
    expect(figure).toMatchObject({ nps: 25, responses: 100, promoters: 45, passives: 35, detractors: 20 });
    // Var = 100² (0.45 + 0.20 − 0.25²) / 100 = 58.75; 1.96 √58.75 = 15.02
    expect(npsMargin95(0.45, 0.2, 100)).toBeCloseTo(15.02, 2);
    expect(figure.margin95).toBe(15);
    expect(figure.tooFewToRead).toBe(false);
  });

  it('marks fewer than 100 answers too few to read, and has no figure without answers', () => {
    expect(MIN_READABLE_RESPONSES).toBe(100);
    expect(npsFigure({ promoters: 50, passives: 29, detractors: 20 }).tooFewToRead).toBe(true);
    expect(npsFigure({ promoters: 0, passives: 0, detractors: 0 })).toMatchObject({
      nps: null,
      margin95: null,
      responses: 0,
      tooFewToRead: true,
    });
  });

  it('sorts 0–6 as detractors, 7–8 as passives and 9–10 as promoters', () => {
    const counted = countAnswers(
      Array.from({ length: 11 }, (_, score) => ({ at: NOW.getTime(), score, segments: {} })),
    );
    expect(counted).toEqual({ detractors: 7, passives: 2, promoters: 2 });
  });

  it('agrees with a bootstrap estimate of the 95 % margin on random samples (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 200, max: 1200 }),
        fc.double({ min: 0.05, max: 0.7, noNaN: true }),
        fc.double({ min: 0.05, max: 0.9, noNaN: true }),
        fc.integer({ min: 1, max: 2 ** 31 - 1 }),
        (n, p, dShare, seed) => {
          const d = Math.min(dShare, 0.95 - p);
          const next = random(seed);
          // One sample of n answers from a club whose true shares are p and d.
          const sample = Array.from({ length: n }, () => {
            const u = next();
            return u < p ? 1 : u < p + d ? -1 : 0;
          });
          const pHat = sample.filter((x) => x === 1).length / n;
          const dHat = sample.filter((x) => x === -1).length / n;
          // Resample the sample with replacement 400 times: the spread of the NPS is its standard error.
          const estimates = Array.from({ length: 400 }, () => {
            let sum = 0;
            for (let i = 0; i < n; i++) sum += sample[Math.floor(next() * n)] ?? 0;
            return (100 * sum) / n;
          });
          const mean = estimates.reduce((a, b) => a + b, 0) / estimates.length;
          const sd = Math.sqrt(estimates.reduce((a, b) => a + (b - mean) ** 2, 0) / (estimates.length - 1));
          const margin = npsMargin95(pHat, dHat, n);
          // 400 resamples estimate a standard deviation within about 3.5 %; allow four times that.
          expect(Math.abs(1.96 * sd - margin) / margin).toBeLessThan(0.15);
        },
      ),
      { numRuns: 25 },
    );
  });
});

describe('telling a change from noise', () => {
  it('flags a change only when both periods are readable and their intervals do not overlap', () => {
    const before = npsFigure({ promoters: 450, passives: 350, detractors: 200 }); // 25 ± 4.8
    const close = npsFigure({ promoters: 480, passives: 330, detractors: 190 }); // 29 ± 4.8: overlaps
    const far = npsFigure({ promoters: 600, passives: 300, detractors: 100 }); // 50 ± 4.2
    expect(changeBetween(before, close)).toBe('none');
    expect(changeBetween(before, far)).toBe('up');
    expect(changeBetween(far, before)).toBe('down');
    // 25 against 60 would be a change, but 50 answers are too few to read.
    expect(changeBetween(before, npsFigure({ promoters: 35, passives: 10, detractors: 5 }))).toBe('none');
  });

  it('gives each rolling window its own figure and margin, and compares it with the window before it', () => {
    const end = NOW.getTime();
    const recent = answers({ promoters: 600, passives: 300, detractors: 100 }, end, 90);
    const earlier = answers({ promoters: 450, passives: 350, detractors: 200 }, end - 90 * DAY_MS, 90);
    const thin = answers({ promoters: 20, passives: 10, detractors: 10 }, end - 180 * DAY_MS, 90);
    const series = rollingSeries(
      [...recent, ...earlier, ...thin],
      { from: new Date(end - 90 * DAY_MS), to: NOW },
      90,
      30,
    );
    expect(series.map((p) => p.to)).toEqual([90, 60, 30, 0].map((d) => new Date(end - d * DAY_MS).toISOString()));
    const last = series.at(-1);
    expect(last).toMatchObject({ nps: 50, responses: 1000, change: 'up', tooFewToRead: false });
    // Var = 100² (0.6 + 0.1 − 0.5²) / 1000 = 4.5; 1.96 √4.5 = 4.16
    expect(last?.margin95).toBe(4.2);
    // The first window (ending 90 days ago) is compared with one of 40 answers: too few to call a change.
    expect(series[0]).toMatchObject({ nps: 25, change: 'none' });
  });
});

describe('segments', () => {
  it('splits answers by any segment recorded with them, and leaves out answers without it', () => {
    const end = NOW.getTime();
    const all = [
      ...answers({ promoters: 3, passives: 1, detractors: 0 }, end, 10, segmentsOf('active', { homeStore: 'Söder' })),
      ...answers({ promoters: 0, passives: 1, detractors: 3 }, end, 10, segmentsOf('passive')),
      ...answers({ promoters: 1, passives: 0, detractors: 0 }, end, 10, { __proto__: 'x' }),
    ];
    expect(bySegment(all, 'engagement')).toEqual({
      active: expect.objectContaining({ nps: 75, responses: 4 }),
      passive: expect.objectContaining({ nps: -75, responses: 4 }),
    });
    expect(Object.keys(bySegment(all, 'homeStore'))).toEqual(['Söder']);
    expect(bySegment(all, 'unknown')).toEqual({});
  });
});
