import type { Context } from 'hono';
import { matchedRoutes } from 'hono/route';
import type { Permission } from '../core/roles.js';

/**
 * What each HTTP route asks, in one place: the permission a caller needs on the club, the largest
 * body it takes and the media types of that body. A route not listed gets the defaults, so a new
 * route is never open by omission: a GET needs `read`, any other method `write`, a body is JSON of
 * at most DEFAULT_BODY_LIMIT bytes. The table-driven test (tests/integration/route-access.test.ts)
 * walks every route of the app against this.
 */
export interface RoutePolicy {
  readonly permission: Permission;
  /** Bytes; a larger body gets 413 before it is read whole. */
  readonly bodyLimit: number;
  /** The media types a body may have (lower case, without parameters). */
  readonly bodyTypes: readonly string[];
}

const KIB = 1024;
const MIB = 1024 * KIB;

/** Every body without a limit of its own: far above any club, campaign or theme, far below a flood. */
export const DEFAULT_BODY_LIMIT = 256 * KIB;
const JSON_BODY = ['application/json'] as const;

/** The documented upload types of `POST …/purchases` (README). */
export const PURCHASE_UPLOAD_TYPES = [
  'text/csv',
  'application/x-ndjson',
  'application/jsonl',
  'application/jsonlines',
  'application/x-jsonlines',
] as const;

/** Routes that differ from the defaults, by `METHOD path` as the app registers them. */
export const ROUTE_POLICIES: Readonly<Record<string, Partial<RoutePolicy>>> = {
  // Club settings, the team and the audit trail are the admin's.
  'PUT /api/clubs/:clubId': { permission: 'manage' },
  'POST /api/clubs/:clubId/sending/resume': { permission: 'manage' },
  'GET /api/clubs/:clubId/team': { permission: 'manage' },
  'POST /api/clubs/:clubId/team': { permission: 'manage' },
  'PUT /api/clubs/:clubId/team/:userId': { permission: 'manage' },
  'DELETE /api/clubs/:clubId/team/:userId': { permission: 'manage' },
  'GET /api/clubs/:clubId/audit': { permission: 'manage' },
  'GET /api/clubs/:clubId/audit/export': { permission: 'manage' },
  // Deciding on a campaign is the approver's (and never on one they wrote: app/campaign-approval.ts).
  'POST /api/clubs/:clubId/campaigns/:campaignId/approve': { permission: 'approve' },
  'POST /api/clubs/:clubId/campaigns/:campaignId/send-back': { permission: 'approve' },
  // A dry-run computes and writes nothing: a reader's.
  'POST /api/clubs/:clubId/campaigns/:campaignId/dry-run': { permission: 'read' },
  // Bulk data: about 2,000 member records, or a file of receipts (Lambda takes 6 MB at most).
  'POST /api/clubs/:clubId/members': { bodyLimit: 2 * MIB },
  'POST /api/clubs/:clubId/purchases': { bodyLimit: 5 * MIB, bodyTypes: PURCHASE_UPLOAD_TYPES },
  'PUT /api/clubs/:clubId/products': { bodyLimit: 1 * MIB },
  'PUT /api/clubs/:clubId/offers': { bodyLimit: 1 * MIB },
  // The member pages post small forms only.
  'POST /u/:token': { bodyLimit: 16 * KIB },
  'POST /p/:token': { bodyLimit: 16 * KIB },
  'POST /p/:token/unsubscribe': { bodyLimit: 16 * KIB },
  'POST /p/:token/erase': { bodyLimit: 16 * KIB },
};

export function routeKey(method: string, path: string): string {
  return `${method.toUpperCase()} ${path}`;
}

export function policyOf(method: string, path: string): RoutePolicy {
  const key = routeKey(method, path);
  const own = Object.hasOwn(ROUTE_POLICIES, key) ? ROUTE_POLICIES[key] : undefined;
  return {
    permission: own?.permission ?? (method === 'GET' || method === 'HEAD' ? 'read' : 'write'),
    bodyLimit: own?.bodyLimit ?? DEFAULT_BODY_LIMIT,
    bodyTypes: own?.bodyTypes ?? JSON_BODY,
  };
}

/**
 * The route that will answer this request (method and path as registered), seen from a middleware:
 * the last matched handler that is not middleware. Undefined when no route matches (a 404).
 */
export function endpointOf(c: Context): { method: string; path: string } | undefined {
  const route = matchedRoutes(c).findLast((r) => r.method !== 'ALL');
  return route ? { method: route.method, path: route.path } : undefined;
}

/** The policy of the route answering this request; the defaults when none does. */
export function requestPolicy(c: Context): RoutePolicy & { readonly key: string | undefined } {
  const endpoint = endpointOf(c);
  const policy = policyOf(endpoint?.method ?? c.req.method, endpoint?.path ?? '');
  return { ...policy, key: endpoint ? routeKey(endpoint.method, endpoint.path) : undefined };
}
