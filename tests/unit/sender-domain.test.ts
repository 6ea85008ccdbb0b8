import { describe, expect, it } from 'vitest';
import { clubDomains, emailDomain, type SenderRules, senderVerdict } from '../../lambdas/core/sender-domain.js';

const rules: SenderRules = {
  mode: 'configured',
  domains: [
    { clubId: 'stadsbutiken', domain: 'klubb.stadsbutiken.se' },
    { clubId: 'stadsbutiken', domain: 'nyheter.stadsbutiken.se' },
    { clubId: 'boghandlen', domain: 'boghandlen.dk' },
  ],
};

describe('a club sends only from its own sending domains', () => {
  it('accepts an address on one of the club own domains, with the configured entry', () => {
    const verdict = senderVerdict(rules, 'stadsbutiken', 'klubb@klubb.stadsbutiken.se');
    expect(verdict).toEqual({
      ok: true,
      domain: 'klubb.stadsbutiken.se',
      config: { clubId: 'stadsbutiken', domain: 'klubb.stadsbutiken.se' },
    });
    expect(senderVerdict(rules, 'stadsbutiken', 'news@nyheter.stadsbutiken.se').ok).toBe(true);
  });

  it('compares the domain without regard to case, as DNS does', () => {
    expect(emailDomain('Klubb@Klubb.Stadsbutiken.SE')).toBe('klubb.stadsbutiken.se');
    expect(senderVerdict(rules, 'stadsbutiken', 'Klubb@KLUBB.stadsbutiken.se').ok).toBe(true);
  });

  it('refuses an address on another club domain without naming that club', () => {
    const verdict = senderVerdict(rules, 'stadsbutiken', 'klub@boghandlen.dk');
    expect(verdict).toMatchObject({ ok: false, reason: 'other-club', domain: 'boghandlen.dk' });
    expect(verdict.ok ? '' : verdict.message).toBe('boghandlen.dk is a sending domain of another club');
  });

  it('refuses an address on a domain nobody was assigned, and names the club own domains', () => {
    const verdict = senderVerdict(rules, 'stadsbutiken', 'club@gmail.com');
    expect(verdict).toMatchObject({ ok: false, reason: 'unassigned' });
    expect(verdict.ok ? '' : verdict.message).toBe(
      'gmail.com is not a sending domain of club stadsbutiken; use an address on klubb.stadsbutiken.se or nyheter.stadsbutiken.se',
    );
  });

  it('refuses a subdomain of an own domain: each sending domain is its own SES identity', () => {
    expect(senderVerdict(rules, 'stadsbutiken', 'x@mail.klubb.stadsbutiken.se')).toMatchObject({
      ok: false,
      reason: 'unassigned',
    });
    // …and the parent of an own domain is not one either.
    expect(senderVerdict(rules, 'stadsbutiken', 'x@stadsbutiken.se').ok).toBe(false);
  });

  it('tells a club without any sending domain who assigns one', () => {
    const verdict = senderVerdict(rules, 'nyklubb', 'club@nyklubb.se');
    expect(verdict.ok ? '' : verdict.message).toMatch(/club nyklubb, which has none: an operator assigns one/);
    expect(clubDomains(rules, 'nyklubb')).toEqual([]);
  });

  it('refuses every sender when the list is empty, as on a stack deployed without sendingDomains', () => {
    expect(senderVerdict({ mode: 'configured', domains: [] }, 'stadsbutiken', 'klubb@klubb.stadsbutiken.se').ok).toBe(
      false,
    );
  });

  it('checks nothing when no list is configured at all (local test systems only)', () => {
    expect(senderVerdict({ mode: 'any' }, 'anyclub', 'club@whatever.example')).toEqual({
      ok: true,
      domain: 'whatever.example',
    });
  });
});
