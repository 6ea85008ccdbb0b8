import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ClubPlannerWafStack, WAF_REGION } from '../../lib/club-planner-waf-stack.js';
import { WAF_RATE_LIMIT_PER_5_MINUTES } from '../../lib/constructs/edge-web-acl.js';
import { ROUTE_THROTTLES } from '../../lib/constructs/public-api.js';
import {
  cdkJsonContext,
  EVERYTHING,
  environmentOf,
  referencedId,
  resourceNamed,
  resourcesOf,
  templateOf,
} from './synth.js';

const Stage = z.object({
  StageName: z.literal('$default'),
  DefaultRouteSettings: z.object({ ThrottlingRateLimit: z.number(), ThrottlingBurstLimit: z.number() }),
  RouteSettings: z.record(z.string(), z.object({ throttlingRateLimit: z.number(), throttlingBurstLimit: z.number() })),
  AccessLogSettings: z.object({ DestinationArn: z.unknown(), Format: z.string() }),
});

function routesOf(template: Template): Record<string, { authorization: string; authorizerId?: string }> {
  const routes: Record<string, { authorization: string; authorizerId?: string }> = {};
  for (const route of Object.values(resourcesOf(template, 'AWS::ApiGatewayV2::Route'))) {
    const props = z
      .object({ RouteKey: z.string(), AuthorizationType: z.string(), AuthorizerId: z.unknown().optional() })
      .parse(route.Properties);
    routes[props.RouteKey] = {
      authorization: props.AuthorizationType,
      ...(props.AuthorizerId === undefined ? {} : { authorizerId: referencedId(props.AuthorizerId) }),
    };
  }
  return routes;
}

describe('the HTTP API', () => {
  let template: Template;
  beforeAll(() => {
    template = templateOf();
  });

  it('puts the Cognito JWT authorizer on the marketer API, with the console client as audience', () => {
    const [authorizerId, authorizer] = resourceNamed(template, 'AWS::ApiGatewayV2::Authorizer', 'PublicApi');
    const [poolId] = resourceNamed(template, 'AWS::Cognito::UserPool', 'MarketerIdentity');
    const [consoleClientId] = resourceNamed(
      template,
      'AWS::Cognito::UserPoolClient',
      'MarketerIdentityUserPoolConsole',
    );
    expect(authorizer).toMatchObject({
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: { Audience: [{ Ref: consoleClientId }] },
    });
    expect(JSON.stringify(authorizer.JwtConfiguration)).toContain(`{"Ref":"${poolId}"}`);
    expect(routesOf(template)['ANY /api/{proxy+}']).toEqual({ authorization: 'JWT', authorizerId });
  });

  it('leaves public exactly the member, console and health routes, and nothing under /api', () => {
    const routes = routesOf(template);
    const open = Object.keys(routes)
      .filter((key) => routes[key]?.authorization === 'NONE')
      .sort();
    expect(open).toEqual(
      [
        'GET /u/{token}',
        'POST /u/{token}',
        ...['/p', '/s', '/c'].flatMap((prefix) => [
          `GET ${prefix}/{token}`,
          `POST ${prefix}/{token}`,
          `ANY ${prefix}/{token}/{proxy+}`,
        ]),
        'ANY /console',
        'ANY /console/{proxy+}',
        'GET /health',
      ].sort(),
    );
    for (const [key, route] of Object.entries(routes)) {
      if (key.includes(' /api')) expect(route.authorization, key).toBe('JWT');
    }
  });

  it('throttles every route on its own, with one-click unsubscribes and the marketer API apart from the member pages', () => {
    const stage = Stage.parse(resourceNamed(template, 'AWS::ApiGatewayV2::Stage', 'PublicApi')[1]);
    const routeKeys = Object.keys(routesOf(template)).sort();
    expect(Object.keys(stage.RouteSettings).sort()).toEqual(routeKeys);
    const limits = (key: string) => stage.RouteSettings[key];
    expect(limits('POST /u/{token}')).toEqual({
      throttlingRateLimit: ROUTE_THROTTLES.unsubscribe.rateLimit,
      throttlingBurstLimit: ROUTE_THROTTLES.unsubscribe.burstLimit,
    });
    expect(limits('ANY /api/{proxy+}')).toEqual({
      throttlingRateLimit: ROUTE_THROTTLES.marketer.rateLimit,
      throttlingBurstLimit: ROUTE_THROTTLES.marketer.burstLimit,
    });
    expect(limits('GET /p/{token}')).toEqual({
      throttlingRateLimit: ROUTE_THROTTLES.member.rateLimit,
      throttlingBurstLimit: ROUTE_THROTTLES.member.burstLimit,
    });
    // One-click unsubscribes get more room than any page a person opens.
    expect(ROUTE_THROTTLES.unsubscribe.rateLimit).toBeGreaterThan(ROUTE_THROTTLES.member.rateLimit);
    // A route without settings of its own (none today) would fall back to the stage default, below the pages'.
    expect(stage.DefaultRouteSettings.ThrottlingRateLimit).toBeLessThan(ROUTE_THROTTLES.member.rateLimit);
  });

  it('deploys the stage after the routes its throttles name', () => {
    const [, stage] = Object.entries(resourcesOf(template, 'AWS::ApiGatewayV2::Stage'))[0] ?? [];
    const dependsOn = z.array(z.string()).parse(stage?.DependsOn);
    for (const routeId of Object.keys(resourcesOf(template, 'AWS::ApiGatewayV2::Route'))) {
      expect(dependsOn).toContain(routeId);
    }
  });

  it('writes JSON access logs with the route key and caller, never the path that holds member tokens', () => {
    const stage = Stage.parse(resourceNamed(template, 'AWS::ApiGatewayV2::Stage', 'PublicApi')[1]);
    const [logGroupId] = resourceNamed(template, 'AWS::Logs::LogGroup', 'PublicApiAccessLogs');
    expect(referencedId(stage.AccessLogSettings.DestinationArn)).toBe(logGroupId);
    const fields = z.record(z.string(), z.string()).parse(JSON.parse(stage.AccessLogSettings.Format));
    expect(fields).toMatchObject({
      requestId: '$context.requestId',
      routeKey: '$context.routeKey',
      status: '$context.status',
      sub: '$context.authorizer.claims.sub',
      clientId: '$context.authorizer.claims.client_id',
    });
    expect(stage.AccessLogSettings.Format).not.toMatch(/\$context\.(path|resourcePath)|\$request/);
  });

  it('serves links and the console sign-in from the execute-api URL when no WAF is configured', () => {
    const [apiId] = resourceNamed(template, 'AWS::ApiGatewayV2::Api', 'PublicApi');
    expect(environmentOf(template, 'FunctionsSendMail').PUBLIC_BASE_URL).toEqual({
      'Fn::GetAtt': [apiId, 'ApiEndpoint'],
    });
    template.resourceCountIs('AWS::CloudFront::Distribution', 0);
    expect(environmentOf(template, 'FunctionsApi')).not.toHaveProperty('ORIGIN_VERIFY_SECRET_ARN');
  });
});

