/**
 * Runs one policy over a world for the simulated year: campaign by campaign, member by member, the
 * policy decides and the behaviour model answers. Deterministic: the same world, policy and
 * parameters give the same result, and two policies that send the same mail see the same dice.
 */
import {
  BEHAVIOUR,
  type BehaviourParams,
  clickProbabilityGivenOpen,
  conversionProbabilityGivenOpen,
  dice,
  type Exposure,
  openProbability,
  traitsOf,
  type UnsubscribeCause,
  unsubscribeCause,
  unsubscribeFactors,
  unsubscribeProbability,
} from './behaviour.js';
import { MAX_PLANNING_HORIZON_DAYS, type MailContext, type Policy } from './policies.js';
import { DAY_MS, HOUR_MS, type SimCampaign, type SimMember, type World } from './world.js';

export interface PolicyResult {
  readonly policy: string;
  readonly members: number;
  readonly mails: number;
  readonly opens: number;
  readonly clicks: number;
  readonly conversions: number;
  /** Members who unsubscribed during the year. */
  readonly left: number;
  /** Mails with an offer that breaks the member's true diet. */
  readonly breaches: number;
  /** Mails with an offer that breaks a restriction the planner knew: must be 0 for every policy. */
  readonly knownBreaches: number;
  /** What drove each unsubscribe (the biggest factor of the hazard). */
  readonly causes: Readonly<Record<UnsubscribeCause, number>>;
}

/** Sends the simulated ledger keeps: the longest window any policy checks (30 days), and a day to spare. */
export const LEDGER_DAYS = 31;
/** An open, click or purchase is stamped this long after its mail. */
const ENGAGED_AFTER_MS = HOUR_MS;
const OPEN = 0;
const CLICK = 1;
const CONVERT = 2;
const UNSUBSCRIBE = 3;

export interface SimulateOptions {
  /** Called for every mail sent, e.g. to check a policy's sends in a test. */
  readonly onSend?: (member: SimMember, campaign: SimCampaign) => void;
  /** Called when a member unsubscribes after a mail, e.g. to count leavers per month. */
  readonly onLeave?: (member: SimMember, campaign: SimCampaign) => void;
}

export function simulate(
  world: World,
  policy: Policy,
  params: BehaviourParams = BEHAVIOUR,
  options: SimulateOptions = {},
): PolicyResult {
  const memberCount = world.members.length;
  const traits = world.members.map((m) => traitsOf(m.traits, params));
  const ledgers: number[][] = world.members.map(() => []);
  const engagements: Array<{ sentAt: number[]; lastEngagedAt?: number }> = world.members.map(() => ({ sentAt: [] }));
  const left = new Uint8Array(memberCount);
  const horizons = planningHorizons(world.campaigns);
  const totals = { mails: 0, opens: 0, clicks: 0, conversions: 0, left: 0, breaches: 0, knownBreaches: 0 };
  const causes: Record<UnsubscribeCause, number> = {
    'too many mails': 0,
    'not relevant': 0,
    'diet breach': 0,
    background: 0,
  };

  for (const campaign of world.campaigns) {
    const row = campaign.index * memberCount;
    const horizon = horizons[campaign.index] ?? [];
    for (const member of world.members) {
      const m = member.index;
      const relevance = world.relevance[row + m] ?? 0;
      if (left[m] === 1 || relevance <= 0) continue;
      const sentAt = ledgers[m] ?? [];
      const engagement = engagements[m] ?? { sentAt: [] };
      const mailContext: MailContext = {
        member,
        campaign,
        relevance,
        sentAt,
        engagement,
        lastPurchaseAt: latestBefore(member.purchaseTimes, campaign.at),
        upcoming: () => competitors(world, horizon, m),
      };
      if (!policy.send(mailContext)) continue;

      const exposure = exposureAt(sentAt, campaign.at);
      while ((sentAt[0] ?? campaign.at) <= campaign.at - LEDGER_DAYS * DAY_MS) sentAt.shift();
      sentAt.push(campaign.at);
      engagement.sentAt.push(campaign.at);
      totals.mails += 1;
      options.onSend?.(member, campaign);
      const mail = { relevance: Math.min(1, relevance), breach: world.breach[row + m] === 1 };
      if (mail.breach) totals.breaches += 1;
      if (world.knownBreach[row + m] === 1) totals.knownBreaches += 1;
      const trait = traits[m] ?? { openPropensity: 0, tolerance: 1 };
      const opened = dice(world.seed, m, campaign.index, OPEN) < openProbability(trait.openPropensity, mail, params);
      const clicked = opened && dice(world.seed, m, campaign.index, CLICK) < clickProbabilityGivenOpen(mail, params);
      const converted =
        opened && dice(world.seed, m, campaign.index, CONVERT) < conversionProbabilityGivenOpen(mail, exposure, params);
      if (opened) totals.opens += 1;
      if (clicked) totals.clicks += 1;
      if (converted) totals.conversions += 1;
      if (opened || clicked || converted)
        engagements[m] = { sentAt: [], lastEngagedAt: campaign.at + ENGAGED_AFTER_MS };
      if (
        dice(world.seed, m, campaign.index, UNSUBSCRIBE) <
        unsubscribeProbability(mail, exposure, { tolerance: trait.tolerance, opened }, params)
      ) {
        left[m] = 1;
        totals.left += 1;
        options.onLeave?.(member, campaign);
        causes[unsubscribeCause(unsubscribeFactors(mail, exposure, params))] += 1;
      }
    }
  }
  return { policy: policy.name, members: memberCount, ...totals, causes };
}

/** The campaigns in the planning horizon that would mail this member too (their mail has offers). */
function competitors(
  world: World,
  horizon: readonly SimCampaign[],
  member: number,
): Array<{ campaign: SimCampaign; relevance: number }> {
  const memberCount = world.members.length;
  const out: Array<{ campaign: SimCampaign; relevance: number }> = [];
  for (const next of horizon) {
    const relevance = world.relevance[next.index * memberCount + member] ?? 0;
    if (relevance > 0) out.push({ campaign: next, relevance });
  }
  return out;
}

/** Mails in the 7 and 30 days before `at`, and the hours since the latest one. */
export function exposureAt(sentAt: readonly number[], at: number): Exposure {
  let mails7 = 0;
  let mails30 = 0;
  let latest = Number.NEGATIVE_INFINITY;
  for (let i = sentAt.length - 1; i >= 0; i--) {
    const t = sentAt[i] ?? Number.NEGATIVE_INFINITY;
    if (t >= at) continue;
    latest = Math.max(latest, t);
    if (t <= at - 30 * DAY_MS) break;
    mails30 += 1;
    if (t > at - 7 * DAY_MS) mails7 += 1;
  }
  return { mails7, mails30, hoursSinceLast: (at - latest) / HOUR_MS };
}

/** The latest of the sorted `times` before `at`, by binary search. */
export function latestBefore(times: readonly number[], at: number): number | undefined {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((times[mid] ?? Number.POSITIVE_INFINITY) < at) lo = mid + 1;
    else hi = mid;
  }
  return lo > 0 ? times[lo - 1] : undefined;
}

/** For each campaign, the later campaigns within the longest planning horizon (same-time ones included). */
function planningHorizons(campaigns: readonly SimCampaign[]): SimCampaign[][] {
  return campaigns.map((campaign, i) => {
    const ahead: SimCampaign[] = [];
    for (let j = i + 1; j < campaigns.length; j++) {
      const next = campaigns[j];
      if (!next || next.at > campaign.at + MAX_PLANNING_HORIZON_DAYS * DAY_MS) break;
      ahead.push(next);
    }
    return ahead;
  });
}
