import { decide } from '../core/decision.js';
import type { PlanShardJob, SendJob } from '../core/jobs.js';
import { loadCampaignContext } from './campaign-context.js';
import type { Deps } from './deps.js';

/** Members per page: small enough that one page fits well inside the function timeout. */
export const PLAN_PAGE_SIZE = 100;

/**
 * Plan one page of one member shard: decide for each member, record the decision once, queue
 * the mails, and queue the next page. Replaying a page finds the recorded decisions and
 * re-queues only mails not yet sent; the send claim makes the extra jobs harmless.
 */
export async function planShard(
  deps: Pick<
    Deps,
    'clubs' | 'campaigns' | 'members' | 'popularity' | 'models' | 'sendQueue' | 'planShardQueue' | 'clock' | 'log'
  >,
  job: PlanShardJob,
): Promise<{ decided: number; queued: number }> {
  const context = await loadCampaignContext(deps, job.clubId, job.campaignId);
  if (!context) {
    deps.log.warn('plan-shard for an unknown club or campaign; dropped', { ...job });
    return { decided: 0, queued: 0 };
  }
  const { club, campaign, candidates, popularity, model, rivals, nameDays, catalog, audience } = context;
  if (campaign.status !== 'planning') {
    deps.log.info('plan-shard for a campaign that is not planning; dropped', { ...job, status: campaign.status });
    return { decided: 0, queued: 0 };
  }
  const page = await deps.members.listShard(job.clubId, job.shard, job.cursor, PLAN_PAGE_SIZE);
  const now = deps.clock.now();
  const records = await Promise.all(
    page.states.map((state) =>
      deps.campaigns.recordDecision(
        job.clubId,
        job.campaignId,
        decide({
          ...state,
          campaign,
          candidates,
          popularity,
          rivals,
          catalog,
          ...(model ? { model } : {}),
          ...(nameDays ? { nameDays } : {}),
          ...(audience ? { audience } : {}),
          policy: club.budget,
          engagement: club.engagement,
          now,
        }),
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
  if (page.cursor) {
    await deps.planShardQueue.send([{ ...job, cursor: page.cursor }]);
  } else {
    const done = await deps.campaigns.markShardDone(job.clubId, job.campaignId, job.shard);
    if (done >= (campaign.shardCount ?? 0)) {
      await deps.campaigns.transition(job.clubId, job.campaignId, ['planning'], 'planned', now);
      deps.log.info('campaign fully planned', { clubId: job.clubId, campaignId: job.campaignId });
    }
  }
  return { decided: records.length, queued: sends.length };
}
