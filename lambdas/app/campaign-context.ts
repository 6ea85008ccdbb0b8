import { type Automation, upcomingRuns } from '../core/automation.js';
import type { CampaignDecisionInput } from '../core/campaign-decision.js';
import { type CatalogIndex, indexCatalog } from '../core/catalog-index.js';
import type { ClubModel } from '../core/club-model.js';
import type { Rival } from '../core/decision.js';
import type { Experiment } from '../core/experiment.js';
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
import { DAY_MS } from '../core/units.js';
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
  /** Other campaigns scheduled within the club's planning horizon, which may want the same members. */
  readonly rivals: readonly Rival[];
  /** The club's name-day calendar, indexed, when it has one. */
  readonly nameDays?: NameDayIndex;
  /** The club's whole catalog, indexed once per load (diet choices need each category's usual products). */
  readonly catalog: CatalogIndex;
  /** A note's audience: the members whose comments raised its topic (app/feedback-notes.ts). */
  readonly audience?: ReadonlySet<string>;
  /** The club's policy experiment, if it has one: each member is planned under their arm's policy. */
  readonly experiment?: Experiment;
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
    foldOffers: club.foldOffers !== false,
    now,
  };
}

/** The club, the campaign and its offer pool joined with products: what planning one member needs. */
export async function loadCampaignContext(
  deps: Pick<Deps, 'clubs' | 'campaigns' | 'popularity' | 'models' | 'surveys' | 'experiments' | 'clock' | 'log'> &
    Partial<Pick<Deps, 'automations'>>,
  clubId: string,
  campaignId: string,
): Promise<CampaignContext | undefined> {
  const [club, stored, catalog, popularity, model, experiment, automations] = await Promise.all([
    deps.clubs.getClub(clubId),
    deps.campaigns.listCampaigns(clubId),
    deps.clubs.getCatalog(clubId),
    deps.popularity.get(clubId),
    deps.models.get(clubId),
    deps.experiments.get(clubId),
    deps.automations?.list(clubId) ?? [],
  ]);
  const campaigns = withUpcomingRuns(stored, automations, deps.clock.now(), club?.budget.planningHorizonDays ?? 0);
  const campaign = campaigns.find((c) => c.campaignId === campaignId);
  if (!club || !campaign) return undefined;
  const products = new Map(catalog.products.map((p) => [p.productId, p]));
  const offers = new Map(catalog.offers.map((o) => [o.offerId, o]));
  const candidates = candidatesOf(campaign, offers, products, (offerId) =>
    deps.log.warn('offer in pool has no offer or product; left out', { clubId, campaignId, offerId }),
  );
  const horizon = deps.clock.now().getTime() + club.budget.planningHorizonDays * 86_400_000;
  const rivals = campaigns
    .filter(
      (c) =>
        c.campaignId !== campaignId &&
        (c.status === 'scheduled' || c.status === 'planning') &&
        Date.parse(c.sendAt) <= horizon,
    )
    .map((c) => ({ campaign: c, candidates: candidatesOf(c, offers, products, () => {}) }));
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
    ...(experiment ? { experiment } : {}),
  };
}

/** The stored campaigns and the runs active automations will make within the horizon, not yet stored. */
function withUpcomingRuns(
  stored: readonly Campaign[],
  automations: readonly Automation[],
  now: Date,
  horizonDays: number,
): Campaign[] {
  const ids = new Set(stored.map((c) => c.campaignId));
  const until = new Date(now.getTime() + horizonDays * DAY_MS);
  const upcoming = automations.flatMap((a) => upcomingRuns(a, now, until)).filter((c) => !ids.has(c.campaignId));
  return [...stored, ...upcoming];
}

function candidatesOf(
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
