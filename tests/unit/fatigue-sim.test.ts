import { describe, expect, it } from 'vitest';
import {
  BEHAVIOUR,
  conversionProbabilityGivenOpen,
  type Exposure,
  openProbability,
  unsubscribeCause,
  unsubscribeFactors,
  unsubscribeProbability,
} from '../../bench/lib/fatigue/behaviour.js';
import {
  countBefore,
  FIXED_CAP,
  firstComeFirstServed,
  MIN_GAP_16H,
  ours,
  SEND_EVERYTHING,
} from '../../bench/lib/fatigue/policies.js';
import { exposureAt, latestBefore, simulate } from '../../bench/lib/fatigue/simulate.js';
import { breaks, buildWorld, DAY_MS, HOUR_MS } from '../../bench/lib/fatigue/world.js';
import { DEFAULT_BUDGET, effectiveWindows, SELECTIVE_BUDGET } from '../../lambdas/core/budget.js';
import { forbiddenTags } from '../../lambdas/core/diet.js';
import { EngagementPolicy, SELECTIVE_ENGAGEMENT } from '../../lambdas/core/engagement.js';
import { CATALOG, CATALOG_MAP } from './fixtures.js';

const SMALL = { seed: 7, members: 80, weeks: 12 };
const world = buildWorld(SMALL);
const OURS = ours('ours');

describe('the fatigue simulation', () => {
  it('gives identical results for the same seed', () => {
    const again = buildWorld(SMALL);
    expect(again.relevance).toEqual(world.relevance);
    for (const policy of [SEND_EVERYTHING, OURS]) expect(simulate(again, policy)).toEqual(simulate(world, policy));
  });

  it('gives a different club for a different seed', () => {
    const other = buildWorld({ ...SMALL, seed: 8 });
    expect(other.relevance).not.toEqual(world.relevance);
  });

  it('sends at least as many mails with send-everything as with any other policy', () => {
    const everything = simulate(world, SEND_EVERYTHING).mails;
    const others = [
      FIXED_CAP,
      MIN_GAP_16H,
      OURS,
      ours('ours without passive caps', { engagement: EngagementPolicy.parse({ passiveAfterUnengagedMails: 1000 }) }),
      firstComeFirstServed('club budget', DEFAULT_BUDGET),
    ];
    expect(everything).toBeGreaterThan(0);
    for (const policy of others) expect(simulate(world, policy).mails).toBeLessThanOrEqual(everything);
  });

  it('never lets ours mail an offer that breaks a restriction the planner knows', () => {
    const mailedWithDiet = new Set<string>();
    const result = simulate(world, OURS, BEHAVIOUR, {
      onSend: (member) => {
        if (member.declared.length > 0) mailedWithDiet.add(member.memberId);
      },
    });
    expect(mailedWithDiet.size).toBeGreaterThan(0);
    expect(result.knownBreaches).toBe(0);
    expect(world.knownBreach.every((cell) => cell === 0)).toBe(true);
  });

  it('counts an offer that breaks a restriction as a breach', () => {
    const gluten = forbiddenTags(['gluten-free']);
    expect(breaks([{ productId: CATALOG.sourdough.productId }], CATALOG_MAP, gluten)).toBe(true);
    expect(breaks([{ productId: CATALOG.gfBread.productId }], CATALOG_MAP, gluten)).toBe(false);
  });

  it('keeps ours within the club budget for every member', () => {
    const sends = new Map<string, number[]>();
    simulate(world, OURS, BEHAVIOUR, {
      onSend: (member, campaign) => sends.set(member.memberId, [...(sends.get(member.memberId) ?? []), campaign.at]),
    });
    expect(sends.size).toBeGreaterThan(0);
    for (const member of world.members) {
      const times = sends.get(member.memberId) ?? [];
      for (const window of effectiveWindows(DEFAULT_BUDGET, member.frequency)) {
        for (const end of times) {
          expect(times.filter((t) => t > end - window.days * DAY_MS && t <= end).length).toBeLessThanOrEqual(
            window.max,
          );
        }
      }
    }
  });

  it('keeps ours with the selective settings within the selective budget and off every known restriction', () => {
    const selective = ours('ours (selective)', { budget: SELECTIVE_BUDGET, engagement: SELECTIVE_ENGAGEMENT });
    const sends = new Map<string, number[]>();
    const result = simulate(world, selective, BEHAVIOUR, {
      onSend: (member, campaign) => sends.set(member.memberId, [...(sends.get(member.memberId) ?? []), campaign.at]),
    });
    expect(result.mails).toBeGreaterThan(0);
    expect(result.knownBreaches).toBe(0);
    for (const member of world.members) {
      const times = sends.get(member.memberId) ?? [];
      for (const window of effectiveWindows(SELECTIVE_BUDGET, member.frequency)) {
        for (const end of times)
          expect(times.filter((t) => t > end - window.days * DAY_MS && t <= end).length).toBeLessThanOrEqual(
            window.max,
          );
      }
    }
  });

  it('counts the receipts before a moment as the profile would', () => {
    expect(countBefore([10, 20, 30], 5)).toBe(0);
    expect(countBefore([10, 20, 30], 20)).toBe(1);
    expect(countBefore([10, 20, 30], 31)).toBe(3);
  });

  it('sends fewer mails and loses fewer members with ours than with send-everything', () => {
    const everything = simulate(world, SEND_EVERYTHING);
    const mine = simulate(world, OURS);
    expect(mine.mails).toBeLessThan(everything.mails);
    expect(mine.left).toBeLessThanOrEqual(everything.left);
  });
});

