import { describe, expect, it } from 'vitest';
import { CONSERVATIVE_BUDGET } from '../../lambdas/core/budget.js';
import { type DecideInput, type Decision, decide, inHoldout } from '../../lambdas/core/decision.js';
import { CONSERVATIVE_ENGAGEMENT } from '../../lambdas/core/engagement.js';
import { forecastMember, inSendOrder } from '../../lambdas/core/forecast.js';
import {
  claimSend,
  EMPTY_LEDGER,
  foldedInto,
  Ledger,
  pendingFoldsFor,
  sendIdFor,
  storedLedger,
  withPendingFold,
} from '../../lambdas/core/ledger.js';
import type { Campaign, Member } from '../../lambdas/core/model.js';
import { aCampaign, aMember, anOffer, aProfile, CATALOG, DAY_MS, NOW } from './fixtures.js';

const own = [CATALOG.spaghetti, CATALOG.sourdough].map((p) => anOffer(p));
const weeklyOffers = [CATALOG.milk, CATALOG.lfMilk, CATALOG.crisps].map((p) => anOffer(p));
const LATER = new Date(NOW.getTime() + DAY_MS);

/** The weekly mail goes now; the big weekend mail, worth more, tomorrow: the 1-in-3-days budget has room for one. */
const weekly = aCampaign({
  campaignId: 'weekly',
  offerPool: weeklyOffers.map((o) => o.offer.offerId),
  status: 'planning',
  sendAt: NOW.toISOString(),
});
const big = aCampaign({
  campaignId: 'big-weekend',
  offerPool: own.map((o) => o.offer.offerId),
  priority: 2,
  offersPerMail: 3,
  status: 'scheduled',
  sendAt: LATER.toISOString(),
});
const profile = {
  ...aProfile({ spaghetti: 6, sourdough: 3, milk: 5, 'lf-milk': 2, crisps: 4 }),
  lastPurchaseAt: new Date(NOW.getTime() - DAY_MS).toISOString(),
};
const base = {
  profile,
  policy: CONSERVATIVE_BUDGET,
  engagement: CONSERVATIVE_ENGAGEMENT,
};

/** The weekly campaign's plan, now, with the big one still scheduled. */
function planWeekly(overrides: Partial<DecideInput> = {}): Decision {
  return decide({
    ...base,
    member: aMember(),
    ledger: EMPTY_LEDGER,
    campaign: weekly,
    candidates: weeklyOffers,
    rivals: [{ campaign: big, candidates: own }],
    now: NOW,
    ...overrides,
  });
}

/** The big campaign's plan tomorrow: the weekly campaign is planned by then. */
function planBig(ledger: Ledger, overrides: Partial<DecideInput> = {}): Decision {
  return decide({
    ...base,
    member: aMember(),
    ledger,
    campaign: { ...big, status: 'planning' },
    candidates: own,
    rivals: [],
    heldBack: [{ campaign: { ...weekly, status: 'planned' }, candidates: weeklyOffers }],
    now: LATER,
    ...overrides,
  });
}

const left = (decision: Decision, ledger: Ledger = EMPTY_LEDGER): Ledger => {
  if (decision.outcome !== 'suppress' || !decision.pendingFoldInto) throw new Error('no fold left');
  const next = withPendingFold(
    ledger,
    { clubId: 'club-1', memberId: decision.memberId, campaignId: 'weekly', into: decision.pendingFoldInto },
    NOW,
  );
  if (!next) throw new Error('nothing written');
  return next;
};
const sent = (d: Decision) => {
  if (d.outcome !== 'send') throw new Error(`expected a send, got ${d.reason}`);
  return d;
};

