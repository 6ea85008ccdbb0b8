import { createHash } from 'node:crypto';
import { indexCatalog } from '../core/catalog-index.js';
import { decideInArm } from '../core/experiment-decision.js';
import { type ClubDecideInput, forecastMember, inSendOrder, type PlannedCampaign } from '../core/forecast.js';
import { MEMBER_SHARDS } from '../core/jobs.js';
import { clubTimeZone, toLocalDate } from '../core/local-time.js';
import { type Club, feedbackOf } from '../core/model.js';
import { indexNameDays } from '../core/name-days.js';
import type { MemberState } from '../core/ports.js';
import { MINUTE_MS } from '../core/units.js';
import { candidatesOf, plannedAudience } from './campaign-context.js';
import type { Deps } from './deps.js';
import { armsOfPage } from './experiment-arms.js';
import { topicAudience } from './feedback-notes.js';

/**
 * What the scheduled campaigns will send, estimated (docs/decisions/0034-forecasts-and-the-explorer.md):
 * the calendar's expected mails per day and the budget's hold-backs, and the settings page's preview
 * of a change. Each campaign is decided for a sample of members at its own send time, after the
 * campaigns before it, with the real `decide` (core/forecast.ts), under the member's arm of the club's
 * running experiment as the plan will decide it; counts are scaled to the club.
 */

/** Members in the sample: 25 from each index partition. */
export const SAMPLE_SIZE = 400;
const SAMPLE_TTL_MS = 2 * MINUTE_MS;
const RESULT_TTL_MS = MINUTE_MS;

/** Reasons that mean "the budget held the member back" (their own caps, the club's, or a rival's claim). */
export function heldByBudget(reason: string): boolean {
  return (
    reason === 'budget-window' ||
    reason === 'min-gap' ||
    reason === 'survey-cap' ||
    reason === 'survey-gap' ||
    reason === 'recent-service-case' ||
    reason === 'member-frequency-choice' ||
    reason.startsWith('outranked-by:')
  );
}

export interface CampaignReach {
  readonly campaignId: string;
  readonly expected: number;
  readonly heldBack: number;
}

export interface ReachForecast {
  readonly campaigns: ReadonlyMap<string, CampaignReach>;
  /** By local date of the club, `YYYY-MM-DD`. */
  readonly days: ReadonlyMap<string, { readonly expected: number; readonly heldBack: number }>;
  readonly sampled: number;
  readonly members: number;
}

interface Sample {
  readonly states: MemberState[];
  readonly members: number;
  readonly at: number;
}

const samples = new Map<string, Sample>();
const results = new Map<string, { readonly forecast: ReachForecast; readonly at: number }>();

/** The first members of each index partition, and how many the club has (counted when there are more). */
async function sampleOf(deps: Pick<Deps, 'members' | 'memberDirectory'>, clubId: string): Promise<Sample> {
  const now = Date.now();
  const cached = samples.get(clubId);
  if (cached && now - cached.at < SAMPLE_TTL_MS) return cached;
  const perShard = Math.ceil(SAMPLE_SIZE / MEMBER_SHARDS);
  const pages = await Promise.all(
    Array.from({ length: MEMBER_SHARDS }, (_, shard) => deps.members.listShard(clubId, shard, undefined, perShard)),
  );
  const states = pages.flatMap((p) => p.states);
  const members = pages.some((p) => p.cursor) ? await deps.memberDirectory.count(clubId) : states.length;
  const sample = { states, members, at: now };
  samples.set(clubId, sample);
  return sample;
}

/**
 * The reach of every scheduled campaign from `from` to `to`, with the club's budget and engagement
 * rules, or with `rules` in their place (the settings preview). Campaigns up to the planning horizon
 * after `to` count as rivals. In a running experiment each member is decided under their arm, as the
 * plan will (core/experiment-decision.ts): the control arm gets no campaign mail, a fixed-cap or
 * previous-settings arm keeps its own rules, and `rules` replace only the club's (the club-budget arm's).
 */
