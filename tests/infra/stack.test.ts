import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { ClubPlannerStackProps } from '../../lib/club-planner-stack.js';
import { ClubPlannerStack } from '../../lib/club-planner-stack.js';
import {
  actionsOf,
  cdkJsonContext,
  environmentOf,
  type Resource,
  referencedId,
  resourceNamed,
  resourcesOf,
  stackFromContext,
  statementsOfRole,
} from './synth.js';

/** Synthesizes with the feature flags from cdk.json and esbuild bundling, so the test sees what `cdk synth` sees. */
function synthesize(): Template {
  return Template.fromStack(stackFromContext({}, { bundle: true }));
}

/** Builds a stack with other props; skips esbuild (bundling-stacks: none), which these tests do not look at. */
function stackWith(props: ClubPlannerStackProps): ClubPlannerStack {
  const app = new App({ context: { ...cdkJsonContext, 'aws:cdk:bundling-stacks': [] } });
  return new ClubPlannerStack(app, 'ClubPlanner', props);
}

function functionProps(template: Template, idPrefix: string): Record<string, unknown> {
  return resourceNamed(template, 'AWS::Lambda::Function', idPrefix)[1];
}

/** The event source mapping that feeds the function whose logical id starts with `idPrefix`. */
function mappingOf(template: Template, idPrefix: string): Record<string, unknown> {
  const [functionId] = resourceNamed(template, 'AWS::Lambda::Function', idPrefix);
  const mappings = Object.values(resourcesOf(template, 'AWS::Lambda::EventSourceMapping')).filter(
    (mapping: Resource) => referencedId(mapping.Properties?.FunctionName) === functionId,
  );
  const [mapping, ...others] = mappings;
  if (!mapping?.Properties || others.length > 0) throw new Error(`expected one event source mapping for ${functionId}`);
  return mapping.Properties;
}

const FUNCTIONS = [
  'Api',
  'PlanCampaign',
  'PlanShard',
  'SendMail',
  'SesEvents',
  'CheckFeedbackCases',
  'FitModel',
] as const;