describe('a held-back campaign planned before the mail that outranks it', () => {
  it('records outranked-by and leaves its offer for that mail, which carries its best allowed offer as the other order would', () => {
    const weeklyDecision = planWeekly();
    expect(weeklyDecision).toMatchObject({
      outcome: 'suppress',
      reason: 'outranked-by:big-weekend',
      pendingFoldInto: 'big-weekend',
    });
    expect(weeklyDecision.message).toContain('waits for the big-weekend mail');
    const bigDecision = sent(planBig(left(weeklyDecision)));
    expect(bigDecision.offers.map((o) => o.offerId)).toEqual(['offer-spaghetti', 'offer-sourdough']);
    expect(bigDecision.folded).toEqual([
      expect.objectContaining({
        campaignId: 'weekly',
        offerId: 'offer-milk',
        sendId: sendIdFor('club-1', 'weekly', 'member-1'),
        late: true,
      }),
    ]);
    // The carrier planned first folds the same offer (docs/decisions/0043), without the late mark.
    const carrierFirst = sent(
      decide({
        ...base,
        member: aMember(),
        ledger: EMPTY_LEDGER,
        campaign: { ...big, sendAt: NOW.toISOString() },
        candidates: own,
        rivals: [
          { campaign: { ...weekly, status: 'scheduled', sendAt: LATER.toISOString() }, candidates: weeklyOffers },
        ],
        now: NOW,
      }),
    );
    expect(carrierFirst.folded?.map((f) => [f.offerId, f.late])).toEqual([['offer-milk', undefined]]);
  });

  it('stays within the offers per mail and keeps the mail’s own best offer', () => {
    const ledger = left(planWeekly());
    for (const offersPerMail of [1, 2, 3, 4]) {
      const decision = sent(planBig(ledger, { campaign: { ...big, status: 'planning', offersPerMail } }));
      expect(decision.offers.length + (decision.folded?.length ?? 0)).toBeLessThanOrEqual(offersPerMail);
      expect(decision.offers[0]?.offerId).toBe('offer-spaghetti');
      // A free place (or a weaker own offer to give up) takes the fold; a one-offer mail folds nothing.
      expect(decision.folded?.length ?? 0).toBe(offersPerMail === 1 ? 0 : 1);
    }
  });

  it('lets a restriction, an "only big offers" choice, an unsubscribe or a cancelled campaign since the first plan win', () => {
    const ledger = left(planWeekly());
    // A restriction declared since: the best offer the member may have now rides along, or none.
    const lactoseFree = aMember({ preferences: { declaredRestrictions: ['lactose-free'] } });
    expect(sent(planBig(ledger, { member: lactoseFree })).folded?.map((f) => f.offerId)).toEqual(['offer-crisps']);
    const onlyMilk = [{ campaign: { ...weekly, status: 'planned' as const }, candidates: [anOffer(CATALOG.milk)] }];
    expect(sent(planBig(ledger, { member: lactoseFree, heldBack: onlyMilk })).folded).toBeUndefined();
    // "Only my birthday and big offers": the big mail still goes, the weekly offer no longer rides along.
    const bigger = { ...big, status: 'planning' as const, priority: 3 };
    const occasionsOnly = aMember({ preferences: { frequency: 'occasions-only' } });
    expect(sent(planBig(ledger, { member: occasionsOnly, campaign: bigger })).folded).toBeUndefined();
    expect(planBig(ledger, { member: aMember({ subscription: 'unsubscribed' }) })).toMatchObject({
      outcome: 'suppress',
      reason: 'unsubscribed',
    });
    const cancelled = [{ campaign: { ...weekly, status: 'cancelled' as const }, candidates: weeklyOffers }];
    expect(sent(planBig(ledger, { heldBack: cancelled })).folded).toBeUndefined();
  });

  it('leaves nothing when folding is off or the member is in the campaign’s holdout, and folds nothing it was not left', () => {
    expect(planWeekly({ foldOffers: false })).not.toHaveProperty('pendingFoldInto');
    const held = { ...weekly, holdoutShare: 0.5 };
    const holdoutMember = ['m1', 'm2', 'm3', 'm4', 'm5', 'm6'].find((id) => inHoldout(held, id));
    if (!holdoutMember) throw new Error('no member in the holdout');
    const decision = planWeekly({ member: aMember({ memberId: holdoutMember }), campaign: held });
    expect(decision).toMatchObject({ reason: 'outranked-by:big-weekend' });
    expect(decision).not.toHaveProperty('pendingFoldInto');
    // A fold waiting for the big mail, with folding turned off by then; and one waiting for another mail.
    const ledger = left(planWeekly());
    expect(sent(planBig(ledger, { foldOffers: false })).folded).toBeUndefined();
    const elsewhere = withPendingFold(
      EMPTY_LEDGER,
      { clubId: 'club-1', memberId: 'member-1', campaignId: 'weekly', into: 'another' },
      NOW,
    );
    if (!elsewhere) throw new Error('nothing written');
    expect(sent(planBig(elsewhere)).folded).toBeUndefined();
  });
});

