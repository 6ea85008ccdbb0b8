import { describe, expect, it } from 'vitest';
import { type BudgetRules, CONSERVATIVE_BUDGET } from '../../lambdas/core/budget.js';
import { SendJob } from '../../lambdas/core/jobs.js';
import { EMPTY_LEDGER, Ledger, claimSend, sendIdFor, sentTimes } from '../../lambdas/core/ledger.js';
import { NOW, daysAgo } from './fixtures.js';

const claim = { sendId: sendIdFor('club-1', 'summer-1', 'member-1'), campaignId: 'summer-1' };

function ledgerWith(...sends: Array<{ id: string; daysAgo: number; campaignId?: string }>): Ledger {
  return Ledger.parse({
    version: 7,
    sends: Object.fromEntries(sends.map((s) => [s.id, { at: daysAgo(s.daysAgo).getTime(), campaignId: s.campaignId ?? 'older' }])),
  });
}

describe('sendIdFor', () => {
  it('gives the same id for the same club, campaign and member', () => {
    expect(sendIdFor('club-1', 'summer-1', 'member-1')).toBe(sendIdFor('club-1', 'summer-1', 'member-1'));
  });

  it('is 32 lowercase hex characters', () => {
    expect(sendIdFor('club-1', 'summer-1', 'member-1')).toMatch(/^[0-9a-f]{32}$/);
  });

  it('is accepted by the send job schema', () => {
    const sendId = sendIdFor('club-1', 'summer-1', 'member-1');
    const job = { clubId: 'club-1', campaignId: 'summer-1', memberId: 'member-1', sendId, theme: 'community', offers: [{ offerId: 'o', productId: 'p', score: 0.5, why: 'popular', reason: 'r' }] };
    expect(SendJob.safeParse(job).success).toBe(true);
  });

  it('differs when the campaign differs', () => {
    expect(sendIdFor('club-1', 'summer-1', 'member-1')).not.toBe(sendIdFor('club-1', 'summer-2', 'member-1'));
  });

  it('differs when the member differs', () => {
    expect(sendIdFor('club-1', 'summer-1', 'member-1')).not.toBe(sendIdFor('club-1', 'summer-1', 'member-2'));
  });

  it('differs when the club differs', () => {
    expect(sendIdFor('club-1', 'summer-1', 'member-1')).not.toBe(sendIdFor('club-2', 'summer-1', 'member-1'));
  });

  it('does not confuse ids that concatenate to the same text', () => {
    expect(sendIdFor('club-1', 'ab', 'c')).not.toBe(sendIdFor('club-1', 'a', 'bc'));
    expect(sendIdFor('a', 'b-c', 'd')).not.toBe(sendIdFor('a-b', 'c', 'd'));
  });
});

