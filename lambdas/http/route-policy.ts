import type { Context } from 'hono';
import { matchedRoutes } from 'hono/route';
import type { Permission } from '../core/roles.js';

/**
 * What each HTTP route asks, in one place: the permission a caller needs on the club, the largest
 * body it takes and the media types of that body. A route not listed gets the defaults, so a new
 * route is never open by omission: a GET needs `read`, any other method `write`, a body is JSON of
 * at most DEFAULT_BODY_LIMIT bytes. The table-driven test (tests/unit/http/route-access.test.ts)
 * walks every route of the app against this.
 */
export interface RoutePolicy {
  readonly permission: Permission;
  /** Bytes; a larger body gets 413 before it is read whole. */
  readonly bodyLimit: number;
  /** The media types a body may have (lower case, without parameters). */
  readonly bodyTypes: readonly string[];
  /**
   * The route streams its body on (to a file) instead of reading it whole: a chunked body is counted
   * as it passes and cut off at the limit, never buffered (request-limits.ts).
   */
  readonly streamsBody?: true;
  /** What the 413 tells a caller whose body is over the limit to do instead. */
  readonly overLimit?: string;
}

const KIB = 1024;
const MIB = 1024 * KIB;
const GIB = 1024 * MIB;

/** Every body without a limit of its own: far above any club, campaign or theme, far below a flood. */
export const DEFAULT_BODY_LIMIT = 256 * KIB;
const JSON_BODY = ['application/json'] as const;

/** The media types of JSON lines (NDJSON) files, the first the one we name. */
export const JSON_LINES_TYPES = [
  'application/x-ndjson',
  'application/jsonl',
  'application/jsonlines',
  'application/x-jsonlines',
] as const;

/** The documented upload types of `POST …/purchases` and of an import job's file (README): CSV or JSON lines. */
export const UPLOAD_TYPES = ['text/csv', ...JSON_LINES_TYPES] as const;

/** Where a body too big for a synchronous route goes (docs/decisions/0021-bulk-import.md). */
const TO_IMPORT_JOB = 'send bigger files as an import job (POST /api/clubs/:club/imports)';

/**
 * An import job's file, when this API takes it (locally: `PUT …/imports/:jobId/file` streams it to
 * the folder; on AWS the file goes to S3 with a presigned URL and this route answers 409). 5 GiB is
 * what one presigned S3 PUT takes, so a file that uploads locally uploads on AWS too; the worker's
 * chunks hold up to 8 GiB (core/import-job.ts).
 */
export const IMPORT_FILE_LIMIT = 5 * GIB;

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
  // Starting, changing or stopping the club's policy experiment decides who gets the club's mail.
  'PUT /api/clubs/:clubId/experiment': { permission: 'manage' },
  // Counting the experiment's report writes only its stored count (nothing a member sees): a reader's.
  'POST /api/clubs/:clubId/experiment/count': { permission: 'read' },
  // A member's whole record (address, purchases, diets, consent) leaves the system only for a GDPR
  // request, which the people who change members answer: not every reader.
  'GET /api/clubs/:clubId/members/:memberId/export': { permission: 'write' },
  // Deciding on a campaign is the approver's (and never on one they wrote: app/campaign-approval.ts).
  'POST /api/clubs/:clubId/campaigns/:campaignId/approve': { permission: 'approve' },
  'POST /api/clubs/:clubId/campaigns/:campaignId/send-back': { permission: 'approve' },
  // Activating an automation where the club requires approval is the approver's (app/automations.ts).
  'POST /api/clubs/:clubId/automations/:automationId/approve': { permission: 'approve' },
  // A dry-run computes and writes nothing: a reader's.
  'POST /api/clubs/:clubId/campaigns/:campaignId/dry-run': { permission: 'read' },
  // So does an audience's estimate (it may queue the club's facts to be rewritten: nothing a member sees).
  'POST /api/clubs/:clubId/audiences/:audienceId/estimate': { permission: 'read' },
  // Synchronous bulk data, run inside the API's 10 s timeout: up to 1,000 member records
  // (MAX_SYNC_MEMBERS), or about 4,000 receipt lines. Bigger files are import jobs, and the 413 says so.
  'POST /api/clubs/:clubId/members': { bodyLimit: 2 * MIB, overLimit: TO_IMPORT_JOB },
  'POST /api/clubs/:clubId/purchases': { bodyLimit: 1 * MIB, bodyTypes: UPLOAD_TYPES, overLimit: TO_IMPORT_JOB },
  // An import job's file: any size an S3 PUT takes, streamed to the file store, never held in memory.
  'PUT /api/clubs/:clubId/imports/:jobId/file': {
    bodyLimit: IMPORT_FILE_LIMIT,
    bodyTypes: UPLOAD_TYPES,
    streamsBody: true,
  },
  // The console's import form: a file read whole in one request (bigger ones go through the API's import job).
  'POST /console/clubs/:clubId/imports': { bodyLimit: 5 * MIB },
  'PUT /api/clubs/:clubId/products': { bodyLimit: 1 * MIB },
  'PUT /api/clubs/:clubId/offers': { bodyLimit: 1 * MIB },
  // The member pages post small forms only.
  'POST /u/:token': { bodyLimit: 16 * KIB },
  'POST /p/:token': { bodyLimit: 16 * KIB },
  'POST /p/:token/unsubscribe': { bodyLimit: 16 * KIB },
  'POST /p/:token/erase': { bodyLimit: 16 * KIB },
  'POST /s/:token': { bodyLimit: 16 * KIB },
  'POST /s/:token/reason': { bodyLimit: 16 * KIB },
  'POST /s/:token/question': { bodyLimit: 16 * KIB },
  'POST /c/:token/:control': { bodyLimit: 16 * KIB },
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
    ...(own?.streamsBody ? { streamsBody: true } : {}),
    ...(own?.overLimit ? { overLimit: own.overLimit } : {}),
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
