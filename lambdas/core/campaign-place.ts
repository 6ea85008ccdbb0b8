import { z } from 'zod';
import type { Campaign } from './model.js';

/**
 * A campaign's place in its club's list by send time: its send time in UTC and its id. Places sort
 * as the campaigns do (newest last), which is what a page of the list continues from
 * (docs/decisions/0059).
 */
export function campaignPlace(campaign: Pick<Campaign, 'sendAt' | 'campaignId'>): string {
  return `${new Date(campaign.sendAt).toISOString()}#${campaign.campaignId}`;
}

/** A place as a client sends it back: a cursor from a previous page, refused if it is anything else. */
export const CampaignPlace = z
  .string()
  .max(200)
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z#[A-Za-z0-9_-]+$/, 'a `next` from a previous page');

/** A place as a cursor in a URL: base64url, so it needs no escaping (a place holds `#` and `:`). */
export function cursorOf(place: string): string {
  return Buffer.from(place, 'utf8').toString('base64url');
}

/** A cursor a client sends back (`?after=`): the place it stands for, refused if it is anything else. */
export const CampaignCursor = z
  .string()
  .max(300)
  .regex(/^[A-Za-z0-9_-]+$/, 'a `next` from a previous page')
  .transform((cursor) => Buffer.from(cursor, 'base64url').toString('utf8'))
  .pipe(CampaignPlace);

/** Newest first: the campaigns before `after` (all without it), at most `limit`, and where the next page starts. */
export function pageOf(
  campaigns: readonly Campaign[],
  limit: number,
  after?: string,
): { campaigns: Campaign[]; next?: string } {
  const ordered = campaigns
    .map((campaign) => ({ campaign, place: campaignPlace(campaign) }))
    .filter((c) => after === undefined || c.place < after)
    .sort((a, b) => (a.place < b.place ? 1 : -1));
  const page = ordered.slice(0, limit);
  const last = page.at(-1);
  return {
    campaigns: page.map((c) => c.campaign),
    ...(ordered.length > limit && last ? { next: last.place } : {}),
  };
}
