import { z } from 'zod';
import { Restriction } from './diet.js';
import { sendIdFor } from './ledger.js';
import type { OfferPick } from './offers.js';
import { PickWhy } from './scoring.js';

/**
 * Folded offers (docs/decisions/0043-folded-offers.md): when the budget holds back a less valuable
 * campaign for a member who gets this campaign's mail within the planning horizon, that campaign's
 * best allowed offer rides along in an "also this week" block. Pure.
 */
export const FoldedOffer = z.object({
  /** The campaign held back, whose offer this is. */
  campaignId: z.string().regex(/^[A-Za-z0-9_-]+$/),
  /** Its sendId for this member: the send claim marks it folded, so it never mails them as well. */
  sendId: z.string().regex(/^[0-9a-f]{32}$/),
  offerId: z.string(),
  productId: z.string(),
  score: z.number(),
  why: PickWhy,
  diet: Restriction.optional(),
  reason: z.string(),
  /**
   * The held-back campaign was planned before this mail and left its offer in the ledger for it (ADR
   * 0054): the carrying mail's send record names it, so that campaign's report counts it folded.
   */
  late: z.literal(true).optional(),
});
export type FoldedOffer = z.infer<typeof FoldedOffer>;

/** A campaign the budget holds back for this member while the mail being decided goes. */
export interface Beaten {
  readonly campaignId: string;
  /** Its expected value for the member (lower than the mail's own). */
  readonly value: number;
  /** Its allowed picks for the member, best first: ranked under the same restrictions as the mail's own. */
  readonly picks: readonly OfferPick[];
  /** Planned before this mail: it left its offer in the ledger (a pending fold, ADR 0054). */
  readonly late?: boolean;
}

/**
 * The mail's own offers and the folded ones, never more than `limit` in all. The most valuable
 * beaten campaign folds first; each folds its best pick that is not already in the mail. A folded
 * offer takes a free place, or the place of the mail's weakest own offer when it scores higher; the
 * mail always keeps its own best offer.
 */
export function foldInto(
  own: readonly OfferPick[],
  limit: number,
  beaten: readonly Beaten[],
  ids: { readonly clubId: string; readonly memberId: string },
): { offers: OfferPick[]; folded: FoldedOffer[] } {
  const offers = [...own];
  const folded: FoldedOffer[] = [];
  const taken = (pick: OfferPick) =>
    [...offers, ...folded].some((o) => o.offerId === pick.offerId || o.productId === pick.productId);
  for (const campaign of [...beaten].sort((a, b) => b.value - a.value || a.campaignId.localeCompare(b.campaignId))) {
    const pick = campaign.picks.find((p) => !taken(p));
    if (!pick) continue;
    if (offers.length + folded.length >= limit) {
      const weakest = offers.at(-1);
      if (offers.length < 2 || !weakest || weakest.score >= pick.score) continue;
      offers.pop();
    }
    folded.push({
      campaignId: campaign.campaignId,
      sendId: sendIdFor(ids.clubId, campaign.campaignId, ids.memberId),
      offerId: pick.offerId,
      productId: pick.productId,
      score: pick.score,
      why: pick.why,
      ...(pick.diet ? { diet: pick.diet } : {}),
      reason: pick.reason,
      ...(campaign.late ? { late: true as const } : {}),
    });
  }
  return { offers, folded };
}
