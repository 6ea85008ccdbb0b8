import { readFileSync } from 'node:fs';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { ClubPlannerStackProps } from '../../lib/club-planner-stack.js';
import { ClubPlannerStack } from '../../lib/club-planner-stack.js';

type Resource = { Properties?: Record<string, unknown>; DeletionPolicy?: string };

const cdkJsonContext = z
  .object({ context: z.record(z.string(), z.unknown()) })
  .parse(JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8'))).context;

/** Synthesizes with the feature flags from cdk.json, so the test sees what `cdk synth` sees. */
function synthesize(): Template {
  const app = new App({ context: cdkJsonContext });
  return Template.fromStack(new ClubPlannerStack(app, 'ClubPlanner'));
}

/** Builds a stack with other props; skips esbuild (bundling-stacks: none), which these tests do not look at. */
function stackWith(props: ClubPlannerStackProps): ClubPlannerStack {
  const app = new App({ context: { ...cdkJsonContext, 'aws:cdk:bundling-stacks': [] } });
  return new ClubPlannerStack(app, 'ClubPlanner', props);
}

function resourcesOf(template: Template, type: string): Record<string, Resource> {
  return template.findResources(type) as Record<string, Resource>;
}

/** The one resource of `type` whose logical id starts with `idPrefix`, as [logical id, properties]. */
function resourceNamed(template: Template, type: string, idPrefix: string): [string, Record<string, unknown>] {
  const matches = Object.entries(resourcesOf(template, type)).filter(([id]) => id.startsWith(idPrefix));
  const [match, ...others] = matches;
  if (!match?.[1].Properties || others.length > 0) {
    throw new Error(`expected one ${type} with logical id starting ${idPrefix}, found ${matches.length}`);
  }
  return [match[0], match[1].Properties];
}

function functionProps(template: Template, idPrefix: string): Record<string, unknown> {
  return resourceNamed(template, 'AWS::Lambda::Function', idPrefix)[1];
}

function environmentOf(template: Template, idPrefix: string): Record<string, unknown> {
  return z
    .object({ Environment: z.object({ Variables: z.record(z.string(), z.unknown()) }) })
    .parse(functionProps(template, idPrefix)).Environment.Variables;
}

/** The event source mapping that feeds the function whose logical id starts with `idPrefix`. */
function mappingOf(template: Template, idPrefix: string): Record<string, unknown> {
  const [functionId] = resourceNamed(template, 'AWS::Lambda::Function', idPrefix);
  const mappings = Object.values(resourcesOf(template, 'AWS::Lambda::EventSourceMapping')).filter(
    (mapping) => referencedId(mapping.Properties?.FunctionName) === functionId,
  );
  const [mapping, ...others] = mappings;
  if (!mapping?.Properties || others.length > 0) throw new Error(`expected one event source mapping for ${functionId}`);
  return mapping.Properties;
}

/** `{ Ref: id }` or `{ 'Fn::GetAtt': [id, attr] }` -> id */
function referencedId(value: unknown): string {
  return z
    .union([
      z.object({ Ref: z.string() }).transform((r) => r.Ref),
      z.object({ 'Fn::GetAtt': z.tuple([z.string(), z.string()]) }).transform((r) => r['Fn::GetAtt'][0]),
    ])
    .parse(value);
}

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

  it('deploys exactly five Node.js 22 functions on arm64 with active tracing', () => {
    const functions = Object.values(resourcesOf(template, 'AWS::Lambda::Function'));
    expect(functions).toHaveLength(5);
    for (const fn of functions) {
      expect(fn.Properties).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        TracingConfig: { Mode: 'Active' },
      });
    }
  });

  it('gives the campaign start, which may refit the ranking model, 5 minutes and 1.5 GB; the rest 512 MB', () => {
    const functions = Object.values(resourcesOf(template, 'AWS::Lambda::Function'));
    const memory = functions.map((fn) => z.number().parse(fn.Properties?.MemorySize)).sort((a, b) => a - b);
    expect(memory).toEqual([512, 512, 512, 512, 1536]);
    const planCampaign = functions.find((fn) => fn.Properties?.MemorySize === 1536);
    expect(planCampaign?.Properties?.Timeout).toBe(300);
  });

  it('keeps function logs for one month', () => {
    template.resourceCountIs('AWS::Logs::LogGroup', 5);
    template.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
  });

  it('gives every work queue a DLQ after 5 receives', () => {
    const mappings = Object.values(resourcesOf(template, 'AWS::Lambda::EventSourceMapping'));
    expect(mappings).toHaveLength(3);
    const queues = resourcesOf(template, 'AWS::SQS::Queue');
    for (const mapping of mappings) {
      const queue = queues[referencedId(mapping.Properties?.EventSourceArn)];
      expect(queue?.Properties?.RedrivePolicy).toMatchObject({ maxReceiveCount: 5 });
    }
  });

  it('keeps dead letters for 14 days and encrypts every queue', () => {
    template.resourceCountIs('AWS::SQS::Queue', 6);
    template.allResourcesProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true });
    const deadLetterQueues = Object.values(resourcesOf(template, 'AWS::SQS::Queue')).filter(
      (queue) => queue.Properties?.RedrivePolicy === undefined,
    );
    expect(deadLetterQueues).toHaveLength(3);
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

  it('serves member routes publicly and the marketer API behind IAM', () => {
    template.resourceCountIs('AWS::ApiGatewayV2::Api', 1);
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', { ProtocolType: 'HTTP' });
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
      RouteKey: 'POST /u/{token}',
      AuthorizationType: 'NONE',
    });
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
      RouteKey: 'ANY /api/{proxy+}',
      AuthorizationType: 'AWS_IAM',
    });
    const publicRoutes = [
      'GET /u/{token}',
      'GET /p/{token}',
      'POST /p/{token}',
      'ANY /p/{token}/{proxy+}',
      'GET /health',
    ];
    for (const routeKey of publicRoutes) {
      template.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: routeKey, AuthorizationType: 'NONE' });
    }
  });

  it('throttles the default stage', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 },
    });
  });

  it('has a schedule group and a role EventBridge Scheduler can assume', () => {
    template.resourceCountIs('AWS::Scheduler::ScheduleGroup', 1);
    template.resourceCountIs('AWS::Scheduler::Schedule', 0);
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

  it('lets only sendMail (campaign mail) and the api (the unsubscribe confirmation) send mail through SES', () => {
    const sesStatements = Object.values(resourcesOf(template, 'AWS::IAM::Policy')).filter((policy) =>
      JSON.stringify(policy.Properties).includes('ses:SendEmail'),
    );
    expect(sesStatements).toHaveLength(2);
    const roles = sesStatements.map((p) => JSON.stringify(p.Properties?.Roles)).sort();
    expect(roles[0]).toContain('Api');
    expect(roles[1]).toContain('SendMail');
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

  it('gives every function the table, source maps and the token secret', () => {
    for (const fn of Object.values(resourcesOf(template, 'AWS::Lambda::Function'))) {
      expect(fn.Properties?.Environment).toMatchObject({
        Variables: {
          TABLE_NAME: expect.anything(),
          TOKEN_SECRET_ARN: expect.anything(),
          NODE_OPTIONS: '--enable-source-maps',
        },
      });
    }
  });

  it('publishes exactly the nine SES event types of the configuration set to the default EventBridge bus', () => {
    template.resourceCountIs('AWS::SES::ConfigurationSetEventDestination', 1);
    const [configurationSetId] = resourceNamed(template, 'AWS::SES::ConfigurationSet', 'Mail');
    const [, destination] = resourceNamed(template, 'AWS::SES::ConfigurationSetEventDestination', 'Mail');
    expect(destination.ConfigurationSetName).toEqual({ Ref: configurationSetId });
    const eventDestination = z
      .object({
        Enabled: z.literal(true),
        MatchingEventTypes: z.array(z.string()),
        EventBridgeDestination: z.object({ EventBusArn: z.unknown() }),
      })
      .strip()
      .parse(destination.EventDestination);
    expect([...eventDestination.MatchingEventTypes].sort()).toEqual([
      'bounce',
      'click',
      'complaint',
      'delivery',
      'deliveryDelay',
      'open',
      'reject',
      'renderingFailure',
      'send',
    ]);
    // SES can publish only to the account's default bus.
    expect(JSON.stringify(eventDestination.EventBridgeDestination.EventBusArn)).toMatch(/:event-bus\/default"/);
    expect(destination).not.toHaveProperty('EventDestination.SnsDestination');
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

  it('lets sesEvents read and write the table and read the token and suppression secrets', () => {
    const [roleId] = resourceNamed(template, 'AWS::IAM::Role', 'FunctionsSesEvents');
    const statements = Object.values(resourcesOf(template, 'AWS::IAM::Policy'))
      .filter((policy) => JSON.stringify(policy.Properties?.Roles) === JSON.stringify([{ Ref: roleId }]))
      .flatMap(
        (policy) =>
          z.object({ PolicyDocument: z.object({ Statement: z.array(z.unknown()) }) }).parse(policy.Properties)
            .PolicyDocument.Statement,
      );
    const text = JSON.stringify(statements);
    for (const action of [
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
      'dynamodb:Query',
      'secretsmanager:GetSecretValue',
      'sqs:DeleteMessage',
    ]) {
      expect(text).toContain(action);
    }
    const secretIds = Object.keys(resourcesOf(template, 'AWS::SecretsManager::Secret'));
    expect(secretIds).toHaveLength(2);
    for (const secretId of secretIds) expect(text).toContain(`{"Ref":"${secretId}"}`);
    expect(text).not.toContain('ses:SendEmail');
  });

  it('lets every function read the token keys it loads at cold start', () => {
    const [tokenSecretId] = resourceNamed(template, 'AWS::SecretsManager::Secret', 'TokenKeys');
    const policies = Object.values(resourcesOf(template, 'AWS::IAM::Policy'));
    for (const [roleId] of Object.entries(resourcesOf(template, 'AWS::IAM::Role')).filter(([id]) =>
      /^Functions.*ServiceRole/.test(id),
    )) {
      const text = JSON.stringify(
        policies.filter((policy) => JSON.stringify(policy.Properties?.Roles).includes(`"${roleId}"`)),
      );
      expect(text, roleId).toMatch(new RegExp(`secretsmanager:GetSecretValue.*\\{"Ref":"${tokenSecretId}"\\}`));
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

  it('alarms on the first message in each dead-letter queue', () => {
    const deadLetterQueueIds = Object.entries(resourcesOf(template, 'AWS::SQS::Queue'))
      .filter(([, queue]) => queue.Properties?.RedrivePolicy === undefined)
      .map(([id]) => id)
      .sort();
    expect(deadLetterQueueIds).toEqual([
      expect.stringMatching(/^QueuesPlanShardDeadLetterQueue/),
      expect.stringMatching(/^QueuesSendDeadLetterQueue/),
      expect.stringMatching(/^QueuesSesEventsDeadLetterQueue/),
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
    template.resourceCountIs('AWS::SNS::Topic', 1);
    const [topicId] = resourceNamed(template, 'AWS::SNS::Topic', 'AlarmsAlarmTopic');
    const alarms = Object.values(resourcesOf(template, 'AWS::CloudWatch::Alarm'));
    expect(alarms).toHaveLength(5);
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

  it('outputs the API URL, table name, configuration set, alarm topic and the queue URLs an operator needs', () => {
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
      'AlarmTopicArn',
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
