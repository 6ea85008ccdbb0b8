import type { DietTag } from '../core/diet.js';
import { checkEligibility, isBigOffer, topicOf } from '../core/eligibility.js';
import type { FoldedOffer } from '../core/fold.js';
import type { Member } from '../core/model.js';
import { allowedAtSend } from '../core/send-restrictions.js';
import { isPersonal } from '../core/their-occasion.js';
import type { DeliverDeps } from './delivery.js';
import { type BatchCache, type CatalogEntry, cached } from './send-batch-cache.js';

/**
 * The folded offers a mail may still carry when it is sent (docs/decisions/0054): the member's choices
 * since the plan win. A fold is left out when its campaign is gone or cancelled, when the member may no
 * longer get that campaign's mail (unsubscribed, paused, its topic turned off), or when its product,
 * as the catalog labels it now, clashes with a restriction the member has now: declared meanwhile, or
 * inferred at the plan and not rejected since (core/send-restrictions.ts). A fold left out is not
 * claimed, so its own campaign stays free to mail the member. The held-back campaigns are read once
 * per batch.
 */
export async function foldsStillAllowed(
  deps: Pick<DeliverDeps, 'campaigns'>,
  cache: BatchCache,
  input: {
    readonly clubId: string;
    readonly folded: readonly FoldedOffer[];
    readonly member: Member;
    readonly catalog: CatalogEntry;
    /** The diet tags the mail may not carry (forbiddenAtSend). */
    readonly forbidden: ReadonlySet<DietTag>;
    readonly now: Date;
  },
): Promise<FoldedOffer[]> {
  const { clubId, member, catalog, forbidden, now } = input;
  const allowed: FoldedOffer[] = [];
  for (const fold of input.folded) {
    const campaign = await cached(cache.campaigns, `${clubId}/${fold.campaignId}`, () =>
      deps.campaigns.getCampaign(clubId, fold.campaignId),
    );
    if (!campaign || campaign.status === 'cancelled' || campaign.status === 'draft') continue;
    const bigOffer = isBigOffer(campaign) || isPersonal(campaign);
    if (!checkEligibility(member, topicOf(campaign), now, { bigOffer }).eligible) continue;
    if (!allowedAtSend(catalog.products.get(fold.productId), forbidden)) continue;
    allowed.push(fold);
  }
  return allowed;
}