describe('a pending fold in the ledger', () => {
  const weeklyId = sendIdFor('club-1', 'weekly', 'member-1');
  const bigId = sendIdFor('club-1', 'big-weekend', 'member-1');

  it('is stored compactly, settled by the carrying claim exactly once, and the held-back campaign then reports folded-into', () => {
    const ledger = Ledger.parse(storedLedger(left(planWeekly())));
    expect(storedLedger(ledger).pendingFolds).toEqual({ weekly: `big-weekend:${NOW.getTime().toString(36)}` });
    expect(pendingFoldsFor(ledger, { clubId: 'club-1', memberId: 'member-1', campaignId: 'big-weekend' })).toEqual([
      'weekly',
    ]);
    const claimed = claimSend(
      ledger,
      { sendId: bigId, campaignId: 'big-weekend', folds: [weeklyId] },
      LATER,
      CONSERVATIVE_BUDGET,
      'club-default',
    );
    if (claimed.kind !== 'claimed') throw new Error(claimed.kind);
    expect(foldedInto(claimed.next, weeklyId)).toBe('big-weekend');
    expect(claimed.next.pendingFolds).toBeUndefined();
    // Left again (a replayed plan page): nothing to write, its send is in the ledger.
    const replay = { clubId: 'club-1', memberId: 'member-1', campaignId: 'weekly', into: 'big-weekend' };
    expect(withPendingFold(claimed.next, replay, LATER)).toBeUndefined();
    // The weekly campaign planned again (a replay) says where its offer went.
    expect(planWeekly({ ledger: claimed.next, now: LATER })).toMatchObject({ reason: 'folded-into:big-weekend' });
  });

  it('is kept by another campaign’s claim and forgotten after the longest budget window', () => {
    const ledger = left(planWeekly());
    const other = sendIdFor('club-1', 'other', 'member-1');
    const policy = { ...CONSERVATIVE_BUDGET, windows: [{ days: 30, max: 6 }] };
    const claimed = claimSend(ledger, { sendId: other, campaignId: 'other' }, LATER, policy, 'club-default');
    if (claimed.kind !== 'claimed') throw new Error(claimed.kind);
    expect(claimed.next.pendingFolds?.weekly?.into).toBe('big-weekend');
    const month = new Date(NOW.getTime() + 31 * DAY_MS);
    const late = claimSend(claimed.next, { sendId: 'x'.repeat(32), campaignId: 'x' }, month, policy, 'club-default');
    if (late.kind !== 'claimed') throw new Error(late.kind);
    expect(late.next.pendingFolds).toBeUndefined();
  });
});

describe('the dry-run walk in both orders', () => {
  const member: Member = aMember();
  const club = { policy: CONSERVATIVE_BUDGET, engagement: CONSERVATIVE_ENGAGEMENT, foldOffers: true };
  const walk = (campaigns: readonly Campaign[]) =>
    forecastMember({
      state: { member, profile, ledger: EMPTY_LEDGER },
      timeline: inSendOrder(
        campaigns.map((c) => ({ campaign: c, candidates: c.campaignId === 'weekly' ? weeklyOffers : own })),
      ),
      club,
      now: NOW,
      through: NOW.getTime() + 7 * DAY_MS,
    });

  it('agrees with the real plans when the held-back campaign goes first', () => {
    const steps = walk([{ ...weekly, status: 'scheduled' }, big]);
    const realWeekly = planWeekly();
    const realBig = planBig(left(realWeekly), { now: LATER });
    expect(steps.find((s) => s.campaignId === 'weekly')?.decision).toEqual(realWeekly);
    expect(steps.find((s) => s.campaignId === 'big-weekend')?.decision).toEqual(realBig);
    expect(sent(realBig).folded?.map((f) => [f.offerId, f.late])).toEqual([['offer-milk', true]]);
  });

  it('says folded-into for the held-back campaign when the carrier goes first', () => {
    const steps = walk([
      { ...big, sendAt: NOW.toISOString() },
      { ...weekly, status: 'scheduled', sendAt: new Date(NOW.getTime() + 2 * DAY_MS).toISOString() },
    ]);
    expect(sent(steps[0]?.decision ?? planWeekly()).folded?.map((f) => f.offerId)).toEqual(['offer-milk']);
    expect(steps[1]?.decision).toMatchObject({ outcome: 'suppress', reason: 'folded-into:big-weekend' });
  });
});
