import type { APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { LambdaEvent } from 'hono/aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { signToken, type TokenKeys } from '../../lambdas/core/tokens.js';
import { callApi, type Harness, startHarness, uniqueId } from '../support/local-harness.js';
import { memberRecord } from '../support/member-records.js';
import { SecretsManagerStandIn } from '../support/secrets-manager-stand-in.js';

/**
 * The deployed api function's own handler (lambdas/handlers/api.ts), driven with API Gateway HTTP API
 * (payload 2.0) events as the gateway sends them, against the harness's DynamoDB emulator and issuer.
 */
let h: Harness;
const secretsManager = new SecretsManagerStandIn();
const clubId = uniqueId('lambda');
const email = 'm001@lambda-member.example';

type Handler = (event: LambdaEvent, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;

const context: Context = {
  callbackWaitsForEmptyEventLoop: false,
  functionName: 'ClubPlanner-Api',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:eu-north-1:123456789012:function:ClubPlanner-Api',
  memoryLimitInMB: '512',
  awsRequestId: 'req-1',
  logGroupName: '/aws/lambda/ClubPlanner-Api',
  logStreamName: 'stream',
  getRemainingTimeInMillis: () => 10_000,
  done: () => {},
  fail: () => {},
  succeed: () => {},
};

/** An event as API Gateway builds it for `routeKey`, with the raw path exactly as the client sent it. */
function event(
  routeKey: string,
  method: string,
  rawPath: string,
  headers: Record<string, string> = {},
  pathParameters: Record<string, string> = {},
): LambdaEvent {
  return {
    body: null,
    version: '2.0',
    routeKey,
    rawPath,
    rawQueryString: '',
    headers: { host: 'abc123.execute-api.eu-north-1.amazonaws.com', 'user-agent': 'test', ...headers },
    requestContext: {
      accountId: '123456789012',
      apiId: 'abc123',
      authentication: null,
      authorizer: {},
      domainName: 'abc123.execute-api.eu-north-1.amazonaws.com',
      domainPrefix: 'abc123',
      http: { method, path: rawPath, protocol: 'HTTP/1.1', sourceIp: '203.0.113.9', userAgent: 'test' },
      requestId: uniqueId('req'),
      routeKey,
      stage: '$default',
      time: '01/Mar/2026:09:00:00 +0000',
      timeEpoch: Date.now(),
    },
    pathParameters,
    isBase64Encoded: false,
  };
}

function keysJson(keys: TokenKeys): string {
  return JSON.stringify({ current: keys.current, ...keys.keys });
}

/** The handler module as a fresh container would load it, with `env` as its environment. */
async function coldStart(env: Record<string, string | undefined>): Promise<Handler> {
  vi.resetModules();
  for (const name of ['TOKEN_KEYS', 'TOKEN_SECRET_ARN', 'ORIGIN_VERIFY_SECRET_ARN', 'POWERTOOLS_PARAMETERS_MAX_AGE']) {
    delete process.env[name];
  }
  const { issuer } = h.identity;
  Object.assign(process.env, {
    TABLE_NAME: 'club-planner',
    DYNAMODB_ENDPOINT: h.urls.dynamodb,
    AWS_REGION: 'eu-north-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    POWERTOOLS_LOG_LEVEL: 'SILENT',
    PUBLIC_BASE_URL: h.urls.http,
    SUPPRESSION_KEY: 'a-suppression-key-of-at-least-32-characters',
    AUTH_ISSUER: issuer.issuer,
    AUTH_JWKS_URL: issuer.jwksUrl,
    AUTH_CONSOLE_CLIENT_ID: issuer.consoleClientId,
    AUTH_MACHINE_CLIENT_IDS: issuer.cli.clientId,
  });
  for (const [name, value] of Object.entries(env)) if (value !== undefined) process.env[name] = value;
  const module = await import('../../lambdas/handlers/api.js');
  return (e, c) =>
    module.handler(e, c).then((result) => (typeof result === 'object' ? result : { body: String(result) }));
}

const savedEnv = { ...process.env };

beforeAll(async () => {
  h = await startHarness();
  const sm = await secretsManager.start();
  process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER = sm;
  const created = await callApi(h.urls.http, 'PUT', `/clubs/${clubId}`, {
    name: 'Lambda Grocer',
    language: 'en',
    senderName: 'Lambda Grocer',
    senderEmail: 'club@lambda.example',
    postalAddress: 'High Street 1, London',
    brand: { primaryEmotion: 'community', colours: { primary: '#1d6b3a', background: '#ffffff', text: '#111111' } },
  });
  expect(created.status).toBe(201);
  const member = memberRecord('m001', email, { firstName: 'Mia' });
  expect((await callApi(h.urls.http, 'POST', `/clubs/${clubId}/members`, { members: [member] })).status).toBe(200);
  await h.deps.sending.open(
    { kind: 'club', clubId },
    { state: 'open', reason: 'bounce-rate', openedAt: h.clock.now().toISOString() },
  );
});
afterAll(async () => {
  process.env = savedEnv;
  await secretsManager.stop();
  await h?.stop();
});

const exportPath = () => `/api/clubs/${clubId}/members/m001/export`;
const traversal = (target: string) => `/p/x/%2e%2e/%2e%2e${target}`;
const publicRoute = (rawPath: string) => ({ token: 'x', proxy: rawPath.split('/').slice(3).join('/') });

describe('the api function behind API Gateway', () => {
  it('serves the marketer API to a bearer token, and answers 401 without one: auth is in the app', async () => {
    const handler = await coldStart({ TOKEN_KEYS: keysJson(h.tokenKeys) });
    const bearer = { authorization: `Bearer ${await h.machineToken({ [clubId]: 'admin' })}` };
    const served = await handler(event('ANY /api/{proxy+}', 'GET', exportPath(), bearer), context);
    expect(served.statusCode).toBe(200);
    expect(served.body).toContain(email);
    const anonymous = await handler(event('ANY /api/{proxy+}', 'GET', exportPath()), context);
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.body).not.toContain(email);
  });

  it('refuses %2e%2e segments on the public /p/{token}/{proxy+} route: no export, no resume', async () => {
    const handler = await coldStart({ TOKEN_KEYS: keysJson(h.tokenKeys) });
    const bearer = { authorization: `Bearer ${await h.machineToken({ [clubId]: 'admin' })}` };
    for (const headers of [{}, bearer]) {
      const raw = traversal(exportPath());
      const exported = await handler(event('ANY /p/{token}/{proxy+}', 'GET', raw, headers, publicRoute(raw)), context);
      expect(exported.statusCode).toBe(400);
      expect(exported.body).not.toContain(email);
      const resume = traversal(`/api/clubs/${clubId}/sending/resume`);
      const resumed = await handler(
        event('ANY /p/{token}/{proxy+}', 'POST', resume, headers, publicRoute(resume)),
        context,
      );
      expect(resumed.statusCode).toBe(400);
    }
    for (const raw of [
      `/p/x/../..${exportPath()}`,
      `/p/x/%2E%2E/%2e%2E${exportPath()}`,
      `/p/x\\..\\..${exportPath()}`,
    ]) {
      expect((await handler(event('ANY /p/{token}/{proxy+}', 'GET', raw), context)).statusCode, raw).toBe(400);
    }
    // The club's pause was not lifted by any of them.
    expect((await h.deps.sending.read(clubId)).club?.state).toBe('open');
  });

  it('answers key ids __proto__, constructor and toString like any bad link: 404, the same bytes, no 500', async () => {
    const handler = await coldStart({ TOKEN_KEYS: keysJson(h.tokenKeys) });
    const token = signToken(h.tokenKeys, { purpose: 'preferences', clubId, memberId: 'm001' }, h.clock.now());
    const [, payload, tag] = token.split('.');
    const page = async (kid: string) => {
      const result = await handler(event('GET /p/{token}', 'GET', `/p/${kid}.${payload}.${tag}`), context);
      return `${result.statusCode} ${result.body}`;
    };
    const random = await page('zz9');
    expect(random.startsWith('404 ')).toBe(true);
    for (const kid of ['__proto__', 'constructor', 'toString']) expect(await page(kid), kid).toBe(random);
  });

  it("with the WAF option, refuses every request without CloudFront's origin header, compared in full", async () => {
    secretsManager.secrets.set('origin-verify', 'a-48-character-value-cloudfront-sends-to-the-api');
    const handler = await coldStart({ TOKEN_KEYS: keysJson(h.tokenKeys), ORIGIN_VERIFY_SECRET_ARN: 'origin-verify' });
    const health = (headers: Record<string, string>) =>
      handler(event('GET /health', 'GET', '/health', headers), context);
    expect((await health({})).statusCode).toBe(403);
    expect((await health({ 'x-origin-verify': 'a-48-character-value-cloudfront-sends-to-the-apI' })).statusCode).toBe(
      403,
    );
    expect((await health({ 'x-origin-verify': 'a-48-character-value' })).statusCode).toBe(403);
    const through = await health({ 'x-origin-verify': 'a-48-character-value-cloudfront-sends-to-the-api' });
    expect(through.statusCode).toBe(200);
  });

  it('reads the link keys from Secrets Manager on use, and a rotated key reaches the warm container after the maximum age', async () => {
    const k1 = 'first-link-key-of-at-least-32-characters';
    const k2 = 'second-link-key-of-at-least-32-characters';
    secretsManager.secrets.set('token-keys', JSON.stringify({ current: 'r1', r1: k1 }));
    secretsManager.reads = 0;
    const handler = await coldStart({
      TOKEN_SECRET_ARN: 'token-keys',
      POWERTOOLS_PARAMETERS_MAX_AGE: '1',
    });
    expect(secretsManager.reads, 'nothing is read at a cold start').toBe(0);
    const rotated: TokenKeys = { current: 'r2', keys: { r1: k1, r2: k2 } };
    const link = (keys: TokenKeys) =>
      `/p/${signToken(keys, { purpose: 'preferences', clubId, memberId: 'm001' }, h.clock.now())}`;
    const page = async (path: string) => (await handler(event('GET /p/{token}', 'GET', path), context)).statusCode;

    expect(await page(link({ current: 'r1', keys: { r1: k1 } }))).toBe(200);
    const newLink = link(rotated);
    expect(await page(newLink)).toBe(404);
    expect(secretsManager.reads, 'read once, then from the cache').toBe(1);
    secretsManager.secrets.set('token-keys', JSON.stringify({ current: 'r2', r1: k1, r2: k2 }));
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect(await page(newLink)).toBe(200);
    expect(await page(link({ current: 'r1', keys: { r1: k1 } })), 'old links keep working').toBe(200);
  });
});
