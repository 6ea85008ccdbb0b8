import type { Hono } from 'hono';
// hono/aws-lambda is deprecated for hono v5 in favour of @hono/aws-lambda, which the npm registry does not have yet (404).
import { handle } from 'hono/aws-lambda';
import { logLambdaContext } from '../adapters/powertools-logger.js';
import { createHttpApp } from '../http/app.js';
import { cognitoConsoleSettings } from '../http/console/settings.js';
import { ORIGIN_REFUSED, ORIGIN_VERIFY_HEADER, originVerified } from '../http/origin-verify.js';
import { isNormalPath, NOT_NORMAL_PATH } from '../http/raw-path.js';
import { lazyDeps, originVerifySecret } from '../runtime/aws-deps.js';
import { parseEnv } from '../runtime/env.js';

/**
 * API Gateway HTTP API → the same Hono app that serves locally, behind two checks of the raw event:
 * the path as sent must be normal (http/raw-path.ts: no `%2e%2e` from a public route into /api),
 * and with the WAF option, CloudFront's secret header must be there (http/origin-verify.ts).
 */
const deps = lazyDeps();
/** Read from the environment at the first request, like the deps (undefined: no WAF option). */
let originSecret: (() => Promise<string>) | undefined | null = null;
let app: Hono | undefined;

type LambdaHandler = ReturnType<typeof handle>;
type LambdaResult = Awaited<ReturnType<LambdaHandler>>;

const refusal = (answer: { status: number; body: string }): LambdaResult => ({
  statusCode: answer.status,
  body: answer.body,
  headers: { 'content-type': 'application/json; charset=UTF-8', 'cache-control': 'no-store' },
  isBase64Encoded: false,
});

export const handler = async (...args: Parameters<LambdaHandler>): Promise<LambdaResult> => {
  const [event, context] = args;
  logLambdaContext(context);
  const rawPath = 'rawPath' in event ? event.rawPath : 'path' in event ? event.path : '';
  if (!isNormalPath(rawPath)) return refusal(NOT_NORMAL_PATH);
  if (originSecret === null) originSecret = originVerifySecret();
  if (originSecret) {
    const given = Object.entries(event.headers ?? {}).find(
      ([name]) => name.toLowerCase() === ORIGIN_VERIFY_HEADER,
    )?.[1];
    if (!originVerified(given, await originSecret())) return refusal(ORIGIN_REFUSED);
  }
  app ??= createHttpApp(await deps(), { console: cognitoConsoleSettings(parseEnv()) });
  return handle(app)(...args);
};
