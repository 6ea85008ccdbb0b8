import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ROUTE_THROTTLES } from '../../lib/constructs/public-api.js';
import {
  actionsOf,
  environmentOf,
  referencedId,
  resourceNamed,
  resourcesOf,
  statementsOfRole,
  templateOf,
} from './synth.js';

const FUNCTIONS = [
  'Api',
  'PlanCampaign',
  'PlanShard',
  'SendMail',
  'SesEvents',
  'CheckFeedbackCases',
  'FitModel',
] as const;

let template: Template;
beforeAll(() => {
  template = templateOf();
}, 60_000);

describe('the feedback follow-up on AWS', () => {
  it('announces new cases on a topic of their own that takes only TLS, published to by the api function alone', () => {
    const [topicId] = resourceNamed(template, 'AWS::SNS::Topic', 'FeedbackCaseTopic');
    const policies = Object.values(resourcesOf(template, 'AWS::SNS::TopicPolicy')).filter((p) =>
      JSON.stringify(p.Properties?.Topics).includes(topicId),
    );
    expect(JSON.stringify(policies)).toContain('"aws:SecureTransport":"false"');
    const publishers = FUNCTIONS.filter((fn) =>
      statementsOfRole(template, `Functions${fn}Role`).some(
        (s) => actionsOf(s).includes('sns:Publish') && JSON.stringify(s.Resource).includes(topicId),
      ),
    );
    expect(publishers).toEqual(['Api']);
    expect(referencedId(environmentOf(template, 'FunctionsApi').FEEDBACK_TOPIC_ARN)).toBe(topicId);
  });

  it('counts overdue cases every 15 minutes and raises an alarm on the alarm topic when one is', () => {
    const [checkId] = resourceNamed(template, 'AWS::Lambda::Function', 'FunctionsCheckFeedbackCases');
    const rule = resourceNamed(template, 'AWS::Events::Rule', 'FeedbackOverdueCheck')[1];
    expect(rule.ScheduleExpression).toBe('rate(15 minutes)');
    const targets = z.array(z.object({ Arn: z.unknown() })).parse(rule.Targets);
    expect(targets.map((t) => referencedId(t.Arn))).toEqual([checkId]);
    const [alarmTopicId] = resourceNamed(template, 'AWS::SNS::Topic', 'AlarmsAlarmTopic');
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'ClubPlanner',
      MetricName: 'OverdueFeedbackCases',
      Dimensions: [{ Name: 'Service', Value: 'club-planner' }],
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      AlarmActions: [{ Ref: alarmTopicId }],
      TreatMissingData: 'notBreaching',
    });
    // The check reads the table and writes its metric to its log; it sends no mail and publishes nothing.
    const actions = statementsOfRole(template, 'FunctionsCheckFeedbackCasesRole').flatMap(actionsOf);
    expect(
      actions.filter((a) => a.startsWith('ses:') || a.startsWith('sns:') || a.startsWith('secretsmanager:')),
    ).toEqual([]);
  });

  it('gives the survey pages a throttle of their own, roomier than the other member pages', () => {
    const stage = z
      .object({ RouteSettings: z.record(z.string(), z.object({ throttlingRateLimit: z.number() })) })
      .parse(resourceNamed(template, 'AWS::ApiGatewayV2::Stage', 'PublicApi')[1]);
    for (const key of ['GET /s/{token}', 'POST /s/{token}', 'ANY /s/{token}/{proxy+}']) {
      expect(stage.RouteSettings[key]?.throttlingRateLimit).toBe(ROUTE_THROTTLES.survey.rateLimit);
    }
    expect(ROUTE_THROTTLES.survey.rateLimit).toBeGreaterThan(ROUTE_THROTTLES.member.rateLimit);
  });
});
