import type { Decision } from '../core/decision.js';
import { decideInArm } from '../core/experiment-decision.js';
import { MEMBER_SHARDS } from '../core/jobs.js';
import { choiceReason } from '../core/mail-controls.js';
import type { Language } from '../core/model.js';
import { type CampaignContext, decisionInput } from './campaign-context.js';
import { countDecisions, type DecisionCounts } from './campaign-report.js';
import type { Deps } from './deps.js';
import { armsOfPage } from './experiment-arms.js';

/** A decision as the dry-run shows it: with its reason in the club's words when it is the member's own choice. */
export type ExplainedDecision = Decision & { readonly explanation?: string };

export interface DryRun extends DecisionCounts {
  readonly decisions: ExplainedDecision[];
  /** False when the club has more members than `limit`: the counts then cover a sample. */
  readonly complete: boolean;
}

/**
 * What the plan would decide right now for each member, without writing anything.
 * The same `decide` as the real plan; only nothing is recorded or queued.
 */
export async function dryRun(
  deps: Pick<Deps, 'members' | 'experiments' | 'clock'>,
  context: CampaignContext,
  limit: number,
  /** The language of the reason sentences of members' own choices (core/mail-controls.ts); the club's by default. */
  language?: Language,
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
      // The arm the next plan would store for a member not yet assigned; nothing is written here.
      const arms = await armsOfPage(deps, context.experiment, page.states, now, { store: false });
      for (const state of page.states)
        decisions.push(decideInArm(decisionInput(context, state, now), arms.get(state.member.memberId)));
      cursor = page.cursor;
    } while (cursor);
  }
  decisions.sort((a, b) => a.memberId.localeCompare(b.memberId));
  const explained = decisions.map((d): ExplainedDecision => {
    const explanation = d.outcome === 'suppress' ? choiceReason(language ?? club.language, d.reason) : undefined;
    return explanation ? { ...d, explanation } : d;
  });
  return { ...countDecisions(decisions), decisions: explained, complete };
}