describe('ClubPlannerStack', () => {
  let template: Template;

  beforeAll(() => {
    template = synthesize();
  }, 60_000);

  it('keeps one on-demand table keyed pk/sk with the gsi1 index, expiresAt TTL and point-in-time recovery', () => {
    template.resourceCountIs('AWS::DynamoDB::GlobalTable', 1);
    template.hasResource('AWS::DynamoDB::GlobalTable', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: [
          Match.objectLike({
            IndexName: 'gsi1',
            KeySchema: [
              { AttributeName: 'gsi1pk', KeyType: 'HASH' },
              { AttributeName: 'gsi1sk', KeyType: 'RANGE' },
            ],
          }),
        ],
        AttributeDefinitions: Match.arrayWith([
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'S' },
          { AttributeName: 'gsi1pk', AttributeType: 'S' },
          { AttributeName: 'gsi1sk', AttributeType: 'S' },
        ]),
        TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
        Replicas: [Match.objectLike({ PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } })],
      }),
    });
  });

  it('deploys exactly eight functions (seven and the import worker) on nodejs24.x, the latest Node.js runtime aws-cdk-lib offers, on arm64 with tracing', () => {
    const functions = Object.values(resourcesOf(template, 'AWS::Lambda::Function'));
    expect(functions).toHaveLength(8);
    for (const fn of functions) {
      expect(fn.Properties).toMatchObject({
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        TracingConfig: { Mode: 'Active' },
      });
    }
  });

  it('gives the nightly fit 1 GB and 10 minutes (one index partition of ids at a time), the import worker 1 GB, and every other function 512 MB', () => {
    const functions = Object.values(resourcesOf(template, 'AWS::Lambda::Function'));
    const memory = functions.map((fn) => z.number().parse(fn.Properties?.MemorySize)).sort((a, b) => a - b);
    expect(memory).toEqual([512, 512, 512, 512, 512, 512, 1024, 1024]);
    expect(functionProps(template, 'FunctionsFitModel')).toMatchObject({ MemorySize: 1024, Timeout: 600 });
    expect(functionProps(template, 'ImportsWorker')).toMatchObject({ MemorySize: 1024, Timeout: 900 });
    // The campaign start no longer fits the model: it only fans out the plan shards.
    expect(functionProps(template, 'FunctionsPlanCampaign')).toMatchObject({ MemorySize: 512, Timeout: 300 });
  });

  it('keeps function logs and API access logs for one month', () => {
    // Seven functions, the import worker, the API's access log and the fit workflow's log.
    template.resourceCountIs('AWS::Logs::LogGroup', 10);
    template.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
  });

  it('gives each function a role of its own that writes only to its own log group, with no AWS managed policy', () => {
    for (const fn of FUNCTIONS) {
      const [roleId, role] = resourceNamed(template, 'AWS::IAM::Role', `Functions${fn}Role`);
      expect(role, fn).not.toHaveProperty('ManagedPolicyArns');
      expect(functionProps(template, `Functions${fn}`).Role).toEqual({ 'Fn::GetAtt': [roleId, 'Arn'] });
      const logs = statementsOfRole(template, `Functions${fn}Role`).filter((statement) =>
        actionsOf(statement).some((action) => action.startsWith('logs:')),
      );
      expect(logs).toHaveLength(1);
      expect(referencedId(logs[0]?.Resource)).toBe(
        resourceNamed(template, 'AWS::Logs::LogGroup', `Functions${fn}Logs`)[0],
      );
    }
  });

  it('gives every work queue a DLQ after 5 receives', () => {
    const mappings = Object.values(resourcesOf(template, 'AWS::Lambda::EventSourceMapping'));
    expect(mappings).toHaveLength(4);
    const queues = resourcesOf(template, 'AWS::SQS::Queue');
    for (const mapping of mappings) {
      const queue = queues[referencedId(mapping.Properties?.EventSourceArn)];
      expect(queue?.Properties?.RedrivePolicy).toMatchObject({ maxReceiveCount: 5 });
    }
  });

  it('keeps dead letters for 14 days and encrypts every queue', () => {
    template.resourceCountIs('AWS::SQS::Queue', 9);
    template.allResourcesProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true });
    const deadLetterQueues = Object.values(resourcesOf(template, 'AWS::SQS::Queue')).filter(
      (queue) => queue.Properties?.RedrivePolicy === undefined,
    );
    expect(deadLetterQueues).toHaveLength(5);
    for (const queue of deadLetterQueues) expect(queue.Properties?.MessageRetentionPeriod).toBe(14 * 24 * 3600);
  });

  it('sets each work queue visibility timeout to at least six times its consumer timeout', () => {
    const queues = resourcesOf(template, 'AWS::SQS::Queue');
    const functions = resourcesOf(template, 'AWS::Lambda::Function');
    for (const mapping of Object.values(resourcesOf(template, 'AWS::Lambda::EventSourceMapping'))) {
      const queue = queues[referencedId(mapping.Properties?.EventSourceArn)];
      const consumer = functions[referencedId(mapping.Properties?.FunctionName)];
      const visibility = z.number().parse(queue?.Properties?.VisibilityTimeout);
      const timeout = z.number().parse(consumer?.Properties?.Timeout);
      expect(visibility).toBeGreaterThanOrEqual(6 * timeout);
    }
  });

  it('reports partial batch failures from every SQS consumer', () => {
    template.allResourcesProperties('AWS::Lambda::EventSourceMapping', {
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
  });

  it('caps sendMail concurrency as the send-rate control and plans one shard per invocation', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      BatchSize: 10,
      ScalingConfig: { MaximumConcurrency: 10 },
    });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', { BatchSize: 1 });
  });

  it('has a schedule group and a role EventBridge Scheduler can assume', () => {
    template.resourceCountIs('AWS::Scheduler::ScheduleGroup', 1);
    // Campaign schedules are made at runtime; the one in the template is the nightly model fit's.
    template.resourceCountIs('AWS::Scheduler::Schedule', 1);
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [Match.objectLike({ Action: 'sts:AssumeRole', Principal: { Service: 'scheduler.amazonaws.com' } })],
      },
    });
  });

  it('lets the api function create schedules and pass the scheduler role', () => {
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: [
              'scheduler:CreateSchedule',
              'scheduler:DeleteSchedule',
              'scheduler:GetSchedule',
              'scheduler:UpdateSchedule',
            ],
          }),
          Match.objectLike({ Action: 'iam:PassRole' }),
        ]),
      },
    });
  });

  it('has an SES configuration set with reputation metrics', () => {
    template.resourceCountIs('AWS::SES::ConfigurationSet', 1);
    template.hasResourceProperties('AWS::SES::ConfigurationSet', {
      ReputationOptions: { ReputationMetricsEnabled: true },
    });
  });

  it('lets no function send mail through SES while no sending domain is configured', () => {
    expect(JSON.stringify(resourcesOf(template, 'AWS::IAM::Policy'))).not.toContain('ses:Send');
  });

  it('gives the api and sesEvents a suppression key of their own, retained, that no other function reads', () => {
    const secrets = resourcesOf(template, 'AWS::SecretsManager::Secret');
    const suppression = Object.entries(secrets).find(([id]) => id.startsWith('SuppressionKey'));
    expect(suppression?.[1]).toMatchObject({ DeletionPolicy: 'Retain' });
    const variables = environmentOf(template, 'FunctionsApi');
    expect(variables.SUPPRESSION_SECRET_ARN).toEqual({ Ref: suppression?.[0] });
    expect(variables).toHaveProperty('PUBLIC_BASE_URL');
    expect(variables).toHaveProperty('SES_CONFIGURATION_SET');
    expect(environmentOf(template, 'FunctionsSesEvents').SUPPRESSION_SECRET_ARN).toEqual({ Ref: suppression?.[0] });
    for (const name of ['FunctionsSendMail', 'FunctionsPlanShard', 'FunctionsPlanCampaign']) {
      expect(JSON.stringify(functionProps(template, name))).not.toContain('SUPPRESSION_SECRET_ARN');
    }
  });

  it('gives sendMail its public base URL and SES configuration set', () => {
    const variables = environmentOf(template, 'FunctionsSendMail');
    expect(variables).toHaveProperty('PUBLIC_BASE_URL');
    expect(variables).toHaveProperty('SES_CONFIGURATION_SET');
    // ApiEndpoint is the API's base URL without a trailing slash (unlike the stage URL).
    expect(variables.PUBLIC_BASE_URL).toEqual({
      'Fn::GetAtt': [expect.stringMatching(/^PublicApi/), 'ApiEndpoint'],
    });
  });

  it('gives every function the table and source maps, and the token secret only to api and sendMail', () => {
    const [tokenSecretId] = resourceNamed(template, 'AWS::SecretsManager::Secret', 'TokenKeys');
    for (const fn of FUNCTIONS) {
      const variables = environmentOf(template, `Functions${fn}`);
      expect(variables).toMatchObject({ TABLE_NAME: expect.anything(), NODE_OPTIONS: '--enable-source-maps' });
      if (fn === 'Api' || fn === 'SendMail') expect(variables.TOKEN_SECRET_ARN, fn).toEqual({ Ref: tokenSecretId });
      else expect(variables, fn).not.toHaveProperty('TOKEN_SECRET_ARN');
    }
  });

  it('routes only SES events tagged with our configuration set from the default bus to the SES events queue', () => {
    const [configurationSetId] = resourceNamed(template, 'AWS::SES::ConfigurationSet', 'Mail');
    const [, rule] = resourceNamed(template, 'AWS::Events::Rule', 'Mail');
    expect(rule.EventBusName).toBe('default');
    expect(rule.EventPattern).toEqual({
      source: ['aws.ses'],
      detail: { mail: { tags: { 'ses:configuration-set': [{ Ref: configurationSetId }] } } },
    });
    const targets = z
      .array(z.object({ Arn: z.unknown(), DeadLetterConfig: z.object({ Arn: z.unknown() }) }))
      .parse(rule.Targets);
    expect(targets).toHaveLength(1);
    // What EventBridge cannot deliver lands in the events DLQ, not nowhere.
    expect(referencedId(targets[0]?.DeadLetterConfig.Arn)).toMatch(/^QueuesSesEventsDeadLetterQueue/);
    const targetQueueId = referencedId(targets[0]?.Arn);
    expect(targetQueueId).toBe(referencedId(mappingOf(template, 'FunctionsSesEvents').EventSourceArn));
    expect(targetQueueId).toMatch(/^QueuesSesEventsQueue/);
    // EventBridge may send to the queue, and only for this rule.
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: targetQueueId }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: Match.arrayWith(['sqs:SendMessage']),
            Principal: { Service: 'events.amazonaws.com' },
            Condition: { ArnEquals: { 'aws:SourceArn': Match.anyValue() } },
          }),
        ]),
      },
    });
  });

  it('holds SES events for six times the sesEvents timeout and dead-letters them after 5 receives', () => {
    const queues = resourcesOf(template, 'AWS::SQS::Queue');
    const sesEvents = functionProps(template, 'FunctionsSesEvents');
    const queue = queues[referencedId(mappingOf(template, 'FunctionsSesEvents').EventSourceArn)]?.Properties;
    const timeout = z.number().parse(sesEvents.Timeout);
    expect(timeout).toBe(60);
    expect(z.number().parse(queue?.VisibilityTimeout)).toBeGreaterThanOrEqual(6 * timeout);
    const redrive = z
      .object({ maxReceiveCount: z.number(), deadLetterTargetArn: z.unknown() })
      .parse(queue?.RedrivePolicy);
    expect(redrive.maxReceiveCount).toBe(5);
    const deadLetterQueue = queues[referencedId(redrive.deadLetterTargetArn)]?.Properties;
    expect(deadLetterQueue).toMatchObject({ MessageRetentionPeriod: 14 * 24 * 3600, SqsManagedSseEnabled: true });
    expect(deadLetterQueue).not.toHaveProperty('RedrivePolicy');
  });

  it('feeds sesEvents batches of up to 100 events gathered for up to 5 seconds, reporting failed records alone', () => {
    expect(mappingOf(template, 'FunctionsSesEvents')).toMatchObject({
      BatchSize: 100,
      MaximumBatchingWindowInSeconds: 5,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
  });

  it('lets sesEvents read and write the table and read the suppression secret, but not the token keys', () => {
    const text = JSON.stringify(statementsOfRole(template, 'FunctionsSesEventsRole'));
    for (const action of [
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
      'dynamodb:Query',
      'secretsmanager:GetSecretValue',
      'sqs:DeleteMessage',
    ]) {
      expect(text).toContain(action);
    }
    const [suppressionId] = resourceNamed(template, 'AWS::SecretsManager::Secret', 'SuppressionKey');
    const [tokenId] = resourceNamed(template, 'AWS::SecretsManager::Secret', 'TokenKeys');
    expect(text).toContain(`{"Ref":"${suppressionId}"}`);
    expect(text).not.toContain(`{"Ref":"${tokenId}"}`);
    expect(text).not.toContain('ses:SendEmail');
  });

  it('lets only the functions that sign or verify links read the token keys, and only api and sesEvents the suppression key', () => {
    const readers = (secretPrefix: string) => {
      const [secretId] = resourceNamed(template, 'AWS::SecretsManager::Secret', secretPrefix);
      return FUNCTIONS.filter((fn) =>
        statementsOfRole(template, `Functions${fn}Role`).some(
          (statement) =>
            actionsOf(statement).includes('secretsmanager:GetSecretValue') &&
            JSON.stringify(statement.Resource).includes(`{"Ref":"${secretId}"}`),
        ),
      );
    };
    expect(readers('TokenKeys')).toEqual(['Api', 'SendMail']);
    expect(readers('SuppressionKey')).toEqual(['Api', 'SesEvents']);
    // The import worker checks member imports against the suppression list, and signs no link.
    const workerReads = (secretPrefix: string) => {
      const [secretId] = resourceNamed(template, 'AWS::SecretsManager::Secret', secretPrefix);
      return statementsOfRole(template, 'ImportsWorkerRole').some(
        (statement) =>
          actionsOf(statement).includes('secretsmanager:GetSecretValue') &&
          JSON.stringify(statement.Resource).includes(`{"Ref":"${secretId}"}`),
      );
    };
    expect(workerReads('SuppressionKey')).toBe(true);
    expect(workerReads('TokenKeys')).toBe(false);
    expect(environmentOf(template, 'ImportsWorker')).not.toHaveProperty('TOKEN_SECRET_ARN');
  });

  it('scopes table access to the table and its gsi1 index, without Scan or stream reads', () => {
    const [tableId] = resourceNamed(template, 'AWS::DynamoDB::GlobalTable', 'DataTable');
    for (const fn of FUNCTIONS) {
      const table = statementsOfRole(template, `Functions${fn}Role`).filter((statement) =>
        actionsOf(statement).some((action) => action.startsWith('dynamodb:')),
      );
      expect(table, fn).toHaveLength(1);
      expect(table[0]?.Resource).toEqual([
        { 'Fn::GetAtt': [tableId, 'Arn'] },
        { 'Fn::Join': ['', [{ 'Fn::GetAtt': [tableId, 'Arn'] }, '/index/gsi1']] },
      ]);
      const actions = table.flatMap(actionsOf);
      expect(actions).not.toContain('dynamodb:Scan');
      expect(actions.filter((action) => action.includes('*') || /Stream|Records|ShardIterator/.test(action))).toEqual(
        [],
      );
    }
  });

  it('paces each sendMail instance with the account rate (14/s by default) and the same concurrency the queue allows', () => {
    const variables = environmentOf(template, 'FunctionsSendMail');
    const scaling = z
      .object({ ScalingConfig: z.object({ MaximumConcurrency: z.number() }) })
      .parse(mappingOf(template, 'FunctionsSendMail')).ScalingConfig;
    expect(variables.SEND_RATE_PER_SECOND).toBe('14');
    expect(variables.SEND_MAX_CONCURRENCY).toBe(String(scaling.MaximumConcurrency));
  });

  it('passes sendRatePerSecond and sendMaxConcurrency through to sendMail and its event source', () => {
    const custom = Template.fromStack(stackWith({ sendRatePerSecond: 50, sendMaxConcurrency: 4 }));
    expect(environmentOf(custom, 'FunctionsSendMail')).toMatchObject({
      SEND_RATE_PER_SECOND: '50',
      SEND_MAX_CONCURRENCY: '4',
    });
    expect(mappingOf(custom, 'FunctionsSendMail')).toMatchObject({ ScalingConfig: { MaximumConcurrency: 4 } });
  });

  it('alarms at a 4 % SES bounce rate and a 0.08 % complaint rate, the account metrics at their 15-minute maximum', () => {
    for (const [metricName, threshold] of [
      ['Reputation.BounceRate', 0.04],
      ['Reputation.ComplaintRate', 0.0008],
    ] as const) {
      const alarms = Object.values(resourcesOf(template, 'AWS::CloudWatch::Alarm')).filter(
        (alarm) => alarm.Properties?.MetricName === metricName,
      );
      expect(alarms, metricName).toHaveLength(1);
      expect(alarms[0]?.Properties).toMatchObject({
        Namespace: 'AWS/SES',
        Statistic: 'Maximum',
        Period: 900,
        Threshold: threshold,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
      });
      // The account-wide metric carries no dimensions.
      expect(alarms[0]?.Properties).not.toHaveProperty('Dimensions');
    }
  });

  it('alarms on the first message in each dead-letter queue, campaign starts included', () => {
    const deadLetterQueueIds = Object.entries(resourcesOf(template, 'AWS::SQS::Queue'))
      .filter(([, queue]) => queue.Properties?.RedrivePolicy === undefined)
      .map(([id]) => id)
      .sort();
    expect(deadLetterQueueIds).toEqual([
      expect.stringMatching(/^ImportsDeadLetterQueue/),
      expect.stringMatching(/^QueuesPlanShardDeadLetterQueue/),
      expect.stringMatching(/^QueuesSendDeadLetterQueue/),
      expect.stringMatching(/^QueuesSesEventsDeadLetterQueue/),
      expect.stringMatching(/^SchedulerDeadLetterQueue/),
    ]);
    for (const queueId of deadLetterQueueIds) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queueId, 'QueueName'] } }],
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      });
    }
  });

  it('sends every alarm to one SNS topic that refuses unencrypted publishing', () => {
    // The alarm topic, and the feedback cases' own (tests/infra/feedback.test.ts).
    template.resourceCountIs('AWS::SNS::Topic', 2);
    const [topicId] = resourceNamed(template, 'AWS::SNS::Topic', 'AlarmsAlarmTopic');
    const alarms = Object.values(resourcesOf(template, 'AWS::CloudWatch::Alarm'));
    expect(alarms).toHaveLength(8);
    for (const alarm of alarms) expect(alarm.Properties?.AlarmActions).toEqual([{ Ref: topicId }]);
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [{ Ref: topicId }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
    template.hasOutput('AlarmTopicArn', { Value: { Ref: topicId } });
  });

  it('outputs the URLs, table name, configuration set, alarm topic, sign-in settings and the queue URLs an operator needs', () => {
    for (const output of [
      'ApiUrl',
      'TableName',
      'SesConfigurationSetName',
      'PlanShardDeadLetterQueueUrl',
      'SendDeadLetterQueueUrl',
      'SesEventsQueueUrl',
      'SesEventsDeadLetterQueueUrl',
      'PlanShardDeadLetterQueueArn',
      'SendDeadLetterQueueArn',
      'SesEventsDeadLetterQueueArn',
      'CampaignStartDeadLetterQueueUrl',
      'AlarmTopicArn',
      'PublicUrl',
      'MarketerUserPoolId',
      'MarketerConsoleClientId',
      'MarketerHostedUiUrl',
      'MarketerIssuer',
    ]) {
      template.hasOutput(output, {});
    }
  });
});

