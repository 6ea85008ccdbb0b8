import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type BudgetRules,
  CONSERVATIVE_BUDGET,
  checkBudget,
  DEFAULT_BUDGET,
  effectiveWindows,
  ledgerHorizonMs,
  SELECTIVE_BUDGET,
} from '../../lambdas/core/budget.js';
import { claimSend, EMPTY_LEDGER, type Ledger } from '../../lambdas/core/ledger.js';
import { Frequency } from '../../lambdas/core/model.js';
import { DAY_MS, daysAgo, HOUR_MS, MINUTE_MS, NOW } from './fixtures.js';

const at = (...days: number[]) => days.map((d) => daysAgo(d).getTime());

describe('the default budget', () => {
  it('is the selective one measured in the churn simulation: ≤ 3 per 7 days and ≤ 12 per 30, quiet 21–08, 2 surveys a year', () => {
    expect(DEFAULT_BUDGET).toEqual({
      windows: [
        { days: 7, max: 3 },
        { days: 30, max: 12 },
      ],
      minGapHours: 0,
      quietHours: { start: '21:00', end: '08:00' },
      surveysPerYear: 2,
      surveyMinDaysApart: 90,
      surveyHoldDaysAfterServiceCase: 14,
      planningHorizonDays: 7,
    });
    expect(DEFAULT_BUDGET).toBe(SELECTIVE_BUDGET);
  });
});

describe('checkBudget with the first (conservative) policy', () => {
  it('is at most 1 mail per 3 days, 2 per 7 and 6 per 30, 2 surveys a year, quiet 21–08', () => {
    expect(CONSERVATIVE_BUDGET.windows).toEqual([
      { days: 3, max: 1 },
      { days: 7, max: 2 },
      { days: 30, max: 6 },
    ]);
    expect(CONSERVATIVE_BUDGET).toMatchObject({
      minGapHours: 0,
      surveysPerYear: 2,
      quietHours: { start: '21:00', end: '08:00' },
      planningHorizonDays: 7,
    });
  });

  it('allows the first mail', () => {
    expect(checkBudget([], NOW, CONSERVATIVE_BUDGET, 'club-default')).toEqual({ ok: true });
  });

  it('blocks a second mail within 3 days', () => {
    const check = checkBudget(at(2), NOW, CONSERVATIVE_BUDGET, 'club-default');
    expect(check).toMatchObject({ ok: false, reason: 'budget-window' });
  });

  it('blocks a second mail a minute short of 3 days', () => {
    const check = checkBudget([NOW.getTime() - 3 * DAY_MS + MINUTE_MS], NOW, CONSERVATIVE_BUDGET, 'club-default');
    expect(check).toMatchObject({ ok: false, reason: 'budget-window' });
  });

  it('allows a second mail 3 days after the first', () => {
    expect(checkBudget(at(3), NOW, CONSERVATIVE_BUDGET, 'club-default')).toEqual({ ok: true });
  });

  it('blocks a second mail at the same instant as the first', () => {
    expect(checkBudget([NOW.getTime()], NOW, CONSERVATIVE_BUDGET, 'club-default')).toMatchObject({
      ok: false,
      reason: 'budget-window',
    });
  });

  it('blocks a third mail within 7 days', () => {
    expect(checkBudget(at(3, 6), NOW, CONSERVATIVE_BUDGET, 'club-default')).toMatchObject({
      ok: false,
      reason: 'budget-window',
    });
    expect(checkBudget(at(3, 7), NOW, CONSERVATIVE_BUDGET, 'club-default')).toEqual({ ok: true });
  });

  it('allows a sixth mail in 30 days', () => {
    expect(checkBudget(at(4, 8, 12, 20, 25), NOW, CONSERVATIVE_BUDGET, 'club-default')).toEqual({ ok: true });
  });

  it('blocks the seventh mail in 30 days and says how many were sent', () => {
    const check = checkBudget(at(4, 8, 12, 20, 25, 29), NOW, CONSERVATIVE_BUDGET, 'club-default');
    expect(check).toMatchObject({ ok: false, reason: 'budget-window' });
    if (!check.ok) expect(check.message).toContain('6 of at most 6 mails per 30 days');
  });

  it('allows a mail again once the oldest of six has left the 30-day window', () => {
    expect(checkBudget(at(4, 8, 12, 20, 25, 30), NOW, CONSERVATIVE_BUDGET, 'club-default')).toEqual({ ok: true });
  });

  it('ignores sends older than every window', () => {
    expect(checkBudget(at(31, 40, 50, 60, 70), NOW, CONSERVATIVE_BUDGET, 'club-default')).toEqual({ ok: true });
  });
});

