import { type AudienceAt, type CompiledAudience, compileAudience, type SavedAudience } from '../core/audience.js';
import { type Automation, upcomingRuns } from '../core/automation.js';
import type { CampaignDecisionInput } from '../core/campaign-decision.js';
import { type CatalogIndex, indexCatalog } from '../core/catalog-index.js';
import type { ClubModel } from '../core/club-model.js';
import type { Experiment } from '../core/experiment.js';
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
  /**
   * Other campaigns scheduled within the club's planning horizon, which may want the same members.
   * For a dry-run (`atSendTime`), a note among them carries its own audience, as the forecast judges it.
   */
  readonly rivals: readonly PlannedCampaign[];
  /**
   * Offers campaigns planned (or planning) within the planning horizon before now: their plans may
   * have left their offer in a member's ledger for this campaign's mail (pending folds, ADR 0054).
   */
  readonly heldBack: readonly PlannedCampaign[];
  /** The club's name-day calendar, indexed, when it has one. */
  readonly nameDays?: NameDayIndex;
  /** The club's whole catalog, indexed once per load (diet choices need each category's usual products). */
  readonly catalog: CatalogIndex;
  /** The campaign's saved audience, compiled for the plan's time (`at(now)`); absent when it is for every member. */
  readonly audience?: AudienceAt;
  /** A note's members: those whose comments raised its topic (app/feedback-notes.ts). */
  readonly noteMembers?: ReadonlySet<string>;
  /** The club's policy experiment, if it has one: each member is planned under their arm's policy. */
  readonly experiment?: Experiment;
}

/**
 * How far back before now a rival's send time may be: a scheduled or planning campaign whose send time
 * has passed is planning, or about to (SQS keeps a plan job 4 days). Two weeks leaves room.
 */
const RIVALS_BACK_DAYS = 14;

/** One member's decision input: the campaign's context, the member's state and the time. */
export function decisionInput(context: CampaignContext, state: MemberState, now: Date): CampaignDecisionInput {
  const { club, campaign, candidates, popularity, model, rivals, nameDays, catalog, audience, noteMembers } = context;
  return {
    ...state,
    campaign,
    candidates,
    popularity,
    rivals,
    heldBack: context.heldBack,
    catalog,
    ...(model ? { model } : {}),
    ...(nameDays ? { nameDays } : {}),
    ...(audience ? { audience } : {}),
    ...(noteMembers ? { noteMembers } : {}),
    policy: club.budget,
    engagement: club.engagement,
    feedback: feedbackOf(club),
    foldOffers: club.foldOffers !== false,
    now,
  };
}

/**
 * The club, the campaign and its offer pool joined with products: what planning one member needs.
 * Rivals are the campaigns in the planning horizon from now; with `atSendTime` (a dry-run), from the
 * campaign's send time, and every scheduled campaign before it too (lambdas/core/forecast.ts).
 */
