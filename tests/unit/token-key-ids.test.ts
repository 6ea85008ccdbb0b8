import { describe, expect, it } from 'vitest';
import { csrfMatches, csrfToken } from '../../lambdas/core/form-tokens.js';
import { signToken, type TokenKeys, TokenKeysJson, tokenKey, verifyToken } from '../../lambdas/core/tokens.js';
import { NOW } from './fixtures.js';

const keys: TokenKeys = { current: 'k1', keys: { k1: 'qW3rTy7uIoP0aSdFgHjKlZxCvBnM1234567890ab' } };
const claims = { purpose: 'preferences', clubId: 'club-1', memberId: 'member-1' } as const;
const INHERITED = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf'];

/** A token signed with k1, its key id swapped for another. */
function withKeyId(kid: string): string {
  const [, payload, tag] = signToken(keys, claims, NOW).split('.');
  return `${kid}.${payload}.${tag}`;
}

describe('token key ids', () => {
  it.each(INHERITED)('treats a link with key id %s as an unknown key, without throwing', (kid) => {
    expect(verifyToken(keys, withKeyId(kid), NOW)).toEqual({ ok: false, why: 'unknown-key' });
  });

  it.each(INHERITED)('finds no secret for key id %s, and no form token for its link', (kid) => {
    expect(tokenKey(keys, kid)).toBeUndefined();
    expect(csrfToken(keys, withKeyId(kid))).toBeUndefined();
    expect(csrfMatches(keys, withKeyId(kid), 'anything')).toBe(false);
  });

  it('still verifies the real key id', () => {
    expect(verifyToken(keys, withKeyId('k1'), NOW).ok).toBe(true);
  });

  it('refuses a secret whose current key id names an inherited property', () => {
    const parsed = TokenKeysJson.safeParse({ current: 'toString', k1: 'qW3rTy7uIoP0aSdFgHjKlZxCvBnM1234567890ab' });
    expect(parsed.success).toBe(false);
  });

  it("never turns a key named __proto__ in the secret into the key set's prototype", () => {
    const secret = JSON.parse(
      '{"current":"k1","k1":"qW3rTy7uIoP0aSdFgHjKlZxCvBnM1234567890ab","__proto__":"Zx9Cv8Bn7Mq6Wf5Ep4Rt3Yu2Io1PaSdFgHjKlQwE"}',
    );
    const parsed = TokenKeysJson.parse(secret);
    expect(Object.getPrototypeOf(parsed.keys)).toBe(Object.prototype);
    expect(tokenKey(parsed, 'k1')).toBeDefined();
    expect(verifyToken(parsed, withKeyId('toString'), NOW)).toEqual({ ok: false, why: 'unknown-key' });
  });
});
