import type { PlanShardJob, StartCampaignJob } from '../core/jobs.js';
import { shardCountFor } from '../core/member-slots.js';
import type { Deps } from './deps.js';

export type StartOutcome = 'started' | 'not-scheduled';

/**
 * At send time: move the campaign to planning and fan out one job per plan shard, as many shards as
 * the club's size asks for (lambdas/core/member-slots.ts). The club model is not fitted here: the
 * nightly fit stored it, and every shard reads the stored model (docs/decisions/0024-sql-model-fit.md),
 * so this function reads neither the members nor their receipts.
 * A second firing of the scheduler re-sends the shard jobs, which is harmless: every decision
 * is recorded once and every mail is claimed once.
 */
export async function startCampaign(
  deps: Pick<Deps, 'campaigns' | 'planShardQueue' | 'memberRoster' | 'clock' | 'log'>,
  job: StartCampaignJob,
): Promise<StartOutcome> {
  const estimate = await deps.memberRoster.estimate(job.clubId);
  const moved = await deps.campaigns.transition(
    job.clubId,
    job.campaignId,
    ['scheduled'],
    'planning',
    deps.clock.now(),
    {
      shardCount: shardCountFor(estimate),
    },
  );
  // A second firing finds the campaign planning and re-sends the first firing's shards, never other ones.
  const campaign = moved.ok ? moved.campaign : moved.campaign?.status === 'planning' ? moved.campaign : undefined;
  if (!campaign) {
    deps.log.info('campaign start ignored', { ...job, status: moved.campaign?.status ?? 'missing' });
    return 'not-scheduled';
  }
  const shardCount = campaign.shardCount ?? shardCountFor(estimate);
  const jobs: PlanShardJob[] = Array.from({ length: shardCount }, (_, shard) => ({
    ...job,
    shard,
    shards: shardCount,
  }));
  for (let i = 0; i < jobs.length; i += 1000) await deps.planShardQueue.send(jobs.slice(i, i + 1000));
  deps.log.info('campaign planning started', { ...job, shards: shardCount, estimatedMembers: estimate });
  return 'started';
}
