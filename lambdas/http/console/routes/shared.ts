import type { Context } from 'hono';
import type { Refusal } from '../../../app/refusal.js';
import type { AuditEntry } from '../../../core/audit.js';
import { Id } from '../../../core/model.js';
import { principalId } from '../../../core/principal.js';
import { assertNever } from '../../../core/units.js';
import { clubOf, userOf } from '../context.js';
import type { ConsoleDeps } from '../deps.js';
import type { Notice } from '../layout.js';

/** A posted form as URLSearchParams (text fields only: a file where text is expected is left out). */
export async function formBody(c: Context): Promise<URLSearchParams> {
  const parsed = await c.req.parseBody({ all: true });
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(parsed)) {
    for (const v of Array.isArray(value) ? value : [value]) if (typeof v === 'string') body.append(name, v);
  }
  return body;
}

/** An id from the path, or undefined when it is not one of ours (the page then says "not found"). */
export function idOf(c: Context, name: string): string | undefined {
  const parsed = Id.safeParse(c.req.param(name));
  return parsed.success ? parsed.data : undefined;
}

/** The console base of the club in the path: `/console/clubs/<id>`. */
export function clubBase(c: Context): string {
  return `/console/clubs/${clubOf(c).club.clubId}`;
}

/** The signed-in marketer as the use cases and the audit trail name them: `user:<sub>`. */
export function actorOf(c: Context): string {
  return principalId(userOf(c).principal);
}

/** A use case's refusal as a notice; its detail is the use case's own words (English). */
export function refusalNotice(refusal: Refusal): Notice {
  switch (refusal.why) {
    case 'invalid':
    case 'not-found':
    case 'conflict':
    case 'forbidden':
    case 'brand-fit-clash':
    case 'sender-not-ready':
      return { kind: 'bad', text: refusal.message };
    default:
      return assertNever(refusal);
  }
}

export function statusOf(refusal: Refusal): 400 | 403 | 404 | 409 {
  switch (refusal.why) {
    case 'invalid':
      return 400;
    case 'forbidden':
      return 403;
    case 'not-found':
      return 404;
    case 'conflict':
    case 'brand-fit-clash':
    case 'sender-not-ready':
      return 409;
    default:
      return assertNever(refusal);
  }
}

/**
 * One action taken in the console, in the club's audit trail with the same action names as the API
 * (`POST /clubs/:clubId/campaigns/:campaignId/approve`), so the trail reads the same from both.
 */
export async function recordAction(
  deps: Pick<ConsoleDeps, 'audit' | 'clock' | 'log'>,
  c: Context,
  action: string,
  target: Record<string, string>,
  change: { before?: unknown; after?: unknown } = {},
): Promise<void> {
  const clubId = clubOf(c).club.clubId;
  const entry: AuditEntry = {
    clubId,
    at: deps.clock.now().toISOString(),
    actor: actorOf(c),
    action: `${action} (console)`,
    target: { clubId, ...target },
    status: 200,
    ...(change.before === undefined ? {} : { before: change.before }),
    ...(change.after === undefined ? {} : { after: change.after }),
  };
  try {
    await deps.audit.record(entry);
  } catch (error: unknown) {
    // The action is done; a lost entry is an alarm for operators, as in the API (http/audit-trail.ts).
    deps.log.error('audit entry not recorded', { clubId, action: entry.action, actor: entry.actor, error });
  }
}

/** Principal ids as people read them: the team member's address where the team knows it. */
export async function peopleNames(
  deps: Pick<ConsoleDeps, 'roles'>,
  clubId: string,
): Promise<(actor: string) => string> {
  const team = await deps.roles.list(clubId);
  const emails = new Map<string, string>();
  for (const m of team) if (m.email) emails.set(`user:${m.userId}`, m.email);
  return (actor) => emails.get(actor) ?? actor;
}

/** Reasons that name another campaign: `outranked-by:<id>`, `folded-into:<id>`. */
const NAMING = /^(?:outranked-by|folded-into):([A-Za-z0-9_-]+)$/;

/**
 * The names of the campaigns these ids, or these reasons (`outranked-by:<id>`…), refer to, read one by
 * one: a page names a few campaigns, and a club can have thousands (docs/decisions/0059).
 */
export async function campaignNames(
  deps: Pick<ConsoleDeps, 'campaigns'>,
  clubId: string,
  idsOrReasons: Iterable<string>,
): Promise<ReadonlyMap<string, string>> {
  const ids = new Set([...idsOrReasons].map((value) => NAMING.exec(value)?.[1] ?? value));
  const found = await Promise.all([...ids].map((id) => deps.campaigns.getCampaign(clubId, id)));
  return new Map(found.flatMap((campaign) => (campaign ? [[campaign.campaignId, campaign.name] as const] : [])));
}
