import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname } from 'node:path';
import Provider, { type ClientMetadata, errors, type KoaContextWithOIDC } from 'oidc-provider';
import { z } from 'zod';
import { clubRolesFromScope, clubScope, RESOURCE_SERVER_ID } from '../core/roles.js';
import { handleInteraction } from './local-issuer-login.js';
import type { LocalUsers } from './local-users.js';
import { memoryOidcAdapter } from './memory-oidc-adapter.js';

/** The resource indicator (RFC 8707) of the marketer API at the local issuer; tokens for it are JWTs. */
export const API_RESOURCE = `urn:${RESOURCE_SERVER_ID}:api`;
export const CONSOLE_CLIENT_ID = 'club-planner-console';
/** The local client-credentials client of scripts (`npm run dev-token`): any club scope it asks for. */
export const CLI_CLIENT_ID = 'club-planner-cli';
const TOKEN_TTL_SECONDS = 3600;

const IssuerSecrets = z.object({
  signingKeys: z.array(z.record(z.string(), z.unknown())).min(1),
  cookieKeys: z.array(z.string().min(32)).min(1),
  cliClientSecret: z.string().min(32),
});
type IssuerSecrets = z.infer<typeof IssuerSecrets>;

function newSecrets(): IssuerSecrets {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk: Record<string, unknown> = {
    ...privateKey.export({ format: 'jwk' }),
    kid: randomUUID(),
    use: 'sig',
    alg: 'RS256',
  };
  return {
    signingKeys: [jwk],
    cookieKeys: [randomBytes(32).toString('base64url')],
    cliClientSecret: randomBytes(32).toString('base64url'),
  };
}

/** Signing keys and client secrets persist under `.data/` like the link keys, so tokens outlive a restart. */
function loadSecrets(file: string | undefined): IssuerSecrets {
  if (file && existsSync(file)) return IssuerSecrets.parse(JSON.parse(readFileSync(file, 'utf8')));
  const secrets = newSecrets();
  if (file) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify(secrets), { mode: 0o600 });
  }
  return secrets;
}

export interface LocalIssuerOptions {
  readonly users: LocalUsers;
  readonly port?: number;
  readonly host?: string;
  /** Where the console's sign-in returns: `<app base URL>/console/auth/callback`. */
  readonly appBaseUrl: string;
  /** Where keys and the CLI client's secret persist; generated afresh in memory when absent. */
  readonly secretsFile?: string;
}

export interface LocalIssuer {
  /** The `iss` of its tokens, e.g. http://localhost:3001 */
  readonly issuer: string;
  readonly jwksUrl: string;
  readonly tokenEndpoint: string;
  /** Where the console sends the browser to sign in (authorization code with PKCE). */
  readonly authorizationEndpoint: string;
  readonly consoleClientId: string;
  readonly consoleRedirectUri: string;
  readonly cli: { readonly clientId: string; readonly clientSecret: string };
  stop(): Promise<void>;
}

/**
 * A real OpenID Connect issuer in the process (panva's oidc-provider, docs/decisions/0028-local-oidc-issuer.md),
 * standing in for Cognito: signed RS256 JWT access tokens whose claims look like Cognito's
 * (`client_id`, `token_use: access`, `scope`, `cognito:groups`), a JWKS endpoint, the authorization
 * code grant with PKCE (S256) for the console, and client credentials for scripts, whose scopes are
 * `club-planner/club:<clubId>:<role>`. Sign-in checks the local users' passwords.
 */
