import { describe, expect, it } from 'vitest';
import { CONSERVATIVE_BUDGET } from '../../lambdas/core/budget.js';
import { type DecideInput, type Decision, decide } from '../../lambdas/core/decision.js';
import { forbiddenTags } from '../../lambdas/core/diet.js';
import { CONSERVATIVE_ENGAGEMENT } from '../../lambdas/core/engagement.js';
import {
  claimSend,
  EMPTY_LEDGER,
  Ledger,
  releasedSends,
  sendIdFor,
  sentTimes,
  storedLedger,
} from '../../lambdas/core/ledger.js';
import { aCampaign, aMember, anOffer, aProfile, CATALOG, DAY_MS, NOW } from './fixtures.js';

const own = [CATALOG.spaghetti, CATALOG.sourdough].map((p) => anOffer(p));
const weekly = [CATALOG.milk, CATALOG.lfMilk, CATALOG.crisps].map((p) => anOffer(p));

/** The big campaign planned now, and a weekly one two days later that the 1-in-3-days budget holds back. */
const big = aCampaign({
  campaignId: 'big-weekend',
  offerPool: own.map((o) => o.offer.offerId),
  priority: 2,
  offersPerMail: 3,
});
const rival = aCampaign({
  campaignId: 'weekly',
  offerPool: weekly.map((o) => o.offer.offerId),
  status: 'scheduled',
  sendAt: new Date(NOW.getTime() + 2 * DAY_MS).toISOString(),
});

function input(overrides: Partial<DecideInput> = {}): DecideInput {
  return {
    member: aMember(),
    profile: {
      ...aProfile({ spaghetti: 6, sourdough: 3, milk: 5, 'lf-milk': 2, crisps: 4 }),
      lastPurchaseAt: new Date(NOW.getTime() - DAY_MS).toISOString(),
    },
    ledger: EMPTY_LEDGER,
    campaign: big,
    candidates: own,
    rivals: [{ campaign: rival, candidates: weekly }],
    policy: CONSERVATIVE_BUDGET,
    engagement: CONSERVATIVE_ENGAGEMENT,
    now: NOW,
    ...overrides,
  };
}

const sent = (d: Decision) => {
  if (d.outcome !== 'send') throw new Error(`expected a send, got ${d.reason}`);
  return d;
};

describe('folding a held-back offer into the mail the member gets', () => {
  it('carries the weekly campaign’s best offer in the big campaign’s mail, naming its campaign and sendId', () => {
    const decision = sent(decide(input()));
    expect(decision.offers.map((o) => o.offerId)).toEqual(['offer-spaghetti', 'offer-sourdough']);
    expect(decision.folded).toEqual([
      expect.objectContaining({
        campaignId: 'weekly',
        offerId: 'offer-milk',
        sendId: sendIdFor('club-1', 'weekly', 'member-1'),
      }),
    ]);
    expect(decision.message).toContain('Also this week: offer-milk from weekly');
  });

  it('never folds an offer that breaks the member’s restriction: the best allowed one rides along instead', () => {
    const member = aMember({ preferences: { declaredRestrictions: ['lactose-free'] } });
    const folded = sent(decide(input({ member }))).folded ?? [];
    expect(folded.map((f) => f.offerId)).toEqual(['offer-crisps']);
    const forbidden = forbiddenTags(['lactose-free']);
    for (const f of folded) {
      const product = Object.values(CATALOG).find((p) => p.productId === f.productId);
      expect(product?.contains.some((t) => forbidden.has(t))).toBe(false);
    }
    // With only offers the member may not have, nothing folds.
    const onlyMilk = [{ campaign: rival, candidates: [anOffer(CATALOG.milk)] }];
    expect(sent(decide(input({ member, rivals: onlyMilk }))).folded).toBeUndefined();
  });

  it('stays within the offers per mail, keeps the mail’s own best offer, and folds nothing into a one-offer mail', () => {
    for (const offersPerMail of [1, 2, 3, 4]) {
      const decision = sent(decide(input({ campaign: { ...big, offersPerMail } })));
      const total = decision.offers.length + (decision.folded?.length ?? 0);
      expect(total).toBeLessThanOrEqual(offersPerMail);
      expect(decision.offers[0]?.offerId).toBe('offer-spaghetti');
    }
    expect(sent(decide(input({ campaign: { ...big, offersPerMail: 1 } }))).folded).toBeUndefined();
  });

  it('folds nothing when the club turned folding off, or when the budget has room for both mails', () => {
    expect(sent(decide(input({ foldOffers: false }))).folded).toBeUndefined();
    const later = { ...rival, sendAt: new Date(NOW.getTime() + 4 * DAY_MS).toISOString() };
    const roomy = { ...CONSERVATIVE_BUDGET, windows: [{ days: 7, max: 3 }] };
    expect(
      sent(decide(input({ policy: roomy, rivals: [{ campaign: later, candidates: weekly }] }))).folded,
    ).toBeUndefined();
  });

  it('never folds a campaign worth more than the mail: that one wins the budget instead', () => {
    const bigger = { ...rival, priority: 3 };
    expect(decide(input({ rivals: [{ campaign: bigger, candidates: weekly }] }))).toMatchObject({
      outcome: 'suppress',
      reason: 'outranked-by:weekly',
    });
  });
});

