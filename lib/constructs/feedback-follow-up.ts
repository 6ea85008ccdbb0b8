import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as events from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { METRICS_NAMESPACE, METRICS_SERVICE, OVERDUE_CASES_METRIC } from '../../lambdas/core/metric-names.js';

export interface FeedbackFollowUpProps {
  /** The function that counts overdue cases (lambdas/handlers/check-feedback-cases.ts). */
  readonly checkFunction: lambda.IFunction;
  /** Where the overdue alarm goes: the stack's one alarm topic. */
  readonly alarmTopic: sns.ITopic;
}

/**
 * The follow-up of detractors' answers (docs/decisions/0038-closing-the-loop.md): the SNS topic a new
 * case is announced on (subscribe the case owners), a check every 15 minutes, and an alarm on the
 * alarm topic while any case is past due with nobody contacted.
 */
export class FeedbackFollowUp extends Construct {
  /** Subscribe the club's case owners (e-mail, or a helpdesk's HTTPS endpoint). */
  readonly topic: sns.Topic;
  readonly check: events.Rule;
  readonly overdueAlarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: FeedbackFollowUpProps) {
    super(scope, id);
    // An alert names the club, the score, the due time and the case's API link; never the member, their
    // address or their comment. So, like the alarm topic, it has no KMS key of its own; TLS is enforced.
    this.topic = new sns.Topic(this, 'CaseTopic', { displayName: 'Club Planner feedback cases', enforceSSL: true });
    this.check = new events.Rule(this, 'OverdueCheck', {
      description: 'Counts follow-up cases past due that nobody has contacted (metric OverdueFeedbackCases)',
      schedule: events.Schedule.rate(Duration.minutes(15)),
      targets: [new LambdaFunction(props.checkFunction, { retryAttempts: 2 })],
    });
    this.overdueAlarm = new cloudwatch.Alarm(this, 'OverdueCases', {
      alarmDescription:
        'A feedback case is past due and nobody has contacted the member: GET /api/clubs/<club>/feedback/cases?overdue=true',
      metric: new cloudwatch.Metric({
        namespace: METRICS_NAMESPACE,
        metricName: OVERDUE_CASES_METRIC,
        dimensionsMap: { Service: METRICS_SERVICE },
        statistic: cloudwatch.Stats.MAXIMUM,
        period: Duration.minutes(15),
      }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      // No check ran (a new stack): nothing is known to be overdue.
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    this.overdueAlarm.addAlarmAction(new SnsAction(props.alarmTopic));
  }

  /** Lets `fn` announce new cases, and tells it the topic. */
  grantAlert(fn: lambda.Function & iam.IGrantable): void {
    this.topic.grantPublish(fn);
    fn.addEnvironment('FEEDBACK_TOPIC_ARN', this.topic.topicArn);
  }
}
