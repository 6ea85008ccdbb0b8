import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CONSERVATIVE_BUDGET } from '../../lambdas/core/budget.js';
import { EMPTY_CLUB_MODEL } from '../../lambdas/core/club-model.js';
import { type DecideInput, type Decision, decide, inHoldout } from '../../lambdas/core/decision.js';
import { CONSERVATIVE_ENGAGEMENT, SELECTIVE_ENGAGEMENT } from '../../lambdas/core/engagement.js';
import { EMPTY_LEDGER, type Ledger } from '../../lambdas/core/ledger.js';
import { aCampaign, aMember, anOffer, aProfile, CATALOG, DAY_MS, HOUR_MS, NOW } from './fixtures.js';

const pool = [CATALOG.spaghetti, CATALOG.sourdough].map((p) => anOffer(p));

function input(overrides: Partial<DecideInput> = {}): DecideInput {
  return {
    member: aMember(),
    profile: {
      ...aProfile({ spaghetti: 6, sourdough: 3 }),
      lastPurchaseAt: new Date(NOW.getTime() - DAY_MS).toISOString(),
    },
    ledger: EMPTY_LEDGER,
    campaign: aCampaign({ offerPool: pool.map((c) => c.offer.offerId) }),
    candidates: pool,
    policy: CONSERVATIVE_BUDGET,
    // Each mechanism is tested on the first default (passive after 3, no habit floor); the habit floor has its own tests.
    engagement: CONSERVATIVE_ENGAGEMENT,
    now: NOW,
    ...overrides,
  };
}

const ledgerOf = (...sends: Array<{ daysAgo: number; kind?: 'offers' | 'survey' }>): Ledger => ({
  version: sends.length,
  sends: Object.fromEntries(
    sends.map((s, i) => [
      `s${i}`,
      { at: NOW.getTime() - s.daysAgo * DAY_MS, campaignId: `old${i}`, kind: s.kind ?? 'offers' },
    ]),
  ),
});

const reasonOf = (d: Decision) => (d.outcome === 'suppress' ? d.reason : 'send');

