import { describe, expect, it } from 'vitest';
import { stepOf, WATERFALL_STEPS, waterfall } from '../../lambdas/core/reach-waterfall.js';
import { COPY } from '../../lambdas/http/console/copy/index.js';

describe("the reach waterfall's audience step", () => {
  it('takes members outside the audience off first, right after all members, and the other steps keep their order', () => {
    const rows = waterfall({
      planned: 200,
      toSend: 60,
      suppressed: { 'not-in-audience': 120, 'no-consent': 5, paused: 5, 'budget-window': 10 },
    });
    expect(rows.map((r) => [r.step, r.remaining])).toEqual([
      ['members', 200],
      ['audience', 80],
      ['consented', 75],
      ['wanting', 70],
      ['offers', 70],
      ['relevant', 70],
      ['budget', 60],
      ['outranked', 60],
      ['holdout', 60],
      ['mailed', 60],
    ]);
    expect(rows[1]?.lost).toEqual([{ reason: 'not-in-audience', count: 120 }]);
    expect(rows.find((r) => r.step === 'wanting')?.lost).toEqual([{ reason: 'paused', count: 5 }]);
  });

  it('is its own step, no longer counted with the members not wanting the mail', () => {
    expect(stepOf('not-in-audience')).toBe('audience');
    expect(WATERFALL_STEPS[0]).toBe('audience');
    expect(WATERFALL_STEPS.slice(1)).toEqual([
      'consented',
      'wanting',
      'offers',
      'relevant',
      'budget',
      'outranked',
      'holdout',
    ]);
  });

  it('is named in Swedish, Danish and English', () => {
    expect([COPY.sv, COPY.da, COPY.en].map((copy) => copy.explorer.steps.audience)).toEqual([
      'I målgruppen',
      'I målgruppen',
      'In the audience',
    ]);
  });
});
