import { Logger as PowertoolsLogger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import type { Logger } from '../core/ports.js';

/** Anything shaped like an email address. */
const EMAIL = /[^\s@<>"'(),;:[\]]+@[^\s@<>"'(),;:[\]]+\.[A-Za-z]{2,}/g;
/** A signed member link's token (core/tokens.ts): key id, base64url payload, 128-bit tag. */
const TOKEN = /\b[A-Za-z0-9]{1,8}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{22}(?![A-Za-z0-9_-])/g;

/**
 * docs/reliability.md 10: no email address or member-link token reaches a log, not even inside an
 * error's message, stack or `cause` (a provider's error message may quote the recipient).
 */
export function redact(_key: string, value: unknown): unknown {
  return typeof value === 'string' ? value.replace(EMAIL, '[email]').replace(TOKEN, '[token]') : value;
}

/**
 * A Powertools logger as every function uses it: a JSON line per event with level, timestamp and service,
 * and, once a handler has passed its Lambda context, the request id, function and cold start. The
 * level comes from POWERTOOLS_LOG_LEVEL, LOG_LEVEL or Lambda's own log level (default INFO).
 */
export function createPowertoolsLogger(): PowertoolsLogger {
  return new PowertoolsLogger({ serviceName: 'club-planner', jsonReplacerFn: redact });
}

export const processLogger = createPowertoolsLogger();

/** What the logger reads of a Lambda context; hono's adapter passes its own type of it. */
type InvocationContext = Omit<Context, 'done' | 'fail' | 'succeed'>;

/** Each handler calls this first, so every line of the invocation carries its request id and cold start. */
export function logLambdaContext(context: InvocationContext | undefined): void {
  if (!context) return;
  // The deprecated callbacks are never called by the logger.
  processLogger.addContext({ ...context, done: () => {}, fail: () => {}, succeed: () => {} });
}

/**
 * The Logger port on Powertools: `fields` become keys of the line, and an Error among them is
 * written with its name, message, stack and `cause` (Powertools' formatError).
 */
export function powertoolsLogger(base: Record<string, unknown> = {}, logger: PowertoolsLogger = processLogger): Logger {
  return {
    info: (message, fields) => logger.info(message, { ...base, ...fields }),
    warn: (message, fields) => logger.warn(message, { ...base, ...fields }),
    error: (message, fields) => logger.error(message, { ...base, ...fields }),
  };
}
