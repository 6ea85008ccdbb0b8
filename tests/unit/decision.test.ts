import { describe, expect, it } from 'vitest';
import { CONSERVATIVE_BUDGET } from '../../lambdas/core/budget.js';
import { type DecideInput, Decision, decide } from '../../lambdas/core/decision.js';
import { EMPTY_LEDGER, Ledger, sendIdFor } from '../../lambdas/core/ledger.js';
import { buildProfile, EMPTY_PROFILE } from '../../lambdas/core/profile.js';
import { aCampaign, aMember, anOffer, aProfile, CATALOG, CATALOG_MAP, daysAgo, line, NOW } from './fixtures.js';

const pastaAndBreadPool = [CATALOG.spaghetti, CATALOG.gfPasta, CATALOG.sourdough, CATALOG.gfBread].map((p) =>
  anOffer(p),
);

function input(overrides: Partial<DecideInput> = {}): DecideInput {
  return {
    member: aMember(),
    profile: aProfile({ spaghetti: 6, sourdough: 3 }),
    ledger: EMPTY_LEDGER,
    campaign: aCampaign({ offerPool: pastaAndBreadPool.map((c) => c.offer.offerId) }),
    candidates: pastaAndBreadPool,
    policy: CONSERVATIVE_BUDGET,
    now: NOW,
    ...overrides,
  };
}

const offerIdsOf = (decision: Decision) => (decision.outcome === 'send' ? decision.offers.map((o) => o.offerId) : []);

