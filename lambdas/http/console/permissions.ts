import type { Context } from 'hono';
import type { Permission } from '../../core/roles.js';
import { endpointOf, routeKey } from '../route-policy.js';

/**
 * What each console route below a club asks of the marketer, as `http/route-policy.ts` does for the
 * API: a route not listed needs `read` for GET and `write` for anything else, so a new form is never
 * open to a viewer by omission. tests/integration/console-access.test.ts walks every console route.
 */
export const CONSOLE_PERMISSIONS: Readonly<Record<string, Permission>> = {
  // The editor and its helpers are an editor's, even to look at: a viewer sees no edit controls.
  'GET /console/clubs/:clubId/new-campaign': 'write',
  'GET /console/clubs/:clubId/campaigns/:campaignId/edit': 'write',
  'GET /console/clubs/:clubId/campaign-tools/brand-fit': 'write',
  'GET /console/clubs/:clubId/campaign-tools/offers': 'write',
  'GET /console/clubs/:clubId/new-audience': 'write',
  // Counting an audience, saved or not, writes nothing about members (as the API's estimate).
  'POST /console/clubs/:clubId/audience-tools/estimate': 'read',
  'POST /console/clubs/:clubId/campaigns/:campaignId/approve': 'approve',
  'POST /console/clubs/:clubId/campaigns/:campaignId/send-back': 'approve',
  // Working out who gets a campaign and counting its results write only the console's own snapshots.
  'POST /console/clubs/:clubId/campaigns/:campaignId/dry-run': 'read',
  'POST /console/clubs/:clubId/campaigns/:campaignId/report': 'read',
  'POST /console/clubs/:clubId/experiment/count': 'read',
  'GET /console/clubs/:clubId/settings': 'manage',
  'POST /console/clubs/:clubId/settings': 'manage',
  'POST /console/clubs/:clubId/settings/check': 'manage',
  'GET /console/clubs/:clubId/team': 'manage',
  'POST /console/clubs/:clubId/team': 'manage',
  'POST /console/clubs/:clubId/team/:userId': 'manage',
  'POST /console/clubs/:clubId/team/:userId/remove': 'manage',
  'GET /console/clubs/:clubId/audit': 'manage',
  'GET /console/clubs/:clubId/audit/export': 'manage',
};

export function consolePermission(method: string, path: string): Permission {
  const key = routeKey(method, path);
  const own = Object.hasOwn(CONSOLE_PERMISSIONS, key) ? CONSOLE_PERMISSIONS[key] : undefined;
  return own ?? (method === 'GET' || method === 'HEAD' ? 'read' : 'write');
}

/** The permission of the console route answering this request (the defaults when none does). */
export function requestPermission(c: Context): Permission {
  const endpoint = endpointOf(c);
  return consolePermission(endpoint?.method ?? c.req.method, endpoint?.path ?? '');
}
