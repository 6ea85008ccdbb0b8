import { describe, expect, it } from 'vitest';
import { MAX_HEADER_LENGTH, renderMail } from '../../lambdas/core/mail.js';
import {
  signToken,
  TOKEN_LIFETIME_DAYS,
  type TokenKeys,
  TokenKeysJson,
  verifyToken,
} from '../../lambdas/core/tokens.js';
import { aClub, aMember, DAY_MS, daysLater, NOW } from './fixtures.js';

const SECRET_1 = 'qW3rTy7uIoP0aSdFgHjKlZxCvBnM1234567890ab';
const SECRET_2 = 'Zx9Cv8Bn7Mq6Wf5Ep4Rt3Yu2Io1PaSdFgHjKlQwE';
const keysV1: TokenKeys = { current: 'k1', keys: { k1: SECRET_1 } };
/** After rotation: k2 signs new tokens, k1 still verifies old ones. */
const keysRotated: TokenKeys = { current: 'k2', keys: { k1: SECRET_1, k2: SECRET_2 } };
/** k1 retired. */
const keysRetired: TokenKeys = { current: 'k2', keys: { k2: SECRET_2 } };

const unsubscribe = { purpose: 'unsubscribe', clubId: 'club-1', memberId: 'member-1' } as const;

function parts(token: string): [string, string, string] {
  const [kid, payload, tag] = token.split('.');
  if (kid === undefined || payload === undefined || tag === undefined) throw new Error(`not a token: ${token}`);
  return [kid, payload, tag];
}

/** Replace the character at `index` with a different character from the base64url alphabet. */
function flip(text: string, index: number): string {
  const i = index < 0 ? text.length + index : index;
  const replacement = text[i] === 'A' ? 'B' : 'A';
  return text.slice(0, i) + replacement + text.slice(i + 1);
}

