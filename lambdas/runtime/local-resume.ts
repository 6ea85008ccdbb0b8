import { type DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { Deps } from '../app/deps.js';
import { armsOfPage } from '../app/experiment-arms.js';
import { missedRun, runAutomation } from '../app/run-automation.js';
import { Automation } from '../core/automation.js';
import { claimRulesOf } from '../core/experiment-decision.js';
import { ImportJob, type ImportMessage } from '../core/import-job.js';
import type { SendJob } from '../core/jobs.js';
import { Campaign } from '../core/model.js';
import type { Logger } from '../core/ports.js';
import { DAY_MS } from '../core/units.js';

/**
 * The local queues and timers live in memory, so a restart loses what they held; on AWS, SQS and
 * EventBridge Scheduler keep it. On start the local system puts it back from the table
 * (docs/decisions/0023-local-runtime.md): each step is idempotent, so putting back too much is harmless.
 */

/** How long SQS keeps an unreceived message (its default): older queued mail would be gone on AWS too. */
export const QUEUE_RETENTION_DAYS = 4;

type Item = Record<string, unknown>;

async function* scan(db: DynamoDBDocumentClient, tableName: string, type: string): AsyncGenerator<Item> {
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db.send(
      new ScanCommand({
        TableName: tableName,
        FilterExpression: '#type = :type',
        ExpressionAttributeNames: { '#type': 'type' },
        ExpressionAttributeValues: { ':type': type },
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    yield* page.Items ?? [];
    start = page.LastEvaluatedKey;
  } while (start);
}

/**
 * Re-arm scheduled campaigns, resume campaigns caught mid-plan, and queue again the mails of planned
 * campaigns that are still `queued` or `unknown` (the send protocol claims before it sends, so a mail
 * already sent is not sent again: docs/sending.md).
 */
export async function resumeCampaigns(
  db: DynamoDBDocumentClient,
  tableName: string,
  deps: Pick<Deps, 'scheduler' | 'campaigns' | 'sendQueue' | 'clock' | 'clubs' | 'members' | 'experiments'>,
  log: Logger,
): Promise<void> {
  const now = deps.clock.now();
  for await (const item of scan(db, tableName, 'campaign')) {
    const campaign = Campaign.parse(item);
    if (campaign.status === 'scheduled' || campaign.status === 'planning') {
      const at = campaign.status === 'planning' ? now : new Date(campaign.sendAt);
      await deps.scheduler.schedule(campaign.clubId, campaign.campaignId, at);
      log.info('re-armed campaign after restart', {
        clubId: campaign.clubId,
        campaignId: campaign.campaignId,
        status: campaign.status,
      });
      continue;
    }
    if (campaign.status !== 'planned') continue;
    if (now.getTime() - Date.parse(campaign.sendAt) > QUEUE_RETENTION_DAYS * DAY_MS) continue;
    const jobs: SendJob[] = [];
    for (const record of await deps.campaigns.listDecisions(campaign.clubId, campaign.campaignId)) {
      const { decision, delivery } = record;
      if (decision.outcome !== 'send') continue;
      if (delivery && delivery.state !== 'queued' && delivery.state !== 'unknown') continue;
      jobs.push({
        clubId: campaign.clubId,
        campaignId: campaign.campaignId,
        memberId: decision.memberId,
        sendId: decision.sendId,
        theme: campaign.theme,
        offers: decision.offers,
        ...(decision.folded ? { folded: decision.folded } : {}),
        ...(decision.inferred ? { inferred: decision.inferred } : {}),
        ...(decision.notBefore ? { notBefore: decision.notBefore } : {}),
      });
    }
    const resumed = await withPlanContext(deps, campaign.clubId, jobs, now);
    for (let i = 0; i < resumed.length; i += 10) await deps.sendQueue.send(resumed.slice(i, i + 10));
    if (jobs.length > 0) {
      log.info('queued unsent mail again after restart', {
        clubId: campaign.clubId,
        campaignId: campaign.campaignId,
        mails: jobs.length,
      });
    }
  }
}

/**
 * What the plan put on a send job besides its decision (app/plan-shard.ts): the claim rules of the
 * member's arm in the club's running experiment, so the claim enforces the budget the plan decided
 * under, and the member's last purchase (engagement at send, an after-purchase survey's purchase).
 */
async function withPlanContext(
  deps: Pick<Deps, 'clubs' | 'members' | 'experiments'>,
  clubId: string,
  jobs: readonly SendJob[],
  now: Date,
): Promise<SendJob[]> {
  if (jobs.length === 0) return [];
  const [club, experiment] = await Promise.all([deps.clubs.getClub(clubId), deps.experiments.get(clubId)]);
  if (!club) return [...jobs];
  const states = (await Promise.all(jobs.map((job) => deps.members.getState(clubId, job.memberId)))).flatMap((s) =>
    s ? [s] : [],
  );
  const arms = await armsOfPage(deps, experiment, states, now, { store: false });
  const lastPurchase = new Map(states.map((s) => [s.member.memberId, s.profile.lastPurchaseAt]));
  const clubRules = { budget: club.budget, engagement: club.engagement };
  return jobs.map((job) => {
    const lastPurchaseAt = lastPurchase.get(job.memberId);
    const claimRules = claimRulesOf(arms.get(job.memberId), clubRules);
    return { ...job, ...(lastPurchaseAt ? { lastPurchaseAt } : {}), ...(claimRules ? { claimRules } : {}) };
  });
}

/** Put the next step of every unfinished import job back on the queue. */
export async function resumeImports(
  db: DynamoDBDocumentClient,
  tableName: string,
  deps: Pick<Deps, 'importQueue'>,
  log: Logger,
): Promise<void> {
  for await (const item of scan(db, tableName, 'import-job')) {
    const parsed = ImportJob.safeParse({
      ...item,
      doneChunks: item.doneChunks instanceof Set ? [...item.doneChunks] : [],
    });
    if (!parsed.success) continue;
    const job = parsed.data;
    // A synchronous ingest is resumed by its client's retry, which brings the body again.
    if (job.jobId.startsWith('sync-')) continue;
    const base = { clubId: job.clubId, jobId: job.jobId };
    const messages: ImportMessage[] = [];
    if (job.status === 'queued' || job.status === 'partitioning') messages.push({ step: 'partition', ...base });
    if (job.status === 'processing') {
      for (let chunk = 0; chunk < (job.chunks ?? 0); chunk++)
        if (!job.doneChunks.includes(chunk)) messages.push({ step: 'chunk', ...base, chunk });
      if (messages.length === 0) messages.push({ step: 'finalize', ...base });
    }
    if (messages.length === 0) continue;
    await deps.importQueue.send(messages);
    log.info('resumed import after restart', { ...base, status: job.status, steps: messages.length });
  }
}

/**
 * Re-arm every active automation's recurring schedule, after running the occurrence it missed while
 * the process was down, once: the run's id is the occurrence, created with a conditional put, so a
 * second start (or the timer firing the same occurrence) runs nothing twice (app/run-automation.ts).
 */
export async function resumeAutomations(
  db: DynamoDBDocumentClient,
  tableName: string,
  deps: Pick<Deps, 'automations' | 'recurring' | 'campaigns' | 'planShardQueue' | 'memberRoster' | 'clock' | 'log'>,
  log: Logger,
): Promise<void> {
  for await (const item of scan(db, tableName, 'automation')) {
    const parsed = Automation.safeParse(item);
    if (!parsed.success || parsed.data.status !== 'active') continue;
    const automation = parsed.data;
    const missed = missedRun(automation, deps.clock.now());
    if (missed) {
      log.info('running an automation occurrence missed while stopped', { ...missed });
      await runAutomation(deps, missed);
    }
    await deps.recurring.arm(automation);
  }
}
