import { createHash } from 'node:crypto';
import {
  ActionAfterCompletion,
  CreateScheduleCommand,
  DeleteScheduleCommand,
  FlexibleTimeWindowMode,
  type SchedulerClient,
  UpdateScheduleCommand,
} from '@aws-sdk/client-scheduler';
import type { StartCampaignJob } from '../core/jobs.js';
import type { Scheduler } from '../core/ports.js';

/** Scheduler fires at minute granularity and not in the past: earlier times go to the next minute. */
const MIN_LEAD_MS = 60_000;

/** One one-time EventBridge schedule per campaign, invoking plan-campaign at the send time. */
export class EventBridgeScheduler implements Scheduler {
  constructor(
    private readonly client: SchedulerClient,
    private readonly config: { groupName: string; roleArn: string; targetArn: string; now: () => Date },
  ) {}

  async schedule(clubId: string, campaignId: string, at: Date): Promise<void> {
    const earliest = this.config.now().getTime() + MIN_LEAD_MS;
    const when = new Date(Math.max(at.getTime(), earliest));
    const job: StartCampaignJob = { clubId, campaignId };
    const input = {
      Name: scheduleName(clubId, campaignId),
      GroupName: this.config.groupName,
      ScheduleExpression: `at(${when.toISOString().slice(0, 19)})`,
      ScheduleExpressionTimezone: 'UTC',
      FlexibleTimeWindow: { Mode: FlexibleTimeWindowMode.OFF },
      ActionAfterCompletion: ActionAfterCompletion.DELETE,
      Target: { Arn: this.config.targetArn, RoleArn: this.config.roleArn, Input: JSON.stringify(job) },
    };
    try {
      await this.client.send(new CreateScheduleCommand(input));
    } catch (error: unknown) {
      if (!(error instanceof Error && error.name === 'ConflictException')) throw error;
      await this.client.send(new UpdateScheduleCommand(input));
    }
  }

  async cancel(clubId: string, campaignId: string): Promise<void> {
    try {
      await this.client.send(
        new DeleteScheduleCommand({ Name: scheduleName(clubId, campaignId), GroupName: this.config.groupName }),
      );
    } catch (error: unknown) {
      if (!(error instanceof Error && error.name === 'ResourceNotFoundException')) throw error;
    }
  }
}

/** Schedule names allow 64 characters; ids may be longer together, so hash them. */
export function scheduleName(clubId: string, campaignId: string): string {
  return `campaign-${createHash('sha256').update(`${clubId}/${campaignId}`).digest('hex').slice(0, 40)}`;
}
