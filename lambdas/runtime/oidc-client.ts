import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { ClubPlannerError } from '../core/errors.js';

/**
 * A small OAuth client for scripts and tests against the local issuer (or any issuer): client
 * credentials, and the authorization code grant with PKCE driven the way a browser would (following
 * redirects, keeping the issuer's cookies, posting the sign-in form). Nothing here is faked: the
 * tokens come out of the issuer's own token endpoint.
 */

const TokenAnswer = z.object({ access_token: z.string().min(1), token_type: z.string(), expires_in: z.number() });
const Discovery = z.object({ authorization_endpoint: z.url(), token_endpoint: z.url() });

export class SignInError extends ClubPlannerError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'SignInError';
  }
}

async function tokenFrom(response: Response): Promise<string> {
  const text = await response.text();
  if (!response.ok) throw new SignInError(`the token endpoint answered ${response.status}: ${text}`);
  return TokenAnswer.parse(JSON.parse(text)).access_token;
}

/** An access token for a client-credentials client, with the scopes asked for (space-separated). */
export async function clientCredentialsToken(request: {
  tokenEndpoint: string;
  clientId: string;
  clientSecret: string;
  scope: string;
}): Promise<string> {
  const basic = Buffer.from(
    `${encodeURIComponent(request.clientId)}:${encodeURIComponent(request.clientSecret)}`,
  ).toString('base64');
  const response = await fetch(request.tokenEndpoint, {
    method: 'POST',
    headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', scope: request.scope }),
  });
  return tokenFrom(response);
}

/** The issuer's cookies, as a browser would keep them for its origin. */
class CookieJar {
  private readonly cookies = new Map<string, string>();

  take(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';');
      const at = pair.indexOf('=');
      if (at < 1) continue;
      const name = pair.slice(0, at).trim();
      const expired = attributes.some((a) => /^\s*max-age=0\s*$/i.test(a));
      if (expired) this.cookies.delete(name);
      else this.cookies.set(name, pair.slice(at + 1).trim());
    }
  }

  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }
}

/**
 * A marketer's access token through the authorization code grant with PKCE (S256), as the console
 * will get one: to the authorization endpoint, through the issuer's sign-in form with `email` and
 * `password`, back to `redirectUri` with a code, and the code and verifier to the token endpoint.
 */
export async function signInWithPkce(request: {
  issuer: string;
  clientId: string;
  redirectUri: string;
  email: string;
  password: string;
}): Promise<string> {
  const discovery = Discovery.parse(await (await fetch(`${request.issuer}/.well-known/openid-configuration`)).json());
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const state = randomBytes(16).toString('base64url');
  const start = new URL(discovery.authorization_endpoint);
  start.search = new URLSearchParams({
    client_id: request.clientId,
    response_type: 'code',
    redirect_uri: request.redirectUri,
    scope: 'openid email',
    code_challenge: challenge,
    code_challenge_method: 'S256',
    state,
  }).toString();

  const jar = new CookieJar();
  let next: { url: string; init?: RequestInit } = { url: start.toString() };
  for (let hop = 0; hop < 12; hop++) {
    const response = await fetch(next.url, {
      ...next.init,
      redirect: 'manual',
      headers: { ...(next.init?.headers ?? {}), cookie: jar.header() },
    });
    jar.take(response);
    const location = response.headers.get('location');
    if (response.status === 401) throw new SignInError(`sign-in refused for ${request.email}`);
    if (!location) {
      const interaction = /\/interaction\/[^/?#]+$/.exec(new URL(next.url).pathname);
      if (response.ok && interaction) {
        // The sign-in form: post the address and password, as a person would.
        next = {
          url: `${next.url}/login`,
          init: {
            method: 'POST',
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            body: new URLSearchParams({ email: request.email, password: request.password }).toString(),
          },
        };
        continue;
      }
      throw new SignInError(`sign-in stopped at ${new URL(next.url).pathname} with ${response.status}`);
    }
    const target = new URL(location, next.url);
    if (target.toString().startsWith(request.redirectUri)) {
      const code = target.searchParams.get('code');
      if (target.searchParams.get('state') !== state || !code) {
        throw new SignInError(`the issuer returned without a code: ${target.searchParams.get('error') ?? '?'}`);
      }
      const token = await fetch(discovery.token_endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'authorization_code',
          code,
          redirect_uri: request.redirectUri,
          client_id: request.clientId,
          code_verifier: verifier,
        }),
      });
      return tokenFrom(token);
    }
    next = { url: target.toString() };
  }
  throw new SignInError('sign-in took too many redirects');
}
