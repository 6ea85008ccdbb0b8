import type { CampaignDecisionInput } from '../core/campaign-decision.js';
import { type CatalogIndex, indexCatalog } from '../core/catalog-index.js';
import type { ClubModel } from '../core/club-model.js';
import type { PlannedCampaign } from '../core/forecast.js';
import {
  type Campaign,
  type Club,
  feedbackOf,
  type Offer,
  type OfferWithProduct,
  type Product,
} from '../core/model.js';
import { indexNameDays, type NameDayIndex } from '../core/name-days.js';
import type { MemberState } from '../core/ports.js';
import type { Deps } from './deps.js';
import { topicAudience } from './feedback-notes.js';

export interface CampaignContext {
  readonly club: Club;
  readonly campaign: Campaign;
  readonly candidates: OfferWithProduct[];
  /** Club-wide popularity per product (1 = most bought), for members with thin history. */
  readonly popularity: ReadonlyMap<string, number>;
  /** The club's fitted next-basket model, if one has been fitted yet. */
  readonly model?: ClubModel;
  /**
   * Other campaigns scheduled within the club's planning horizon, which may want the same members.
   * For a dry-run (`atSendTime`), a note among them carries its own audience, as the forecast judges it.
   */
  readonly rivals: readonly PlannedCampaign[];
  /** The club's name-day calendar, indexed, when it has one. */
  readonly nameDays?: NameDayIndex;
  /** The club's whole catalog, indexed once per load (diet choices need each category's usual products). */
  readonly catalog: CatalogIndex;
  /** A note's audience: the members whose comments raised its topic (app/feedback-notes.ts). */
  readonly audience?: ReadonlySet<string>;
}

/** One member's decision input: the campaign's context, the member's state and the time. */
export function decisionInput(context: CampaignContext, state: MemberState, now: Date): CampaignDecisionInput {
  const { club, campaign, candidates, popularity, model, rivals, nameDays, catalog, audience } = context;
  return {
    ...state,
    campaign,
    candidates,
    popularity,
    rivals,
    catalog,
    ...(model ? { model } : {}),
    ...(nameDays ? { nameDays } : {}),
    ...(audience ? { audience } : {}),
    policy: club.budget,
    engagement: club.engagement,
    feedback: feedbackOf(club),
    now,
  };
}

/**
 * The club, the campaign and its offer pool joined with products: what planning one member needs.
 * Rivals are the campaigns in the planning horizon from now; with `atSendTime` (a dry-run), from the
 * campaign's send time, and every scheduled campaign before it too (lambdas/core/forecast.ts).
 */
export async function loadCampaignContext(
  deps: Pick<Deps, 'clubs' | 'campaigns' | 'popularity' | 'models' | 'surveys' | 'clock' | 'log'>,
  clubId: string,
  campaignId: string,
  options: { readonly atSendTime?: boolean } = {},
): Promise<CampaignContext | undefined> {
  const [club, campaigns, catalog, popularity, model] = await Promise.all([
    deps.clubs.getClub(clubId),
    deps.campaigns.listCampaigns(clubId),
    deps.clubs.getCatalog(clubId),
    deps.popularity.get(clubId),
    deps.models.get(clubId),
  ]);
  const campaign = campaigns.find((c) => c.campaignId === campaignId);
  if (!club || !campaign) return undefined;
  const products = new Map(catalog.products.map((p) => [p.productId, p]));
  const offers = new Map(catalog.offers.map((o) => [o.offerId, o]));
  const candidates = candidatesOf(campaign, offers, products, (offerId) =>
    deps.log.warn('offer in pool has no offer or product; left out', { clubId, campaignId, offerId }),
  );
  const from = deps.clock.now().getTime();
  const judged = options.atSendTime ? Math.max(from, Date.parse(campaign.sendAt)) : from;
  const horizon = judged + club.budget.planningHorizonDays * 86_400_000;
  const rivals: PlannedCampaign[] = await Promise.all(
    campaigns
      .filter(
        (c) =>
          c.campaignId !== campaignId &&
          (c.status === 'scheduled' || c.status === 'planning') &&
          Date.parse(c.sendAt) <= horizon,
      )
      .map(async (c) => {
        const rival = { campaign: c, candidates: candidatesOf(c, offers, products, () => {}) };
        // Only a forecast mails the rivals before the campaign; a note among them mails its own audience.
        if (!options.atSendTime || c.kind !== 'note' || !c.note) return rival;
        return { ...rival, audience: await topicAudience(deps, clubId, c.note.topic, deps.clock.now()) };
      }),
  );
  const audience =
    campaign.kind === 'note' && campaign.note
      ? await topicAudience(deps, clubId, campaign.note.topic, deps.clock.now())
      : undefined;
  return {
    club,
    campaign,
    candidates,
    popularity,
    rivals,
    catalog: indexCatalog(catalog.products),
    ...(model ? { model } : {}),
    ...(club.nameDays ? { nameDays: indexNameDays(club.nameDays) } : {}),
    ...(audience ? { audience } : {}),
  };
}

export function candidatesOf(
  campaign: Campaign,
  offers: ReadonlyMap<string, Offer>,
  products: ReadonlyMap<string, Product>,
  missing: (offerId: string) => void,
): OfferWithProduct[] {
  const candidates: OfferWithProduct[] = [];
  for (const offerId of campaign.offerPool) {
    const offer = offers.get(offerId);
    const product = offer ? products.get(offer.productId) : undefined;
    if (offer && product) candidates.push({ offer, product });
    else missing(offerId);
  }
  return candidates;
}