export async function loadCampaignContext(
  deps: Pick<Deps, 'clubs' | 'campaigns' | 'popularity' | 'models' | 'surveys' | 'experiments' | 'clock' | 'log'> &
    Partial<Pick<Deps, 'automations'>>,
  clubId: string,
  campaignId: string,
  options: { readonly atSendTime?: boolean } = {},
): Promise<CampaignContext | undefined> {
  const [club, self, catalog, popularity, model, experiment, automations] = await Promise.all([
    deps.clubs.getClub(clubId),
    deps.campaigns.getCampaign(clubId, campaignId),
    deps.clubs.getCatalog(clubId),
    deps.popularity.get(clubId),
    deps.models.get(clubId),
    deps.experiments.get(clubId),
    deps.automations?.list(clubId) ?? [],
  ]);
  // Rivals are the campaigns in the planning horizon from when the campaign is judged: now, or its send time.
  const from = deps.clock.now().getTime();
  const judged = options.atSendTime && self ? Math.max(from, Date.parse(self.sendAt)) : from;
  const horizonDays = club?.budget.planningHorizonDays ?? 0;
  const horizon = judged + horizonDays * DAY_MS;
  // Read by send time (ADR 0059): up to the horizon, and back far enough for every campaign this one's
  // plan looks at, those planned one horizon back (ADR 0054) and rivals still planning.
  const nearby = await deps.campaigns.campaignsBetween(
    clubId,
    new Date(from - Math.max(horizonDays, RIVALS_BACK_DAYS) * DAY_MS),
    new Date(horizon),
  );
  const stored = self ? [self, ...nearby.filter((c) => c.campaignId !== campaignId)] : nearby;
  const campaigns = withUpcomingRuns(stored, automations, deps.clock.now(), (horizon - from) / DAY_MS);
  const campaign = campaigns.find((c) => c.campaignId === campaignId);
  if (!club || !campaign) return undefined;
  const saved = campaigns.some((c) => c.audienceId) ? await deps.clubs.listAudiences(clubId) : [];
  const audience = campaign.audienceId
    ? plannedAudience(club, campaign.audienceId, saved, () =>
        deps.log.warn('campaign audience is gone; nobody is in it', {
          clubId,
          campaignId,
          audienceId: campaign.audienceId,
        }),
      )
    : undefined;
  const products = new Map(catalog.products.map((p) => [p.productId, p]));
  const offers = new Map(catalog.offers.map((o) => [o.offerId, o]));
  const candidates = candidatesOf(campaign, offers, products, (offerId) =>
    deps.log.warn('offer in pool has no offer or product; left out', { clubId, campaignId, offerId }),
  );
  const rivals: PlannedCampaign[] = await Promise.all(
    campaigns
      .filter(
        (c) =>
          c.campaignId !== campaignId &&
          (c.status === 'scheduled' || c.status === 'planning') &&
          Date.parse(c.sendAt) <= horizon,
      )
      .map(async (c) => {
        const rival = {
          campaign: c,
          candidates: candidatesOf(c, offers, products, () => {}),
          ...(c.audienceId ? { audience: plannedAudience(club, c.audienceId, saved, () => {}) } : {}),
        };
        // Only a forecast mails the rivals before the campaign; a note among them mails its own members.
        if (!options.atSendTime || c.kind !== 'note' || !c.note) return rival;
        return { ...rival, noteMembers: await topicAudience(deps, clubId, c.note.topic, deps.clock.now()) };
      }),
  );
  // Campaigns planned before this one may have left offers for its mail: from one horizon back (ADR 0054).
  const heldBack = campaigns
    .filter(
      (c) =>
        c.campaignId !== campaignId &&
        c.kind === 'offers' &&
        (c.status === 'planned' || c.status === 'planning') &&
        Date.parse(c.sendAt) >= from - horizonDays * DAY_MS &&
        Date.parse(c.sendAt) <= horizon,
    )
    .map((c) => ({
      campaign: c,
      candidates: candidatesOf(c, offers, products, () => {}),
      ...(c.audienceId ? { audience: plannedAudience(club, c.audienceId, saved, () => {}) } : {}),
    }));
  const noteMembers =
    campaign.kind === 'note' && campaign.note
      ? await topicAudience(deps, clubId, campaign.note.topic, deps.clock.now())
      : undefined;
  return {
    club,
    campaign,
    candidates,
    popularity,
    rivals,
    heldBack,
    catalog: indexCatalog(catalog.products),
    ...(model ? { model } : {}),
    ...(club.nameDays ? { nameDays: indexNameDays(club.nameDays) } : {}),
    ...(audience ? { audience } : {}),
    ...(noteMembers ? { noteMembers } : {}),
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

/**
 * The named audience with the club's other saved audiences (for `audience` rules). One that was deleted
 * matches nobody: a campaign never mails members it was not meant for.
 */
export function plannedAudience(
  club: Club,
  audienceId: string,
  saved: readonly SavedAudience[],
  missing: () => void,
): AudienceAt {
  const scope = {
    clubId: club.clubId,
    attributes: club.attributes ?? [],
    audiences: new Map(saved.map((a) => [a.audienceId, a.rule])),
  };
  const own = saved.find((a) => a.audienceId === audienceId);
  if (!own) missing();
  let last: { at: number; compiled: CompiledAudience } | undefined;
  return {
    at(now) {
      if (last?.at === now.getTime()) return last.compiled;
      const compiled = own
        ? compileAudience(own, scope, now)
        : {
            audienceId,
            name: audienceId,
            test: () => false,
            explain: () => ({ matches: false, why: ['the audience was deleted'] }),
          };
      last = { at: now.getTime(), compiled };
      return compiled;
    },
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
