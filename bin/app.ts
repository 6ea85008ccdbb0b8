#!/usr/bin/env node
import { App, type Stack, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ClubPlannerStack } from '../lib/club-planner-stack.js';
import { ClubPlannerWafStack, WAF_REGION } from '../lib/club-planner-waf-stack.js';
import { readContext } from '../lib/context.js';

const app = new App();
const context = readContext(app.node);
// Unset (no credentials, offline synth) means an environment-agnostic stack.
const account = process.env.CDK_DEFAULT_ACCOUNT;

const { wafStack, ...settings } = context;
const stack = new ClubPlannerStack(app, 'ClubPlanner', {
  description: `Club Planner (${context.stage}): customer-club marketing mail planner`,
  env: { account, region: process.env.CDK_DEFAULT_REGION },
  ...settings,
});
const stacks: Stack[] = [stack];
if (wafStack) {
  stacks.push(
    new ClubPlannerWafStack(app, 'ClubPlannerWaf', {
      description: `Club Planner (${context.stage}): the CloudFront web ACL in front of the API`,
      env: { account, region: WAF_REGION },
    }),
  );
}
for (const each of stacks) {
  Tags.of(each).add('project', 'club-planner');
  Tags.of(each).add('stage', context.stage);
}
// Any unacknowledged AwsSolutions finding fails synth; acknowledgements carry their reasons (docs/security.md).
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
