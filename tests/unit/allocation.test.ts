import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Allocation, type AllocationRequest, allocate } from '../../lambdas/core/allocation.js';
import { BudgetPolicy, checkBudget, effectiveWindows } from '../../lambdas/core/budget.js';
import { Frequency } from '../../lambdas/core/model.js';
import { DAY_MS, HOUR_MS, NOW } from './fixtures.js';

/** A club budget spelled out here, so the tests do not move when the product's default does. */
const CLUB = BudgetPolicy.parse({
  windows: [
    { days: 3, max: 1 },
    { days: 30, max: 4 },
  ],
});
const budget = (windows: Array<{ days: number; max: number }>, minGapHours = 0) =>
  BudgetPolicy.parse({ windows, minGapHours });
const t = (days: number) => NOW.getTime() + days * DAY_MS;
const request = (campaignId: string, days: number, relevance = 0.5, priority = 1): AllocationRequest => ({
  campaignId,
  at: t(days),
  relevance,
  priority,
});
const run = (
  requests: AllocationRequest[],
  sentAt: number[] = [],
  policy: BudgetPolicy = CLUB,
  frequency: Frequency = 'club-default',
) => allocate({ requests, sentAt, policy, frequency, engagementWeight: 1 });
const outcomes = (allocations: Allocation[]) =>
  Object.fromEntries(allocations.map((a) => [a.campaignId, a.outcome === 'send' ? 'send' : a.reason]));

