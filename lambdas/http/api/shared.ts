import type { Context } from 'hono';
import type { z } from 'zod';
import type { Deps } from '../../app/deps.js';
import type { Refusal } from '../../app/refusal.js';
import { type Campaign, type Club, Id } from '../../core/model.js';
import { assertNever } from '../../core/units.js';
import { ApiError, validationError } from '../api-error.js';

/**
 * What every marketer route shares: reading a JSON body, an id from the path or a query against
 * its schema, finding the club or campaign it names, and turning a use case's refusal into the
 * one error type `onError` answers with (http/app.ts).
 */

/** The body as JSON checked against `schema`; with `optional`, an empty body counts as absent. */
export async function jsonBody<T>(c: Context, schema: z.ZodType<T>, optional = false): Promise<T> {
  const text = await c.req.text();
  let raw: unknown;
  if (optional && text.trim() === '') raw = undefined;
  else {
    try {
      raw = JSON.parse(text);
    } catch {
      throw new ApiError(400, 'validation', '(body): must be a JSON document');
    }
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw validationError(parsed.error);
  return parsed.data;
}

/** An id from the path, e.g. `clubId`; a malformed one is a 400 naming the parameter. */
export function idParam(c: Context, name: string): string {
  const parsed = Id.safeParse(c.req.param(name));
  if (!parsed.success)
    throw new ApiError(400, 'validation', `${name}: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  return parsed.data;
}

/** The query string checked against `schema`; problems are named `query.<field>`. */
export function queryOf<T>(c: Context, schema: z.ZodType<T>): T {
  const parsed = schema.safeParse(c.req.query());
  if (!parsed.success) throw validationError(parsed.error, 'query');
  return parsed.data;
}

export async function requireClub(deps: Pick<Deps, 'clubs'>, clubId: string): Promise<Club> {
  const club = await deps.clubs.getClub(clubId);
  if (!club) throw new ApiError(404, 'not-found', `club ${clubId} does not exist`);
  return club;
}

export async function requireCampaign(
  deps: Pick<Deps, 'campaigns'>,
  clubId: string,
  campaignId: string,
): Promise<Campaign> {
  const campaign = await deps.campaigns.getCampaign(clubId, campaignId);
  if (!campaign) throw new ApiError(404, 'not-found', `campaign ${campaignId} does not exist`);
  return campaign;
}

/** A use case's refusal as the HTTP answer: invalid 400, forbidden 403, not found 404, the rest 409. */
export function refused(refusal: Refusal): ApiError {
  switch (refusal.why) {
    case 'invalid':
      return new ApiError(400, 'validation', refusal.message, refusal.issues);
    case 'not-found':
      return new ApiError(404, 'not-found', refusal.message);
    case 'conflict':
      return new ApiError(409, 'conflict', refusal.message);
    case 'forbidden':
      return new ApiError(403, 'forbidden', refusal.message);
    case 'brand-fit-clash':
      return new ApiError(409, 'brand-fit-clash', refusal.message);
    case 'sender-not-ready':
      return new ApiError(409, 'sending-domain-not-ready', refusal.message);
    default:
      return assertNever(refusal);
  }
}
