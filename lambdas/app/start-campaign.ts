import { MEMBER_SHARDS, type PlanShardJob, type StartCampaignJob } from '../core/jobs.js';
import type { Deps } from './deps.js';
import { freshClubModel } from './fit-club-model.js';

export type StartOutcome = 'started' | 'not-scheduled';

/**
 * At send time: move the campaign to planning, refit the club's model if it is over a day old,
 * and fan out one job per member shard.
 * A second firing of the scheduler re-sends the shard jobs, which is harmless: every decision
 * is recorded once and every mail is claimed once.
 */
export async function startCampaign(
  deps: Pick<Deps, 'campaigns' | 'planShardQueue' | 'clubs' | 'members' | 'purchases' | 'models' | 'clock' | 'log'>,
  job: StartCampaignJob,
): Promise<StartOutcome> {
  const moved = await deps.campaigns.transition(
    job.clubId,
    job.campaignId,
    ['scheduled', 'planning'],
    'planning',
    deps.clock.now(),
    {
      shardCount: MEMBER_SHARDS,
    },
  );
  if (!moved.ok) {
    deps.log.info('campaign start ignored', { ...job, status: moved.campaign?.status ?? 'missing' });
    return 'not-scheduled';
  }
  // Every shard reads the same stored model, so refit it (when stale) once, before the fan-out.
  await freshClubModel(deps, job.clubId);
  const shards: PlanShardJob[] = Array.from({ length: MEMBER_SHARDS }, (_, shard) => ({ ...job, shard }));
  await deps.planShardQueue.send(shards);
  deps.log.info('campaign planning started', { ...job, shards: shards.length });
  return 'started';
}