describe('allocate', () => {
  it('sends every request that fits the budget', () => {
    expect(outcomes(run([request('a', 0), request('b', 4), request('c', 8)]))).toEqual({
      a: 'send',
      b: 'send',
      c: 'send',
    });
  });

  it('gives the member to the campaign with the higher expected value, not the one scheduled first', () => {
    const result = run([request('weekly', 0, 0.4, 1), request('christmas', 1, 0.4, 2)]);
    expect(outcomes(result)).toEqual({ weekly: 'outranked-by:christmas', christmas: 'send' });
    const weekly = result[0];
    expect(weekly?.outcome === 'suppress' && weekly.message).toContain('christmas');
  });

  it('weighs relevance and priority together', () => {
    // 0.9 × 1 beats 0.3 × 2.
    expect(outcomes(run([request('relevant', 1, 0.9, 1), request('seasonal', 0, 0.3, 2)]))).toEqual({
      relevant: 'send',
      seasonal: 'outranked-by:relevant',
    });
  });

  it('breaks ties in value by the earlier send, then by campaign id', () => {
    expect(outcomes(run([request('later', 1), request('earlier', 0)]))).toEqual({
      later: 'outranked-by:earlier',
      earlier: 'send',
    });
    expect(outcomes(run([request('b', 0), request('a', 0)]))).toEqual({ b: 'outranked-by:a', a: 'send' });
  });

  it('returns the results in input order', () => {
    const result = run([request('c', 8), request('a', 0, 0.9), request('b', 4, 0.1)]);
    expect(result.map((r) => r.campaignId)).toEqual(['c', 'a', 'b']);
  });

  it('suppresses with budget-window when the ledger alone has used the window', () => {
    const result = run([request('a', 0)], [t(-1)]);
    expect(result).toEqual([expect.objectContaining({ outcome: 'suppress', reason: 'budget-window' })]);
  });

  it('suppresses with min-gap when the ledger alone is too close', () => {
    const policy = budget([{ days: 30, max: 30 }], 48);
    const result = run([request('a', 0)], [t(0) - 47 * HOUR_MS], policy);
    expect(result).toEqual([expect.objectContaining({ outcome: 'suppress', reason: 'min-gap' })]);
  });

  it('suppresses with member-frequency-choice when the member chose fewer mails', () => {
    const result = run([request('a', 0)], [t(-5)], CLUB, 'weekly');
    expect(result).toEqual([expect.objectContaining({ outcome: 'suppress', reason: 'member-frequency-choice' })]);
    expect(run([request('a', 0)], [t(-10)], CLUB, 'occasions-only')).toEqual([
      expect.objectContaining({ outcome: 'suppress', reason: 'member-frequency-choice' }),
    ]);
  });

  it('gives the ledger reason rather than outranked-by when the ledger alone blocks the request', () => {
    const result = run([request('big', 2, 0.9, 2), request('small', 0, 0.1)], [t(-1)]);
    expect(outcomes(result)).toEqual({ big: 'send', small: 'budget-window' });
  });

  it('says outranked-by when an admitted request fills a min gap', () => {
    const policy = budget([{ days: 30, max: 30 }], 16);
    const result = run(
      [request('morning', 0, 0.2), { ...request('evening', 0, 0.8), at: t(0) + 8 * HOUR_MS }],
      [],
      policy,
    );
    expect(outcomes(result)).toEqual({ morning: 'outranked-by:evening', evening: 'send' });
  });

  it('names the highest-value admitted request among those that fill the window', () => {
    const policy = budget([{ days: 30, max: 2 }]);
    const result = run([request('low', 10, 0.2), request('top', 0, 0.9), request('mid', 20, 0.5)], [], policy);
    expect(outcomes(result)).toEqual({ low: 'outranked-by:top', top: 'send', mid: 'send' });
  });

  it('does not let an earlier mail push an admitted later mail over its cap', () => {
    // b at day 10 is admitted first; a at day 8 would put two mails in the 3-day window that ends at b.
    const result = run([request('a', 8, 0.2), request('b', 10, 0.9)]);
    expect(outcomes(result)).toEqual({ a: 'outranked-by:b', b: 'send' });
  });

  it('looks forward at the 30-day window too', () => {
    const policy = budget([{ days: 30, max: 2 }]);
    // The ledger has one send at day 20; "future" at day 25 is admitted first; "early" at day 0 would make
    // three sends in the 30 days ending at day 25.
    const result = run([request('early', 0, 0.1), request('future', 25, 0.9)], [t(20)], policy);
    expect(outcomes(result)).toEqual({ early: 'outranked-by:future', future: 'send' });
  });

  it("never sends more with the member's weekly choice than with the club default, where greedy alone would", () => {
    // Club default: c, then b; a and d would break the 21-day cap with them (a also the 1-day one): 2 mails.
    // Weekly alone: c blocks b, which frees room for a and d: 3 mails. The least valuable (d) is dropped.
    const policy = budget([
      { days: 21, max: 2 },
      { days: 1, max: 1 },
    ]);
    const requests = [
      request('a', 0, 0.1),
      { ...request('b', 0, 0.2), at: t(0) + HOUR_MS },
      request('c', 7, 0.3),
      request('d', 21, 0.05),
    ];
    expect(outcomes(run(requests, [], policy, 'club-default'))).toEqual({
      a: 'outranked-by:c',
      b: 'send',
      c: 'send',
      d: 'outranked-by:c',
    });
    expect(outcomes(run(requests, [], policy, 'weekly'))).toEqual({
      a: 'send',
      b: 'outranked-by:c',
      c: 'send',
      d: 'member-frequency-choice',
    });
  });

  it('multiplies by the engagement weight without changing the order', () => {
    const requests = [request('a', 0, 0.4), request('b', 1, 0.8)];
    const weighted = allocate({
      requests,
      sentAt: [],
      policy: CLUB,
      frequency: 'club-default',
      engagementWeight: 0.25,
    });
    expect(outcomes(weighted)).toEqual(outcomes(run(requests)));
  });
});

// --- properties -------------------------------------------------------------------------------

const HORIZON_DAYS = 40;
const aTime = fc.integer({ min: 0, max: HORIZON_DAYS * 24 }).map((hours) => NOW.getTime() + hours * HOUR_MS);
const aPolicy: fc.Arbitrary<BudgetPolicy> = fc
  .record({
    windows: fc.array(fc.record({ days: fc.integer({ min: 1, max: 30 }), max: fc.integer({ min: 0, max: 5 }) }), {
      minLength: 1,
      maxLength: 3,
    }),
    minGapHours: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 72 })),
  })
  .map((p) => BudgetPolicy.parse(p));
