import type { StackProps } from 'aws-cdk-lib';
import { CfnOutput, Stack } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { Alarms } from './constructs/alarms.js';
import { CampaignScheduler } from './constructs/campaign-scheduler.js';
import { ClubFunctions, FunctionTimeouts, resolveSendRate } from './constructs/club-functions.js';
import { DataTable } from './constructs/data-table.js';
import { MailSending } from './constructs/mail-sending.js';
import { PublicApi } from './constructs/public-api.js';
import { SuppressionKey, TokenKeys } from './constructs/token-keys.js';
import { WorkQueues } from './constructs/work-queues.js';

export interface ClubPlannerStackProps extends StackProps {
  /**
   * Most sendMail invocations at once (the send queue's SQS event source maxConcurrency, 2–1000).
   * Each instance sends at sendRatePerSecond / sendMaxConcurrency. @default 10
   */
  readonly sendMaxConcurrency?: number;
  /**
   * The account's SES max send rate in mails per second, shared by all sendMail instances. The default
   * is the rate SES usually grants an account when it leaves the sandbox; use the account's own
   * (`aws sesv2 get-account` → SendQuota.MaxSendRate), or less to leave room for other senders. @default 14
   */
  readonly sendRatePerSecond?: number;
}

/**
 * Club Planner: table, queues, mail sending and its event route, functions, campaign scheduler, the
 * public HTTP API and alarms.
 */
export class ClubPlannerStack extends Stack {
  constructor(scope: Construct, id: string, props: ClubPlannerStackProps = {}) {
    super(scope, id, props);
    // Checked before any construct is built, so a bad value fails synth with a message naming the prop.
    const sendRate = resolveSendRate(props);

    const data = new DataTable(this, 'Data');
    const queues = new WorkQueues(this, 'Queues', {
      planShardConsumerTimeout: FunctionTimeouts.planShard,
      sendConsumerTimeout: FunctionTimeouts.sendMail,
      sesEventsConsumerTimeout: FunctionTimeouts.sesEvents,
    });
    const mail = new MailSending(this, 'Mail', {
      eventsQueue: queues.sesEventsQueue,
      eventsDeadLetterQueue: queues.sesEventsDeadLetterQueue,
    });
    const tokenKeys = new TokenKeys(this, 'TokenKeys');
    const suppressionKey = new SuppressionKey(this, 'SuppressionKey');

    const functions = new ClubFunctions(this, 'Functions', {
      table: data.table,
      queues,
      mailSending: mail,
      tokenKeys: tokenKeys.secret,
      suppressionKey: suppressionKey.secret,
      sendRate,
    });

    const scheduler = new CampaignScheduler(this, 'Scheduler', { target: functions.planCampaign });
    scheduler.grantManageSchedules(functions.api);
    functions.useScheduler(scheduler.groupName, scheduler.role.roleArn);

    const api = new PublicApi(this, 'PublicApi', { handler: functions.api });
    functions.usePublicBaseUrl(api.url);

    new CfnOutput(this, 'ApiUrl', { value: api.url, description: 'Base URL of the HTTP API (no trailing slash)' });
    new CfnOutput(this, 'TableName', { value: data.table.tableName });
    new CfnOutput(this, 'SesConfigurationSetName', { value: mail.configurationSetName });
    new CfnOutput(this, 'PlanShardDeadLetterQueueUrl', { value: queues.planShardDeadLetterQueue.queueUrl });
    new CfnOutput(this, 'SendDeadLetterQueueUrl', { value: queues.sendDeadLetterQueue.queueUrl });
    new CfnOutput(this, 'SesEventsQueueUrl', { value: queues.sesEventsQueue.queueUrl });
    new CfnOutput(this, 'SesEventsDeadLetterQueueUrl', { value: queues.sesEventsDeadLetterQueue.queueUrl });
    // `npm run dlq -- redrive --aws --dlq-arn <arn>` takes these.
    new CfnOutput(this, 'PlanShardDeadLetterQueueArn', { value: queues.planShardDeadLetterQueue.queueArn });
    new CfnOutput(this, 'SendDeadLetterQueueArn', { value: queues.sendDeadLetterQueue.queueArn });
    new CfnOutput(this, 'SesEventsDeadLetterQueueArn', { value: queues.sesEventsDeadLetterQueue.queueArn });

    const alarms = new Alarms(this, 'Alarms', { deadLetterQueues: queues.deadLetterQueues });
    new CfnOutput(this, 'AlarmTopicArn', {
      value: alarms.topic.topicArn,
      description: 'SNS topic of the SES reputation and dead-letter alarms: subscribe to be notified',
    });
  }
}
