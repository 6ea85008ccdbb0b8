import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/**
 * Alarm levels for the account's SES reputation (docs/reliability.md 18): below SES's review levels of
 * 5 % bounces and 0.1 % complaints, so someone looks before SES does.
 */
export const REPUTATION_ALARM_THRESHOLDS = { bounceRate: 0.04, complaintRate: 0.0008 } as const;

export interface AlarmsProps {
  /** Dead-letter queues by the name of the queue they serve; a single message in one raises an alarm. */
  readonly deadLetterQueues: Readonly<Record<string, sqs.IQueue>>;
}

/** CloudWatch alarms on SES reputation and on every dead-letter queue, all notifying one SNS topic. */
export class Alarms extends Construct {
  /** Subscribe people or a chat integration here. */
  readonly topic: sns.Topic;
  readonly bounceRate: cloudwatch.Alarm;
  readonly complaintRate: cloudwatch.Alarm;
  readonly deadLetters: Readonly<Record<string, cloudwatch.Alarm>>;

  constructor(scope: Construct, id: string, props: AlarmsProps) {
    super(scope, id);
    // Not encrypted with the AWS-managed key alias/aws/sns: its key policy does not let CloudWatch
    // publish, and the alarm notifications would be dropped. Alarm texts hold no personal data.
    this.topic = new sns.Topic(this, 'AlarmTopic', { displayName: 'Club Planner alarms', enforceSSL: true });
    const action = new SnsAction(this.topic);

    this.bounceRate = this.reputationAlarm(
      'BounceRate',
      'Reputation.BounceRate',
      REPUTATION_ALARM_THRESHOLDS.bounceRate,
      'SES account bounce rate at 4 % or more; SES reviews the account at 5 %',
    );
    this.complaintRate = this.reputationAlarm(
      'ComplaintRate',
      'Reputation.ComplaintRate',
      REPUTATION_ALARM_THRESHOLDS.complaintRate,
      'SES account complaint rate at 0.08 % or more; SES reviews the account at 0.1 %',
    );

    const deadLetters: Record<string, cloudwatch.Alarm> = {};
    for (const [name, queue] of Object.entries(props.deadLetterQueues)) {
      deadLetters[name] = new cloudwatch.Alarm(this, `${name}DeadLetters`, {
        alarmDescription: `Messages in the ${name} dead-letter queue: inspect them, fix the cause, then redrive (npm run dlq)`,
        metric: queue.metricApproximateNumberOfMessagesVisible({
          period: Duration.minutes(5),
          statistic: cloudwatch.Stats.MAXIMUM,
        }),
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
    }
    this.deadLetters = deadLetters;

    for (const alarm of [this.bounceRate, this.complaintRate, ...Object.values(deadLetters)])
      alarm.addAlarmAction(action);
  }

  /**
   * An alarm on an account-wide reputation metric SES publishes to CloudWatch (AWS/SES, no dimensions,
   * a rate from 0 to 1). SES publishes it only once the account has had a bounce or complaint, so
   * missing data is not breaching.
   */
  private reputationAlarm(id: string, metricName: string, threshold: number, description: string): cloudwatch.Alarm {
    return new cloudwatch.Alarm(this, id, {
      alarmDescription: description,
      metric: new cloudwatch.Metric({
        namespace: 'AWS/SES',
        metricName,
        statistic: cloudwatch.Stats.MAXIMUM,
        period: Duration.minutes(15),
      }),
      threshold,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
  }
}