export async function forecastReach(
  deps: Pick<
    Deps,
    | 'clubs'
    | 'campaigns'
    | 'members'
    | 'memberDirectory'
    | 'popularity'
    | 'models'
    | 'surveys'
    | 'experiments'
    | 'clock'
  >,
  club: Club,
  window: { readonly from: Date; readonly to: Date },
  rules: Pick<Club, 'budget' | 'engagement'> = club,
): Promise<ReachForecast> {
  const clubId = club.clubId;
  const horizonMs = rules.budget.planningHorizonDays * 86_400_000;
  const [campaigns, sample, experiment] = await Promise.all([
    deps.campaigns.campaignsBetween(
      clubId,
      new Date(window.from.getTime() - MINUTE_MS),
      new Date(window.to.getTime() + horizonMs),
    ),
    sampleOf(deps, clubId),
    deps.experiments.get(clubId),
  ]);
  const due = campaigns.filter(
    (c) =>
      (c.status === 'scheduled' || c.status === 'planning') &&
      Date.parse(c.sendAt) >= window.from.getTime() - MINUTE_MS &&
      Date.parse(c.sendAt) <= window.to.getTime() + horizonMs,
  );
  const key = createHash('sha256')
    .update(
      JSON.stringify([
        clubId,
        rules.budget,
        rules.engagement,
        window,
        due.map((c) => [c.campaignId, c.updatedAt]),
        experiment ? [experiment.experimentId, experiment.status, experiment.arms, experiment.updatedAt] : null,
      ]),
    )
    .digest('hex');
  const cached = results.get(key);
  if (cached && Date.now() - cached.at < RESULT_TTL_MS) return cached.forecast;

  const [catalog, popularity, model, saved] = await Promise.all([
    deps.clubs.getCatalog(clubId),
    deps.popularity.get(clubId),
    deps.models.get(clubId),
    due.some((c) => c.audienceId) ? deps.clubs.listAudiences(clubId) : [],
  ]);
  const offers = new Map(catalog.offers.map((o) => [o.offerId, o]));
  const products = new Map(catalog.products.map((p) => [p.productId, p]));
  const timeline: PlannedCampaign[] = inSendOrder(
    await Promise.all(
      due.map(async (campaign) => {
        const planned = {
          campaign,
          candidates: candidatesOf(campaign, offers, products, () => {}),
          // A campaign for a saved audience mails only its members (a deleted audience matches nobody).
          ...(campaign.audienceId ? { audience: plannedAudience(club, campaign.audienceId, saved, () => {}) } : {}),
        };
        // A "you said, we did" note mails only the members whose comments raised its topic.
        if (campaign.kind !== 'note' || !campaign.note) return planned;
        const noteMembers = await topicAudience(deps, clubId, campaign.note.topic, deps.clock.now());
        return { ...planned, noteMembers };
      }),
    ),
  );
  const shared: ClubDecideInput = {
    policy: rules.budget,
    engagement: rules.engagement,
    feedback: feedbackOf(club),
    popularity,
    catalog: indexCatalog(catalog.products),
    ...(model ? { model } : {}),
    ...(club.nameDays ? { nameDays: indexNameDays(club.nameDays) } : {}),
  };
  const zone = clubTimeZone(club);
  const now = deps.clock.now();
  // Each sampled member's arm, drawn as the next plan will store it (nothing stored here).
  const arms = await armsOfPage(deps, experiment, sample.states, now, { store: false });
  const perCampaign = new Map<string, { expected: number; heldBack: number }>();
  const perDay = new Map<string, { expected: number; heldBack: number }>();
  const bump = (
    map: Map<string, { expected: number; heldBack: number }>,
    k: string,
    field: 'expected' | 'heldBack',
  ) => {
    const entry = map.get(k) ?? { expected: 0, heldBack: 0 };
    entry[field] += 1;
    map.set(k, entry);
  };
  const judged = new Set(
    timeline.filter((p) => Date.parse(p.campaign.sendAt) <= window.to.getTime()).map((p) => p.campaign.campaignId),
  );
  const through = window.to.getTime();
  for (const state of sample.states) {
    const arm = arms.get(state.member.memberId);
    const decide = arm ? (input: Parameters<typeof decideInArm>[0]) => decideInArm(input, arm) : undefined;
    for (const step of forecastMember({ state, timeline, club: shared, now, through, ...(decide ? { decide } : {}) })) {
      if (!judged.has(step.campaignId)) continue;
      const decision = step.decision;
      if (decision.outcome === 'send') {
        bump(perCampaign, step.campaignId, 'expected');
        bump(perDay, toLocalDate(step.sendsAt ?? step.judgedAt, zone), 'expected');
      } else if (heldByBudget(decision.reason)) {
        bump(perCampaign, step.campaignId, 'heldBack');
        bump(perDay, toLocalDate(step.judgedAt, zone), 'heldBack');
      }
    }
  }
  const scale = sample.states.length > 0 ? sample.members / sample.states.length : 0;
  const scaled = (n: { expected: number; heldBack: number }) => ({
    expected: Math.round(n.expected * scale),
    heldBack: Math.round(n.heldBack * scale),
  });
  const forecast: ReachForecast = {
    campaigns: new Map(
      [...judged].map((id) => [id, { campaignId: id, ...scaled(perCampaign.get(id) ?? { expected: 0, heldBack: 0 }) }]),
    ),
    days: new Map([...perDay].map(([day, n]) => [day, scaled(n)])),
    sampled: sample.states.length,
    members: sample.members,
  };
  for (const [k, v] of results) if (Date.now() - v.at >= RESULT_TTL_MS) results.delete(k);
  results.set(key, { forecast, at: Date.now() });
  return forecast;
}
