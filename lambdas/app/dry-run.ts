import type { Decision } from '../core/decision.js';
import { ClubPlannerError } from '../core/errors.js';
import type { MemberArm } from '../core/experiment.js';
import { decideInArm } from '../core/experiment-decision.js';
import { type ClubDecideInput, forecastMember, inSendOrder, judgedAt } from '../core/forecast.js';
import { MEMBER_SHARDS } from '../core/jobs.js';
import { choiceReason } from '../core/mail-controls.js';
import { feedbackOf, type Language } from '../core/model.js';
import type { MemberState } from '../core/ports.js';
import { type CampaignContext, loadCampaignContext } from './campaign-context.js';
import { countDecisions, type DecisionCounts } from './campaign-report.js';
import type { Deps } from './deps.js';
import { armsOfPage } from './experiment-arms.js';

/** A decision as the dry-run shows it: with its reason in the club's words when it is the member's own choice. */
export type ExplainedDecision = Decision & { readonly explanation?: string };

export interface DryRun extends DecisionCounts {
  readonly decisions: ExplainedDecision[];
  /** False when the club has more members than `limit`: the counts then cover a sample. */
  readonly complete: boolean;
  /** When the campaign was judged: its send time, or now if that has passed. */
  readonly judgedAt: string;
}

/** The campaign with the rivals and earlier campaigns of its send time (loadCampaignContext `atSendTime`). */
export function loadDryRunContext(
  deps: Parameters<typeof loadCampaignContext>[0],
  clubId: string,
  campaignId: string,
): Promise<CampaignContext | undefined> {
  return loadCampaignContext(deps, clubId, campaignId, { atSendTime: true });
}

/**
 * What the plan will decide for one member at the campaign's send time: the campaigns scheduled
 * before it mail the member first (lambdas/core/forecast.ts), then the campaign is judged with the
 * budget as it will be then. The same `decideCampaign` as the real plan (offers, survey or note),
 * under the member's experiment arm when the club runs one; nothing is recorded or queued.
 */
export function dryRunDecider(context: CampaignContext, now: Date): (state: MemberState, arm?: MemberArm) => Decision {
  const { club, campaign, candidates, popularity, model, rivals, nameDays, catalog, audience, noteMembers } = context;
  const timeline = inSendOrder([
    ...rivals,
    { campaign, candidates, ...(audience ? { audience } : {}), ...(noteMembers ? { noteMembers } : {}) },
  ]);
  const shared: ClubDecideInput = {
    policy: club.budget,
    engagement: club.engagement,
    feedback: feedbackOf(club),
    foldOffers: club.foldOffers !== false,
    popularity,
    catalog,
    ...(model ? { model } : {}),
    ...(nameDays ? { nameDays } : {}),
  };
  const through = Date.parse(campaign.sendAt);
  return (state, arm) => {
    const steps = forecastMember({
      state,
      timeline,
      club: shared,
      now,
      through,
      target: campaign.campaignId,
      heldBack: context.heldBack,
      decide: (input) => decideInArm(input, arm),
    });
    const own = steps.find((s) => s.campaignId === campaign.campaignId);
    if (!own) throw new ClubPlannerError(`the forecast skipped campaign ${campaign.campaignId}`);
    return own.decision;
  };
}

/**
 * What the plan would decide for each member at the campaign's send time, without writing anything
 * (use `loadDryRunContext` for the context). The counts cover at most `limit` members.
 */
export async function dryRun(
  deps: Pick<Deps, 'members' | 'experiments' | 'clock'>,
  context: CampaignContext,
  limit: number,
  /** The language of the reason sentences of members' own choices (core/mail-controls.ts); the club's by default. */
  language?: Language,
): Promise<DryRun> {
  const now = deps.clock.now();
  const decideFor = dryRunDecider(context, now);
  const decisions: Decision[] = [];
  let complete = true;
  for (let shard = 0; shard < MEMBER_SHARDS; shard++) {
    let cursor: string | undefined;
    do {
      if (decisions.length >= limit) {
        complete = false;
        break;
      }
      const page = await deps.members.listShard(
        context.club.clubId,
        shard,
        cursor,
        Math.min(100, limit - decisions.length),
      );
      // The arm the next plan would store for a member not yet assigned; nothing is written here.
      const arms = await armsOfPage(deps, context.experiment, page.states, now, { store: false });
      for (const state of page.states) decisions.push(decideFor(state, arms.get(state.member.memberId)));
      cursor = page.cursor;
    } while (cursor);
  }
  decisions.sort((a, b) => a.memberId.localeCompare(b.memberId));
  const explained = decisions.map((d): ExplainedDecision => {
    const explanation =
      d.outcome === 'suppress' ? choiceReason(language ?? context.club.language, d.reason) : undefined;
    return explanation ? { ...d, explanation } : d;
  });
  return {
    ...countDecisions(decisions),
    decisions: explained,
    complete,
    judgedAt: judgedAt(context.campaign, now).toISOString(),
  };
}