describe('checkBudget with a minimum gap', () => {
  const policy: BudgetRules = { windows: [{ days: 1, max: 10 }], minGapHours: 48 };

  it('blocks a mail sooner than the minimum gap with reason min-gap', () => {
    const check = checkBudget([NOW.getTime() - 47 * HOUR_MS], NOW, policy, 'club-default');
    expect(check).toMatchObject({ ok: false, reason: 'min-gap' });
  });

  it('allows a mail once the minimum gap has passed', () => {
    expect(checkBudget([NOW.getTime() - 49 * HOUR_MS], NOW, policy, 'club-default')).toEqual({ ok: true });
  });

  it('measures the gap from the latest send, not the first in the list', () => {
    const sends = [NOW.getTime() - 100 * HOUR_MS, NOW.getTime() - 5 * HOUR_MS, NOW.getTime() - 60 * HOUR_MS];
    expect(checkBudget(sends, NOW, policy, 'club-default')).toMatchObject({ ok: false, reason: 'min-gap' });
  });

  it('allows the first mail', () => {
    expect(checkBudget([], NOW, policy, 'club-default')).toEqual({ ok: true });
  });
});

describe('checkBudget with the member’s own frequency choice', () => {
  it('blocks a second mail within 7 days for a member who chose weekly', () => {
    // Five days: the club's 3-day window alone would allow it.
    expect(checkBudget(at(5), NOW, CONSERVATIVE_BUDGET, 'club-default')).toEqual({ ok: true });
    expect(checkBudget(at(5), NOW, CONSERVATIVE_BUDGET, 'weekly')).toMatchObject({
      ok: false,
      reason: 'member-frequency-choice',
    });
  });

  it('allows a weekly member a mail 7 days after the last', () => {
    expect(checkBudget(at(7), NOW, CONSERVATIVE_BUDGET, 'weekly')).toEqual({ ok: true });
  });

  it('blocks a second mail within 30 days for a member who chose monthly', () => {
    expect(checkBudget(at(20), NOW, CONSERVATIVE_BUDGET, 'monthly')).toMatchObject({
      ok: false,
      reason: 'member-frequency-choice',
    });
    expect(checkBudget(at(30), NOW, CONSERVATIVE_BUDGET, 'monthly')).toEqual({ ok: true });
  });

  it('gives a member who chose occasions only at most one (big-offer) mail a month', () => {
    expect(checkBudget([], NOW, CONSERVATIVE_BUDGET, 'occasions-only')).toEqual({ ok: true });
    expect(checkBudget(at(20), NOW, CONSERVATIVE_BUDGET, 'occasions-only')).toMatchObject({
      ok: false,
      reason: 'member-frequency-choice',
    });
  });

  it('reports the club window, not the member choice, when the club cap is what blocks', () => {
    // A club cap of 0 blocks before the member's weekly choice is even consulted.
    const policy: BudgetRules = { windows: [{ days: 3, max: 0 }], minGapHours: 0 };
    expect(checkBudget([], NOW, policy, 'weekly')).toMatchObject({ ok: false, reason: 'budget-window' });
  });

  it('cannot raise the club cap: a weekly member of a fortnightly club still waits 14 days', () => {
    const strict: BudgetRules = { windows: [{ days: 14, max: 1 }], minGapHours: 0 };
    expect(checkBudget(at(10), NOW, strict, 'weekly')).toMatchObject({ ok: false, reason: 'budget-window' });
  });

  it('adds the member’s caps after the club’s, marked as the member’s', () => {
    const windows = effectiveWindows(CONSERVATIVE_BUDGET, 'weekly');
    expect(windows).toEqual([
      { days: 3, max: 1, source: 'club' },
      { days: 7, max: 2, source: 'club' },
      { days: 30, max: 6, source: 'club' },
      { days: 7, max: 1, source: 'member' },
    ]);
    expect(effectiveWindows(CONSERVATIVE_BUDGET, 'club-default').every((w) => w.source === 'club')).toBe(true);
  });
});