const someRequests = fc.uniqueArray(
  fc.record({
    campaignId: fc.stringMatching(/^c[0-9]{1,3}$/),
    at: aTime,
    relevance: fc.double({ min: 0, max: 1, noNaN: true }),
    priority: fc.constantFrom(1, 2, 3),
  }),
  { selector: (r) => r.campaignId, maxLength: 8 },
);
const aLedger = fc.array(aTime, { maxLength: 6 });

/** Every window position holding an admitted send stays within its cap, and no admitted send is too close to another. */
function respectsBudget(
  admitted: readonly number[],
  ledger: readonly number[],
  policy: BudgetPolicy,
  frequency: Frequency,
): boolean {
  const all = [...ledger, ...admitted];
  for (const window of effectiveWindows(policy, frequency)) {
    const span = window.days * DAY_MS;
    for (const end of all) {
      const inside = all.filter((at) => at > end - span && at <= end);
      const holdsAdmitted = admitted.some((at) => at > end - span && at <= end);
      if (holdsAdmitted && inside.length > window.max) return false;
    }
  }
  for (const [i, at] of admitted.entries()) {
    const others = [...ledger, ...admitted.filter((_, j) => j !== i)];
    if (others.some((other) => Math.abs(other - at) < policy.minGapHours * HOUR_MS)) return false;
  }
  return true;
}

const admittedTimes = (requests: readonly AllocationRequest[], result: readonly Allocation[]) =>
  result.flatMap((r, i) => (r.outcome === 'send' ? [requests[i]?.at ?? Number.NaN] : []));

describe('allocate, for any requests and ledger', () => {
  it('never lets the admitted mails plus the ledger exceed a window cap or the minimum gap, in any window position', () => {
    fc.assert(
      fc.property(
        someRequests,
        aLedger,
        aPolicy,
        fc.constantFrom(...Frequency.options),
        (requests, ledger, policy, frequency) => {
          const result = allocate({ requests, sentAt: ledger, policy, frequency, engagementWeight: 1 });
          expect(respectsBudget(admittedTimes(requests, result), ledger, policy, frequency)).toBe(true);
        },
      ),
      { numRuns: 500 },
    );
  });

  it("never admits more with the member's frequency choice than with the club default", () => {
    fc.assert(
      fc.property(
        someRequests,
        aLedger,
        aPolicy,
        fc.constantFrom<Frequency>('weekly', 'monthly', 'occasions-only'),
        (requests, ledger, policy, frequency) => {
          const chosen = allocate({ requests, sentAt: ledger, policy, frequency, engagementWeight: 1 });
          const clubDefault = allocate({
            requests,
            sentAt: ledger,
            policy,
            frequency: 'club-default',
            engagementWeight: 1,
          });
          const sends = (r: Allocation[]) => r.filter((a) => a.outcome === 'send').length;
          expect(sends(chosen)).toBeLessThanOrEqual(sends(clubDefault));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('answers exactly like checkBudget for a single request after every ledger send', () => {
    fc.assert(
      fc.property(aTime, aLedger, aPolicy, fc.constantFrom(...Frequency.options), (at, ledger, policy, frequency) => {
        const earlier = ledger.filter((sent) => sent <= at);
        const [result] = allocate({
          requests: [{ campaignId: 'c', at, relevance: 0.5, priority: 1 }],
          sentAt: earlier,
          policy,
          frequency,
          engagementWeight: 1,
        });
        const check = checkBudget(earlier, new Date(at), policy, frequency);
        if (check.ok) expect(result).toEqual({ campaignId: 'c', outcome: 'send' });
        else
          expect(result).toEqual({
            campaignId: 'c',
            outcome: 'suppress',
            reason: check.reason,
            message: check.message,
          });
      }),
      { numRuns: 500 },
    );
  });

  it('sends or suppresses every request exactly once, and a suppressed request always has a reason', () => {
    fc.assert(
      fc.property(someRequests, aLedger, aPolicy, (requests, ledger, policy) => {
        const result = allocate({ requests, sentAt: ledger, policy, frequency: 'club-default', engagementWeight: 1 });
        expect(result.map((r) => r.campaignId)).toEqual(requests.map((r) => r.campaignId));
        for (const r of result) if (r.outcome === 'suppress') expect(r.reason.length).toBeGreaterThan(0);
      }),
    );
  });
});
