import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { z } from 'zod';
import type { TokenKeys } from '../../core/tokens.js';
import { HOUR_MS, MINUTE_MS } from '../../core/units.js';
import { seal, unseal } from './sealed.js';

/**
 * The console's cookies (docs/decisions/0032-console-sessions.md). The session says who signed in
 * (the issuer's `sub` and groups, checked once at sign-in) and carries the form token of every form;
 * roles are read from the table on each request. HttpOnly, SameSite=Lax, and on https `Secure` with
 * the `__Host-` prefix (no Domain, Path=/); over plain http (npm start) without them, below /console.
 */
export const ConsoleSession = z.object({
  sub: z.string().min(1).max(128),
  groups: z.array(z.string().max(128)).max(50),
  /** The form token: every POST must carry it (CSRF), and only this session's pages hold it. */
  csrf: z.string().min(16).max(64),
  issuedAt: z.number().int(),
  expiresAt: z.number().int(),
});
export type ConsoleSession = z.infer<typeof ConsoleSession>;

/** The sign-in in flight: PKCE verifier, state and where to return, for ten minutes. */
export const SignInState = z.object({
  state: z.string().min(16).max(64),
  verifier: z.string().min(43).max(128),
  returnTo: z.string().max(2000),
  expiresAt: z.number().int(),
});
export type SignInState = z.infer<typeof SignInState>;

/** A session lasts a working day; the role behind every request is read afresh each time. */
export const SESSION_MS = 8 * HOUR_MS;
export const SIGN_IN_MS = 10 * MINUTE_MS;

const SESSION = 'console-session';
const SIGN_IN = 'console-sign-in';

function cookies(c: Context): { secure: boolean; path: string; session: string; signIn: string } {
  const secure = new URL(c.req.url).protocol === 'https:';
  return secure
    ? { secure, path: '/', session: '__Host-cp-session', signIn: '__Host-cp-sign-in' }
    : { secure, path: '/console', session: 'cp-session', signIn: 'cp-sign-in' };
}

function put(c: Context, name: string, value: string, maxAgeMs: number): void {
  const { secure, path } = cookies(c);
  setCookie(c, name, value, { httpOnly: true, secure, sameSite: 'Lax', path, maxAge: Math.floor(maxAgeMs / 1000) });
}

function drop(c: Context, name: string): void {
  const { secure, path } = cookies(c);
  deleteCookie(c, name, { httpOnly: true, secure, sameSite: 'Lax', path });
}

export function newSession(sub: string, groups: readonly string[], now: Date): ConsoleSession {
  return {
    sub,
    groups: [...groups],
    csrf: randomBytes(24).toString('base64url'),
    issuedAt: now.getTime(),
    expiresAt: now.getTime() + SESSION_MS,
  };
}

export function readSession(c: Context, keys: TokenKeys, now: Date): ConsoleSession | undefined {
  const session = unseal(keys, SESSION, getCookie(c, cookies(c).session), ConsoleSession);
  return session && session.expiresAt > now.getTime() ? session : undefined;
}

export function writeSession(c: Context, keys: TokenKeys, session: ConsoleSession, now: Date): void {
  put(c, cookies(c).session, seal(keys, SESSION, session), session.expiresAt - now.getTime());
}

export function clearSession(c: Context): void {
  drop(c, cookies(c).session);
}

export function readSignIn(c: Context, keys: TokenKeys, now: Date): SignInState | undefined {
  const state = unseal(keys, SIGN_IN, getCookie(c, cookies(c).signIn), SignInState);
  return state && state.expiresAt > now.getTime() ? state : undefined;
}

export function writeSignIn(c: Context, keys: TokenKeys, state: SignInState): void {
  put(c, cookies(c).signIn, seal(keys, SIGN_IN, state), SIGN_IN_MS);
}

export function clearSignIn(c: Context): void {
  drop(c, cookies(c).signIn);
}

/** Two secrets compared in constant time. */
export function sameSecret(given: unknown, expected: string): boolean {
  if (typeof given !== 'string' || given.length !== expected.length) return false;
  return timingSafeEqual(Buffer.from(given), Buffer.from(expected));
}
