import { decideCampaign } from '../core/campaign-decision.js';
import { EMPTY_TALLY, MEMBER_SHARDS, type PlanShardJob, type SendJob } from '../core/jobs.js';
import { addTallies, tallyOf } from '../core/plan-tally.js';
import { decisionInput } from './campaign-context.js';
import type { Deps } from './deps.js';
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
  const records = await Promise.all(
    page.states.map((state) =>
      deps.campaigns.recordDecision(
        job.clubId,
        job.campaignId,
        decideCampaign(decisionInput(context, state, now)),
        now,
      ),
    ),
  );
  const sends: SendJob[] = [];
  const lastPurchase = new Map(page.states.map((s) => [s.member.memberId, s.profile.lastPurchaseAt]));
  for (const record of records) {
    const decision = record.decision;
    const lastPurchaseAt = lastPurchase.get(decision.memberId);
    // A replayed plan queues its sends again; the worker finds their claims and sends nothing twice.
    if (decision.outcome !== 'send') continue;
    sends.push({
      clubId: job.clubId,
      campaignId: job.campaignId,
      memberId: decision.memberId,
      sendId: decision.sendId,
      theme: campaign.theme,
      offers: decision.offers,
      ...(decision.notBefore ? { notBefore: decision.notBefore } : {}),
      ...(lastPurchaseAt ? { lastPurchaseAt } : {}),
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
