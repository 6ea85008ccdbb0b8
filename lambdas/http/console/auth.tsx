import { createHash, randomBytes } from 'node:crypto';
import { Hono } from 'hono';
import { z } from 'zod';
import type { Deps } from '../../app/deps.js';
import { requestOf } from './context.js';
import { Page } from './layout.js';
import { messagePage, page } from './respond.js';
import {
  clearSession,
  clearSignIn,
  newSession,
  readSession,
  readSignIn,
  SIGN_IN_MS,
  sameSecret,
  writeSession,
  writeSignIn,
} from './session.js';
import type { ConsoleSettings } from './settings.js';

const TokenAnswer = z.object({ access_token: z.string().min(1) });

/** Only a console page may be where sign-in returns: never another site, never a scheme-relative `//host`. */
export function safeReturn(value: string | undefined): string {
  const ours = (path: string) => /^\/console(\/|$)/.test(path);
  if (!value || !ours(value.split('?')[0] ?? '') || /[\\\s]/.test(value)) return '/console/';
  const url = new URL(value, 'http://console.invalid');
  return url.origin === 'http://console.invalid' && ours(url.pathname) ? `${url.pathname}${url.search}` : '/console/';
}

/**
 * Sign-in with the authorization code and PKCE (RFC 7636, S256) against the issuer, a public client
 * with no secret: Cognito's hosted UI on AWS, the local issuer under npm start. The verifier and
 * state live in a sealed cookie for ten minutes; the code is exchanged here, server to server, and
 * the access token is verified exactly as the API verifies bearer tokens before a session is made.
 */
export function authRoutes(
  deps: Pick<Deps, 'accessTokens' | 'tokenKeys' | 'clock' | 'log'>,
  settings: ConsoleSettings,
): Hono {
  const routes = new Hono();

  routes.get('/auth/sign-in', async (c) => {
    const verifier = randomBytes(32).toString('base64url');
    const state = randomBytes(24).toString('base64url');
    const now = deps.clock.now();
    writeSignIn(c, await deps.tokenKeys(), {
      state,
      verifier,
      returnTo: safeReturn(c.req.query('return')),
      expiresAt: now.getTime() + SIGN_IN_MS,
    });
    const url = new URL(settings.authorizeUrl);
    url.search = new URLSearchParams({
      client_id: settings.clientId,
      response_type: 'code',
      redirect_uri: settings.redirectUri,
      scope: 'openid email',
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
      state,
    }).toString();
    return c.redirect(url.toString(), 302);
  });

  routes.get('/auth/callback', async (c) => {
    const { copy } = requestOf(c);
    const keys = await deps.tokenKeys();
    const now = deps.clock.now();
    const flight = readSignIn(c, keys, now);
    clearSignIn(c);
    const code = c.req.query('code');
    const failed = () =>
      messagePage(c, copy.signInFailedTitle, copy.signInFailed, 400, {
        href: '/console/auth/sign-in',
        text: copy.signIn,
      });
    if (!flight || !code || !sameSecret(c.req.query('state'), flight.state)) {
      deps.log.info('console sign-in refused', {
        why: flight ? 'state' : 'no sign-in in flight',
        error: c.req.query('error'),
      });
      return failed();
    }
    const answer = await fetch(settings.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        redirect_uri: settings.redirectUri,
        client_id: settings.clientId,
        code_verifier: flight.verifier,
      }),
      signal: AbortSignal.timeout(10_000),
    });
    const token = TokenAnswer.safeParse(answer.ok ? await answer.json() : undefined);
    if (!token.success) {
      deps.log.warn('console code exchange refused', { status: answer.status });
      return failed();
    }
    const checked = await deps.accessTokens.verify(token.data.access_token);
    if (!checked.ok || checked.principal.kind !== 'user' || checked.principal.clientId !== settings.clientId) {
      deps.log.warn('console sign-in token refused', { why: checked.ok ? 'not a console user' : checked.why });
      return failed();
    }
    writeSession(c, keys, newSession(checked.principal.sub, checked.principal.groups, now), now);
    return c.redirect(flight.returnTo, 303);
  });

  routes.post('/auth/sign-out', async (c) => {
    const session = readSession(c, await deps.tokenKeys(), deps.clock.now());
    const body = await c.req.parseBody();
    // Only this session's own form signs it out: another site cannot log a marketer out.
    if (session && !sameSecret(body._csrf, session.csrf)) return c.redirect('/console/', 303);
    clearSession(c);
    return c.redirect(settings.logoutUrl ?? '/console/signed-out', 303);
  });

  routes.get('/signed-out', (c) => {
    const req = requestOf(c);
    return page(
      c,
      <Page req={req} title={req.copy.signedOutTitle}>
        <p>{req.copy.signedOut}</p>
        <p>
          <a href="/console/auth/sign-in">{req.copy.signIn}</a>
        </p>
      </Page>,
    );
  });

  return routes;
}