export async function startLocalIssuer(options: LocalIssuerOptions): Promise<LocalIssuer> {
  const host = options.host ?? '127.0.0.1';
  const secrets = loadSecrets(options.secretsFile);
  const server = createServer();
  const port = await listen(server, options.port ?? 0, host);
  const issuer = `http://${host === '127.0.0.1' ? 'localhost' : host}:${port}`;
  const consoleRedirectUri = `${options.appBaseUrl}/console/auth/callback`;
  const { users } = options;

  const clients: ClientMetadata[] = [
    {
      client_id: CONSOLE_CLIENT_ID,
      token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code'],
      response_types: ['code'],
      redirect_uris: [consoleRedirectUri],
      post_logout_redirect_uris: [`${options.appBaseUrl}/console/`],
    },
    {
      client_id: CLI_CLIENT_ID,
      client_secret: secrets.cliClientSecret,
      token_endpoint_auth_method: 'client_secret_basic',
      grant_types: ['client_credentials'],
      response_types: [],
      redirect_uris: [],
    },
  ];

  const provider = new Provider(issuer, {
    adapter: memoryOidcAdapter(),
    clients,
    jwks: { keys: secrets.signingKeys },
    cookies: { keys: secrets.cookieKeys },
    clientBasedCORS: () => false,
    claims: { openid: ['sub'], email: ['email', 'email_verified'] },
    scopes: ['openid', 'email', 'profile'],
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => API_RESOURCE,
        useGrantedResource: () => true,
        getResourceServerInfo: (ctx, resource, client) => {
          if (resource !== API_RESOURCE) throw new errors.InvalidTarget();
          return {
            scope: grantableScopes(ctx, client.clientId),
            audience: RESOURCE_SERVER_ID,
            accessTokenTTL: TOKEN_TTL_SECONDS,
            accessTokenFormat: 'jwt',
            jwt: { sign: { alg: 'RS256' } },
          };
        },
      },
    },
    ttl: {
      AccessToken: TOKEN_TTL_SECONDS,
      ClientCredentials: TOKEN_TTL_SECONDS,
      AuthorizationCode: 60,
      IdToken: TOKEN_TTL_SECONDS,
      Interaction: 600,
      Session: 8 * 3600,
      Grant: 8 * 3600,
    },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    findAccount: (_ctx, sub) => {
      const user = users.findBySub(sub);
      if (!user) return undefined;
      return { accountId: user.sub, claims: () => ({ sub: user.sub, email: user.email, email_verified: true }) };
    },
    // The claims Cognito puts in its access tokens, so the app verifies both alike.
    extraTokenClaims: (_ctx, token) => {
      const accountId = 'accountId' in token && typeof token.accountId === 'string' ? token.accountId : undefined;
      const groups = accountId ? (users.findBySub(accountId)?.groups ?? []) : [];
      return { token_use: 'access', ...(groups.length > 0 ? { 'cognito:groups': groups } : {}) };
    },
  });

  const callback = provider.callback();
  server.on('request', (req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (path.startsWith('/interaction/')) {
      handleInteraction(provider, users, CONSOLE_CLIENT_ID, req, res, new URL(options.appBaseUrl).origin).catch(
        (error: unknown) => {
          res.statusCode = 500;
          res.end(error instanceof Error ? error.message : 'interaction failed');
        },
      );
      return;
    }
    void callback(req, res);
  });

  const discovered = z.object({ jwks_uri: z.url(), token_endpoint: z.url(), authorization_endpoint: z.url() });
  const metadata = discovered.parse(await (await fetch(`${issuer}/.well-known/openid-configuration`)).json());
  return {
    issuer,
    jwksUrl: metadata.jwks_uri,
    tokenEndpoint: metadata.token_endpoint,
    authorizationEndpoint: metadata.authorization_endpoint,
    consoleClientId: CONSOLE_CLIENT_ID,
    consoleRedirectUri,
    cli: { clientId: CLI_CLIENT_ID, clientSecret: secrets.cliClientSecret },
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/**
 * The scopes a client may have on the API: the CLI client any well-formed club scope it asks for
 * (it is local, and whoever runs it can read `.data/` anyway); the console none (a marketer's roles
 * are in the table).
 */
function grantableScopes(ctx: KoaContextWithOIDC, clientId: string): string {
  if (clientId !== CLI_CLIENT_ID) return '';
  const requested = typeof ctx.oidc.params?.scope === 'string' ? ctx.oidc.params.scope : '';
  return [...clubRolesFromScope(requested)].map(([clubId, role]) => clubScope(clubId, role)).join(' ');
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const address = server.address();
      if (address && typeof address === 'object') resolve((address satisfies AddressInfo).port);
      else reject(new Error('issuer has no port'));
    });
  });
}
