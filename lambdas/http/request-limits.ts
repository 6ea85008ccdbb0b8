import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { requestPolicy } from './route-policy.js';

const readableSize = (bytes: number) =>
  bytes >= 1024 * 1024 ? `${Math.round((bytes / 1024 / 1024) * 10) / 10} MiB` : `${Math.round(bytes / 1024)} KiB`;

/**
 * Every request's body against its route's limit (route-policy.ts): 413 naming the limit, before the
 * body is read whole. A declared Content-Length is judged at once; a chunked body is counted as it
 * streams and cut off at the limit.
 */
export function bodyLimits(): MiddlewareHandler {
  return async (c, next) => {
    const { bodyLimit: maxSize } = requestPolicy(c);
    return bodyLimit({
      maxSize,
      onError: (ctx) =>
        ctx.json(
          { error: 'payload-too-large', message: `(body): larger than this route's ${readableSize(maxSize)}` },
          413,
        ),
    })(c, next);
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
