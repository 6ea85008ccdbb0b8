import { JwtVerifier } from 'aws-jwt-verify';
import { FetchError, JwtExpiredError, JwtNotBeforeError, JwtParseError } from 'aws-jwt-verify/error';
import type { Fetcher } from 'aws-jwt-verify/https';
import { SimpleJwksCache } from 'aws-jwt-verify/jwk';
import { z } from 'zod';
import type { AccessTokenVerifier, TokenRefusal } from '../core/access-ports.js';
import { ClubPlannerError } from '../core/errors.js';
import type { Principal } from '../core/principal.js';
import { fail, ok, type Result } from '../core/result.js';
import { clubRolesFromScope } from '../core/roles.js';

/** Who may issue the tokens the API accepts, and for which app clients (env AUTH_*). */
export interface AccessTokenSettings {
  readonly issuer: string;
  readonly jwksUrl: string;
  /** The console's client: its tokens are a signed-in marketer's, whose roles are in the table. */
  readonly consoleClientId: string;
  /** Client-credentials clients: their roles are their scopes. */
  readonly machineClientIds: readonly string[];
}

/** Cognito's claims beyond the standard ones (and the local issuer's, which sets the same). */
const Claims = z.object({
  sub: z.string().min(1),
  client_id: z.string().min(1),
  token_use: z.string(),
  scope: z.string().optional(),
  'cognito:groups': z.array(z.string()).optional(),
});

class ClaimRefused extends ClubPlannerError {
  constructor(readonly why: TokenRefusal) {
    super(`access token refused: ${why}`);
    this.name = 'ClaimRefused';
  }
}

/**
 * Fetches the issuer's JWKS with the platform's fetch: https always, plain http only to this
 * machine (the local issuer). aws-jwt-verify's own fetcher speaks https only.
 */
export const jwksFetcher: Fetcher = {
  async fetch(uri) {
    const url = new URL(uri);
    const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
      throw new FetchError(uri, 'the JWKS must be fetched over https');
    }
    const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
    if (!response.ok) throw new FetchError(uri, `the JWKS answered ${response.status}`);
    return response.arrayBuffer();
  },
};

function createVerifier(settings: AccessTokenSettings, fetcher: Fetcher) {
  const clients = new Set([settings.consoleClientId, ...settings.machineClientIds]);
  return JwtVerifier.create(
    {
      issuer: settings.issuer,
      jwksUri: settings.jwksUrl,
      audience: null,
      customJwtCheck: ({ payload }) => {
        if (payload.token_use !== 'access') throw new ClaimRefused('wrong-token-use');
        if (typeof payload.client_id !== 'string' || !clients.has(payload.client_id)) {
          throw new ClaimRefused('wrong-client');
        }
      },
    },
    { jwksCache: new SimpleJwksCache({ fetcher }) },
  );
}

/**
 * The app's own check of a marketer's bearer token, the same code on AWS and locally (aws-jwt-verify):
 * the signature against the issuer's JWKS (cached, refetched for an unknown key id), the issuer,
 * expiry and not-before, `token_use` = `access` (an ID token is refused), and a `client_id` of the
 * console or a configured machine client. Cognito's access tokens carry no `aud`, so the client id
 * is the audience check, as at the API Gateway authorizer.
 */
export class JwtAccessTokens implements AccessTokenVerifier {
  private readonly verifier: ReturnType<typeof createVerifier>;

  constructor(
    private readonly settings: AccessTokenSettings,
    fetcher: Fetcher = jwksFetcher,
  ) {
    this.verifier = createVerifier(settings, fetcher);
  }

  async verify(token: string): Promise<Result<{ principal: Principal }, { why: TokenRefusal }>> {
    let payload: unknown;
    try {
      payload = await this.verifier.verify(token);
    } catch (error: unknown) {
      if (error instanceof ClaimRefused) return fail({ why: error.why });
      if (error instanceof JwtExpiredError || error instanceof JwtNotBeforeError) return fail({ why: 'expired' });
      if (error instanceof JwtParseError) return fail({ why: 'malformed' });
      // The issuer's keys could not be fetched: a fault of ours, not the caller's token.
      if (error instanceof FetchError) throw new ClubPlannerError('the JWKS could not be fetched', { cause: error });
      return fail({ why: 'invalid' });
    }
    const claims = Claims.safeParse(payload);
    if (!claims.success) return fail({ why: 'invalid' });
    const { sub, client_id: clientId, scope } = claims.data;
    if (clientId === this.settings.consoleClientId) {
      return ok({ principal: { kind: 'user', sub, clientId, groups: claims.data['cognito:groups'] ?? [] } });
    }
    return ok({ principal: { kind: 'machine', clientId, clubRoles: clubRolesFromScope(scope) } });
  }
}
