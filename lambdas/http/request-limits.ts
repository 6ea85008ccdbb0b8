import type { Context, MiddlewareHandler, Next } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { ApiError } from './api-error.js';
import { type RoutePolicy, requestPolicy } from './route-policy.js';

const KIB = 1024;
const MIB = 1024 * KIB;
const GIB = 1024 * MIB;
const tenths = (n: number) => Math.round(n * 10) / 10;
const readableSize = (bytes: number) =>
  bytes >= GIB
    ? `${tenths(bytes / GIB)} GiB`
    : bytes >= MIB
      ? `${tenths(bytes / MIB)} MiB`
      : `${Math.round(bytes / KIB)} KiB`;

/** The 413 of a route: its limit, and where bigger bodies go when the route says. */
export function payloadTooLarge(policy: Pick<RoutePolicy, 'bodyLimit' | 'overLimit'>): ApiError {
  const advice = policy.overLimit ? `; ${policy.overLimit}` : '';
  return new ApiError(
    413,
    'payload-too-large',
    `(body): larger than this route's ${readableSize(policy.bodyLimit)}${advice}`,
  );
}

const answer = (c: Context, error: ApiError) => c.json({ error: error.code, message: error.message }, error.status);

/**
 * A route that streams its body on (route-policy.ts `streamsBody`): a declared Content-Length is
 * judged at once; a chunked body is counted as it passes and errors with the 413 once it is over the
 * limit, so the route's write fails (and answers 413 through the app's error handler) without the
 * body ever being held in memory.
 */
function countedBody(c: Context, next: Next, policy: RoutePolicy) {
  const body = c.req.raw.body;
  if (!body) return next();
  const headers = c.req.raw.headers;
  const declared = headers.get('content-length');
  if (declared !== null && !headers.has('transfer-encoding'))
    return Number.parseInt(declared, 10) > policy.bodyLimit ? answer(c, payloadTooLarge(policy)) : next();
  let size = 0;
  const counter = new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      size += chunk.byteLength;
      if (size > policy.bodyLimit) controller.error(payloadTooLarge(policy));
      else controller.enqueue(chunk);
    },
  });
  c.req.raw = new Request(c.req.raw, { body: body.pipeThrough(counter), duplex: 'half' });
  return next();
}

/**
 * Every request's body against its route's limit (route-policy.ts): 413 naming the limit, before the
 * body is read whole. A declared Content-Length is judged at once; a chunked body is counted as it
 * arrives and cut off at the limit (held in memory up to it, except on routes that stream their body
 * on). `policyOf` is the route table; tests give their own.
 */
export function bodyLimits(policyOf: (c: Context) => RoutePolicy = requestPolicy): MiddlewareHandler {
  return async (c, next) => {
    const policy = policyOf(c);
    if (policy.streamsBody) return countedBody(c, next, policy);
    return bodyLimit({ maxSize: policy.bodyLimit, onError: (ctx) => answer(ctx, payloadTooLarge(policy)) })(c, next);
  };
}

/** The media type of a request, lower case and without parameters. */
export function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

function hasBody(headers: Headers): boolean {
  const length = headers.get('content-length');
  return headers.has('transfer-encoding') || (length !== null && length !== '0');
}

/**
 * The marketer API reads JSON, or the documented upload types of a route (route-policy.ts). A write
 * whose body has another type, `text/plain` and form posts among them (what a foreign web page can
 * send without a CORS preflight), gets 415 and is never read. A write without a body needs no type.
 */
export function jsonBodies(): MiddlewareHandler {
  return async (c, next) => {
    const method = c.req.method;
    if (method === 'GET' || method === 'HEAD' || method === 'OPTIONS' || !hasBody(c.req.raw.headers)) return next();
    const { bodyTypes } = requestPolicy(c);
    const type = mediaType(c.req.header('content-type'));
    if (bodyTypes.includes(type)) return next();
    return c.json(
      {
        error: 'unsupported-media-type',
        message: `content-type: send ${bodyTypes.join(' or ')}${type ? `, not ${type}` : ''}`,
      },
      415,
    );
  };
}
