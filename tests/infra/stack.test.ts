import { readFileSync } from 'node:fs';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ClubPlannerStack } from '../../lib/club-planner-stack.js';

type Resource = { Properties?: Record<string, unknown>; DeletionPolicy?: string };

/** Synthesizes with the feature flags from cdk.json, so the test sees what `cdk synth` sees. */
function synthesize(): Template {
  const cdkJson = z
    .object({ context: z.record(z.string(), z.unknown()) })
    .parse(JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')));
  const app = new App({ context: cdkJson.context });
  return Template.fromStack(new ClubPlannerStack(app, 'ClubPlanner'));
}

function resourcesOf(template: Template, type: string): Record<string, Resource> {
  return template.findResources(type) as Record<string, Resource>;
}

function functionProps(template: Template, idPrefix: string): Record<string, unknown> {
  const match = Object.entries(resourcesOf(template, 'AWS::Lambda::Function')).find(([id]) => id.startsWith(idPrefix));
  if (!match?.[1].Properties) throw new Error(`no Lambda function with logical id starting ${idPrefix}`);
  return match[1].Properties;
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
        Replicas: [
          Match.objectLike({ PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }),
        ],
      }),
    });
  });

  it('deploys exactly four Node.js 22 functions on arm64 with active tracing', () => {
    const functions = Object.values(resourcesOf(template, 'AWS::Lambda::Function'));
    expect(functions).toHaveLength(4);
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
    const memory = functions.map((fn) => z.number().parse(fn.Properties?.['MemorySize'])).sort((a, b) => a - b);
    expect(memory).toEqual([512, 512, 512, 1536]);
    const planCampaign = functions.find((fn) => fn.Properties?.['MemorySize'] === 1536);
    expect(planCampaign?.Properties?.['Timeout']).toBe(300);
  });

  it('keeps function logs for one month', () => {
    template.resourceCountIs('AWS::Logs::LogGroup', 4);
    template.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
  });

  it('gives every work queue a DLQ after 5 receives', () => {
    const mappings = Object.values(resourcesOf(template, 'AWS::Lambda::EventSourceMapping'));
    expect(mappings).toHaveLength(2);
    const queues = resourcesOf(template, 'AWS::SQS::Queue');
    for (const mapping of mappings) {
      const queue = queues[referencedId(mapping.Properties?.['EventSourceArn'])];
      expect(queue?.Properties?.['RedrivePolicy']).toMatchObject({ maxReceiveCount: 5 });
    }
  });

  it('keeps dead letters for 14 days and encrypts every queue', () => {
    template.resourceCountIs('AWS::SQS::Queue', 4);
    template.allResourcesProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true });
    const deadLetterQueues = Object.values(resourcesOf(template, 'AWS::SQS::Queue')).filter(
      (queue) => queue.Properties?.['RedrivePolicy'] === undefined,
    );
    expect(deadLetterQueues).toHaveLength(2);
    for (const queue of deadLetterQueues) expect(queue.Properties?.['MessageRetentionPeriod']).toBe(14 * 24 * 3600);
  });

  it('sets each work queue visibility timeout to at least six times its consumer timeout', () => {
    const queues = resourcesOf(template, 'AWS::SQS::Queue');
    const functions = resourcesOf(template, 'AWS::Lambda::Function');
    for (const mapping of Object.values(resourcesOf(template, 'AWS::Lambda::EventSourceMapping'))) {
      const queue = queues[referencedId(mapping.Properties?.['EventSourceArn'])];
      const consumer = functions[referencedId(mapping.Properties?.['FunctionName'])];
      const visibility = z.number().parse(queue?.Properties?.['VisibilityTimeout']);
      const timeout = z.number().parse(consumer?.Properties?.['Timeout']);
      expect(visibility).toBeGreaterThanOrEqual(6 * timeout);
    }
  });

  it('reports partial batch failures from both SQS consumers', () => {
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
    const publicRoutes = ['GET /u/{token}', 'GET /p/{token}', 'POST /p/{token}', 'ANY /p/{token}/{proxy+}', 'GET /health'];
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
        Statement: [
          Match.objectLike({ Action: 'sts:AssumeRole', Principal: { Service: 'scheduler.amazonaws.com' } }),
        ],
      },
    });
  });

  it('lets the api function create schedules and pass the scheduler role', () => {
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: ['scheduler:CreateSchedule', 'scheduler:DeleteSchedule', 'scheduler:GetSchedule', 'scheduler:UpdateSchedule'],
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
    const roles = sesStatements.map((p) => JSON.stringify(p.Properties?.['Roles'])).sort();
    expect(roles[0]).toContain('Api');
    expect(roles[1]).toContain('SendMail');
  });

  it('gives the api a suppression key of its own, retained, that no other function reads', () => {
    const secrets = resourcesOf(template, 'AWS::SecretsManager::Secret');
    const suppression = Object.entries(secrets).find(([id]) => id.startsWith('SuppressionKey'));
    expect(suppression?.[1]).toMatchObject({ DeletionPolicy: 'Retain' });
    const variables = z
      .object({ Environment: z.object({ Variables: z.record(z.string(), z.unknown()) }) })
      .parse(functionProps(template, 'FunctionsApi')).Environment.Variables;
    expect(variables['SUPPRESSION_SECRET_ARN']).toEqual({ Ref: suppression?.[0] });
    expect(variables).toHaveProperty('PUBLIC_BASE_URL');
    expect(variables).toHaveProperty('SES_CONFIGURATION_SET');
    for (const name of ['FunctionsSendMail', 'FunctionsPlanShard', 'FunctionsPlanCampaign']) {
      expect(JSON.stringify(functionProps(template, name))).not.toContain('SUPPRESSION_SECRET_ARN');
    }
  });

  it('gives sendMail its public base URL and SES configuration set', () => {
    const variables = z
      .object({ Environment: z.object({ Variables: z.record(z.string(), z.unknown()) }) })
      .parse(functionProps(template, 'FunctionsSendMail')).Environment.Variables;
    expect(variables).toHaveProperty('PUBLIC_BASE_URL');
    expect(variables).toHaveProperty('SES_CONFIGURATION_SET');
    // ApiEndpoint is the API's base URL without a trailing slash (unlike the stage URL).
    expect(variables['PUBLIC_BASE_URL']).toEqual({
      'Fn::GetAtt': [expect.stringMatching(/^PublicApi/), 'ApiEndpoint'],
    });
  });

  it('gives every function the table, source maps and the token secret', () => {
    for (const fn of Object.values(resourcesOf(template, 'AWS::Lambda::Function'))) {
      expect(fn.Properties?.['Environment']).toMatchObject({
        Variables: {
          TABLE_NAME: expect.anything(),
          TOKEN_SECRET_ARN: expect.anything(),
          NODE_OPTIONS: '--enable-source-maps',
        },
      });
    }
  });

  it('outputs the API URL, table name, configuration set and both DLQ URLs', () => {
    for (const output of [
      'ApiUrl',
      'TableName',
      'SesConfigurationSetName',
      'PlanShardDeadLetterQueueUrl',
      'SendDeadLetterQueueUrl',
    ]) {
      template.hasOutput(output, {});
    }
  });
});
