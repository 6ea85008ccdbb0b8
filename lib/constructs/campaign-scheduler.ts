import { ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import {
  DEFAULT_SCHEDULE_EVENT_AGE_SECONDS,
  DEFAULT_SCHEDULE_RETRY_ATTEMPTS,
} from '../../lambdas/adapters/eventbridge-scheduler.js';
import { acknowledge, wildcardResourceFinding } from '../nag.js';

/** Lambda's own retries of a failed asynchronous start (the schedule invokes planCampaign asynchronously). */
export const CAMPAIGN_START_LAMBDA_RETRIES = 2;

export interface CampaignSchedulerProps {
  /** The function each campaign schedule invokes (planCampaign). */
  readonly target: lambda.IFunction;
}

/**
 * The EventBridge Scheduler group and execution role for campaign sends and recurring automations, and
 * where a start or run that failed lands. The schedules themselves are created by the API at runtime,
 * one-time `at()` schedules per campaign and recurring `cron()` ones in the club's time zone per
 * automation (with the retry policy and dead-letter queue below, lambdas/adapters/eventbridge-*.ts),
 * so none is declared here.
 *
 * A start can fail twice over: Scheduler may not deliver it (retried, then its DeadLetterConfig), or
 * planCampaign may fail after delivery (Lambda retries an asynchronous invocation, then its on-failure
 * destination). Both go to `deadLetterQueue`, whose alarm goes to the alarm topic, so no campaign stays
 * in `planning` unnoticed.
 */
export class CampaignScheduler extends Construct {
  readonly group: scheduler.CfnScheduleGroup;
  readonly groupName: string;
  /** The role schedules run as; it may only invoke the target function and write to the DLQ. */
  readonly role: iam.Role;
  /** Campaign starts that failed after every retry. */
  readonly deadLetterQueue: sqs.Queue;
  readonly maxRetryAttempts = DEFAULT_SCHEDULE_RETRY_ATTEMPTS;
  readonly maxEventAge = Duration.seconds(DEFAULT_SCHEDULE_EVENT_AGE_SECONDS);
  /**
   * A start or automation run Scheduler gave up on and could not even put in the dead-letter queue
   * (whose own alarm sees every other failed run): the stack sends it to the alarm topic.
   */
  readonly lostRuns: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: CampaignSchedulerProps) {
    super(scope, id);
    this.group = new scheduler.CfnScheduleGroup(this, 'Group');
    this.groupName = this.group.ref;
    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    acknowledge(
      this.deadLetterQueue,
      'SQS3',
      'This queue is itself a dead-letter queue: of EventBridge Scheduler (schedule DeadLetterConfig) and of ' +
        "planCampaign's asynchronous invocations (on-failure destination), which SQS redrive policies cannot name.",
    );

    this.role = new iam.Role(this, 'Role', {
      description: 'Assumed by EventBridge Scheduler to run Club Planner campaign schedules',
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        // Confused-deputy guard: only schedules in this account may assume the role.
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
    });
    // The unqualified function only: `grantInvoke` would add `<function>:*` (every version and alias).
    this.role.addToPolicy(
      new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [props.target.functionArn] }),
    );
    this.deadLetterQueue.grantSendMessages(this.role);
    this.lostRuns = new cloudwatch.Alarm(this, 'LostRuns', {
      alarmDescription:
        'A campaign start or automation run failed every retry and could not be put in the dead-letter queue: ' +
        'it did not happen. Read the schedule group and the planCampaign logs.',
      metric: new cloudwatch.Metric({
        namespace: 'AWS/Scheduler',
        metricName: 'InvocationsFailedToBeSentToDeadLetterCount',
        dimensionsMap: { ScheduleGroup: this.groupName },
        statistic: 'Sum',
        period: Duration.minutes(5),
      }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    props.target.configureAsyncInvoke({
      onFailure: new SqsDestination(this.deadLetterQueue),
      retryAttempts: CAMPAIGN_START_LAMBDA_RETRIES,
      maxEventAge: this.maxEventAge,
    });
  }

  /** Lets `role` create, read and delete schedules in the group, and hand them the execution role. */
  grantManageSchedules(role: iam.Role): void {
    const schedules = Stack.of(this).formatArn({
      service: 'scheduler',
      resource: 'schedule',
      resourceName: `${this.groupName}/*`,
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    });
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: [
          'scheduler:CreateSchedule',
          'scheduler:UpdateSchedule',
          'scheduler:DeleteSchedule',
          'scheduler:GetSchedule',
        ],
        resources: [schedules],
      }),
    );
    this.role.grantPassRole(role);
    acknowledge(
      role.node.findChild('DefaultPolicy'),
      wildcardResourceFinding(this, schedules),
      'Campaign schedules are created at runtime, one per campaign, named from a hash of club and campaign ' +
        '(lambdas/adapters/eventbridge-scheduler.ts): the grant covers only the schedules of this group.',
    );
  }
}
