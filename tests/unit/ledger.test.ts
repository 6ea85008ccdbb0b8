import { describe, expect, it } from 'vitest';
import { type BudgetRules, CONSERVATIVE_BUDGET, DEFAULT_BUDGET } from '../../lambdas/core/budget.js';
import { SendJob } from '../../lambdas/core/jobs.js';
import { claimSend, EMPTY_LEDGER, Ledger, sendIdFor, sentTimes, storedLedger } from '../../lambdas/core/ledger.js';
import { daysAgo, NOW } from './fixtures.js';

const claim = { sendId: sendIdFor('club-1', 'summer-1', 'member-1'), campaignId: 'summer-1' };

function ledgerWith(
  ...sends: Array<{ id: string; daysAgo: number; campaignId?: string; kind?: 'offers' | 'survey' }>
): Ledger {
  return Ledger.parse({
    version: 7,
    sends: Object.fromEntries(
      sends.map((s) => [
        s.id,
        { at: daysAgo(s.daysAgo).getTime(), campaignId: s.campaignId ?? 'older', kind: s.kind ?? 'offers' },
      ]),
    ),
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
    const job = {
      clubId: 'club-1',
      campaignId: 'summer-1',
      memberId: 'member-1',
      sendId,
      theme: 'community',
      offers: [{ offerId: 'o', productId: 'p', score: 0.5, why: 'popular', reason: 'r' }],
    };
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
      next: { version: 1, sends: { [claim.sendId]: { at: NOW.getTime(), kind: 'offers' } } },
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
    expect(claimSend(ledger, claim, NOW, CONSERVATIVE_BUDGET, 'club-default')).toMatchObject({
      kind: 'already-claimed',
    });
  });

  it('reports already-claimed rather than over-budget for a redelivered job, so it is not counted as suppressed', () => {
    // The mail itself spent the budget; its redelivery must be recognised as a duplicate.
    const ledger = ledgerWith(
      { id: claim.sendId, daysAgo: 0.1, campaignId: 'summer-1' },
      { id: 'x', daysAgo: 5 },
      { id: 'y', daysAgo: 12 },
      { id: 'z', daysAgo: 20 },
    );
    expect(claimSend(ledger, claim, NOW, CONSERVATIVE_BUDGET, 'club-default')).toMatchObject({
      kind: 'already-claimed',
    });
  });

  it('refuses a claim when the budget is spent, with the budget’s reason', () => {
    const outcome = claimSend(ledgerWith({ id: 'a', daysAgo: 1 }), claim, NOW, CONSERVATIVE_BUDGET, 'club-default');
    expect(outcome).toMatchObject({ kind: 'over-budget', reason: 'budget-window' });
  });

  it('refuses a claim when the member’s own choice is spent', () => {
    const outcome = claimSend(ledgerWith({ id: 'a', daysAgo: 5 }), claim, NOW, CONSERVATIVE_BUDGET, 'weekly');
    expect(outcome).toMatchObject({ kind: 'over-budget', reason: 'member-frequency-choice' });
  });

  it('keeps every send inside the longest window, surveys of the last year and the latest 16, and drops the rest', () => {
    const older = Array.from({ length: 20 }, (_, i) => ({ id: `r${i}`, daysAgo: 31 + i }));
    const ledger = ledgerWith(
      { id: 'w1', daysAgo: 10 },
      { id: 'w2', daysAgo: 20 },
      ...older,
      { id: 'survey-300', daysAgo: 300, kind: 'survey' },
      { id: 'survey-400', daysAgo: 400, kind: 'survey' },
    );
    const outcome = claimSend(ledger, claim, NOW, CONSERVATIVE_BUDGET, 'club-default');
    if (outcome.kind !== 'claimed') throw new Error(`expected a claim, got ${outcome.kind}`);
    const latest16 = [claim.sendId, 'w1', 'w2', ...older.slice(0, 13).map((o) => o.id)];
    expect(Object.keys(outcome.next.sends).sort()).toEqual([...latest16, 'survey-300'].sort());
  });

  it('keeps sends as far back as the longest club window, when that is over a year', () => {
    const biennial: BudgetRules = { windows: [{ days: 365 * 2, max: 40 }], minGapHours: 0 };
    const recent = Array.from({ length: 20 }, (_, i) => ({ id: `r${i}`, daysAgo: 1 + i }));
    const ledger = ledgerWith(...recent, { id: 'eighteen-months', daysAgo: 540 }, { id: 'three-years', daysAgo: 1100 });
    const outcome = claimSend(ledger, claim, NOW, biennial, 'club-default');
    if (outcome.kind !== 'claimed') throw new Error(`expected a claim, got ${outcome.kind}`);
    expect(Object.keys(outcome.next.sends)).toContain('eighteen-months');
    expect(Object.keys(outcome.next.sends)).not.toContain('three-years');
  });

  it('stores each send in a few bytes and reads both the compact and the older form back', () => {
    const ledger = ledgerWith({ id: 'a', daysAgo: 3 }, { id: 'b', daysAgo: 9, kind: 'survey' });
    const stored = storedLedger(ledger);
    expect(stored.sends.a).toMatch(/^o:[0-9a-z]+$/);
    expect(stored.sends.b).toMatch(/^s:[0-9a-z]+$/);
    expect(Ledger.parse(stored).sends).toEqual({
      a: { at: daysAgo(3).getTime(), kind: 'offers' },
      b: { at: daysAgo(9).getTime(), kind: 'survey' },
    });
    // A year of sends within the default caps (≤ 3 a week, ≤ 12 in 30 days) stays under 1 KB, one write unit.
    let year = EMPTY_LEDGER;
    for (let day = 365; day >= 0; day -= 2.5) {
      const next = claimSend(
        year,
        { sendId: sendIdFor('c', `d${day}`, 'm'), campaignId: `d${day}` },
        daysAgo(day),
        DEFAULT_BUDGET,
        'club-default',
      );
      if (next.kind === 'claimed') year = next.next;
    }
    const item = {
      pk: 'MEMBER#club-with-a-long-id#member-with-a-long-id',
      sk: 'LEDGER',
      type: 'ledger',
      ...storedLedger(year),
    };
    expect(Buffer.byteLength(JSON.stringify(item))).toBeLessThan(1024);
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
    expect(
      claimSend(first.next, other, new Date(NOW.getTime() + 3_600_000), CONSERVATIVE_BUDGET, 'club-default'),
    ).toMatchObject({
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