describe('decide: the frequency budget', () => {
  it('suppresses with budget-window and min-gap from the club policy', () => {
    expect(reasonOf(decide(input({ ledger: ledgerOf({ daysAgo: 1 }) })))).toBe('budget-window');
    const gap = { ...CONSERVATIVE_BUDGET, windows: [{ days: 1, max: 10 }], minGapHours: 72 };
    expect(reasonOf(decide(input({ policy: gap, ledger: ledgerOf({ daysAgo: 2 }) })))).toBe('min-gap');
  });

  it('suppresses with member-frequency-choice for a weekly member mailed 4 days ago', () => {
    const member = aMember({ preferences: { frequency: 'weekly' } });
    expect(reasonOf(decide(input({ member, ledger: ledgerOf({ daysAgo: 4 }) })))).toBe('member-frequency-choice');
  });

  it('lets a big offer reach a member who wants only birthdays and big offers, and nothing else', () => {
    const member = aMember({ preferences: { frequency: 'occasions-only' } });
    expect(reasonOf(decide(input({ member })))).toBe('member-frequency-choice');
    expect(
      reasonOf(decide(input({ member, campaign: aCampaign({ offerPool: ['offer-spaghetti'], priority: 3 }) }))),
    ).toBe('send');
  });

  it('suppresses a survey with survey-cap after two this year, and a survey for a member who opted out of surveys', () => {
    const survey = aCampaign({ offerPool: ['offer-spaghetti'], kind: 'survey' });
    expect(
      reasonOf(
        decide(
          input({
            campaign: survey,
            ledger: ledgerOf({ daysAgo: 90, kind: 'survey' }, { daysAgo: 200, kind: 'survey' }),
          }),
        ),
      ),
    ).toBe('survey-cap');
    expect(
      reasonOf(decide(input({ campaign: survey, member: aMember({ preferences: { topics: ['offers'] } }) }))),
    ).toBe('topic-opt-out');
  });

  it('raises the relevance floor for a passive member and says so', () => {
    // Three mails since the last purchase (200 days ago): passive. The campaign's floor 0.05 becomes 0.2.
    const passive = input({
      profile: {
        ...aProfile({}),
        receipts: 10,
        lines: 10,
        products: { spaghetti: { count: 1, lastAt: NOW.toISOString(), basketShare: 0.15 } },
        lastPurchaseAt: new Date(NOW.getTime() - 200 * DAY_MS).toISOString(),
      },
      ledger: ledgerOf({ daysAgo: 40 }, { daysAgo: 80 }, { daysAgo: 120 }),
      campaign: aCampaign({ offerPool: ['offer-spaghetti'], relevanceFloor: 0.05 }),
    });
    const decision = decide(passive);
    expect(decision).toMatchObject({ outcome: 'suppress', reason: 'below-relevance-floor' });
    expect(decision.message).toMatch(/0\.2 \(raised: no open, click or purchase after the last 3 mails\)/);
    // The same member, active (bought yesterday), passes the campaign's own floor.
    expect(
      reasonOf(
        decide({
          ...passive,
          profile: { ...passive.profile, lastPurchaseAt: new Date(NOW.getTime() - DAY_MS).toISOString() },
        }),
      ),
    ).toBe('send');
  });

  describe('with a club habit floor (SELECTIVE_ENGAGEMENT)', () => {
    const fitted = { ...EMPTY_CLUB_MODEL, baskets: 10 };
    // Ten receipts, mostly gluten-free bread: the pasta and bread on offer score about 0.14 for this member.
    const habits = {
      ...aProfile({ 'gf-bread': 9, spaghetti: 1 }),
      lastPurchaseAt: new Date(NOW.getTime() - DAY_MS).toISOString(),
    };

    it('suppresses a mail whose best offer is below the habit floor for a member the fitted model knows', () => {
      const decision = decide(input({ profile: habits, model: fitted, engagement: SELECTIVE_ENGAGEMENT }));
      expect(decision).toMatchObject({ outcome: 'suppress', reason: 'below-relevance-floor' });
      expect(decision.message).toContain('0.4');
    });

    it('sends the same mail without a habit floor, before the first fit, or when the campaign sets its own floor', () => {
      expect(reasonOf(decide(input({ profile: habits, model: fitted, engagement: CONSERVATIVE_ENGAGEMENT })))).toBe(
        'send',
      );
      expect(reasonOf(decide(input({ profile: habits, engagement: SELECTIVE_ENGAGEMENT })))).toBe('send');
      const ownFloor = aCampaign({ offerPool: pool.map((c) => c.offer.offerId), relevanceFloor: 0.1 });
      expect(
        reasonOf(
          decide(input({ profile: habits, model: fitted, engagement: SELECTIVE_ENGAGEMENT, campaign: ownFloor })),
        ),
      ).toBe('send');
    });

    it('keeps the cold-start floor for a member with fewer than three receipts', () => {
      const newcomer = {
        ...aProfile({ 'gf-bread': 2 }),
        lastPurchaseAt: new Date(NOW.getTime() - DAY_MS).toISOString(),
      };
      expect(reasonOf(decide(input({ profile: newcomer, model: fitted, engagement: SELECTIVE_ENGAGEMENT })))).toBe(
        'send',
      );
    });
  });

  it('defers a mail due in the member’s quiet hours to the morning in their time zone', () => {
    // 10:00 UTC is 19:00 in Tokyo: fine. 13:30 UTC is 22:30 there: waits until 08:00 (23:00 UTC).
    expect(decide(input({ member: aMember({ timeZone: 'Asia/Tokyo' }) }))).not.toHaveProperty('notBefore');
    const late = decide(input({ member: aMember({ timeZone: 'Asia/Tokyo' }), now: new Date('2025-06-15T13:30:00Z') }));
    expect(late).toMatchObject({ outcome: 'send', notBefore: '2025-06-15T23:00:00.000Z' });
    expect(late.message).toMatch(/quiet hours in Asia\/Tokyo/);
  });

  it('judges the budget at the deferred time, not at planning time', () => {
    // Mailed 2 days 20 hours before planning: the 3-day window is still closed at 22:30 but open by 08:00.
    const now = new Date('2025-06-15T13:30:00Z');
    const ledger: Ledger = {
      version: 1,
      sends: { s: { at: now.getTime() - (2 * DAY_MS + 20 * HOUR_MS), campaignId: 'old', kind: 'offers' } },
    };
    expect(reasonOf(decide(input({ member: aMember({ timeZone: 'Asia/Tokyo' }), now, ledger })))).toBe('send');
    expect(reasonOf(decide(input({ member: aMember({ timeZone: 'Europe/Stockholm' }), now, ledger })))).toBe(
      'budget-window',
    );
  });

  it('gives the budget to a later campaign worth more: outranked-by names it', () => {
    const big = aCampaign({
      campaignId: 'big-weekend',
      offerPool: ['offer-spaghetti'],
      priority: 3,
      status: 'scheduled',
      sendAt: new Date(NOW.getTime() + 2 * DAY_MS).toISOString(),
    });
    const decision = decide(input({ rivals: [{ campaign: big, candidates: pool }] }));
    expect(decision).toMatchObject({ outcome: 'suppress', reason: 'outranked-by:big-weekend' });
    // A rival outside the horizon, cancelled, or one the member would not get anyway, takes nothing.
    for (const rival of [
      { ...big, sendAt: new Date(NOW.getTime() + 8 * DAY_MS).toISOString() },
      { ...big, status: 'cancelled' as const },
      { ...big, kind: 'survey' as const },
    ]) {
      const member = aMember({ preferences: { topics: ['offers'] } });
      expect(reasonOf(decide(input({ member, rivals: [{ campaign: rival, candidates: pool }] })))).toBe('send');
    }
  });

  it('leaves room for both when the budget allows two mails', () => {
    const rival = aCampaign({
      campaignId: 'next-week',
      offerPool: ['offer-spaghetti'],
      priority: 3,
      status: 'scheduled',
      sendAt: new Date(NOW.getTime() + 4 * DAY_MS).toISOString(),
    });
    expect(reasonOf(decide(input({ rivals: [{ campaign: rival, candidates: pool }] })))).toBe('send');
  });

  it('holds out the campaign’s share of members, reproducibly, after every other check', () => {
    const campaign = aCampaign({ campaignId: 'test-uplift', offerPool: ['offer-spaghetti'], holdoutShare: 0.3 });
    const ids = Array.from({ length: 2000 }, (_, i) => `member-${i}`);
    const held = ids.filter(
      (memberId) => reasonOf(decide(input({ campaign, member: aMember({ memberId }) }))) === 'holdout',
    );
    expect(held.length / ids.length).toBeGreaterThan(0.26);
    expect(held.length / ids.length).toBeLessThan(0.34);
    expect(held.every((id) => inHoldout(campaign, id))).toBe(true);
    // Someone already over budget is reported as such, not as held out.
    const first = held[0] ?? '';
    expect(
      reasonOf(decide(input({ campaign, member: aMember({ memberId: first }), ledger: ledgerOf({ daysAgo: 1 }) }))),
    ).toBe('budget-window');
  });

  it('never sends when the member’s choice would not, whatever the ledger (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 60 }), { maxLength: 8 }),
        fc.constantFrom('weekly', 'monthly', 'occasions-only'),
        (days, frequency) => {
          const ledger = ledgerOf(...days.map((d) => ({ daysAgo: d + 0.5 })));
          const chosen = decide(input({ ledger, member: aMember({ preferences: { frequency } }) }));
          const club = decide(input({ ledger }));
          if (chosen.outcome === 'send') expect(club.outcome).toBe('send');
        },
      ),
    );
  });
});
