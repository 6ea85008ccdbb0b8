import { decideCampaign } from '../core/campaign-decision.js';
import type { Decision } from '../core/decision.js';
import { MEMBER_SHARDS } from '../core/jobs.js';
import { type CampaignContext, decisionInput } from './campaign-context.js';
import { countDecisions, type DecisionCounts } from './campaign-report.js';
import type { Deps } from './deps.js';

export interface DryRun extends DecisionCounts {
  readonly decisions: Decision[];
  /** False when the club has more members than `limit`: the counts then cover a sample. */
  readonly complete: boolean;
}

/**
 * What the plan would decide right now for each member, without writing anything.
 * The same `decide` as the real plan; only nothing is recorded or queued.
 */
export async function dryRun(
  deps: Pick<Deps, 'members' | 'clock'>,
  context: CampaignContext,
  limit: number,
): Promise<DryRun> {
  const { club } = context;
  const now = deps.clock.now();
  const decisions: Decision[] = [];
  let complete = true;
  for (let shard = 0; shard < MEMBER_SHARDS; shard++) {
    let cursor: string | undefined;
    do {
      if (decisions.length >= limit) {
        complete = false;
        break;
      }
      const page = await deps.members.listShard(club.clubId, shard, cursor, Math.min(100, limit - decisions.length));
      for (const state of page.states) decisions.push(decideCampaign(decisionInput(context, state, now)));
      cursor = page.cursor;
    } while (cursor);
  }
  decisions.sort((a, b) => a.memberId.localeCompare(b.memberId));
  return { ...countDecisions(decisions), decisions, complete };
}