describe('decide', () => {
  it('sends the member’s best offers under the campaign’s idempotency key', () => {
    const decision = decide(input());
    expect(decision).toMatchObject({
      outcome: 'send',
      memberId: 'member-1',
      sendId: sendIdFor('club-1', 'summer-1', 'member-1'),
    });
    expect(offerIdsOf(decision)[0]).toBe('offer-spaghetti');
    expect(Decision.safeParse(decision).success).toBe(true);
  });

  it('puts at most the campaign’s offers-per-mail in a mail', () => {
    const decision = decide(input({ campaign: aCampaign({ offerPool: ['offer-spaghetti'], offersPerMail: 1 }) }));
    expect(offerIdsOf(decision)).toEqual(['offer-spaghetti']);
  });

  it('suppresses with no-eligible-offers when every offer in the pool conflicts with the member’s diet', () => {
    const member = aMember({ preferences: { declaredRestrictions: ['gluten-free'] } });
    const glutenOnly = [CATALOG.spaghetti, CATALOG.sourdough, CATALOG.unlabelledPasta].map((p) => anOffer(p));
    expect(decide(input({ member, candidates: glutenOnly }))).toMatchObject({
      outcome: 'suppress',
      reason: 'no-eligible-offers',
    });
  });

  it('suppresses with below-relevance-floor a member with no purchase history', () => {
    expect(decide(input({ profile: EMPTY_PROFILE }))).toMatchObject({
      outcome: 'suppress',
      reason: 'below-relevance-floor',
    });
  });

  it('suppresses with below-relevance-floor when the best offer is weaker than the campaign’s floor', () => {
    const weak = aProfile({ 'gf-pasta': 1, crisps: 20 }); // pasta is a small share; spaghetti never bought
    const campaign = aCampaign({ offerPool: ['offer-spaghetti'], relevanceFloor: 0.9 });
    const decision = decide(input({ profile: weak, campaign, candidates: [anOffer(CATALOG.spaghetti)] }));
    expect(decision).toMatchObject({ outcome: 'suppress', reason: 'below-relevance-floor' });
  });

  it('sends the same member when the campaign’s floor is low enough', () => {
    const weak = aProfile({ 'gf-pasta': 1, crisps: 20 });
    const campaign = aCampaign({ offerPool: ['offer-spaghetti'], relevanceFloor: 0.01 });
    expect(decide(input({ profile: weak, campaign, candidates: [anOffer(CATALOG.spaghetti)] })).outcome).toBe('send');
  });

  it('suppresses with budget-window a member mailed yesterday', () => {
    const ledger = Ledger.parse({
      version: 1,
      sends: { earlier: { at: daysAgo(1).getTime(), campaignId: 'spring-1' } },
    });
    expect(decide(input({ ledger }))).toMatchObject({ outcome: 'suppress', reason: 'budget-window' });
  });

  it('suppresses with the member’s frequency choice when that is what blocks', () => {
    const ledger = Ledger.parse({
      version: 1,
      sends: { earlier: { at: daysAgo(5).getTime(), campaignId: 'spring-1' } },
    });
    const member = aMember({ preferences: { frequency: 'weekly' } });
    expect(decide(input({ ledger, member }))).toMatchObject({ outcome: 'suppress', reason: 'member-frequency-choice' });
  });

  it('reports the eligibility reason first, before offers or budget', () => {
    const ledger = Ledger.parse({
      version: 1,
      sends: { earlier: { at: daysAgo(1).getTime(), campaignId: 'spring-1' } },
    });
    const member = aMember({ subscription: 'unsubscribed' });
    expect(decide(input({ member, ledger, profile: EMPTY_PROFILE }))).toMatchObject({
      outcome: 'suppress',
      reason: 'unsubscribed',
    });
  });

  it('reports a lack of relevant offers before a spent budget', () => {
    const ledger = Ledger.parse({
      version: 1,
      sends: { earlier: { at: daysAgo(1).getTime(), campaignId: 'spring-1' } },
    });
    expect(decide(input({ ledger, profile: EMPTY_PROFILE }))).toMatchObject({
      outcome: 'suppress',
      reason: 'below-relevance-floor',
    });
  });

  it('gives a gluten-free declared member only gluten-free offers and says how many were left out', () => {
    const member = aMember({ preferences: { declaredRestrictions: ['gluten-free'] } });
    const decision = decide(input({ member, profile: aProfile({ spaghetti: 6, sourdough: 3, 'gf-bread': 1 }) }));
    expect(decision.outcome).toBe('send');
    expect(offerIdsOf(decision).sort()).toEqual(['offer-gf-bread', 'offer-gf-pasta']);
    expect(decision.message).toContain('2 offers left out for gluten-free');
  });

  describe('with an inferred gluten-free diet', () => {
    // Six trips buying gluten-free bread and pasta and nothing with gluten: inferred gluten-free.
    const trips = Array.from({ length: 6 }, (_, i) =>
      line(i % 2 ? 'gf-pasta' : 'gf-bread', `r${i}`, daysAgo(5 * (i + 1))),
    );
    const profile = buildProfile(trips, CATALOG_MAP, NOW);

    it('infers the diet from the purchases (precondition)', () => {
      expect(profile.inferredRestrictions).toEqual(['gluten-free']);
    });

    it('gives the member no gluten offer, although bread and pasta are their favourite categories', () => {
      const decision = decide(input({ profile }));
      expect(decision.outcome).toBe('send');
      expect(offerIdsOf(decision).sort()).toEqual(['offer-gf-bread', 'offer-gf-pasta']);
    });

    it('carries the inferred diet with the mail, for the check at send time, and none once rejected', () => {
      expect(decide(input({ profile }))).toMatchObject({ outcome: 'send', inferred: ['gluten-free'] });
      const rejected = aMember({ preferences: { rejectedInferences: ['gluten-free'] } });
      expect(decide(input({ member: rejected, profile }))).not.toHaveProperty('inferred');
      const declared = aMember({ preferences: { declaredRestrictions: ['gluten-free'] } });
      expect(decide(input({ member: declared }))).not.toHaveProperty('inferred');
    });

    it('does not apply the inference once the member has rejected it', () => {
      const member = aMember({ preferences: { rejectedInferences: ['gluten-free'] } });
      const decision = decide(input({ member, profile }));
      expect(decision.outcome).toBe('send');
      const ids = offerIdsOf(decision);
      expect(ids.some((id) => id === 'offer-spaghetti' || id === 'offer-sourdough')).toBe(true);
    });

    it('still applies it when the member rejected a different inference', () => {
      const member = aMember({ preferences: { rejectedInferences: ['lactose-free'] } });
      expect(offerIdsOf(decide(input({ member, profile }))).sort()).toEqual(['offer-gf-bread', 'offer-gf-pasta']);
    });
  });
});
