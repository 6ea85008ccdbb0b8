import { CfnOutput, Stack } from 'aws-cdk-lib';
import type { StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { CampaignScheduler } from './constructs/campaign-scheduler.js';
import { ClubFunctions, FunctionTimeouts } from './constructs/club-functions.js';
import { DataTable } from './constructs/data-table.js';
import { MailSending } from './constructs/mail-sending.js';
import { PublicApi } from './constructs/public-api.js';
import { SuppressionKey, TokenKeys } from './constructs/token-keys.js';
import { WorkQueues } from './constructs/work-queues.js';

export interface ClubPlannerStackProps extends StackProps {
  /** Most sendMail invocations at once: the send-rate control. @default 10 */
  readonly sendMaxConcurrency?: number;
}

/** Club Planner: table, queues, mail sending, functions, campaign scheduler and the public HTTP API. */
export class ClubPlannerStack extends Stack {
  constructor(scope: Construct, id: string, props: ClubPlannerStackProps = {}) {
    super(scope, id, props);

    const data = new DataTable(this, 'Data');
    const queues = new WorkQueues(this, 'Queues', {
      planShardConsumerTimeout: FunctionTimeouts.planShard,
      sendConsumerTimeout: FunctionTimeouts.sendMail,
    });
    const mail = new MailSending(this, 'Mail');
    const tokenKeys = new TokenKeys(this, 'TokenKeys');
    const suppressionKey = new SuppressionKey(this, 'SuppressionKey');

    const functions = new ClubFunctions(this, 'Functions', {
      table: data.table,
      queues,
      mailSending: mail,
      tokenKeys: tokenKeys.secret,
      suppressionKey: suppressionKey.secret,
      sendMaxConcurrency: props.sendMaxConcurrency,
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
  }
}
