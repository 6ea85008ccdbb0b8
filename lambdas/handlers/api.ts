import type { Hono } from 'hono';
import { handle } from 'hono/aws-lambda';
import { logLambdaContext } from '../adapters/powertools-logger.js';
import { createHttpApp } from '../http/app.js';
import { lazyDeps } from '../runtime/aws-deps.js';

/** API Gateway HTTP API → the same Hono app that serves locally. */
const deps = lazyDeps();
let app: Hono | undefined;

type LambdaHandler = ReturnType<typeof handle>;

export const handler = async (...args: Parameters<LambdaHandler>): Promise<Awaited<ReturnType<LambdaHandler>>> => {
  logLambdaContext(args[1]);
  app ??= createHttpApp(await deps());
  return handle(app)(...args);
};