describe('ClubPlannerStack send-rate props', () => {
  it.each([1, 1001, 2.5])(
    'refuses sendMaxConcurrency %s at synth, naming the prop and its range',
    (sendMaxConcurrency) => {
      expect(() => stackWith({ sendMaxConcurrency, sendRatePerSecond: 1000 })).toThrow(
        /sendMaxConcurrency must be a whole number from 2 to 1000/,
      );
    },
  );

  it.each([0, -3, Number.NaN])('refuses sendRatePerSecond %s at synth, naming the prop', (sendRatePerSecond) => {
    expect(() => stackWith({ sendRatePerSecond })).toThrow(/sendRatePerSecond must be a number above 0/);
  });

  it('refuses a concurrency so high for the rate that each sendMail batch would outlast half its timeout', () => {
    expect(() => stackWith({ sendRatePerSecond: 14, sendMaxConcurrency: 100 })).toThrow(
      /sendMaxConcurrency 100 is too high for sendRatePerSecond 14.*at most 21/,
    );
  });

  it('accepts the edges of the maxConcurrency range when the rate allows them', () => {
    expect(() => stackWith({ sendMaxConcurrency: 2 })).not.toThrow();
    expect(() => stackWith({ sendMaxConcurrency: 1000, sendRatePerSecond: 1000 })).not.toThrow();
  });
});
