import { describe, expect, it } from 'vitest';
import { waterfall } from '../../lambdas/core/reach-waterfall.js';
import { compareRates, wilson } from '../../lambdas/core/uplift.js';

describe('rates against the control group', () => {
  it("gives Wilson's interval as published (Newcombe 1998, table I)", () => {
    // 81 of 263: 0.2553 to 0.3662.
    const w = wilson(81, 263);
    expect(w.low).toBeCloseTo(0.2553, 4);
    expect(w.high).toBeCloseTo(0.3662, 4);
    // 0 of 10: 0 to 0.2775.
    expect(wilson(0, 10).high).toBeCloseTo(0.2775, 4);
  });

  it("gives Newcombe's hybrid interval for a difference of rates (1998, method 10, example a)", () => {
    // 56/70 against 48/80: difference 0.2, interval 0.0524 to 0.3339.
    const c = compareRates(56, 70, 48, 80);
    expect(c.difference?.value).toBeCloseTo(0.2, 6);
    expect(c.difference?.interval.low).toBeCloseTo(0.0524, 4);
    expect(c.difference?.interval.high).toBeCloseTo(0.3339, 4);
  });

  it('has no difference without a control group', () => {
    expect(compareRates(5, 100, 0, 0).difference).toBeUndefined();
  });
});

describe('the reach waterfall', () => {
  it('takes each reason off at its step and ends with those mailed', () => {
    const rows = waterfall({
      planned: 100,
      toSend: 40,
      suppressed: {
        unsubscribed: 5,
        'no-consent': 5,
        'topic-opt-out': 10,
        'budget-window': 25,
        'outranked-by:big': 10,
        holdout: 5,
      },
    });
    expect(rows.map((r) => [r.step, r.remaining])).toEqual([
      ['members', 100],
      ['audience', 100],
      ['consented', 90],
      ['wanting', 80],
      ['offers', 80],
      ['relevant', 80],
      ['budget', 55],
      ['outranked', 45],
      ['holdout', 40],
      ['mailed', 40],
    ]);
    expect(rows.find((r) => r.step === 'consented')?.lost).toEqual([
      { reason: 'no-consent', count: 5 },
      { reason: 'unsubscribed', count: 5 },
    ]);
  });
});
