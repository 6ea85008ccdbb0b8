import { createHmac, timingSafeEqual } from 'node:crypto';
import { type TokenKeys, tokenKey } from './tokens.js';

const FORM_TOKEN_BYTES = 16;

/**
 * The member pages' per-form CSRF token: an HMAC of the page's own link token under the key that
 * signed it, so it needs no session and no storage, and it cannot be made without the server key.
 * `undefined` when the link's key is unknown (the link itself is then refused too).
 */
export function csrfToken(keys: TokenKeys, linkToken: string): string | undefined {
  const kid = linkToken.split('.')[0];
  const secret = kid ? tokenKey(keys, kid) : undefined;
  if (!secret) return undefined;
  return createHmac('sha256', secret)
    .update(`csrf.${linkToken}`)
    .digest()
    .subarray(0, FORM_TOKEN_BYTES)
    .toString('base64url');
}

/** Whether a posted form token is the one for this link, compared in constant time. */
export function csrfMatches(keys: TokenKeys, linkToken: string, given: unknown): boolean {
  const expected = csrfToken(keys, linkToken);
  if (!expected || typeof given !== 'string' || given.length !== expected.length) return false;
  return timingSafeEqual(Buffer.from(given), Buffer.from(expected));
}
