import { claimRulesOf, decideInArm, recordedForm } from '../core/experiment-decision.js';
import { EMPTY_TALLY, MEMBER_SHARDS, type PlanShardJob, type SendJob } from '../core/jobs.js';
import { addTallies, tallyOf } from '../core/plan-tally.js';
import type { DecisionRecord, MemberState } from '../core/ports.js';
import { decisionInput } from './campaign-context.js';
import type { Deps } from './deps.js';
import { armsOfPage } from './experiment-arms.js';
import { cachedCampaignContext } from './plan-context-cache.js';

/** Members per page: small enough that one page fits well inside the function timeout. */
export const PLAN_PAGE_SIZE = 100;

/**
 * Plan one page of one member shard: decide for each member, record the decision once, queue
 * the mails, and queue the next page with the shard's tally so far. Replaying a page finds the
 * recorded decisions and re-queues only mails not yet sent; the send claim makes the extra jobs
 * harmless. The shard's last page stores its tally and notes it done (lambdas/core/member-slots.ts).
 */
export async function planShard(
  deps: Pick<
    Deps,
    | 'clubs'
    | 'campaigns'
    | 'members'
    | 'popularity'
    | 'models'
    | 'surveys'
    | 'experiments'
    | 'ledger'
    | 'sendQueue'
    | 'planShardQueue'
    | 'clock'
    | 'log'
  >,
  job: PlanShardJob,
): Promise<{ decided: number; queued: number }> {
  const context = await cachedCampaignContext(deps, job.clubId, job.campaignId);
  if (!context) {
    deps.log.warn('plan-shard for an unknown club or campaign; dropped', { ...job });
    return { decided: 0, queued: 0 };
  }
  const { campaign } = context;
  if (campaign.status !== 'planning') {
    deps.log.info('plan-shard for a campaign that is not planning; dropped', { ...job, status: campaign.status });
    return { decided: 0, queued: 0 };
  }
  const shard = { index: job.shard, of: job.shards ?? MEMBER_SHARDS };
  const page = await deps.members.listShard(job.clubId, shard, job.cursor, PLAN_PAGE_SIZE);
  const now = deps.clock.now();
  // Each member under their arm of the club's policy experiment, stored the first time they are planned.
  const arms = await armsOfPage(deps, context.experiment, page.states, now, { store: true });
  const records = await Promise.all(
    page.states.map((state) =>
      deps.campaigns.recordDecision(
        job.clubId,
        job.campaignId,
        recordedForm(decideInArm(decisionInput(context, state, now), arms.get(state.member.memberId))),
        now,
      ),
    ),
  );
  // A campaign outranked by a later one leaves its offer in the member's ledger for that mail (ADR 0054).
  await leaveFolds(deps, job.clubId, job.campaignId, page.states, records, now);
  const clubRules = { budget: context.club.budget, engagement: context.club.engagement };
  const sends: SendJob[] = [];
  const lastPurchase = new Map(page.states.map((s) => [s.member.memberId, s.profile.lastPurchaseAt]));
  for (const record of records) {
    const decision = record.decision;
    const lastPurchaseAt = lastPurchase.get(decision.memberId);
    const claimRules = claimRulesOf(arms.get(decision.memberId), clubRules);
    // A replayed plan queues its sends again; the worker finds their claims and sends nothing twice.
    if (decision.outcome !== 'send') continue;
    sends.push({
      clubId: job.clubId,
      campaignId: job.campaignId,
      memberId: decision.memberId,
      sendId: decision.sendId,
      theme: campaign.theme,
      offers: decision.offers,
      ...(decision.folded ? { folded: decision.folded } : {}),
      ...(decision.inferred ? { inferred: decision.inferred } : {}),
      ...(decision.notBefore ? { notBefore: decision.notBefore } : {}),
      ...(lastPurchaseAt ? { lastPurchaseAt } : {}),
      ...(claimRules ? { claimRules } : {}),
    });
  }
  await deps.sendQueue.send(sends);
  // Counted from the recorded decisions, so a replayed page counts what was recorded the first time.
  const tally = addTallies(job.tally ?? EMPTY_TALLY, tallyOf(records.map((r) => r.decision)));
  if (page.cursor) {
    await deps.planShardQueue.send([{ ...job, cursor: page.cursor, tally }]);
  } else if (await deps.campaigns.finishShard(job.clubId, job.campaignId, shard, tally)) {
    await deps.campaigns.transition(job.clubId, job.campaignId, ['planning'], 'planned', now);
    deps.log.info('campaign fully planned', { clubId: job.clubId, campaignId: job.campaignId });
  }
  return { decided: records.length, queued: sends.length };
}

/**
 * The pending folds of a page's recorded decisions (`outranked-by:` a later campaign, with folding on):
 * one conditional ledger write each, judged on the ledger the page read. A replayed page finds them
 * written (or already carried) and writes nothing.
 */
async function leaveFolds(
  deps: Pick<Deps, 'ledger'>,
  clubId: string,
  campaignId: string,
  states: readonly MemberState[],
  records: readonly DecisionRecord[],
  now: Date,
): Promise<void> {
  const ledgers = new Map(states.map((s) => [s.member.memberId, s.ledger]));
  await Promise.all(
    records.flatMap(({ decision }) => {
      if (decision.outcome !== 'suppress' || !decision.pendingFoldInto) return [];
      const ledger = ledgers.get(decision.memberId);
      const { memberId, pendingFoldInto: into } = decision;
      return [deps.ledger.leaveFold({ clubId, memberId, campaignId, into, now, ...(ledger ? { ledger } : {}) })];
    }),
  );
}
