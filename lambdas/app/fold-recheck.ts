import { conflictingTags, forbiddenTags } from '../core/diet.js';
import { checkEligibility, isBigOffer, topicOf } from '../core/eligibility.js';
import type { FoldedOffer } from '../core/fold.js';
import type { Member } from '../core/model.js';
import { isPersonal } from '../core/their-occasion.js';
import type { DeliverDeps } from './delivery.js';
import { type BatchCache, type CatalogEntry, cached } from './send-batch-cache.js';

/**
 * The folded offers a mail may still carry when it is sent (docs/decisions/0054): the member's choices
 * since the plan win. A fold is left out when its campaign is gone or cancelled, when the member may no
 * longer get that campaign's mail (unsubscribed, paused, its topic turned off), or when its product
 * clashes with a restriction the member declared meanwhile. Inferred restrictions were applied at the
 * plan, which reads the profile; the send worker does not. A fold left out is not claimed, so its own
 * campaign stays free to mail the member. The held-back campaigns are read once per batch.
 */
export async function foldsStillAllowed(
  deps: Pick<DeliverDeps, 'campaigns'>,
  cache: BatchCache,
  input: {
    readonly clubId: string;
    readonly folded: readonly FoldedOffer[];
    readonly member: Member;
    readonly catalog: CatalogEntry;
    readonly now: Date;
  },
): Promise<FoldedOffer[]> {
  const { clubId, member, catalog, now } = input;
  const forbidden = forbiddenTags(member.preferences.declaredRestrictions);
  const allowed: FoldedOffer[] = [];
  for (const fold of input.folded) {
    const campaign = await cached(cache.campaigns, `${clubId}/${fold.campaignId}`, () =>
      deps.campaigns.getCampaign(clubId, fold.campaignId),
    );
    if (!campaign || campaign.status === 'cancelled' || campaign.status === 'draft') continue;
    const bigOffer = isBigOffer(campaign) || isPersonal(campaign);
    if (!checkEligibility(member, topicOf(campaign), now, { bigOffer }).eligible) continue;
    const product = catalog.products.get(fold.productId);
    if (!product || conflictingTags(product, forbidden).length > 0) continue;
    allowed.push(fold);
  }
  return allowed;
}
