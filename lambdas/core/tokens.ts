import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { ConfigError } from './errors.js';
import { fail, ok, type Result } from './result.js';
import { DAY_MS } from './units.js';

/**
 * Signed member links (docs/reliability.md 7): HMAC-SHA-256 over purpose, club, member and expiry,
 * with a key id so keys can rotate while old links keep working until their key is retired.
 */
export const TokenPurpose = z.enum(['unsubscribe', 'preferences', 'survey', 'control']);
export type TokenPurpose = z.infer<typeof TokenPurpose>;

/** Links about one campaign's mail name it: a survey's answers, and the controls in a mail ("fewer like this"). */
const NAMES_CAMPAIGN: ReadonlySet<TokenPurpose> = new Set(['survey', 'control']);

export interface TokenKeys {
  /** The key id new tokens are signed with. */
  readonly current: string;
  /** Every key still accepted, by id. Retiring a key means deleting it here. */
  readonly keys: Readonly<Record<string, string>>;
}

/**
 * Where the keys come from, read on each use: on AWS from Secrets Manager through a cache with a
 * maximum age, so a rotated secret reaches warm containers (lambdas/adapters/secrets.ts); locally
 * and in tests a constant. Functions that neither sign nor verify have a source that throws.
 */
export type TokenKeySource = () => Promise<TokenKeys>;

/** A constant key set as a source. */
export function fixedTokenKeys(keys: TokenKeys): TokenKeySource {
  return async () => keys;
}

/**
 * The secret of key id `kid`, or undefined. Only the set's own entries count: a key id taken from a
 * link (`__proto__`, `constructor`, `toString`) never reaches Object.prototype.
 */
export function tokenKey(keys: TokenKeys, kid: string): string | undefined {
  return Object.hasOwn(keys.keys, kid) ? keys.keys[kid] : undefined;
}

/** The secret's JSON: `{"current":"k1","k1":"<secret>","k0":"<older secret>"}`. */
export const TokenKeysJson = z
  .object({ current: z.string().regex(/^[A-Za-z0-9]{1,8}$/) })
  .catchall(z.string().min(32, 'token keys need at least 32 characters'))
  .transform((raw, ctx): TokenKeys => {
    // fromEntries defines own properties, so even an id of "__proto__" is a plain entry.
    const keys = Object.fromEntries(Object.entries(raw).filter(([id]) => id !== 'current'));
    const set = { current: raw.current, keys };
    if (!tokenKey(set, raw.current))
      ctx.addIssue({ code: 'custom', message: `current key "${raw.current}" has no secret` });
    return set;
  });

export interface TokenClaims {
  readonly purpose: TokenPurpose;
  readonly clubId: string;
  readonly memberId: string;
  /** The campaign a survey or control link is about (only, and always, for `survey` and `control`). */
  readonly campaignId?: string;
  /** Expiry, in whole days since the epoch. */
  readonly expiresDay: number;
}

export type TokenCheck = Result<
  { claims: TokenClaims },
  { why: 'malformed' | 'unknown-key' | 'bad-signature' | 'expired' }
>;

/** Links in mail must work for at least a year (docs/reliability.md 6). */
export const TOKEN_LIFETIME_DAYS = 400;
const TAG_BYTES = 16; // 128-bit tag
const CANONICAL_TAG = /^[A-Za-z0-9_-]{21}[AQgw]$/; // 16 bytes: the last character carries 2 bits

export function signToken(
  keys: TokenKeys,
  claims: Omit<TokenClaims, 'expiresDay'>,
  now: Date,
  lifetimeDays = TOKEN_LIFETIME_DAYS,
): string {
  const expiresDay = Math.floor(now.getTime() / DAY_MS) + lifetimeDays;
  if (NAMES_CAMPAIGN.has(claims.purpose) !== (claims.campaignId !== undefined)) {
    throw new RangeError('a survey or control link names its campaign, and only those do');
  }
  const subject = claims.campaignId === undefined ? [] : [claims.campaignId];
  const fields = [claims.purpose, claims.clubId, claims.memberId, ...subject, String(expiresDay)];
  const payload = Buffer.from(fields.join('|')).toString('base64url');
  const secret = tokenKey(keys, keys.current);
  if (!secret) throw new ConfigError(`Token key ${keys.current} is missing`);
  return `${keys.current}.${payload}.${tag(secret, keys.current, payload)}`;
}

export function verifyToken(keys: TokenKeys, token: string, now: Date): TokenCheck {
  const parts = token.split('.');
  const [kid, payload, given] = parts;
  if (parts.length !== 3 || !kid || !payload || !given) return fail({ why: 'malformed' });
  // Node's base64url decoder skips junk and spare bits; accept only the one canonical spelling.
  if (!CANONICAL_TAG.test(given) || Buffer.from(payload, 'base64url').toString('base64url') !== payload) {
    return fail({ why: 'malformed' });
  }
  const secret = tokenKey(keys, kid);
  if (!secret) return fail({ why: 'unknown-key' });
  const expected = Buffer.from(tag(secret, kid, payload), 'base64url');
  const actual = Buffer.from(given, 'base64url');
  if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) return fail({ why: 'bad-signature' });
  const fields = Buffer.from(payload, 'base64url').toString('utf8').split('|');
  const purpose = TokenPurpose.safeParse(fields[0]);
  // A survey or control link carries its campaign before the expiry; the others do not.
  const survey = purpose.success && NAMES_CAMPAIGN.has(purpose.data);
  const [, clubId, memberId] = fields;
  const campaignId = survey ? fields[3] : undefined;
  const expiresDay = Number(fields[survey ? 4 : 3]);
  if (
    fields.length !== (survey ? 5 : 4) ||
    !purpose.success ||
    !clubId ||
    !memberId ||
    (survey && !campaignId) ||
    !Number.isInteger(expiresDay)
  ) {
    return fail({ why: 'malformed' });
  }
  if (expiresDay < Math.floor(now.getTime() / DAY_MS)) return fail({ why: 'expired' });
  return ok({ claims: { purpose: purpose.data, clubId, memberId, ...(campaignId ? { campaignId } : {}), expiresDay } });
}

function tag(secret: string, kid: string, payload: string): string {
  return createHmac('sha256', secret).update(`${kid}.${payload}`).digest().subarray(0, TAG_BYTES).toString('base64url');
}
