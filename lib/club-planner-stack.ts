import type { StackProps } from 'aws-cdk-lib';
import { Aws, CfnOutput, Stack } from 'aws-cdk-lib';
import { HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import type { Construct } from 'constructs';
import { Alarms } from './constructs/alarms.js';
import { CampaignScheduler } from './constructs/campaign-scheduler.js';
import { ClubFunctions, FunctionTimeouts, resolveSendRate } from './constructs/club-functions.js';
import { DataTable } from './constructs/data-table.js';
import { EdgeDistribution } from './constructs/edge-distribution.js';
import { FeedbackFollowUp } from './constructs/feedback-follow-up.js';
import { ImportFiles } from './constructs/import-files.js';
import { MailSending } from './constructs/mail-sending.js';
import { MarketerIdentity } from './constructs/marketer-identity.js';
import { ModelFit } from './constructs/model-fit.js';
import { PublicApi } from './constructs/public-api.js';
import { SendingDomains } from './constructs/sending-domains.js';
import { SuppressionKey, TokenKeys } from './constructs/token-keys.js';
import { WorkQueues } from './constructs/work-queues.js';
import type { ClubPlannerContext } from './context.js';

/**
 * `SENDING_DOMAINS` shares the api function's 4 KB of environment with about 1.5 KB of ARNs and URLs:
 * room for some 15 domains.
 */
export const MAX_SENDING_DOMAINS_JSON = 2000;

/** The stack's settings: the CDK context values (lib/context.ts documents each), all optional here. */
export interface ClubPlannerStackProps extends StackProps, Partial<Omit<ClubPlannerContext, 'wafStack'>> {}

/**
 * Club Planner: table, queues, mail sending and its event route, sending domains, functions, campaign
 * scheduler, marketer identity, the HTTP API (optionally behind CloudFront and WAF) and alarms.
 */
export class ClubPlannerStack extends Stack {
  constructor(scope: Construct, id: string, props: ClubPlannerStackProps = {}) {
    super(scope, id, props);
    // Checked before any construct is built, so a bad value fails synth with a message naming the prop.
    const sendRate = resolveSendRate(props);
    const stage = props.stage ?? 'dev';

    const data = new DataTable(this, 'Data');
    const queues = new WorkQueues(this, 'Queues', {
      planShardConsumerTimeout: FunctionTimeouts.planShard,
      sendConsumerTimeout: FunctionTimeouts.sendMail,
      sesEventsConsumerTimeout: FunctionTimeouts.sesEvents,
    });
    const mail = new MailSending(this, 'Mail', {
      eventsQueue: queues.sesEventsQueue,
      eventsDeadLetterQueue: queues.sesEventsDeadLetterQueue,
      engagementTracking: props.engagementTracking ?? false,
    });
    const sendingDomains = props.sendingDomains ?? [];
    const sendingDomainsJson = JSON.stringify(sendingDomains);
    if (sendingDomainsJson.length > MAX_SENDING_DOMAINS_JSON) {
      throw new Error(
        `sendingDomains is ${sendingDomainsJson.length} characters of JSON; the functions get it in their environment, ` +
          `which Lambda caps at 4 KB in all, so keep it under ${MAX_SENDING_DOMAINS_JSON} (drop optional fields, or ` +
          'move the list to a parameter the functions read)',
      );
    }
    const domains = new SendingDomains(this, 'SendingDomains', {
      domains: sendingDomains,
      configurationSet: mail.configurationSet,
    });
    const tokenKeys = new TokenKeys(this, 'TokenKeys');
    const suppressionKey = new SuppressionKey(this, 'SuppressionKey');

    const functions = new ClubFunctions(this, 'Functions', {
      data,
      queues,
      mailSending: mail,
      tokenKeys: tokenKeys.secret,
      suppressionKey: suppressionKey.secret,
      sendRate,
      sendingDomainsJson,
      sendingIdentityArns: domains.identityArns,
    });

    const fit = new ModelFit(this, 'ModelFit', { fitFunction: functions.fitModel });
    fit.grantFit(functions.fitModel);
    // The synchronous purchases route appends what it stores; the import worker does below.
    fit.grantAppend(functions.api);
    functions.useArchive(fit.archiveBucket.bucketName);

    // The sender check reports each domain's status from SES (GetEmailIdentity).
    domains.grantReadStatus(functions.api);

    const scheduler = new CampaignScheduler(this, 'Scheduler', { target: functions.planCampaign });
    scheduler.grantManageSchedules(functions.apiRole);
    functions.useScheduler({
      groupName: scheduler.groupName,
      roleArn: scheduler.role.roleArn,
      deadLetterQueue: scheduler.deadLetterQueue,
      maxRetryAttempts: scheduler.maxRetryAttempts,
      maxEventAge: scheduler.maxEventAge,
    });

    const api = new PublicApi(this, 'PublicApi');
    const edge = props.wafWebAclArn
      ? new EdgeDistribution(this, 'Edge', { api: api.httpApi, webAclArn: props.wafWebAclArn })
      : undefined;
    // Links in mail and the console's sign-in return to the URL members and marketers use.
    const publicUrl = edge?.url ?? api.url;
    const identity = new MarketerIdentity(this, 'MarketerIdentity', {
      domainPrefix: props.cognitoDomainPrefix ?? `club-planner-${stage}-${Aws.ACCOUNT_ID}`,
      consoleCallbackUrls: props.consoleCallbackUrls ?? [`${publicUrl}/console/auth/callback`],
      consoleLogoutUrls: props.consoleLogoutUrls ?? [`${publicUrl}/console/`],
      machineClients: props.machineClients ?? [],
    });
    api.addRoutes({
      handler: functions.api,
      marketerAuthorizer: new HttpUserPoolAuthorizer('MarketerJwt', identity.userPool, {
        userPoolClients: identity.clients,
      }),
    });
    functions.usePublicBaseUrl(publicUrl);
    functions.useIdentity({
      userPool: identity.userPool,
      issuer: identity.issuer,
      jwksUrl: identity.jwksUrl,
      consoleClientId: identity.consoleClient.userPoolClientId,
      machineClientIds: identity.machineClients.map((client) => client.userPoolClientId),
      hostedUiBaseUrl: identity.hostedUiBaseUrl,
    });
    if (edge) functions.useOriginVerifySecret(edge.originVerifySecret);

    new CfnOutput(this, 'ApiUrl', { value: api.url, description: 'Base URL of the HTTP API (no trailing slash)' });
    new CfnOutput(this, 'PublicUrl', {
      value: publicUrl,
      description: 'The URL members and marketers use: CloudFront with WAF when wafWebAclArn is set, else ApiUrl',
    });
    new CfnOutput(this, 'TableName', { value: data.table.tableName });
    new CfnOutput(this, 'ReceiptArchiveBucket', { value: fit.archiveBucket.bucketName });
    new CfnOutput(this, 'ModelFitStateMachineArn', {
      value: fit.stateMachine.stateMachineArn,
      description: 'The nightly model fit; start it by hand with {} to fit every club now',
    });
    new CfnOutput(this, 'SesConfigurationSetName', { value: mail.configurationSetName });
    new CfnOutput(this, 'MarketerUserPoolId', { value: identity.userPool.userPoolId });
    new CfnOutput(this, 'MarketerConsoleClientId', { value: identity.consoleClient.userPoolClientId });
    new CfnOutput(this, 'MarketerHostedUiUrl', { value: identity.hostedUiBaseUrl });
    new CfnOutput(this, 'MarketerIssuer', { value: identity.issuer });
    new CfnOutput(this, 'PlanShardDeadLetterQueueUrl', { value: queues.planShardDeadLetterQueue.queueUrl });
    new CfnOutput(this, 'SendDeadLetterQueueUrl', { value: queues.sendDeadLetterQueue.queueUrl });
    new CfnOutput(this, 'SesEventsQueueUrl', { value: queues.sesEventsQueue.queueUrl });
    new CfnOutput(this, 'SesEventsDeadLetterQueueUrl', { value: queues.sesEventsDeadLetterQueue.queueUrl });
    new CfnOutput(this, 'CampaignStartDeadLetterQueueUrl', { value: scheduler.deadLetterQueue.queueUrl });
    // `npm run dlq -- redrive --aws --dlq-arn <arn>` takes these.
    new CfnOutput(this, 'PlanShardDeadLetterQueueArn', { value: queues.planShardDeadLetterQueue.queueArn });
    new CfnOutput(this, 'SendDeadLetterQueueArn', { value: queues.sendDeadLetterQueue.queueArn });
    new CfnOutput(this, 'SesEventsDeadLetterQueueArn', { value: queues.sesEventsDeadLetterQueue.queueArn });

    const imports = new ImportFiles(this, 'Imports', {
      data,
      suppressionKey: suppressionKey.secret,
    });
    imports.connectApi(functions.api, functions.apiRole);
    // Bulk purchase imports feed the receipt archive too, chunk by chunk (docs/decisions/0026-receipt-archive.md).
    fit.grantAppend(imports.worker);
    imports.worker.addEnvironment('ARCHIVE_BUCKET', fit.archiveBucket.bucketName);
    const alarms = new Alarms(this, 'Alarms', {
      deadLetterQueues: {
        ...queues.deadLetterQueues,
        CampaignStart: scheduler.deadLetterQueue,
        Imports: imports.deadLetterQueue,
      },
    });
    new CfnOutput(this, 'AlarmTopicArn', {
      value: alarms.topic.topicArn,
      description: 'SNS topic of the SES reputation, dead-letter and overdue-case alarms: subscribe to be notified',
    });

    // Survey follow-up: new detractor cases on a topic of their own, overdue ones to the alarm topic.
    const feedback = new FeedbackFollowUp(this, 'Feedback', {
      checkFunction: functions.checkFeedbackCases,
      alarmTopic: alarms.topic,
    });
    feedback.grantAlert(functions.api);
    new CfnOutput(this, 'FeedbackCaseTopicArn', {
      value: feedback.topic.topicArn,
      description: "SNS topic of new feedback cases (a detractor's answer): subscribe the case owners",
    });
  }
}
