import { createHash } from 'node:crypto';
import {
  ActionAfterCompletion,
  CreateScheduleCommand,
  DeleteScheduleCommand,
  FlexibleTimeWindowMode,
  type SchedulerClient,
  ScheduleState,
  UpdateScheduleCommand,
} from '@aws-sdk/client-scheduler';
import type { Recurrence } from '../core/automation.js';
import type { RecurringSchedule, RecurringScheduler } from '../core/automation-ports.js';
import { errorName } from './aws-client-config.js';
import { type EventBridgeSchedulerConfig, schedulerError } from './eventbridge-scheduler.js';

/** Scheduler replaces this in a target's Input with the occurrence, e.g. 2026-12-07T06:00:00Z. */
export const SCHEDULED_TIME = '<aws.scheduler.scheduled-time>';

/** The recurrence as a Scheduler cron expression (minutes hours day-of-month month day-of-week year). */
export function cronExpression(recurrence: Recurrence): string {
  const [hours, minutes] = recurrence.at.split(':').map(Number);
  return recurrence.every === 'day'
    ? `cron(${minutes} ${hours} * * ? *)`
    : `cron(${minutes} ${hours} ? * ${recurrence.on.join(',')} *)`;
}

/** Schedule names allow 64 characters; ids may be longer together, so hash them. */
export function automationScheduleName(clubId: string, automationId: string): string {
  return `automation-${createHash('sha256').update(`${clubId}/${automationId}`).digest('hex').slice(0, 40)}`;
}

/**
 * One recurring EventBridge schedule per automation, in the campaign schedules' group, with their
 * execution role, target (plan-campaign), retry policy and dead-letter queue: cron in the club's time
 * zone (ScheduleExpressionTimezone, so 07:00 stays 07:00 across daylight saving). Its input carries
 * the occurrence, which makes each run's id (core/automation.ts runIdFor).
 */
export class EventBridgeRecurringScheduler implements RecurringScheduler {
  constructor(
    private readonly client: SchedulerClient,
    private readonly config: EventBridgeSchedulerConfig,
  ) {}

  async arm(schedule: RecurringSchedule): Promise<void> {
    const handling = this.config.failureHandling;
    const input = {
      Name: automationScheduleName(schedule.clubId, schedule.automationId),
      GroupName: this.config.groupName,
      ScheduleExpression: cronExpression(schedule.recurrence),
      ScheduleExpressionTimezone: schedule.timeZone,
      // Occurrences from now on only: a schedule created at 07:00:30 does not fire for 07:00.
      StartDate: this.config.now(),
      State: ScheduleState.ENABLED,
      FlexibleTimeWindow: { Mode: FlexibleTimeWindowMode.OFF },
      ActionAfterCompletion: ActionAfterCompletion.NONE,
      Target: {
        Arn: this.config.targetArn,
        RoleArn: this.config.roleArn,
        Input: JSON.stringify({
          clubId: schedule.clubId,
          automationId: schedule.automationId,
          scheduledTime: SCHEDULED_TIME,
        }),
        ...(handling
          ? {
              RetryPolicy: {
                MaximumRetryAttempts: handling.maxRetryAttempts,
                MaximumEventAgeInSeconds: handling.maxEventAgeSeconds,
              },
              DeadLetterConfig: { Arn: handling.deadLetterArn },
            }
          : {}),
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

  async disarm(clubId: string, automationId: string): Promise<void> {
    try {
      await this.client.send(
        new DeleteScheduleCommand({
          Name: automationScheduleName(clubId, automationId),
          GroupName: this.config.groupName,
        }),
      );
    } catch (error: unknown) {
      if (errorName(error) !== 'ResourceNotFoundException') throw schedulerError('delete', error);
    }
  }
}
