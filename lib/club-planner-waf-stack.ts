import type { StackProps } from 'aws-cdk-lib';
import { CfnOutput, Stack } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { EdgeWebAcl } from './constructs/edge-web-acl.js';

/** CloudFront web ACLs can only be created in us-east-1. */
export const WAF_REGION = 'us-east-1';

/**
 * The optional web ACL for the CloudFront distribution in front of the API, in a stack of its own
 * because it must be deployed to us-east-1 whatever region Club Planner runs in. Deploy it first, then
 * pass its `WebAclArn` output to the ClubPlanner stack as `-c wafWebAclArn=…`
 * (docs/decisions/0015-waf-through-cloudfront.md).
 */
export class ClubPlannerWafStack extends Stack {
  readonly webAcl: EdgeWebAcl;

  constructor(scope: Construct, id: string, props: StackProps = {}) {
    super(scope, id, props);
    this.webAcl = new EdgeWebAcl(this, 'EdgeWebAcl');
    new CfnOutput(this, 'WebAclArn', {
      value: this.webAcl.webAcl.attrArn,
      description: 'Pass to the ClubPlanner stack: npx cdk deploy ClubPlanner -c wafWebAclArn=<this>',
    });
  }
}
