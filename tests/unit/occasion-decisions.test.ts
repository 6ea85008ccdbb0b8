import { describe, expect, it } from 'vitest';
import { CONSERVATIVE_BUDGET } from '../../lambdas/core/budget.js';
import { type DecideInput, type Decision, decide } from '../../lambdas/core/decision.js';
import { EMPTY_LEDGER } from '../../lambdas/core/ledger.js';
import { indexNameDays } from '../../lambdas/core/name-days.js';
import { aCampaign, aMember, anOffer, aProfile, CATALOG, DAY_MS, NOW } from './fixtures.js';

const pool = [CATALOG.spaghetti, CATALOG.sourdough].map((p) => anOffer(p));
const input = (overrides: Partial<DecideInput> = {}): DecideInput => ({
  member: aMember(),
  profile: {
    ...aProfile({ spaghetti: 6, sourdough: 3 }),
    lastPurchaseAt: new Date(NOW.getTime() - DAY_MS).toISOString(),
  },
  ledger: EMPTY_LEDGER,
  campaign: aCampaign({ offerPool: pool.map((c) => c.offer.offerId), occasion: { id: 'birthday' } }),
  candidates: pool,
  policy: CONSERVATIVE_BUDGET,
  now: NOW,
  ...overrides,
});
const reasonOf = (d: Decision) => (d.outcome === 'suppress' ? d.reason : 'send');

describe('decide: occasions', () => {
  // NOW is 2025-06-15T10:00Z: 12:00 in Stockholm, 06:00 in New York… and 15 June in both.
  it('mails a birthday campaign only to members whose birthday it is, in their own time zone', () => {
    expect(reasonOf(decide(input({ member: aMember({ birthDate: '1990-06-15' }) })))).toBe('send');
    expect(reasonOf(decide(input({ member: aMember({ birthDate: '1990-06-16' }) })))).toBe('not-their-occasion');
    expect(reasonOf(decide(input({ member: aMember() })))).toBe('not-their-occasion');
    // 23:30 UTC on 15 June is already 16 June in Stockholm.
    const late = new Date('2025-06-15T23:30:00Z');
    expect(
      reasonOf(
        decide(input({ now: late, member: aMember({ birthDate: '1990-06-16', timeZone: 'Europe/Stockholm' }) })),
      ),
    ).not.toBe('not-their-occasion');
  });

  it('reaches a member who asked for only birthdays and big offers on their birthday', () => {
    const member = aMember({ birthDate: '1990-06-15', preferences: { frequency: 'occasions-only' } });
    expect(reasonOf(decide(input({ member })))).toBe('send');
  });

  it('marks the membership anniversary and name day by the member’s own dates', () => {
    const anniversary = aCampaign({ offerPool: ['offer-spaghetti'], occasion: { id: 'membership-anniversary' } });
    expect(
      reasonOf(decide(input({ campaign: anniversary, member: aMember({ joinedAt: '2023-06-15T09:00:00.000Z' }) }))),
    ).toBe('send');
    expect(
      reasonOf(decide(input({ campaign: anniversary, member: aMember({ joinedAt: '2025-06-15T09:00:00.000Z' }) }))),
    ).toBe('not-their-occasion');
    const nameDay = aCampaign({ offerPool: ['offer-spaghetti'], occasion: { id: 'name-day' } });
    const nameDays = indexNameDays({ '06-15': ['Vilma', 'Bill'] });
    const chose = { nameDayMail: true };
    expect(
      reasonOf(
        decide(input({ campaign: nameDay, member: aMember({ firstName: 'Vilma', preferences: chose }), nameDays })),
      ),
    ).toBe('send');
    expect(
      reasonOf(
        decide(input({ campaign: nameDay, member: aMember({ firstName: 'Anna', preferences: chose }), nameDays })),
      ),
    ).toBe('not-their-occasion');
    expect(
      reasonOf(decide(input({ campaign: nameDay, member: aMember({ firstName: 'Vilma', preferences: chose }) }))),
    ).toBe('not-their-occasion');
    // Name-day mail is opt-in: Vilma who did not choose it gets none.
    expect(reasonOf(decide(input({ campaign: nameDay, member: aMember({ firstName: 'Vilma' }), nameDays })))).toBe(
      'not-their-occasion',
    );
  });

  it('lets a member’s birthday outrank a regular campaign competing for the same budget', () => {
    const weekly = aCampaign({ campaignId: 'weekly', offerPool: ['offer-spaghetti'], priority: 1 });
    const birthday = aCampaign({
      campaignId: 'birthday',
      offerPool: ['offer-spaghetti'],
      priority: 1,
      occasion: { id: 'birthday' },
      status: 'scheduled',
      sendAt: new Date(NOW.getTime() + DAY_MS).toISOString(),
    });
    const member = aMember({ birthDate: '1990-06-16' });
    expect(
      decide(input({ campaign: weekly, member, rivals: [{ campaign: birthday, candidates: pool }] })),
    ).toMatchObject({ outcome: 'suppress', reason: 'outranked-by:birthday' });
    // Without a birthday tomorrow, the birthday campaign is no rival.
    expect(
      reasonOf(
        decide(
          input({
            campaign: weekly,
            member: aMember({ birthDate: '1990-01-01' }),
            rivals: [{ campaign: birthday, candidates: pool }],
          }),
        ),
      ),
    ).toBe('send');
  });

  it('does not restrict a calendar occasion such as Midsummer to anyone', () => {
    const midsummer = aCampaign({
      offerPool: ['offer-spaghetti'],
      occasion: { id: 'midsummer', funFact: 'Sill och nubbe.' },
    });
    expect(reasonOf(decide(input({ campaign: midsummer })))).toBe('send');
  });
});
