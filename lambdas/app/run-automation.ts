import {
  type Automation,
  latestOccurrence,
  occurrenceOf,
  type RunAutomationJob,
  runCampaign,
} from '../core/automation.js';
import type { Deps } from './deps.js';
import { type StartOutcome, startCampaign } from './start-campaign.js';

export type RunOutcome = StartOutcome | 'not-active' | 'before-start' | 'unknown';

type RunDeps = Pick<Deps, 'automations' | 'campaigns' | 'planShardQueue' | 'memberRoster' | 'clock' | 'log'>;

/**
 * One occurrence of an automation: create its run (a campaign whose id is the automation and the
 * occurrence, with a conditional put) and start it. A second delivery of the same occurrence (a
 * Scheduler retry, a restart that runs a missed occurrence the timer also fires) finds the run and
 * starts it again, which is harmless (start-campaign.ts): the occurrence runs once. An automation that
 * is no longer active, or an occurrence from before it was last activated, runs nothing.
 */
export async function runAutomation(deps: RunDeps, job: RunAutomationJob): Promise<RunOutcome> {
  const automation = await deps.automations.get(job.clubId, job.automationId);
  if (!automation) {
    deps.log.warn('run of an unknown automation; dropped', { ...job });
    return 'unknown';
  }
  const occurrence = occurrenceOf(job.scheduledTime);
  if (automation.status !== 'active') {
    deps.log.info('run of an automation that is not active; skipped', { ...job, status: automation.status });
    return 'not-active';
  }
  if (occurrence.getTime() < Date.parse(automation.since)) {
    deps.log.info('occurrence before the automation was activated; skipped', { ...job, since: automation.since });
    return 'before-start';
  }
  const campaign = runCampaign(automation, occurrence, deps.clock.now());
  const created = await deps.campaigns.createCampaign(campaign);
  await deps.automations.noteRun(job.clubId, job.automationId, occurrence.toISOString());
  deps.log.info('automation run', { ...job, campaignId: campaign.campaignId, created });
  return startCampaign(deps, { clubId: job.clubId, campaignId: campaign.campaignId });
}

/**
 * The occurrence an active automation missed while nothing could fire it (the local process was
 * down): the latest one after it last ran and after it was activated, if it has come. Only the latest
 * runs, once: a weekly offer mailed three times on start would be worse than one missed.
 */
export function missedRun(automation: Automation, now: Date): RunAutomationJob | undefined {
  if (automation.status !== 'active') return undefined;
  const after = Math.max(
    Date.parse(automation.since) - 1,
    automation.lastOccurrence ? Date.parse(automation.lastOccurrence) : Number.NEGATIVE_INFINITY,
  );
  const missed = latestOccurrence(automation.recurrence, automation.timeZone, now, new Date(after));
  return missed
    ? { clubId: automation.clubId, automationId: automation.automationId, scheduledTime: missed.toISOString() }
    : undefined;
}