describe('ledgerHorizonMs', () => {
  it('remembers a year: the survey cap and the passive-member count need it', () => {
    expect(ledgerHorizonMs({ windows: [{ days: 3, max: 1 }], minGapHours: 0 })).toBe(365 * DAY_MS);
    expect(
      ledgerHorizonMs({
        windows: [
          { days: 3, max: 1 },
          { days: 90, max: 6 },
        ],
        minGapHours: 0,
      }),
    ).toBe(365 * DAY_MS);
  });
});

describe('budget properties', () => {
  /** The member caps the product promises, written out independently of the code. */
  const MEMBER_CAPS: Record<Frequency, ReadonlyArray<{ days: number; max: number }>> = {
    'club-default': [],
    weekly: [{ days: 7, max: 1 }],
    monthly: [{ days: 30, max: 1 }],
    'occasions-only': [{ days: 30, max: 1 }],
  };

  const policyArb: fc.Arbitrary<BudgetRules> = fc.record({
    windows: fc.array(fc.record({ days: fc.integer({ min: 1, max: 60 }), max: fc.integer({ min: 0, max: 5 }) }), {
      minLength: 1,
      maxLength: 3,
    }),
    minGapHours: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 96 })),
  });
  const frequencyArb = fc.constantFrom(...Frequency.options);
  /** Attempt times in minutes after a start, over about four months, duplicates allowed. */
  const attemptsArb = fc
    .array(fc.integer({ min: 0, max: 120 * 24 * 60 }), { minLength: 1, maxLength: 60 })
    .map((minutes) => [...minutes].sort((a, b) => a - b).map((m) => Date.UTC(2025, 0, 1) + m * MINUTE_MS));

  /** Processes attempts in order through claimSend, as the send worker does; returns what it accepted and refused. */
  function run(attempts: readonly number[], policy: BudgetRules, frequency: Frequency) {
    let ledger: Ledger = EMPTY_LEDGER;
    const accepted: number[] = [];
    const refused: number[] = [];
    attempts.forEach((t, i) => {
      const outcome = claimSend(ledger, { sendId: `send-${i}`, campaignId: `c${i}` }, new Date(t), policy, frequency);
      if (outcome.kind === 'claimed') {
        ledger = outcome.next;
        accepted.push(t);
      } else {
        expect(outcome.kind).toBe('over-budget');
        refused.push(t);
      }
    });
    return { accepted, refused };
  }

  const inWindow = (sends: readonly number[], end: number, days: number) =>
    sends.filter((s) => s > end - days * DAY_MS && s <= end).length;

  it('never lets any window of the policy or the member choice hold more accepted sends than its max', () => {
    fc.assert(
      fc.property(attemptsArb, policyArb, frequencyArb, (attempts, policy, frequency) => {
        const { accepted } = run(attempts, policy, frequency);
        const windows = [...policy.windows, ...MEMBER_CAPS[frequency]];
        // The fullest window always ends at a send, so checking windows ending at each send suffices.
        for (const end of accepted)
          for (const w of windows) expect(inWindow(accepted, end, w.days)).toBeLessThanOrEqual(w.max);
        for (let i = 1; i < accepted.length; i++) {
          expect((accepted[i] ?? 0) - (accepted[i - 1] ?? 0)).toBeGreaterThanOrEqual(policy.minGapHours * HOUR_MS);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('only refuses a send that some window or the minimum gap really forbids', () => {
    fc.assert(
      fc.property(attemptsArb, policyArb, frequencyArb, (attempts, policy, frequency) => {
        const { accepted, refused } = run(attempts, policy, frequency);
        const windows = [...policy.windows, ...MEMBER_CAPS[frequency]];
        for (const t of refused) {
          const before = accepted.filter((s) => s <= t);
          const latest = before.length > 0 ? Math.max(...before) : Number.NEGATIVE_INFINITY;
          const gapBlocks = policy.minGapHours > 0 && t - latest < policy.minGapHours * HOUR_MS;
          const windowBlocks = windows.some((w) => inWindow(before, t, w.days) >= w.max);
          expect(gapBlocks || windowBlocks).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('never lets a member’s frequency choice allow a send the club policy alone would block', () => {
    const sendsArb = fc
      .array(fc.integer({ min: -400 * 24, max: 0 }), { maxLength: 12 })
      .map((hours) => hours.map((h) => NOW.getTime() + h * HOUR_MS));
    fc.assert(
      fc.property(sendsArb, policyArb, frequencyArb, (sends, policy, frequency) => {
        const club = checkBudget(sends, NOW, policy, 'club-default');
        const member = checkBudget(sends, NOW, policy, frequency);
        if (!club.ok) expect(member.ok).toBe(false);
        if (member.ok) expect(club.ok).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('surveys and transactional mail', () => {
  it('caps surveys per year on top of the windows, with its own reason', () => {
    const surveys = at(100, 200);
    expect(
      checkBudget(surveys, NOW, CONSERVATIVE_BUDGET, 'club-default', { kind: 'survey', surveySentAt: surveys }),
    ).toMatchObject({
      ok: false,
      reason: 'survey-cap',
      message: 'The member already had 2 of at most 2 surveys this year.',
    });
    // Offers mail is not held back by the survey cap, and a survey from last year no longer counts.
    expect(
      checkBudget(surveys, NOW, CONSERVATIVE_BUDGET, 'club-default', { kind: 'offers', surveySentAt: surveys }),
    ).toEqual({ ok: true });
    expect(
      checkBudget(at(100, 366), NOW, CONSERVATIVE_BUDGET, 'club-default', {
        kind: 'survey',
        surveySentAt: at(100, 366),
      }),
    ).toEqual({ ok: true });
  });

  it('lets transactional mail through whatever the member has had', () => {
    expect(checkBudget([NOW.getTime()], NOW, CONSERVATIVE_BUDGET, 'occasions-only', { kind: 'transactional' })).toEqual(
      { ok: true },
    );
  });

  it('records surveys in the ledger so the yearly cap holds at send time', () => {
    let ledger: Ledger = EMPTY_LEDGER;
    // 90 days apart (the default), so the third within the year meets the yearly cap.
    const outcomes = [0, 100, 200].map((d, i) => {
      const outcome = claimSend(
        ledger,
        { sendId: `s${i}`, campaignId: `survey${i}`, kind: 'survey' },
        new Date(NOW.getTime() + d * DAY_MS),
        CONSERVATIVE_BUDGET,
        'club-default',
      );
      if (outcome.kind === 'claimed') ledger = outcome.next;
      return outcome.kind === 'over-budget' ? outcome.reason : outcome.kind;
    });
    expect(outcomes).toEqual(['claimed', 'claimed', 'survey-cap']);
  });
});

describe('SELECTIVE_BUDGET', () => {
  it('is at most 3 mails per 7 days and 12 per 30, with the default’s other settings', () => {
    expect(SELECTIVE_BUDGET.windows).toEqual([
      { days: 7, max: 3 },
      { days: 30, max: 12 },
    ]);
    expect(SELECTIVE_BUDGET).toMatchObject({ minGapHours: 0, surveysPerYear: 2, planningHorizonDays: 7 });
  });

  it('lets a third mail through within 7 days and blocks the fourth', () => {
    const daysAgo = (...days: number[]) => days.map((d) => NOW.getTime() - d * DAY_MS);
    expect(checkBudget(daysAgo(1, 3), NOW, SELECTIVE_BUDGET, 'club-default')).toEqual({ ok: true });
    expect(checkBudget(daysAgo(1, 3, 5), NOW, SELECTIVE_BUDGET, 'club-default')).toMatchObject({
      ok: false,
      reason: 'budget-window',
    });
  });
});
