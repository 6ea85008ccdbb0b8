#!/usr/bin/env node
import { App, Tags } from 'aws-cdk-lib';
import { ClubPlannerStack } from '../lib/club-planner-stack.js';
import { readContext } from '../lib/context.js';

const app = new App();
const context = readContext(app.node);

const stack = new ClubPlannerStack(app, 'ClubPlanner', {
  description: `Club Planner (${context.stage}): customer-club marketing mail planner`,
  // Unset (no credentials, offline synth) means an environment-agnostic stack.
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
  sendMaxConcurrency: context.sendMaxConcurrency,
  sendRatePerSecond: context.sendRatePerSecond,
});
Tags.of(stack).add('project', 'club-planner');
Tags.of(stack).add('stage', context.stage);