describe('the HTTP API behind CloudFront and WAF (wafWebAclArn)', () => {
  let template: Template;
  beforeAll(() => {
    template = templateOf({ wafWebAclArn: EVERYTHING.wafWebAclArn });
  });

  it('fronts the API with a distribution that attaches the web ACL and caches nothing', () => {
    const [, distribution] = resourceNamed(template, 'AWS::CloudFront::Distribution', 'Edge');
    const config = z
      .object({
        WebACLId: z.string(),
        DefaultCacheBehavior: z.object({
          AllowedMethods: z.array(z.string()),
          ViewerProtocolPolicy: z.string(),
          CachePolicyId: z.string(),
          OriginRequestPolicyId: z.string(),
        }),
        Origins: z.array(
          z.object({
            DomainName: z.unknown(),
            CustomOriginConfig: z.object({ OriginProtocolPolicy: z.string(), OriginSSLProtocols: z.array(z.string()) }),
            OriginCustomHeaders: z.array(z.object({ HeaderName: z.string(), HeaderValue: z.unknown() })),
          }),
        ),
      })
      .parse(distribution.DistributionConfig);
    expect(config.WebACLId).toBe(EVERYTHING.wafWebAclArn);
    expect(config.DefaultCacheBehavior.AllowedMethods).toContain('POST');
    expect(config.DefaultCacheBehavior.ViewerProtocolPolicy).toBe('https-only');
    // AWS's managed CachingDisabled and AllViewerExceptHostHeader policies.
    expect(config.DefaultCacheBehavior.CachePolicyId).toBe('4135ea2d-6df8-44a3-9df3-4b5a84be39ad');
    expect(config.DefaultCacheBehavior.OriginRequestPolicyId).toBe('b689b0a8-53d0-40ab-baf2-68738e2966ac');
    const [apiId] = resourceNamed(template, 'AWS::ApiGatewayV2::Api', 'PublicApi');
    expect(JSON.stringify(config.Origins[0]?.DomainName)).toContain(`{"Ref":"${apiId}"}`);
    expect(config.Origins[0]?.CustomOriginConfig).toEqual({
      OriginProtocolPolicy: 'https-only',
      OriginSSLProtocols: ['TLSv1.2'],
    });
  });

  it('adds a secret origin header that only the api function can read, and tells it where the secret is', () => {
    const [, distribution] = resourceNamed(template, 'AWS::CloudFront::Distribution', 'Edge');
    const [secretId] = resourceNamed(template, 'AWS::SecretsManager::Secret', 'EdgeOriginVerifySecret');
    const header = JSON.stringify(distribution.DistributionConfig);
    expect(header).toContain('"HeaderName":"x-origin-verify"');
    // A dynamic reference: the value never appears in the template.
    expect(header).toContain('{{resolve:secretsmanager:');
    expect(header).toContain(`{"Ref":"${secretId}"}`);
    expect(environmentOf(template, 'FunctionsApi').ORIGIN_VERIFY_SECRET_ARN).toEqual({ Ref: secretId });
    const readers = Object.entries(resourcesOf(template, 'AWS::IAM::Policy'))
      .filter(([, policy]) => JSON.stringify(policy.Properties).includes(`{"Ref":"${secretId}"}`))
      .map(([id]) => id);
    expect(readers).toEqual([expect.stringMatching(/^FunctionsApiRole/)]);
  });

  it('puts the CloudFront URL in mail links and the console callback', () => {
    const [distributionId] = resourceNamed(template, 'AWS::CloudFront::Distribution', 'Edge');
    const url = { 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [distributionId, 'DomainName'] }]] };
    expect(environmentOf(template, 'FunctionsSendMail').PUBLIC_BASE_URL).toEqual(url);
    expect(environmentOf(template, 'FunctionsApi').PUBLIC_BASE_URL).toEqual(url);
    const [, client] = resourceNamed(template, 'AWS::Cognito::UserPoolClient', 'MarketerIdentityUserPoolConsole');
    expect(JSON.stringify(client.CallbackURLs)).toContain(distributionId);
    template.hasOutput('PublicUrl', { Value: url });
  });
});

