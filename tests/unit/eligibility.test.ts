import { describe, expect, it } from 'vitest';
import { checkEligibility } from '../../lambdas/core/eligibility.js';
import { aMember, daysAgo, daysLater, NOW } from './fixtures.js';

describe('checkEligibility', () => {
  it('lets a subscribed, consenting, reachable member receive offers', () => {
    expect(checkEligibility(aMember(), 'offers', NOW)).toEqual({ eligible: true });
  });

  it('suppresses a member who marked an earlier mail as spam', () => {
    expect(checkEligibility(aMember({ deliverability: 'complained' }), 'offers', NOW)).toMatchObject({
      eligible: false,
      reason: 'complained',
    });
  });

  it('suppresses a member whose address bounced', () => {
    expect(checkEligibility(aMember({ deliverability: 'bounced' }), 'offers', NOW)).toMatchObject({
      eligible: false,
      reason: 'bounced',
    });
  });

  it('suppresses a member who unsubscribed', () => {
    expect(checkEligibility(aMember({ subscription: 'unsubscribed' }), 'offers', NOW)).toMatchObject({
      eligible: false,
      reason: 'unsubscribed',
    });
  });

  it('suppresses a member without marketing consent', () => {
    expect(checkEligibility(aMember({ consent: { marketing: false } }), 'offers', NOW)).toMatchObject({
      eligible: false,
      reason: 'no-consent',
    });
  });

  it('suppresses a member who paused mail until a future date, and says until when', () => {
    const member = aMember({ preferences: { pausedUntil: daysLater(10).toISOString() } });
    const check = checkEligibility(member, 'offers', NOW);
    expect(check).toMatchObject({ eligible: false, reason: 'paused' });
    if (!check.eligible) expect(check.message).toContain(daysLater(10).toISOString().slice(0, 10));
  });

  it('lets a member whose pause has ended receive mail again', () => {
    const member = aMember({ preferences: { pausedUntil: daysAgo(1).toISOString() } });
    expect(checkEligibility(member, 'offers', NOW)).toEqual({ eligible: true });
  });

  it('suppresses a member who opted out of the topic', () => {
    const member = aMember({ preferences: { topics: ['news', 'events'] } });
    expect(checkEligibility(member, 'offers', NOW)).toMatchObject({ eligible: false, reason: 'topic-opt-out' });
  });

  it('lets a member who opted out of one topic receive another', () => {
    const member = aMember({ preferences: { topics: ['news', 'events'] } });
    expect(checkEligibility(member, 'news', NOW)).toEqual({ eligible: true });
  });

  it('suppresses a member who only wants mail on occasions', () => {
    const member = aMember({ preferences: { frequency: 'occasions-only' } });
    expect(checkEligibility(member, 'offers', NOW)).toMatchObject({
      eligible: false,
      reason: 'member-frequency-choice',
    });
  });

  it('lets members with a weekly or monthly choice through, leaving the cap to the budget', () => {
    expect(checkEligibility(aMember({ preferences: { frequency: 'weekly' } }), 'offers', NOW)).toEqual({
      eligible: true,
    });
    expect(checkEligibility(aMember({ preferences: { frequency: 'monthly' } }), 'offers', NOW)).toEqual({
      eligible: true,
    });
  });

  it('lets a member whose basis is legitimate interest with marketing allowed receive mail', () => {
    const member = aMember({ consent: { legalBasis: 'legitimate-interest', marketing: true } });
    expect(checkEligibility(member, 'offers', NOW)).toEqual({ eligible: true });
  });

  it('gives every suppression a human-readable message', () => {
    const members = [
      aMember({ deliverability: 'complained' }),
      aMember({ deliverability: 'bounced' }),
      aMember({ subscription: 'unsubscribed' }),
      aMember({ consent: { marketing: false } }),
      aMember({ preferences: { pausedUntil: daysLater(1).toISOString() } }),
      aMember({ preferences: { topics: [] } }),
      aMember({ preferences: { frequency: 'occasions-only' } }),
    ];
    for (const member of members) {
      const check = checkEligibility(member, 'offers', NOW);
      expect(check.eligible).toBe(false);
      if (!check.eligible) expect(check.message.length).toBeGreaterThan(10);
    }
  });
});