describe('the fold in the ledger: exactly once', () => {
  const foldId = sendIdFor('club-1', 'weekly', 'member-1');
  const bigId = sendIdFor('club-1', 'big-weekend', 'member-1');
  const policy = CONSERVATIVE_BUDGET;

  it('marks the folded campaign’s send with the mail’s claim; that campaign then never claims the member', () => {
    const claimed = claimSend(
      EMPTY_LEDGER,
      { sendId: bigId, campaignId: 'big-weekend', folds: [foldId] },
      NOW,
      policy,
      'club-default',
    );
    if (claimed.kind !== 'claimed') throw new Error(claimed.kind);
    expect(claimed.next.sends[foldId]).toEqual({ at: NOW.getTime(), kind: 'folded', into: 'big-weekend' });
    // A fold is no mail: it counts toward no budget.
    expect(sentTimes(claimed.next)).toEqual([NOW.getTime()]);
    // Stored and read back in its compact form.
    const roundTrip = Ledger.parse(storedLedger(claimed.next));
    expect(roundTrip.sends[foldId]).toMatchObject({ kind: 'folded', into: 'big-weekend' });
    const later = new Date(NOW.getTime() + 5 * DAY_MS);
    expect(claimSend(roundTrip, { sendId: foldId, campaignId: 'weekly' }, later, policy, 'club-default')).toEqual({
      kind: 'folded',
      into: 'big-weekend',
    });
  });

  it('frees the folds when the carrying mail is given back (it never went), and keeps the tombstone', () => {
    const claimed = claimSend(
      EMPTY_LEDGER,
      { sendId: bigId, campaignId: 'big-weekend', folds: [foldId] },
      NOW,
      policy,
      'club-default',
    );
    if (claimed.kind !== 'claimed') throw new Error(claimed.kind);
    const sends = releasedSends(claimed.next.sends, { clubId: 'club-1', memberId: 'member-1', sendId: bigId });
    expect(sends).toEqual({ [bigId]: { at: NOW.getTime(), kind: 'dropped' } });
  });

  it('leaves out a fold whose campaign mailed the member first', () => {
    const first = claimSend(
      EMPTY_LEDGER,
      { sendId: foldId, campaignId: 'weekly' },
      NOW,
      { ...policy, windows: [] },
      'club-default',
    );
    if (first.kind !== 'claimed') throw new Error(first.kind);
    const second = claimSend(
      first.next,
      { sendId: bigId, campaignId: 'big-weekend', folds: [foldId] },
      NOW,
      { ...policy, windows: [] },
      'club-default',
    );
    if (second.kind !== 'claimed') throw new Error(second.kind);
    expect(second.next.sends[foldId]?.kind).toBe('offers');
  });

  it('reports the member as folded-into the carrying campaign when the held-back campaign is planned', () => {
    const claimed = claimSend(
      EMPTY_LEDGER,
      { sendId: bigId, campaignId: 'big-weekend', folds: [foldId] },
      NOW,
      policy,
      'club-default',
    );
    if (claimed.kind !== 'claimed') throw new Error(claimed.kind);
    const at = new Date(NOW.getTime() + 2 * DAY_MS);
    const decision = decide(
      input({
        campaign: { ...rival, status: 'planning' },
        candidates: weekly,
        rivals: [],
        ledger: claimed.next,
        now: at,
      }),
    );
    expect(decision).toMatchObject({ outcome: 'suppress', reason: 'folded-into:big-weekend' });
  });
});
