import { describe, expect, it } from 'vitest';
import { addressHash } from '../../lambdas/adapters/dynamodb-suppression-list.js';
import { formFields, PreferenceForm, patchFor, pauseEnd } from '../../lambdas/app/preferences.js';
import { contrastRatio, readable, textOn } from '../../lambdas/core/contrast.js';
import { csrfMatches, csrfToken } from '../../lambdas/core/form-tokens.js';
import { signToken } from '../../lambdas/core/tokens.js';

const keys = { current: 'k1', keys: { k1: 'a'.repeat(32), k0: 'b'.repeat(32) } };
const NOW = new Date('2026-01-31T10:00:00Z');
const link = (memberId = 'm1') => signToken(keys, { purpose: 'preferences', clubId: 'club', memberId }, NOW);

describe('preference form', () => {
  it('reads unticked checkbox groups as empty lists and ticked boxes as true', () => {
    const body = new URLSearchParams('action=save&frequency=weekly&language=en&confirmation=on');
    const form = PreferenceForm.parse(formFields(body));
    expect(form).toEqual({
      action: 'save',
      frequency: 'weekly',
      topics: [],
      declared: [],
      language: 'en',
      nameDayMail: false,
      confirmation: true,
    });
  });

  it('collapses repeated choices and refuses unknown ones, naming the field', () => {
    const ok = PreferenceForm.parse(
      formFields(
        new URLSearchParams('action=save&frequency=monthly&language=sv&topics=offers&topics=offers&declared=vegan'),
      ),
    );
    expect(ok).toMatchObject({ topics: ['offers'], declared: ['vegan'] });
    const bad = PreferenceForm.safeParse(
      formFields(new URLSearchParams('action=save&frequency=monthly&language=sv&topics=gossip')),
    );
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.path[0]).toBe('topics');
  });

  it('turns each action into one patch and the confirmation to show', () => {
    expect(patchFor({ action: 'reject-inference', restriction: 'gluten-free' }, NOW)).toEqual({
      patch: { rejectInference: 'gluten-free' },
      outcome: 'removed',
    });
    expect(patchFor({ action: 'resume' }, NOW)).toEqual({ patch: { pausedUntil: null }, outcome: 'resumed' });
    expect(patchFor({ action: 'pause', pause: '2w' }, NOW)).toEqual({
      patch: { pausedUntil: '2026-02-14T10:00:00.000Z' },
      outcome: 'paused',
    });
  });

  it('pauses for calendar months, ending on the last day of a shorter month', () => {
    expect(pauseEnd(NOW, '1m').toISOString()).toBe('2026-02-28T10:00:00.000Z');
    expect(pauseEnd(NOW, '3m').toISOString()).toBe('2026-04-30T10:00:00.000Z');
    expect(pauseEnd(new Date('2026-11-15T08:00:00Z'), '3m').toISOString()).toBe('2027-02-15T08:00:00.000Z');
  });
});

describe('form token (CSRF)', () => {
  it('accepts the token made for this link only', () => {
    const token = csrfToken(keys, link());
    expect(csrfMatches(keys, link(), token)).toBe(true);
    expect(csrfMatches(keys, link('m2'), token)).toBe(false);
    expect(csrfMatches(keys, link(), undefined)).toBe(false);
    expect(csrfMatches(keys, link(), `${token?.slice(0, -1)}x`)).toBe(false);
  });

  it('cannot be made without the server key', () => {
    const other = { current: 'k1', keys: { k1: 'c'.repeat(32) } };
    expect(csrfMatches(keys, link(), csrfToken(other, link()))).toBe(false);
    expect(csrfToken(keys, 'zz.unknown.key')).toBeUndefined();
  });
});

describe('brand colours on the page (WCAG 2.1 AA)', () => {
  it('computes WCAG contrast ratios', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrastRatio('#767676', '#ffffff')).toBeGreaterThanOrEqual(4.5);
  });

  it('puts white on a dark primary and dark text on a light one', () => {
    expect(textOn('#1d6b3a')).toBe('#ffffff');
    expect(textOn('#f5d90a')).toBe('#111111');
    expect(textOn('#e4572e')).toBe('#111111');
  });

  it('falls back to a readable colour when a brand colour is too light for text', () => {
    expect(readable('#f5d90a', '#ffffff')).toBe('#111111');
    expect(readable('#1f3a5f', '#ffffff')).toBe('#1f3a5f');
  });
});

describe('suppression hash', () => {
  it('is the same for the same address however it is written, and differs by key', () => {
    expect(addressHash('k'.repeat(32), ' Anna@Example.COM ')).toBe(addressHash('k'.repeat(32), 'anna@example.com'));
    expect(addressHash('k'.repeat(32), 'anna@example.com')).not.toBe(addressHash('j'.repeat(32), 'anna@example.com'));
    expect(addressHash('k'.repeat(32), 'anna@example.com')).not.toContain('anna');
  });
});