describe('the exposure a mail arrives into', () => {
  const at = Date.parse('2026-03-01T12:00:00Z');

  it('counts the mails of the last 7 and 30 days and the hours since the latest', () => {
    const sent = [at - 40 * DAY_MS, at - 20 * DAY_MS, at - 6 * DAY_MS, at - 10 * HOUR_MS];
    expect(exposureAt(sent, at)).toEqual({ mails7: 2, mails30: 3, hoursSinceLast: 10 });
  });

  it('says Infinity hours for a member never mailed', () => {
    expect(exposureAt([], at).hoursSinceLast).toBe(Number.POSITIVE_INFINITY);
  });

  it('finds the latest purchase before a moment', () => {
    expect(latestBefore([1, 5, 9], 6)).toBe(5);
    expect(latestBefore([1, 5, 9], 5)).toBe(1);
    expect(latestBefore([1, 5, 9], 1)).toBeUndefined();
  });
});

describe('the behaviour model', () => {
  const calm: Exposure = { mails7: 0, mails30: 2, hoursSinceLast: 10 * 24 };
  const busy: Exposure = { mails7: 4, mails30: 16, hoursSinceLast: 10 * 24 };
  const relevant = { relevance: 0.8, breach: false };
  const member = { tolerance: 1, opened: true };

  it('raises the unsubscribe probability with the mails of the last 7 and 30 days', () => {
    const p = (exposure: Exposure) => unsubscribeProbability(relevant, exposure, member);
    expect(p({ ...calm, mails7: 2 })).toBeGreaterThan(p(calm));
    expect(p({ ...calm, mails30: 10 })).toBeGreaterThan(p(calm));
    expect(p(busy)).toBeGreaterThan(p(calm));
  });

  it('raises it more when the gap since the last mail is short than when it is long', () => {
    const p = (hoursSinceLast: number) => unsubscribeProbability(relevant, { ...calm, hoursSinceLast }, member);
    expect(p(6)).toBeGreaterThan(p(30));
    expect(p(30)).toBeGreaterThan(p(72));
    expect(p(72)).toBe(p(30 * 24));
  });

  it('raises it with irrelevance', () => {
    const p = (relevance: number) => unsubscribeProbability({ relevance, breach: false }, calm, member);
    expect(p(0.1)).toBeGreaterThan(p(0.5));
    expect(p(0.5)).toBeGreaterThan(p(0.9));
  });

  it('raises it steeply when an offer breaks the member’s diet', () => {
    const clean = unsubscribeProbability(relevant, calm, member);
    const breach = unsubscribeProbability({ ...relevant, breach: true }, calm, member);
    expect(breach).toBeGreaterThan(5 * clean);
    expect(unsubscribeCause(unsubscribeFactors({ ...relevant, breach: true }, calm))).toBe('diet breach');
  });

  it('is lower for an unopened mail and for a patient member', () => {
    const opened = unsubscribeProbability(relevant, calm, member);
    expect(unsubscribeProbability(relevant, calm, { ...member, opened: false })).toBeLessThan(opened);
    expect(unsubscribeProbability(relevant, calm, { ...member, tolerance: 0.5 })).toBeLessThan(opened);
  });

  it('stays within the published 0.1–0.5 % per mail for a weekly, fairly relevant mail', () => {
    const weekly: Exposure = { mails7: 0, mails30: 4, hoursSinceLast: 7 * 24 };
    const mail = { relevance: 0.5, breach: false };
    const open = 0.22;
    const perMail =
      open * unsubscribeProbability(mail, weekly, member) +
      (1 - open) * unsubscribeProbability(mail, weekly, { ...member, opened: false });
    expect(perMail).toBeGreaterThanOrEqual(0.001);
    expect(perMail).toBeLessThanOrEqual(0.005);
  });

  it('blames too many mails when frequency drove the hazard', () => {
    expect(
      unsubscribeCause(
        unsubscribeFactors({ relevance: 1, breach: false }, { mails7: 5, mails30: 18, hoursSinceLast: 12 }),
      ),
    ).toBe('too many mails');
    expect(unsubscribeCause(unsubscribeFactors({ relevance: 0, breach: false }, calm))).toBe('not relevant');
  });

  it('makes conversion likelier with relevance and mildly less likely when mailed very often', () => {
    const conversion = (relevance: number, exposure: Exposure) =>
      conversionProbabilityGivenOpen({ relevance, breach: false }, exposure);
    expect(conversion(0.9, calm)).toBeGreaterThan(conversion(0.3, calm));
    expect(conversion(0.6, busy)).toBeLessThan(conversion(0.6, calm));
    expect(conversion(0.6, busy)).toBeGreaterThan(0.5 * conversion(0.6, calm));
  });

  it('makes opening likelier with relevance', () => {
    expect(openProbability(0.3, { relevance: 0.9, breach: false })).toBeGreaterThan(
      openProbability(0.3, { relevance: 0.1, breach: false }),
    );
  });
});