describe('signToken and verifyToken', () => {
  it('round-trips the purpose, club and member', () => {
    const check = verifyToken(keysV1, signToken(keysV1, unsubscribe, NOW), NOW);
    expect(check).toEqual({
      ok: true,
      claims: { ...unsubscribe, expiresDay: Math.floor(NOW.getTime() / DAY_MS) + TOKEN_LIFETIME_DAYS },
    });
  });

  it('makes tokens that are safe in a URL without encoding', () => {
    expect(signToken(keysV1, unsubscribe, NOW)).toMatch(/^[A-Za-z0-9_.-]+$/);
  });

  it('makes links that still work a year later', () => {
    expect(verifyToken(keysV1, signToken(keysV1, unsubscribe, NOW), daysLater(366)).ok).toBe(true);
  });

  it('rejects a token after it expires', () => {
    const token = signToken(keysV1, unsubscribe, NOW);
    expect(verifyToken(keysV1, token, daysLater(TOKEN_LIFETIME_DAYS + 1))).toEqual({ ok: false, why: 'expired' });
  });

  it('rejects a short-lived token two days later', () => {
    const token = signToken(keysV1, unsubscribe, NOW, 1);
    expect(verifyToken(keysV1, token, NOW).ok).toBe(true);
    expect(verifyToken(keysV1, token, daysLater(2))).toEqual({ ok: false, why: 'expired' });
  });

  it('rejects a token whose payload was changed to another member', () => {
    const [kid, payload, tag] = parts(signToken(keysV1, unsubscribe, NOW));
    const forged = Buffer.from(
      Buffer.from(payload, 'base64url').toString('utf8').replace('member-1', 'member-2'),
    ).toString('base64url');
    expect(forged).not.toBe(payload);
    expect(verifyToken(keysV1, `${kid}.${forged}.${tag}`, NOW)).toEqual({ ok: false, why: 'bad-signature' });
  });

  it('rejects a token whose payload was changed to a later expiry', () => {
    const [kid, payload, tag] = parts(signToken(keysV1, unsubscribe, NOW, 1));
    const fields = Buffer.from(payload, 'base64url').toString('utf8').split('|');
    fields[3] = String(Number(fields[3]) + 10_000);
    const forged = Buffer.from(fields.join('|')).toString('base64url');
    expect(verifyToken(keysV1, `${kid}.${forged}.${tag}`, NOW)).toEqual({ ok: false, why: 'bad-signature' });
  });

  it('rejects a token with one character of the payload changed', () => {
    const [kid, payload, tag] = parts(signToken(keysV1, unsubscribe, NOW));
    expect(verifyToken(keysV1, `${kid}.${flip(payload, 3)}.${tag}`, NOW).ok).toBe(false);
  });

  it('rejects a token with a character of the tag changed', () => {
    const [kid, payload, tag] = parts(signToken(keysV1, unsubscribe, NOW));
    for (const index of [0, 5, 10, 20]) {
      expect(verifyToken(keysV1, `${kid}.${payload}.${flip(tag, index)}`, NOW)).toEqual({
        ok: false,
        why: 'bad-signature',
      });
    }
  });

  it('rejects a truncated token', () => {
    const token = signToken(keysV1, unsubscribe, NOW);
    const [kid, payload, tag] = parts(token);
    expect(verifyToken(keysV1, `${kid}.${payload}`, NOW)).toEqual({ ok: false, why: 'malformed' });
    expect(verifyToken(keysV1, `${kid}.${payload}.`, NOW)).toEqual({ ok: false, why: 'malformed' });
    expect(verifyToken(keysV1, `${kid}.${payload}.${tag.slice(0, -4)}`, NOW).ok).toBe(false);
    expect(verifyToken(keysV1, token.slice(0, 10), NOW).ok).toBe(false);
    expect(verifyToken(keysV1, '', NOW).ok).toBe(false);
  });

  it('rejects a token with extra dot-separated parts', () => {
    expect(verifyToken(keysV1, `${signToken(keysV1, unsubscribe, NOW)}.extra`, NOW)).toEqual({
      ok: false,
      why: 'malformed',
    });
  });

  it('rejects a token signed with a key id it does not know', () => {
    const [, payload, tag] = parts(signToken(keysV1, unsubscribe, NOW));
    expect(verifyToken(keysV1, `k9.${payload}.${tag}`, NOW)).toEqual({ ok: false, why: 'unknown-key' });
  });

  it('rejects a token signed with a different secret under the same key id', () => {
    const attacker: TokenKeys = { current: 'k1', keys: { k1: 'an-attacker-guessed-this-secret-0000' } };
    expect(verifyToken(keysV1, signToken(attacker, unsubscribe, NOW), NOW)).toEqual({
      ok: false,
      why: 'bad-signature',
    });
  });

  it('rejects a token relabelled with another valid key id', () => {
    const [, payload, tag] = parts(signToken(keysRotated, unsubscribe, NOW)); // signed with k2
    expect(verifyToken(keysRotated, `k1.${payload}.${tag}`, NOW)).toEqual({ ok: false, why: 'bad-signature' });
  });

  it('signs new tokens with the current key id', () => {
    expect(signToken(keysRotated, unsubscribe, NOW).startsWith('k2.')).toBe(true);
  });

  it('still accepts a token signed with the old key after rotation', () => {
    const old = signToken(keysV1, unsubscribe, NOW);
    expect(verifyToken(keysRotated, old, daysLater(30))).toMatchObject({ ok: true, claims: unsubscribe });
  });

  it('rejects a token signed with the old key once that key is removed', () => {
    const old = signToken(keysV1, unsubscribe, NOW);
    expect(verifyToken(keysRetired, old, daysLater(30))).toEqual({ ok: false, why: 'unknown-key' });
    expect(verifyToken(keysRetired, signToken(keysRotated, unsubscribe, NOW), daysLater(30)).ok).toBe(true);
  });

  it('throws when the current key has no secret', () => {
    expect(() => signToken({ current: 'k3', keys: { k1: SECRET_1 } }, unsubscribe, NOW)).toThrow(/k3/);
  });

  it('shows the purpose in the claims, so a preferences link cannot pass as an unsubscribe', () => {
    const check = verifyToken(keysV1, signToken(keysV1, { ...unsubscribe, purpose: 'preferences' }, NOW), NOW);
    expect(check.ok && check.claims.purpose).toBe('preferences');
  });

  it('carries a tag of at least 128 bits', () => {
    const [, , tag] = parts(signToken(keysV1, unsubscribe, NOW));
    expect(Buffer.from(tag, 'base64url').length * 8).toBeGreaterThanOrEqual(128);
  });

  it('gives different members different tokens', () => {
    expect(signToken(keysV1, unsubscribe, NOW)).not.toBe(
      signToken(keysV1, { ...unsubscribe, memberId: 'member-2' }, NOW),
    );
  });

  it('fits a List-Unsubscribe header for the longest ids, within the 870-character limit', () => {
    const longId = 'x'.repeat(64);
    const token = signToken(keysV1, { purpose: 'unsubscribe', clubId: longId, memberId: longId }, NOW);
    const url = `https://members.hornbutiken-example-club.se/api/v1/clubs/${longId}/unsubscribe?token=${token}`;
    const mail = renderMail({
      club: aClub({ clubId: longId }),
      member: aMember({ clubId: longId, memberId: longId }),
      theme: 'community',
      offers: [],
      links: { unsubscribe: url, preferences: url.replace('unsubscribe', 'preferences') },
    });
    const header = mail.headers.find((h) => h.name === 'List-Unsubscribe');
    expect(header?.value).toBe(`<${url}>`);
    expect(header?.value.length).toBeLessThanOrEqual(MAX_HEADER_LENGTH);
    expect(MAX_HEADER_LENGTH).toBe(870);
  });
});

describe('TokenKeysJson', () => {
  it('parses the current key id and every key', () => {
    const json = { current: 'k1', k1: SECRET_1, k0: SECRET_2 };
    expect(TokenKeysJson.parse(json)).toEqual({ current: 'k1', keys: { k1: SECRET_1, k0: SECRET_2 } });
  });

  it('parses the documented shape from a JSON string', () => {
    const keys = TokenKeysJson.parse(JSON.parse(`{"current":"k1","k1":"${SECRET_1}"}`));
    expect(verifyToken(keys, signToken(keys, unsubscribe, NOW), NOW).ok).toBe(true);
  });

  it('rejects a current key id with no secret', () => {
    expect(TokenKeysJson.safeParse({ current: 'k2', k1: SECRET_1 }).success).toBe(false);
  });

  it('rejects a missing current field', () => {
    expect(TokenKeysJson.safeParse({ k1: SECRET_1 }).success).toBe(false);
  });

  it('rejects a secret shorter than 32 characters', () => {
    expect(TokenKeysJson.safeParse({ current: 'k1', k1: 'short-secret' }).success).toBe(false);
    expect(TokenKeysJson.safeParse({ current: 'k1', k1: SECRET_1, k0: 'x'.repeat(31) }).success).toBe(false);
  });

  it('rejects a key id that could not appear in a token', () => {
    expect(TokenKeysJson.safeParse({ current: 'k.1', 'k.1': SECRET_1 }).success).toBe(false);
  });
});
