import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  DEFAULT_SCHEDULE_EVENT_AGE_SECONDS,
  DEFAULT_SCHEDULE_RETRY_ATTEMPTS,
} from '../../lambdas/adapters/eventbridge-scheduler.js';
import { actionsOf, environmentOf, resourceNamed, resourcesOf, statementsOfRole, templateOf } from './synth.js';

describe('campaign starts', () => {
  let template: Template;
  let deadLetterQueueId: string;
  beforeAll(() => {
    template = templateOf();
    [deadLetterQueueId] = resourceNamed(template, 'AWS::SQS::Queue', 'SchedulerDeadLetterQueue');
  });

  it('tell the api function the retry policy and dead-letter queue to give every campaign schedule', () => {
    expect(environmentOf(template, 'FunctionsApi')).toMatchObject({
      SCHEDULER_DEAD_LETTER_QUEUE_ARN: { 'Fn::GetAtt': [deadLetterQueueId, 'Arn'] },
      SCHEDULER_MAX_RETRY_ATTEMPTS: String(DEFAULT_SCHEDULE_RETRY_ATTEMPTS),
      SCHEDULER_MAX_EVENT_AGE_SECONDS: String(DEFAULT_SCHEDULE_EVENT_AGE_SECONDS),
      SCHEDULER_GROUP_NAME: { Ref: expect.stringMatching(/^SchedulerGroup/) },
      SCHEDULER_ROLE_ARN: { 'Fn::GetAtt': [expect.stringMatching(/^SchedulerRole/), 'Arn'] },
    });
  });

  it('send what planCampaign failed after Lambda retried it to the same dead-letter queue', () => {
    const [planCampaignId] = resourceNamed(template, 'AWS::Lambda::Function', 'FunctionsPlanCampaign');
    const [, config] = resourceNamed(template, 'AWS::Lambda::EventInvokeConfig', 'FunctionsPlanCampaign');
    expect(config).toEqual({
      FunctionName: { Ref: planCampaignId },
      Qualifier: '$LATEST',
      MaximumRetryAttempts: 2,
      MaximumEventAgeInSeconds: DEFAULT_SCHEDULE_EVENT_AGE_SECONDS,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [deadLetterQueueId, 'Arn'] } } },
    });
    const sends = statementsOfRole(template, 'FunctionsPlanCampaignRole').filter((statement) =>
      actionsOf(statement).includes('sqs:SendMessage'),
    );
    expect(sends.flatMap((statement) => statement.Resource)).toContainEqual({
      'Fn::GetAtt': [deadLetterQueueId, 'Arn'],
    });
  });

  it('run as a role that may invoke only the unqualified planCampaign and write only to the dead-letter queue', () => {
    const [planCampaignId] = resourceNamed(template, 'AWS::Lambda::Function', 'FunctionsPlanCampaign');
    const statements = statementsOfRole(template, 'SchedulerRole');
    const invoke = statements.filter((statement) => actionsOf(statement).includes('lambda:InvokeFunction'));
    expect(invoke.map((statement) => statement.Resource)).toEqual([{ 'Fn::GetAtt': [planCampaignId, 'Arn'] }]);
    const send = statements.filter((statement) => actionsOf(statement).includes('sqs:SendMessage'));
    expect(send.map((statement) => statement.Resource)).toEqual([{ 'Fn::GetAtt': [deadLetterQueueId, 'Arn'] }]);
    expect(statements).toHaveLength(2);
  });

  it('raise the alarm on the first failed start, on the alarm topic', () => {
    const [topicId] = resourceNamed(template, 'AWS::SNS::Topic', 'AlarmsAlarmTopic');
    const alarm = Object.values(resourcesOf(template, 'AWS::CloudWatch::Alarm')).find((resource) =>
      JSON.stringify(resource.Properties?.Dimensions ?? []).includes(deadLetterQueueId),
    );
    expect(alarm?.Properties).toMatchObject({
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      AlarmActions: [{ Ref: topicId }],
    });
    const [, queue] = resourceNamed(template, 'AWS::SQS::Queue', 'SchedulerDeadLetterQueue');
    expect(z.number().parse(queue.MessageRetentionPeriod)).toBe(14 * 24 * 3600);
  });
});

describe('recurring automations', () => {
  let template: Template;
  beforeAll(() => {
    template = templateOf();
  });

  it('are schedules the api function may create, update and delete in the campaign schedules’ group only, run as the scheduler role', () => {
    const manage = statementsOfRole(template, 'FunctionsApiRole').filter((statement) =>
      actionsOf(statement).includes('scheduler:CreateSchedule'),
    );
    const [statement] = manage;
    if (!statement || manage.length !== 1) throw new Error('expected one statement that manages schedules');
    expect(actionsOf(statement)).toEqual(
      expect.arrayContaining(['scheduler:CreateSchedule', 'scheduler:UpdateSchedule', 'scheduler:DeleteSchedule']),
    );
    expect(JSON.stringify(statement.Resource)).toMatch(/SchedulerGroup.*\/\*/);
    expect(environmentOf(template, 'FunctionsApi')).toMatchObject({
      PLAN_CAMPAIGN_FUNCTION_ARN: { 'Fn::GetAtt': [expect.stringMatching(/^FunctionsPlanCampaign/), 'Arn'] },
    });
  });

  it('raise the alarm for a run that failed every retry and could not reach the dead-letter queue either', () => {
    const [topicId] = resourceNamed(template, 'AWS::SNS::Topic', 'AlarmsAlarmTopic');
    const [, alarm] = resourceNamed(template, 'AWS::CloudWatch::Alarm', 'SchedulerLostRuns');
    expect(alarm).toMatchObject({
      Namespace: 'AWS/Scheduler',
      MetricName: 'InvocationsFailedToBeSentToDeadLetterCount',
      Dimensions: [{ Name: 'ScheduleGroup', Value: { Ref: expect.stringMatching(/^SchedulerGroup/) } }],
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      AlarmActions: [{ Ref: topicId }],
    });
  });

  it('let the target create each run and read the automation: planCampaign reads and writes the table', () => {
    const actions = statementsOfRole(template, 'FunctionsPlanCampaignRole').flatMap((statement) =>
      actionsOf(statement),
    );
    expect(actions).toEqual(expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem']));
  });
});
