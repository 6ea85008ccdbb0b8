import { describe, expect, it } from 'vitest';
import { DEFAULT_BUDGET } from '../../lambdas/core/budget.js';
import {
  budgetFor,
  CONSERVATIVE_ENGAGEMENT,
  DEFAULT_ENGAGEMENT,
  defaultFloorFor,
  EngagementPolicy,
  engagementOf,
  HABIT_RECEIPTS,
  relevanceFloorFor,
  SELECTIVE_ENGAGEMENT,
} from '../../lambdas/core/engagement.js';
import { DAY_MS, NOW } from './fixtures.js';

const t = (days: number) => NOW.getTime() + days * DAY_MS;

describe('EngagementPolicy', () => {
  it('defaults to passive after 10 unengaged mails, 1 mail per 30 days, a floor 0.15 higher and a habit floor of 0.4', () => {
    expect(DEFAULT_ENGAGEMENT).toEqual({
      passiveAfterUnengagedMails: 10,
      passiveWindows: [{ days: 30, max: 1 }],
      passiveFloorBoost: 0.15,
      habitRelevanceFloor: 0.4,
    });
    expect(DEFAULT_ENGAGEMENT).toEqual(SELECTIVE_ENGAGEMENT);
    // The first default stays available, for the tests of each mechanism below.
    expect(CONSERVATIVE_ENGAGEMENT).toMatchObject({ passiveAfterUnengagedMails: 3, habitRelevanceFloor: null });
  });

  it('rejects a threshold below one mail and a negative floor boost', () => {
    expect(EngagementPolicy.safeParse({ passiveAfterUnengagedMails: 0 }).success).toBe(false);
    expect(EngagementPolicy.safeParse({ passiveFloorBoost: -0.1 }).success).toBe(false);
  });
});

describe('engagementOf', () => {
  it('calls a member with no mail yet active with full weight', () => {
    expect(engagementOf({ sentAt: [] }, CONSERVATIVE_ENGAGEMENT)).toEqual({
      state: 'active',
      unengagedMails: 0,
      weight: 1,
    });
  });

  it('keeps a member active after two unengaged mails', () => {
    expect(engagementOf({ sentAt: [t(-10), t(-5)] }, CONSERVATIVE_ENGAGEMENT)).toMatchObject({
      state: 'active',
      unengagedMails: 2,
      weight: 1,
    });
  });

  it('calls a member passive after three mails without an open, click or purchase', () => {
    const engagement = engagementOf(
      { sentAt: [t(-20), t(-10), t(-5)], lastEngagedAt: t(-30) },
      CONSERVATIVE_ENGAGEMENT,
    );
    expect(engagement).toEqual({ state: 'passive', unengagedMails: 3, weight: 0.5 });
  });

  it('lowers the weight the longer a member stays passive', () => {
    const sends = [t(-40), t(-30), t(-20), t(-10), t(-5)];
    const weights = [3, 4, 5].map((n) => engagementOf({ sentAt: sends.slice(0, n) }, CONSERVATIVE_ENGAGEMENT).weight);
    expect(weights).toEqual([1 / 2, 1 / 3, 1 / 4]);
  });

  it('counts only the mails sent after the last engagement', () => {
    const engagement = engagementOf(
      { sentAt: [t(-40), t(-30), t(-20), t(-10)], lastEngagedAt: t(-25) },
      CONSERVATIVE_ENGAGEMENT,
    );
    expect(engagement).toMatchObject({ state: 'active', unengagedMails: 2 });
  });

  it('makes a passive member active again as soon as they engage after their latest mail', () => {
    const sends = [t(-20), t(-10), t(-5)];
    expect(engagementOf({ sentAt: sends, lastEngagedAt: t(-6) }, CONSERVATIVE_ENGAGEMENT).state).toBe('active');
    expect(engagementOf({ sentAt: sends, lastEngagedAt: t(-4) }, CONSERVATIVE_ENGAGEMENT)).toEqual({
      state: 'active',
      unengagedMails: 0,
      weight: 1,
    });
  });

  it('does not count a mail sent at the very instant of the engagement as unengaged', () => {
    expect(
      engagementOf({ sentAt: [t(-3), t(-2), t(-1)], lastEngagedAt: t(-1) }, CONSERVATIVE_ENGAGEMENT).unengagedMails,
    ).toBe(0);
  });

  it('honours a stricter threshold', () => {
    const policy = EngagementPolicy.parse({ passiveAfterUnengagedMails: 1 });
    expect(engagementOf({ sentAt: [t(-1)] }, policy)).toEqual({ state: 'passive', unengagedMails: 1, weight: 0.5 });
  });
});

