import { describe, expect, it } from 'vitest';
import { CONSERVATIVE_BUDGET, checkBudget } from '../../lambdas/core/budget.js';
import { decide } from '../../lambdas/core/decision.js';
import { claimSend, EMPTY_LEDGER, Ledger } from '../../lambdas/core/ledger.js';
import { renderMail } from '../../lambdas/core/mail.js';
import { Id, Product } from '../../lambdas/core/model.js';
import { rankOffers } from '../../lambdas/core/offers.js';
import { buildProfile } from '../../lambdas/core/profile.js';
import { signToken, type TokenKeys, verifyToken } from '../../lambdas/core/tokens.js';
import { aCampaign, aClub, aMember, aProfile, daysAgo, NOW } from './fixtures.js';

/** Bugs found by reviewing the core, kept as tests so they stay fixed. */
describe('regressions', () => {
  it('counts a send a concurrent worker stamped a moment after now against the budget', () => {
    expect(checkBudget([NOW.getTime() + 50], NOW, CONSERVATIVE_BUDGET, 'club-default').ok).toBe(false);
    const ledger = Ledger.parse({ version: 1, sends: { other: { at: NOW.getTime() + 50, campaignId: 'c2' } } });
    expect(claimSend(ledger, { sendId: 'mine', campaignId: 'c1' }, NOW, CONSERVATIVE_BUDGET, 'club-default').kind).toBe(
      'over-budget',
    );
  });

  it('refuses reserved names as ids and categories, so data never reaches Object.prototype', () => {
    for (const name of ['__proto__', 'constructor', 'prototype']) {
      expect(Id.safeParse(name).success).toBe(false);
      expect(Product.safeParse({ productId: 'p1', name: 'x', category: name }).success).toBe(false);
    }
  });

  it('keeps a "__proto__" product id that bypassed validation as a plain key', () => {
    const product = { productId: '__proto__', name: 'Proto bar', category: 'Snacks', contains: [], freeFrom: [] };
    const lines = ['r1', 'r2'].map((receiptId) => ({
      memberId: 'm1',
      receiptId,
      at: daysAgo(1).toISOString(),
      productId: '__proto__',
    }));
    try {
      const profile = buildProfile(lines, new Map([[product.productId, product]]), NOW);
      expect(Object.getOwnPropertyDescriptor(profile.products, '__proto__')?.value).toMatchObject({ count: 2 });
      expect(Object.getOwnPropertyNames(Object.prototype)).not.toContain('count');
    } finally {
      Reflect.deleteProperty(Object.prototype, 'count');
    }
  });

  it('scores an offer in a category named like an Object method as a number, never NaN', () => {
    const product = { productId: 'x', name: 'X', category: 'toString', contains: [], freeFrom: [] };
    const offer = { offerId: 'ox', productId: 'x', headline: 'deal' };
    const picks = rankOffers({
      profile: aProfile({ spaghetti: 2 }),
      candidates: [{ offer, product }],
      restrictions: [],
      k: 3,
    }).picks;
    for (const pick of picks) expect(Number.isFinite(pick.score)).toBe(true);
  });

  it('puts a first name containing "$&" into the subject verbatim', () => {
    const mail = renderMail({
      club: aClub(),
      member: aMember({ firstName: 'Jo$&' }),
      theme: 'community',
      offers: [],
      links: { unsubscribe: 'https://x.example/u', preferences: 'https://x.example/p' },
    });
    expect(mail.subject.startsWith('Jo$&, ')).toBe(true);
  });

  it('rejects a token whose tag has a changed last character or trailing junk', () => {
    const keys: TokenKeys = { current: 'k1', keys: { k1: 'qW3rTy7uIoP0aSdFgHjKlZxCvBnM1234567890ab' } };
    const token = signToken(keys, { purpose: 'unsubscribe', clubId: 'club-1', memberId: 'member-1' }, NOW);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const last = alphabet[alphabet.indexOf(token.at(-1) ?? '') ^ 1];
    const variants = [`${token}=`, `${token}!!`, `${token.slice(0, -1)}${last}`];
    expect(verifyToken(keys, token, NOW).ok).toBe(true);
    expect(variants.map((v) => verifyToken(keys, v, NOW).ok)).toEqual([false, false, false]);
  });

  it('explains an empty offer pool instead of naming no restrictions', () => {
    const decision = decide({
      member: aMember(),
      profile: aProfile({ spaghetti: 3 }),
      ledger: EMPTY_LEDGER,
      campaign: aCampaign(),
      candidates: [],
      policy: CONSERVATIVE_BUDGET,
      now: NOW,
    });
    expect(decision).toMatchObject({
      outcome: 'suppress',
      reason: 'no-eligible-offers',
      message: 'The campaign has no offers in its pool.',
    });
  });
});
