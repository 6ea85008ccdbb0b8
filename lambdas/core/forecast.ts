import { type CampaignDecisionInput, decideCampaign } from './campaign-decision.js';
import type { Decision, Rival } from './decision.js';
import type { FoldedOffer } from './fold.js';
import { type Ledger, sendIdFor, withPendingFold } from './ledger.js';
import type { Campaign } from './model.js';
import type { MemberState } from './ports.js';

/**
 * What the plan would decide for a member in the future (docs/decisions/0034-forecasts-and-the-explorer.md).
 *
 * A campaign is judged at its own send time, not now: by then the member's earlier sends may have
 * left the budget windows, and the campaigns scheduled before it will have mailed the member. So the
 * campaigns are walked in send-time order, each decided with the real `decide` at its send time
 * (now, if that has passed), and each mail it would send is added to the member's ledger before the
 * next one is judged. The campaigns after it in the planning horizon are its rivals, as they will be
 * when it is planned.
 */

/**
 * A campaign with its offer pool joined to products and its saved audience (a `Rival`): what
 * `decideCampaign` needs of it; a note also names its members.
 */
export interface PlannedCampaign extends Rival {
  /** A note's members: those whose comments raised its topic (lambdas/app/feedback-notes.ts). */
  readonly noteMembers?: ReadonlySet<string>;
}

/** Everything `decideCampaign` reads that is the same for every member of the club. */
export type ClubDecideInput = Pick<
  CampaignDecisionInput,
  'policy' | 'engagement' | 'popularity' | 'model' | 'nameDays' | 'catalog' | 'feedback' | 'foldOffers'
>;

/** How one member's campaign is decided: the plan's `decideCampaign`, or that under the member's experiment arm. */
export type Decider = (input: CampaignDecisionInput) => Decision;

export interface ForecastStep {
  readonly campaignId: string;
  /** When the campaign is judged: its send time, or now if that has passed. */
  readonly judgedAt: Date;
  readonly decision: Decision;
  /** When its mail would go out (after quiet hours); only for a send. */
  readonly sendsAt?: Date;
}

/** Campaigns in the order they go out (ties: the higher priority first, then by id, so the walk is reproducible). */
export function inSendOrder<T extends { readonly campaign: Campaign }>(campaigns: readonly T[]): T[] {
  return [...campaigns].sort(
    (a, b) =>
      Date.parse(a.campaign.sendAt) - Date.parse(b.campaign.sendAt) ||
      b.campaign.priority - a.campaign.priority ||
      a.campaign.campaignId.localeCompare(b.campaign.campaignId),
  );
}

/** When a campaign is judged: at its send time, never before `now`. */
export function judgedAt(campaign: Pick<Campaign, 'sendAt'>, now: Date): Date {
  return new Date(Math.max(Date.parse(campaign.sendAt), now.getTime()));
}

/**
 * Decide, for one member, every campaign of `timeline` whose send time is at or before `through`
 * (epoch ms), in send-time order. Campaigns after `through` are only rivals. `timeline` must be in
 * send order (`inSendOrder`). Only scheduled or planning campaigns take the member's budget: a draft
 * is judged but never imagined sent, and `decide` keeps only those as rivals.
 */
export function forecastMember(input: {
  readonly state: MemberState;
  readonly timeline: readonly PlannedCampaign[];
  readonly club: ClubDecideInput;
  readonly now: Date;
  readonly through: number;
  /** A campaign decided even if it already claimed the member's mail (the one a dry-run is about). */
  readonly target?: string;
  /** How each campaign is decided for the member (their experiment arm's rules); `decideCampaign` by default. */
  readonly decide?: Decider;
  /** Campaigns already planned, which may have left offers in the member's ledger (ADR 0054). */
  readonly heldBack?: readonly PlannedCampaign[];
}): ForecastStep[] {
  const { state, timeline, club, now, through } = input;
  let ledger: Ledger = state.ledger;
  const steps: ForecastStep[] = [];
  timeline.forEach((entry, index) => {
    const { campaign } = entry;
    if (Date.parse(campaign.sendAt) > through) return;
    // A campaign already sending has claimed this member's mail: it is in the ledger, not to be imagined again.
    // A fold is no claim of its own: the campaign is judged, and says where its offer went.
    const own = sendIdFor(campaign.clubId, campaign.campaignId, state.member.memberId);
    const claimed = Object.hasOwn(ledger.sends, own) && ledger.sends[own]?.kind !== 'folded';
    if (claimed && campaign.campaignId !== input.target) return;
    const at = judgedAt(campaign, now);
    const rivals: Rival[] = timeline.filter(
      (other, j) => j > index && other.campaign.campaignId !== campaign.campaignId,
    );
    // Any kind of campaign, as the plan decides it: offers, a survey under its own caps, a note to its audience.
    const decision = (input.decide ?? decideCampaign)({
      ...club,
      member: state.member,
      profile: state.profile,
      ledger,
      campaign,
      candidates: entry.candidates,
      rivals,
      // The campaigns judged before it may leave their offers for its mail, as their plans will (ADR 0054).
      heldBack: [...(input.heldBack ?? []), ...timeline.slice(0, index)],
      ...(entry.audience ? { audience: entry.audience } : {}),
      ...(entry.noteMembers ? { noteMembers: entry.noteMembers } : {}),
      now: at,
    });
    if (decision.outcome !== 'send') {
      steps.push({ campaignId: campaign.campaignId, judgedAt: at, decision });
      // Outranked by a later mail: its plan leaves the offer in the ledger for that mail (ADR 0054).
      if (decision.pendingFoldInto && isPlanned(campaign)) {
        const fold = { clubId: campaign.clubId, memberId: state.member.memberId, campaignId: campaign.campaignId };
        ledger = withPendingFold(ledger, { ...fold, into: decision.pendingFoldInto }, at) ?? ledger;
      }
      return;
    }
    const sendsAt = decision.notBefore ? new Date(decision.notBefore) : at;
    steps.push({ campaignId: campaign.campaignId, judgedAt: at, decision, sendsAt });
    // Only a campaign that will go out takes the member's budget: a draft is judged, never imagined sent.
    if (isPlanned(campaign)) ledger = withSend(ledger, campaign, sendsAt, decision.folded ?? []);
  });
  return steps;
}

/** Whether the campaign will go out: a draft is judged, never imagined sent. */
function isPlanned(campaign: Campaign): boolean {
  return campaign.status === 'scheduled' || campaign.status === 'planning';
}

/**
 * The ledger with one more (imagined) send of `campaign` at `at`, as the send worker's claim would add
 * it: the offers folded into it marked folded (so their campaigns report `folded-into:`), and the pending
 * folds addressed to it settled.
 */
function withSend(ledger: Ledger, campaign: Campaign, at: Date, folded: readonly FoldedOffer[]): Ledger {
  const kind = campaign.kind === 'survey' ? 'survey' : 'offers';
  const sends: Ledger['sends'] = { ...ledger.sends, [`forecast:${campaign.campaignId}`]: { at: at.getTime(), kind } };
  for (const fold of folded) {
    if (!Object.hasOwn(sends, fold.sendId))
      sends[fold.sendId] = { at: at.getTime(), kind: 'folded', into: campaign.campaignId };
  }
  const pending = Object.entries(ledger.pendingFolds ?? {}).filter(([, p]) => p.into !== campaign.campaignId);
  const { pendingFolds: _settled, ...rest } = ledger;
  return {
    ...rest,
    version: ledger.version + 1,
    sends,
    ...(pending.length > 0 ? { pendingFolds: Object.fromEntries(pending) } : {}),
  };
}