describe('budgetFor and relevanceFloorFor', () => {
  const passive = engagementOf({ sentAt: [t(-3), t(-2), t(-1)] }, CONSERVATIVE_ENGAGEMENT);
  const active = engagementOf({ sentAt: [] }, CONSERVATIVE_ENGAGEMENT);

  it('leaves the club budget alone for an active member', () => {
    expect(budgetFor(DEFAULT_BUDGET, active, CONSERVATIVE_ENGAGEMENT)).toBe(DEFAULT_BUDGET);
  });

  it('adds the passive windows on top of the club budget for a passive member', () => {
    expect(budgetFor(DEFAULT_BUDGET, passive, CONSERVATIVE_ENGAGEMENT).windows).toEqual([
      ...DEFAULT_BUDGET.windows,
      { days: 30, max: 1 },
    ]);
  });

  it('raises the relevance floor for a passive member only', () => {
    expect(relevanceFloorFor(0.1, active, CONSERVATIVE_ENGAGEMENT)).toBe(0.1);
    expect(relevanceFloorFor(0.1, passive, CONSERVATIVE_ENGAGEMENT)).toBeCloseTo(0.25);
  });
});

describe('defaultFloorFor (the habit floor)', () => {
  const known = { modelFitted: true, receipts: HABIT_RECEIPTS };

  it('keeps the planner’s floor when the club sets no habit floor', () => {
    expect(defaultFloorFor(0.1, known, CONSERVATIVE_ENGAGEMENT)).toBe(0.1);
  });

  it('uses the club’s habit floor for a member whose habits a fitted model knows', () => {
    expect(defaultFloorFor(0.1, known, SELECTIVE_ENGAGEMENT)).toBe(0.4);
  });

  it('keeps the planner’s floor for a member with too few receipts, so new members still get mail', () => {
    expect(defaultFloorFor(0.1, { modelFitted: true, receipts: HABIT_RECEIPTS - 1 }, SELECTIVE_ENGAGEMENT)).toBe(0.1);
  });

  it('keeps the planner’s floor before the club model’s first fit, whose scores are on another scale', () => {
    expect(defaultFloorFor(0.1, { modelFitted: false, receipts: 50 }, SELECTIVE_ENGAGEMENT)).toBe(0.1);
  });

  it('still raises the habit floor for a passive member', () => {
    const passive = engagementOf({ sentAt: Array.from({ length: 10 }, (_, i) => t(-i - 1)) }, SELECTIVE_ENGAGEMENT);
    expect(passive.state).toBe('passive');
    expect(
      relevanceFloorFor(defaultFloorFor(0.1, known, SELECTIVE_ENGAGEMENT), passive, SELECTIVE_ENGAGEMENT),
    ).toBeCloseTo(0.55);
  });

  it('calls a member of the selective settings passive only after 10 mails without an open, click or purchase', () => {
    expect(engagementOf({ sentAt: Array.from({ length: 9 }, (_, i) => t(-i - 1)) }, SELECTIVE_ENGAGEMENT).state).toBe(
      'active',
    );
    expect(engagementOf({ sentAt: Array.from({ length: 10 }, (_, i) => t(-i - 1)) }, SELECTIVE_ENGAGEMENT).state).toBe(
      'passive',
    );
  });

  it('rejects a habit floor outside 0–1', () => {
    expect(EngagementPolicy.safeParse({ habitRelevanceFloor: 1.5 }).success).toBe(false);
    expect(EngagementPolicy.safeParse({ habitRelevanceFloor: -0.1 }).success).toBe(false);
  });
});