describe('claimSend', () => {
  it('claims a first send and records when and for which campaign', () => {
    const outcome = claimSend(EMPTY_LEDGER, claim, NOW, CONSERVATIVE_BUDGET, 'club-default');
    expect(outcome).toEqual({
      kind: 'claimed',
      next: { version: 1, sends: { [claim.sendId]: { at: NOW.getTime(), campaignId: 'summer-1', kind: 'offers' } } },
    });
  });

  it('bumps the version by exactly one', () => {
    const outcome = claimSend(ledgerWith({ id: 'a', daysAgo: 10 }), claim, NOW, CONSERVATIVE_BUDGET, 'club-default');
    expect(outcome.kind === 'claimed' && outcome.next.version).toBe(8);
  });

  it('produces a ledger its own schema accepts', () => {
    const outcome = claimSend(ledgerWith({ id: 'a', daysAgo: 10 }), claim, NOW, CONSERVATIVE_BUDGET, 'club-default');
    if (outcome.kind !== 'claimed') throw new Error(`expected a claim, got ${outcome.kind}`);
    expect(Ledger.safeParse(outcome.next).success).toBe(true);
  });

  it('reports already-claimed for a send id already in the ledger', () => {
    const ledger = ledgerWith({ id: claim.sendId, daysAgo: 0.5, campaignId: 'summer-1' });
    expect(claimSend(ledger, claim, NOW, CONSERVATIVE_BUDGET, 'club-default')).toMatchObject({ kind: 'already-claimed' });
  });

  it('reports already-claimed rather than over-budget for a redelivered job, so it is not counted as suppressed', () => {
    // The mail itself spent the budget; its redelivery must be recognised as a duplicate.
    const ledger = ledgerWith({ id: claim.sendId, daysAgo: 0.1, campaignId: 'summer-1' }, { id: 'x', daysAgo: 5 }, { id: 'y', daysAgo: 12 }, { id: 'z', daysAgo: 20 });
    expect(claimSend(ledger, claim, NOW, CONSERVATIVE_BUDGET, 'club-default')).toMatchObject({ kind: 'already-claimed' });
  });

  it('refuses a claim when the budget is spent, with the budget’s reason', () => {
    const outcome = claimSend(ledgerWith({ id: 'a', daysAgo: 1 }), claim, NOW, CONSERVATIVE_BUDGET, 'club-default');
    expect(outcome).toMatchObject({ kind: 'over-budget', reason: 'budget-window' });
  });

  it('refuses a claim when the member’s own choice is spent', () => {
    const outcome = claimSend(ledgerWith({ id: 'a', daysAgo: 5 }), claim, NOW, CONSERVATIVE_BUDGET, 'weekly');
    expect(outcome).toMatchObject({ kind: 'over-budget', reason: 'member-frequency-choice' });
  });

  it('prunes sends older than the one-year horizon and keeps newer ones', () => {
    const ledger = ledgerWith({ id: 'old', daysAgo: 366 }, { id: 'ancient', daysAgo: 800 }, { id: 'recent', daysAgo: 200 });
    const outcome = claimSend(ledger, claim, NOW, CONSERVATIVE_BUDGET, 'club-default');
    if (outcome.kind !== 'claimed') throw new Error(`expected a claim, got ${outcome.kind}`);
    expect(Object.keys(outcome.next.sends).sort()).toEqual([claim.sendId, 'recent'].sort());
  });

  it('keeps sends as far back as the longest club window, when that is over a year', () => {
    const biennial: BudgetRules = { windows: [{ days: 365 * 2, max: 6 }], minGapHours: 0 };
    const ledger = ledgerWith({ id: 'eighteen-months', daysAgo: 540 }, { id: 'three-years', daysAgo: 1100 });
    const outcome = claimSend(ledger, claim, NOW, biennial, 'club-default');
    if (outcome.kind !== 'claimed') throw new Error(`expected a claim, got ${outcome.kind}`);
    expect(Object.keys(outcome.next.sends).sort()).toEqual([claim.sendId, 'eighteen-months'].sort());
  });

  it('does not change the ledger it was given', () => {
    const ledger = ledgerWith({ id: 'old', daysAgo: 40 });
    const before = structuredClone(ledger);
    claimSend(ledger, claim, NOW, CONSERVATIVE_BUDGET, 'club-default');
    expect(ledger).toEqual(before);
  });

  it('counts the claimed send against the next claim', () => {
    const first = claimSend(EMPTY_LEDGER, claim, NOW, CONSERVATIVE_BUDGET, 'club-default');
    if (first.kind !== 'claimed') throw new Error(`expected a claim, got ${first.kind}`);
    const other = { sendId: sendIdFor('club-1', 'summer-2', 'member-1'), campaignId: 'summer-2' };
    expect(claimSend(first.next, other, new Date(NOW.getTime() + 3_600_000), CONSERVATIVE_BUDGET, 'club-default')).toMatchObject({
      kind: 'over-budget',
      reason: 'budget-window',
    });
  });
});

describe('sentTimes', () => {
  it('lists the time of every send in the ledger', () => {
    const ledger = ledgerWith({ id: 'a', daysAgo: 1 }, { id: 'b', daysAgo: 2 });
    expect(sentTimes(ledger).sort((a, b) => a - b)).toEqual([daysAgo(2).getTime(), daysAgo(1).getTime()]);
  });
});
