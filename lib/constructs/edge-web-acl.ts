import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';

/** Requests per client address in any 5 minutes before WAF blocks it (member and marketer routes). */
export const WAF_RATE_LIMIT_PER_5_MINUTES = 1000;

/** WAF requires its CloudWatch log groups to be named `aws-waf-logs-…`. */
const LOG_GROUP_NAME = 'aws-waf-logs-club-planner';

const visibility = (metricName: string): wafv2.CfnWebACL.VisibilityConfigProperty => ({
  cloudWatchMetricsEnabled: true,
  metricName,
  sampledRequestsEnabled: true,
});

function managedRules(name: string, priority: number, overrides: string[] = []): wafv2.CfnWebACL.RuleProperty {
  return {
    name,
    priority,
    overrideAction: { none: {} },
    statement: {
      managedRuleGroupStatement: {
        vendorName: 'AWS',
        name,
        ruleActionOverrides: overrides.map((rule) => ({ name: rule, actionToUse: { count: {} } })),
      },
    },
    visibilityConfig: visibility(name),
  };
}

/**
 * A WAFv2 web ACL of CLOUDFRONT scope for the distribution in front of the API (it must live in
 * us-east-1: see ClubPlannerWafStack). AWS managed rules (IP reputation, common exploits, known bad
 * inputs) and a rate limit per client address that leaves the one-click unsubscribe route alone
 * (mailbox providers send many from few addresses; the route's own throttle bounds it). Logged to
 * CloudWatch with the URI path, query, cookies and Authorization redacted: paths hold member tokens.
 */
export class EdgeWebAcl extends Construct {
  readonly webAcl: wafv2.CfnWebACL;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.webAcl = new wafv2.CfnWebACL(this, 'WebAcl', {
      scope: 'CLOUDFRONT',
      description: 'Club Planner API: managed rules and a rate limit per address',
      defaultAction: { allow: {} },
      visibilityConfig: visibility('club-planner'),
      rules: [
        managedRules('AWSManagedRulesAmazonIpReputationList', 0),
        {
          name: 'RatePerAddress',
          priority: 1,
          action: { block: {} },
          statement: {
            rateBasedStatement: {
              limit: WAF_RATE_LIMIT_PER_5_MINUTES,
              aggregateKeyType: 'IP',
              scopeDownStatement: {
                notStatement: {
                  statement: {
                    byteMatchStatement: {
                      fieldToMatch: { uriPath: {} },
                      positionalConstraint: 'STARTS_WITH',
                      searchString: '/u/',
                      textTransformations: [{ priority: 0, type: 'NONE' }],
                    },
                  },
                },
              },
            },
          },
          visibilityConfig: visibility('RatePerAddress'),
        },
        // Purchase uploads (CSV, NDJSON) are larger than the rule set's 8 KB body limit: counted, not blocked.
        managedRules('AWSManagedRulesCommonRuleSet', 2, ['SizeRestrictions_BODY']),
        managedRules('AWSManagedRulesKnownBadInputsRuleSet', 3),
      ],
    });
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      logGroupName: LOG_GROUP_NAME,
      retention: logs.RetentionDays.ONE_MONTH,
    });
    new wafv2.CfnLoggingConfiguration(this, 'Logging', {
      resourceArn: this.webAcl.attrArn,
      // WAF wants the log group ARN without the `:*` suffix of its Arn attribute.
      logDestinationConfigs: [
        Stack.of(this).formatArn({
          service: 'logs',
          resource: 'log-group',
          resourceName: this.logGroup.logGroupName,
          arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        }),
      ],
      redactedFields: [
        { uriPath: {} },
        { queryString: {} },
        { singleHeader: { Name: 'authorization' } },
        { singleHeader: { Name: 'cookie' } },
      ],
    });
  }
}
