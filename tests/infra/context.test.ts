import { App } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { readContext } from '../../lib/context.js';
import { EVERYTHING } from './synth.js';

const read = (context: Record<string, unknown>) => readContext(new App({ context }).node);

describe('CDK context', () => {
  it('reads every optional part, JSON given as text by -c or as values by cdk.json', () => {
    const asText = Object.fromEntries(
      Object.entries(EVERYTHING).map(([key, value]) => [
        key,
        typeof value === 'string' ? value : JSON.stringify(value),
      ]),
    );
    expect(read(asText)).toEqual(read(EVERYTHING));
    expect(read(EVERYTHING)).toMatchObject({
      sendingDomains: EVERYTHING.sendingDomains,
      machineClients: EVERYTHING.machineClients,
      engagementTracking: true,
      wafStack: false,
    });
  });

  it('defaults to no sending domain, no machine client, no tracking and no WAF', () => {
    expect(read({})).toEqual({
      stage: 'dev',
      sendMaxConcurrency: 10,
      sendRatePerSecond: 14,
      sendingDomains: [],
      engagementTracking: false,
      machineClients: [],
      wafStack: false,
    });
  });

  it.each([
    [
      { sendingDomains: '[{"clubId":"a","domain":"Klubb.Example.se"}]' },
      /sendingDomains\.0\.domain: use a lower-case domain/,
    ],
    [{ sendingDomains: '[{"clubId":"a","domain":"example"}]' }, /sendingDomains\.0\.domain/],
    [
      { sendingDomains: '[{"clubId":"a","domain":"a.se"},{"clubId":"b","domain":"a.se"}]' },
      /sendingDomains\.1\.domain: a\.se is listed twice/,
    ],
    [
      { sendingDomains: '[{"clubId":"a","domain":"a.se","hostedZoneName":"a.se"}]' },
      /hostedZoneName: hostedZoneName needs hostedZoneId/,
    ],
    [
      { sendingDomains: '[{"clubId":"a","domain":"klubb.a.se","hostedZoneId":"Z1","hostedZoneName":"b.se"}]' },
      /hostedZoneName: the domain must be the hosted zone or inside it/,
    ],
    [{ sendingDomains: '[{"clubId":"a","domain":"a.se","dmarcRua":"not-an-address"}]' }, /sendingDomains\.0\.dmarcRua/],
    [{ sendingDomains: '[{"clubId":"__proto__","domain":"a.se"}]' }, /sendingDomains\.0\.clubId: is a reserved name/],
    [{ sendingDomains: '[{"clubId":"a","domain":"a.se","smtp":"x"}]' }, /sendingDomains\.0/],
    [{ sendingDomains: 'not json' }, /sendingDomains/],
    [
      { machineClients: '[{"name":"crm","scopes":[{"clubId":"a","role":"owner"}]}]' },
      /machineClients\.0\.scopes\.0\.role/,
    ],
    [{ machineClients: '[{"name":"crm","scopes":[]}]' }, /machineClients\.0\.scopes/],
    [
      {
        machineClients:
          '[{"name":"crm","scopes":[{"clubId":"a","role":"viewer"}]},{"name":"crm","scopes":[{"clubId":"b","role":"viewer"}]}]',
      },
      /machineClients: client names must differ/,
    ],
    [
      { wafWebAclArn: 'arn:aws:wafv2:eu-north-1:123456789012:regional/webacl/x/0a1b2c3d-4e5f-4789-abcd-ef0123456789' },
      /wafWebAclArn: use the ARN of a CLOUDFRONT-scope web ACL/,
    ],
    [{ cognitoDomainPrefix: 'my-cognito-login' }, /cognitoDomainPrefix: Cognito refuses prefixes/],
    [{ consoleCallbackUrls: '["http://console.example/callback"]' }, /consoleCallbackUrls\.0: use an https:\/\/ URL/],
    [{ engagementTracking: 'yes' }, /engagementTracking/],
  ])('refuses %j, naming the value', (context, message) => {
    expect(() => read(context)).toThrow(message);
  });
});
