import type { ClubModel } from '../core/club-model.js';
import type { Campaign, Club, OfferWithProduct } from '../core/model.js';
import type { Deps } from './deps.js';

export interface CampaignContext {
  readonly club: Club;
  readonly campaign: Campaign;
  readonly candidates: OfferWithProduct[];
  /** Club-wide popularity per product (1 = most bought), for members with thin history. */
  readonly popularity: ReadonlyMap<string, number>;
  /** The club's fitted next-basket model, if one has been fitted yet. */
  readonly model?: ClubModel;
}

/** The club, the campaign and its offer pool joined with products: what planning one member needs. */
export async function loadCampaignContext(
  deps: Pick<Deps, 'clubs' | 'campaigns' | 'popularity' | 'models' | 'log'>,
  clubId: string,
  campaignId: string,
): Promise<CampaignContext | undefined> {
  const [club, campaign, catalog, popularity, model] = await Promise.all([
    deps.clubs.getClub(clubId),
    deps.campaigns.getCampaign(clubId, campaignId),
    deps.clubs.getCatalog(clubId),
    deps.popularity.get(clubId),
    deps.models.get(clubId),
  ]);
  if (!club || !campaign) return undefined;
  const products = new Map(catalog.products.map((p) => [p.productId, p]));
  const offers = new Map(catalog.offers.map((o) => [o.offerId, o]));
  const candidates: OfferWithProduct[] = [];
  for (const offerId of campaign.offerPool) {
    const offer = offers.get(offerId);
    const product = offer ? products.get(offer.productId) : undefined;
    if (offer && product) candidates.push({ offer, product });
    else deps.log.warn('offer in pool has no offer or product; left out', { clubId, campaignId, offerId });
  }
  return { club, campaign, candidates, popularity, ...(model ? { model } : {}) };
}
