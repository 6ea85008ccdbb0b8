import type { Context, MiddlewareHandler } from 'hono';
import type { AccessTokenVerifier } from '../../core/access-ports.js';
import type { Logger } from '../../core/ports.js';
import './context.js';

/** RFC 6750: a missing token gets the challenge; a bad one also says `invalid_token`. */
const REALM = 'Bearer realm="club-planner"';

function unauthorized(c: Context, message: string, invalid: boolean): Response {
  c.header('WWW-Authenticate', invalid ? `${REALM}, error="invalid_token"` : REALM);
  c.header('Cache-Control', 'no-store');
  return c.json({ error: 'unauthorized', message }, 401);
}

/**
 * Every marketer route needs a bearer access token, verified here in the app whatever stood in
 * front (API Gateway's JWT authorizer on AWS, nothing locally): so no path trick that reaches the
 * app's /api routes reaches them without a token. The caller becomes `c.get('principal')`.
 */
export function bearerAuth(deps: {
  readonly accessTokens: AccessTokenVerifier;
  readonly log: Logger;
}): MiddlewareHandler {
  return async (c, next) => {
    const header = c.req.header('authorization');
    if (!header) return unauthorized(c, 'Sign in: send Authorization: Bearer <access token>.', false);
    const match = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/i.exec(header.trim());
    if (!match?.[1]) return unauthorized(c, 'The Authorization header must be "Bearer <access token>".', true);
    const checked = await deps.accessTokens.verify(match[1]);
    if (!checked.ok) {
      deps.log.info('access token refused', { why: checked.why });
      return unauthorized(c, 'The access token is invalid or expired.', true);
    }
    c.set('principal', checked.principal);
    return next();
  };
}
