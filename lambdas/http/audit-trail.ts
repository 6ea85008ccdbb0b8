import type { MiddlewareHandler } from 'hono';
import type { Deps } from '../app/deps.js';
import { principalId } from '../core/principal.js';
import { principalOf } from './auth/context.js';
import { requestPolicy } from './route-policy.js';

/** The API Gateway request id (or none locally), to find the access-log line of an entry. */
function requestIdOf(event: unknown): string | undefined {
  if (typeof event !== 'object' || event === null || !('requestContext' in event)) return undefined;
  const context = event.requestContext;
  if (typeof context !== 'object' || context === null || !('requestId' in context)) return undefined;
  return typeof context.requestId === 'string' ? context.requestId : undefined;
}

/**
 * The ids of a route's path, but a member's: the trail holds no member data (core/audit.ts), and an
 * erasure must leave nothing with the member's id behind (docs/retention.md). The entry says who
 * erased a member and when; the suppression list keeps the keyed hash of the address.
 */
function withoutMemberIds(params: Record<string, string>): Record<string, string> {
  const { memberId: _memberId, ...rest } = params;
  return rest;
}

/**
 * Every action on a club that changed something goes into its audit trail (core/audit.ts), after
 * it succeeded: who, which route with which ids, when, the answer's status, and the record before
 * and after when the route noted them (auth/context.ts `noteChange`). Routes that only read (every
 * `read` route, the dry-run among them) are not recorded.
 */
export function auditTrail(deps: Pick<Deps, 'audit' | 'clock' | 'log'>): MiddlewareHandler {
  return async (c, next) => {
    await next();
    const policy = requestPolicy(c);
    if (policy.permission === 'read' || !policy.key || c.res.status >= 400) return;
    const clubId = c.req.param('clubId');
    if (!clubId) return;
    const change = c.get('change');
    const requestId = requestIdOf(c.env?.event);
    const entry = {
      clubId,
      at: deps.clock.now().toISOString(),
      actor: principalId(principalOf(c)),
      action: policy.key.replace(' /api/', ' /'),
      // After next(), the params are the answering route's: the campaign or team member acted on.
      target: withoutMemberIds(c.req.param()),
      status: c.res.status,
      ...(change?.before === undefined ? {} : { before: change.before }),
      ...(change?.after === undefined ? {} : { after: change.after }),
      ...(requestId ? { requestId } : {}),
    };
    try {
      await deps.audit.record(entry);
    } catch (error: unknown) {
      // The action is done and answered; a lost entry is an alarm for operators, not a 500 to retry.
      deps.log.error('audit entry not recorded', { clubId, action: entry.action, actor: entry.actor, error });
    }
  };
}
