import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import type { z } from 'zod';
import { type TokenKeys, tokenKey } from '../../core/tokens.js';

const IV_BYTES = 12;
const TAG_BYTES = 16;

/** An AES-256-GCM key for one purpose, derived (HKDF-SHA-256) from a link key: one secret, separate keys. */
function keyFor(secret: string, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, 'club-planner console', purpose, 32));
}

/**
 * A value the browser keeps but can neither read nor change (the console's session and sign-in
 * cookies): JSON encrypted and authenticated with AES-256-GCM under a key derived from the current
 * link key, as `<key id>.<iv, ciphertext and tag in base64url>`. `purpose` is bound into both the
 * key and the authenticated data, so one kind of cookie can never pass for another.
 */
export function seal(keys: TokenKeys, purpose: string, value: unknown): string {
  const secret = tokenKey(keys, keys.current);
  if (!secret) throw new RangeError(`no secret for the current key ${keys.current}`);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', keyFor(secret, purpose), iv);
  cipher.setAAD(Buffer.from(purpose));
  const body = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
  return `${keys.current}.${Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url')}`;
}

/** The sealed value if it opens under one of the keys and passes `schema`; undefined for anything else. */
export function unseal<T>(
  keys: TokenKeys,
  purpose: string,
  sealed: string | undefined,
  schema: z.ZodType<T>,
): T | undefined {
  if (!sealed) return undefined;
  const dot = sealed.indexOf('.');
  const secret = dot > 0 ? tokenKey(keys, sealed.slice(0, dot)) : undefined;
  if (!secret) return undefined;
  const raw = Buffer.from(sealed.slice(dot + 1), 'base64url');
  if (raw.length <= IV_BYTES + TAG_BYTES) return undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', keyFor(secret, purpose), raw.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(purpose));
    decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES));
    const text = Buffer.concat([decipher.update(raw.subarray(IV_BYTES, raw.length - TAG_BYTES)), decipher.final()]);
    const parsed = schema.safeParse(JSON.parse(text.toString('utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    // A wrong tag, a wrong key or broken JSON: a cookie we did not make.
    return undefined;
  }
}
