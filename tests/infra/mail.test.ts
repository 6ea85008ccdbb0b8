import type { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { resourceNamed, resourcesOf, templateOf } from './synth.js';

const Destination = z.object({
  ConfigurationSetName: z.unknown(),
  EventDestination: z.object({
    Enabled: z.literal(true),
    MatchingEventTypes: z.array(z.string()),
    EventBridgeDestination: z.object({ EventBusArn: z.unknown() }),
  }),
});

function eventTypes(template: Template): string[] {
  const [, destination] = resourceNamed(template, 'AWS::SES::ConfigurationSetEventDestination', 'Mail');
  return [...Destination.parse(destination).EventDestination.MatchingEventTypes].sort();
}

describe('the SES configuration set', () => {
  it('publishes no open or click events and has no tracking options, so SES rewrites no token link', () => {
    const template = templateOf();
    template.resourceCountIs('AWS::SES::ConfigurationSetEventDestination', 1);
    expect(eventTypes(template)).toEqual([
      'bounce',
      'complaint',
      'delivery',
      'deliveryDelay',
      'reject',
      'renderingFailure',
      'send',
    ]);
    const [, configurationSet] = resourceNamed(template, 'AWS::SES::ConfigurationSet', 'Mail');
    expect(configurationSet).not.toHaveProperty('TrackingOptions');
    // Off for this configuration set even when the account turns VDM engagement metrics on.
    expect(configurationSet.VdmOptions).toEqual({ DashboardOptions: { EngagementMetrics: 'DISABLED' } });
    expect(configurationSet.ReputationOptions).toEqual({ ReputationMetricsEnabled: true });
    const everything = JSON.stringify(resourcesOf(template, 'AWS::SES::ConfigurationSetEventDestination'));
    expect(everything).not.toMatch(/"open"|"click"/);
  });

  it('publishes opens and clicks only when engagementTracking is set, which the docs call unsafe for token links', () => {
    const template = templateOf({ engagementTracking: 'true' });
    expect(eventTypes(template)).toEqual(expect.arrayContaining(['open', 'click', 'send', 'bounce']));
    const [, configurationSet] = resourceNamed(template, 'AWS::SES::ConfigurationSet', 'Mail');
    expect(configurationSet.VdmOptions).toEqual({ DashboardOptions: { EngagementMetrics: 'ENABLED' } });
  });

  it('publishes to the default EventBridge bus, the only one SES can publish to', () => {
    const template = templateOf();
    const [configurationSetId] = resourceNamed(template, 'AWS::SES::ConfigurationSet', 'Mail');
    const [, destination] = resourceNamed(template, 'AWS::SES::ConfigurationSetEventDestination', 'Mail');
    const parsed = Destination.parse(destination);
    expect(parsed.ConfigurationSetName).toEqual({ Ref: configurationSetId });
    expect(JSON.stringify(parsed.EventDestination.EventBridgeDestination.EventBusArn)).toMatch(/:event-bus\/default"/);
  });
});
