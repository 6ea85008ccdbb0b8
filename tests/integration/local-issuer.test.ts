import { createPrivateKey, randomUUID, sign } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { JwtAccessTokens } from '../../lambdas/adapters/jwt-access-tokens.js';
import { type LocalIssuer, startLocalIssuer } from '../../lambdas/adapters/local-issuer.js';
import { LocalUsers } from '../../lambdas/adapters/local-users.js';
import { clientCredentialsToken, SignInError, signInWithPkce } from '../../lambdas/runtime/oidc-client.js';

const dir = mkdtempSync(join(tmpdir(), 'club-planner-issuer-'));
const secretsFile = join(dir, 'issuer-secrets.json');
const users = new LocalUsers({ file: join(dir, 'users.json') });
let issuer: LocalIssuer;
let verifier: JwtAccessTokens;

const claimsOf = (jwt: string): Record<string, unknown> =>
  z
    .record(z.string(), z.unknown())
    .parse(JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')));

/** A JWT signed with the issuer's own private key, with any claims: what only a leaked key could make. */
function forge(claims: Record<string, unknown>, header: Record<string, unknown> = {}): string {
  const { signingKeys } = z
    .object({ signingKeys: z.array(z.record(z.string(), z.unknown())) })
    .parse(JSON.parse(readFileSync(secretsFile, 'utf8')));
  const jwk = signingKeys[0] ?? {};
  const now = Math.floor(Date.now() / 1000);
  const body = {
    iss: issuer.issuer,
    sub: randomUUID(),
    client_id: issuer.consoleClientId,
    token_use: 'access',
    iat: now,
    exp: now + 600,
    ...claims,
  };
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const input = `${encode({ alg: 'RS256', typ: 'at+jwt', kid: jwk.kid, ...header })}.${encode(body)}`;
  const key = createPrivateKey({ key: { ...jwk }, format: 'jwk' });
  return `${input}.${sign('sha256', Buffer.from(input), key).toString('base64url')}`;
}

beforeAll(async () => {
  issuer = await startLocalIssuer({ users, appBaseUrl: 'http://localhost:3999', secretsFile });
  verifier = new JwtAccessTokens({
    issuer: issuer.issuer,
    jwksUrl: issuer.jwksUrl,
    consoleClientId: issuer.consoleClientId,
    machineClientIds: [issuer.cli.clientId],
  });
  await users.upsert('ann@club.example', 'correct horse battery', ['operators']);
});
afterAll(async () => {
  await issuer?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const signIn = (password: string) =>
  signInWithPkce({
    issuer: issuer.issuer,
    clientId: issuer.consoleClientId,
    redirectUri: issuer.consoleRedirectUri,
    email: 'ann@club.example',
    password,
  });

describe('the local OIDC issuer', () => {
  it('signs a marketer in with the authorization code and PKCE, into a Cognito-shaped RS256 access token', async () => {
    const token = await signIn('correct horse battery');
    const [header] = token.split('.');
    expect(JSON.parse(Buffer.from(header ?? '', 'base64url').toString('utf8'))).toMatchObject({ alg: 'RS256' });
    expect(claimsOf(token)).toMatchObject({
      iss: issuer.issuer,
      sub: users.findByEmail('ann@club.example')?.sub,
      client_id: issuer.consoleClientId,
      token_use: 'access',
      'cognito:groups': ['operators'],
    });
    const checked = await verifier.verify(token);
    expect(checked.ok && checked.principal).toMatchObject({ kind: 'user', groups: ['operators'] });
    expect(issuer.consoleRedirectUri).toBe('http://localhost:3999/console/auth/callback');
  });

  it('refuses a wrong password, and a console request without a PKCE challenge', async () => {
    await expect(signIn('wrong horse')).rejects.toBeInstanceOf(SignInError);
    const discovery = z
      .object({ authorization_endpoint: z.url() })
      .parse(await (await fetch(`${issuer.issuer}/.well-known/openid-configuration`)).json());
    const url = new URL(discovery.authorization_endpoint);
    url.search = new URLSearchParams({
      client_id: issuer.consoleClientId,
      response_type: 'code',
      redirect_uri: issuer.consoleRedirectUri,
      scope: 'openid',
      state: 'x',
    }).toString();
    const answer = await fetch(url, { redirect: 'manual' });
    const location = new URL(answer.headers.get('location') ?? '', issuer.issuer);
    expect(location.searchParams.get('error')).toBe('invalid_request');
    expect(location.searchParams.get('error_description')).toMatch(/requires PKCE/);
  });

  it('gives scripts client-credentials tokens with the club scopes asked for, and nothing malformed', async () => {
    const token = await clientCredentialsToken({
      tokenEndpoint: issuer.tokenEndpoint,
      ...issuer.cli,
      scope: 'club-planner/club:stadsbutiken:editor club-planner/club:x:owner openid',
    });
    expect(claimsOf(token)).toMatchObject({ scope: 'club-planner/club:stadsbutiken:editor', token_use: 'access' });
    const checked = await verifier.verify(token);
    expect(checked.ok && checked.principal.kind === 'machine' && [...checked.principal.clubRoles]).toEqual([
      ['stadsbutiken', 'editor'],
    ]);
    await expect(
      clientCredentialsToken({ tokenEndpoint: issuer.tokenEndpoint, ...issuer.cli, clientSecret: 'wrong', scope: '' }),
    ).rejects.toThrow(/401/);
  });

  it('makes the app refuse, each for its reason: an expired token, an ID token, another client, another issuer, a bad signature', async () => {
    const past = Math.floor(Date.now() / 1000) - 3600;
    expect(await verifier.verify(forge({}))).toMatchObject({ ok: true });
    expect(await verifier.verify(forge({ iat: past - 60, exp: past }))).toEqual({ ok: false, why: 'expired' });
    expect(await verifier.verify(forge({ token_use: 'id' }))).toEqual({ ok: false, why: 'wrong-token-use' });
    expect(await verifier.verify(forge({ client_id: 'someone-else' }))).toEqual({ ok: false, why: 'wrong-client' });
    expect(await verifier.verify(forge({ iss: 'http://localhost:1' }))).toEqual({ ok: false, why: 'invalid' });
    const good = forge({});
    expect(await verifier.verify(`${good.slice(0, -6)}AAAAAA`)).toEqual({ ok: false, why: 'invalid' });
    expect(await verifier.verify(forge({}, { alg: 'none' }))).toMatchObject({ ok: false });
    expect(await verifier.verify('not-a-jwt')).toEqual({ ok: false, why: 'malformed' });
  });

  it('keeps its signing key under the data folder, so tokens outlive a restart', async () => {
    const token = await signIn('correct horse battery');
    const again = await startLocalIssuer({ users, appBaseUrl: 'http://localhost:3999', secretsFile });
    try {
      const keys = async (at: LocalIssuer) =>
        z.object({ keys: z.array(z.object({ kid: z.string() })) }).parse(await (await fetch(at.jwksUrl)).json()).keys;
      expect((await keys(again)).map((k) => k.kid)).toEqual((await keys(issuer)).map((k) => k.kid));
      const restarted = new JwtAccessTokens({
        issuer: issuer.issuer,
        jwksUrl: again.jwksUrl,
        consoleClientId: again.consoleClientId,
        machineClientIds: [],
      });
      expect((await restarted.verify(token)).ok).toBe(true);
    } finally {
      await again.stop();
    }
  });
});
