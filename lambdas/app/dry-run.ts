import type { Decision } from '../core/decision.js';
import { ClubPlannerError } from '../core/errors.js';
import { type ClubDecideInput, forecastMember, inSendOrder, judgedAt } from '../core/forecast.js';
import { MEMBER_SHARDS } from '../core/jobs.js';
import { feedbackOf } from '../core/model.js';
import type { MemberState } from '../core/ports.js';
import { type CampaignContext, loadCampaignContext } from './campaign-context.js';
import { countDecisions, type DecisionCounts } from './campaign-report.js';
import type { Deps } from './deps.js';

export interface DryRun extends DecisionCounts {
  readonly decisions: Decision[];
  /** False when the club has more members than `limit`: the counts then cover a sample. */
  readonly complete: boolean;
  /** When the campaign was judged: its send time, or now if that has passed. */
  readonly judgedAt: string;
}

/** The campaign with the rivals and earlier campaigns of its send time (loadCampaignContext `atSendTime`). */
export function loadDryRunContext(
  deps: Pick<Deps, 'clubs' | 'campaigns' | 'popularity' | 'models' | 'surveys' | 'clock' | 'log'>,
  clubId: string,
  campaignId: string,
): Promise<CampaignContext | undefined> {
  return loadCampaignContext(deps, clubId, campaignId, { atSendTime: true });
}

/**
 * What the plan will decide for one member at the campaign's send time: the campaigns scheduled
 * before it mail the member first (lambdas/core/forecast.ts), then the campaign is judged with the
 * budget as it will be then. The same `decideCampaign` as the real plan (offers, survey or note);
 * nothing is recorded or queued.
 */
export function dryRunDecider(context: CampaignContext, now: Date): (state: MemberState) => Decision {
  const { club, campaign, candidates, popularity, model, rivals, nameDays, catalog, audience } = context;
  const timeline = inSendOrder([...rivals, { campaign, candidates, ...(audience ? { audience } : {}) }]);
  const shared: ClubDecideInput = {
    policy: club.budget,
    engagement: club.engagement,
    feedback: feedbackOf(club),
    popularity,
    catalog,
    ...(model ? { model } : {}),
    ...(nameDays ? { nameDays } : {}),
  };
  const through = Date.parse(campaign.sendAt);
  return (state) => {
    const steps = forecastMember({ state, timeline, club: shared, now, through, target: campaign.campaignId });
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
  deps: Pick<Deps, 'members' | 'clock'>,
  context: CampaignContext,
  limit: number,
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
      for (const state of page.states) decisions.push(decideFor(state));
      cursor = page.cursor;
    } while (cursor);
  }
  decisions.sort((a, b) => a.memberId.localeCompare(b.memberId));
  return {
    ...countDecisions(decisions),
    decisions,
    complete,
    judgedAt: judgedAt(context.campaign, now).toISOString(),
  };
}
