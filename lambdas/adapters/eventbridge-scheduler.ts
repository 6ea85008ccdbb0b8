import { createHash } from 'node:crypto';
import {
  ActionAfterCompletion,
  CreateScheduleCommand,
  DeleteScheduleCommand,
  FlexibleTimeWindowMode,
  type SchedulerClient,
  UpdateScheduleCommand,
} from '@aws-sdk/client-scheduler';
import { SchedulerError } from '../core/errors.js';
import type { StartCampaignJob } from '../core/jobs.js';
import type { Scheduler } from '../core/ports.js';
import { errorName } from './aws-client-config.js';

/** Scheduler fires at minute granularity and not in the past: earlier times go to the next minute. */
const MIN_LEAD_MS = 60_000;

/**
 * Scheduler retries a start it could not deliver (throttling, a missing permission) for at most an hour:
 * a campaign that starts later than that is better held for a person (the DLQ alarm) than sent late.
 */
export const DEFAULT_SCHEDULE_RETRY_ATTEMPTS = 10;
export const DEFAULT_SCHEDULE_EVENT_AGE_SECONDS = 3600;

/** How a schedule's target is retried and where it goes when the retries are spent. */
export interface ScheduleFailureHandling {
  /** SQS queue ARN for starts Scheduler could not deliver (DeadLetterConfig). */
  readonly deadLetterArn: string;
  /** RetryPolicy.MaximumRetryAttempts, 0-185. */
  readonly maxRetryAttempts: number;
  /** RetryPolicy.MaximumEventAgeInSeconds, 60-86400. */
  readonly maxEventAgeSeconds: number;
}

export interface EventBridgeSchedulerConfig {
  readonly groupName: string;
  readonly roleArn: string;
  readonly targetArn: string;
  readonly now: () => Date;
  /** Without it Scheduler's defaults apply (185 retries over 24 h, then the start is dropped). */
  readonly failureHandling?: ScheduleFailureHandling;
}

/**
 * One one-time EventBridge schedule per campaign, invoking plan-campaign at the send time. A start that
 * cannot be delivered is retried, then lands in the dead-letter queue, whose alarm tells the operator.
 */
export class EventBridgeScheduler implements Scheduler {
  constructor(
    private readonly client: SchedulerClient,
    private readonly config: EventBridgeSchedulerConfig,
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
      Target: {
        Arn: this.config.targetArn,
        RoleArn: this.config.roleArn,
        Input: JSON.stringify(job),
        ...this.failureTarget(),
      },
    };
    try {
      await this.client.send(new CreateScheduleCommand(input));
    } catch (error: unknown) {
      if (errorName(error) !== 'ConflictException') throw schedulerError('create', error);
      await this.client.send(new UpdateScheduleCommand(input)).catch((cause: unknown) => {
        throw schedulerError('update', cause);
      });
    }
  }

  private failureTarget() {
    const handling = this.config.failureHandling;
    if (!handling) return {};
    return {
      RetryPolicy: {
        MaximumRetryAttempts: handling.maxRetryAttempts,
        MaximumEventAgeInSeconds: handling.maxEventAgeSeconds,
      },
      DeadLetterConfig: { Arn: handling.deadLetterArn },
    };
  }

  async cancel(clubId: string, campaignId: string): Promise<void> {
    try {
      await this.client.send(
        new DeleteScheduleCommand({ Name: scheduleName(clubId, campaignId), GroupName: this.config.groupName }),
      );
    } catch (error: unknown) {
      // Already gone (it fired and deleted itself, or was never armed): cancelled either way.
      if (errorName(error) !== 'ResourceNotFoundException') throw schedulerError('delete', error);
    }
  }
}

export function schedulerError(action: string, cause: unknown): SchedulerError {
  return new SchedulerError(`EventBridge Scheduler could not ${action} a campaign schedule (${errorName(cause)})`, {
    cause,
  });
}

/** Schedule names allow 64 characters; ids may be longer together, so hash them. */
export function scheduleName(clubId: string, campaignId: string): string {
  return `campaign-${createHash('sha256').update(`${clubId}/${campaignId}`).digest('hex').slice(0, 40)}`;
}