describe('the ClubPlannerWaf stack (wafStack)', () => {
  let template: Template;
  beforeAll(() => {
    const app = new App({ context: cdkJsonContext });
    template = Template.fromStack(new ClubPlannerWafStack(app, 'ClubPlannerWaf', { env: { region: WAF_REGION } }));
  });

  it('holds a CLOUDFRONT web ACL with AWS managed rules and a rate limit per address that spares one-click unsubscribes', () => {
    const [, acl] = resourceNamed(template, 'AWS::WAFv2::WebACL', 'EdgeWebAcl');
    expect(acl).toMatchObject({ Scope: 'CLOUDFRONT', DefaultAction: { Allow: {} } });
    const rules = z
      .array(z.object({ Name: z.string(), Statement: z.record(z.string(), z.unknown()) }))
      .parse(acl.Rules);
    expect(rules.map((rule) => rule.Name)).toEqual([
      'AWSManagedRulesAmazonIpReputationList',
      'RatePerAddress',
      'AWSManagedRulesCommonRuleSet',
      'AWSManagedRulesKnownBadInputsRuleSet',
    ]);
    const rate = rules[1]?.Statement.RateBasedStatement;
    expect(rate).toMatchObject({
      Limit: WAF_RATE_LIMIT_PER_5_MINUTES,
      AggregateKeyType: 'IP',
      ScopeDownStatement: {
        NotStatement: {
          Statement: { ByteMatchStatement: { PositionalConstraint: 'STARTS_WITH', SearchString: '/u/' } },
        },
      },
    });
    // Purchase uploads are larger than the common rule set's 8 KB body limit: counted, not blocked.
    expect(rules[2]?.Statement.ManagedRuleGroupStatement).toMatchObject({
      RuleActionOverrides: [{ Name: 'SizeRestrictions_BODY', ActionToUse: { Count: {} } }],
    });
  });

  it('logs to an aws-waf-logs- group with the path, query, cookies and Authorization redacted', () => {
    template.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: 'aws-waf-logs-club-planner',
      RetentionInDays: 30,
    });
    const [, logging] = resourceNamed(template, 'AWS::WAFv2::LoggingConfiguration', 'EdgeWebAcl');
    expect(logging.RedactedFields).toEqual([
      { UriPath: {} },
      { QueryString: {} },
      { SingleHeader: { Name: 'authorization' } },
      { SingleHeader: { Name: 'cookie' } },
    ]);
    template.hasOutput('WebAclArn', {});
  });
});
