import { readFileSync } from 'node:fs';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { ClubPlannerWafStack, WAF_REGION } from '../../lib/club-planner-waf-stack.js';
import { acknowledgementsUnder } from '../../lib/nag.js';
import { actionsOf, cdkJsonContext, EVERYTHING, nagFindings, stackFromContext, statementsOfRole } from './synth.js';

const securityDoc = readFileSync(new URL('../../docs/security.md', import.meta.url), 'utf8');

describe('cdk-nag AwsSolutionsChecks', () => {
  it.each([
    ['the default context', {}],
    ['sending domains only', { sendingDomains: EVERYTHING.sendingDomains }],
    ['every optional part', EVERYTHING],
  ])('reports no unacknowledged error or warning on the stack with %s', (_name, context) => {
    expect(nagFindings(stackFromContext(context))).toEqual([]);
  });

  it('reports no unacknowledged error or warning on the us-east-1 WAF stack', () => {
    const app = new App({ context: cdkJsonContext });
    const stack = new ClubPlannerWafStack(app, 'ClubPlannerWaf', { env: { region: WAF_REGION } });
    expect(nagFindings(stack)).toEqual([]);
    Template.fromStack(stack).resourceCountIs('AWS::WAFv2::LoggingConfiguration', 1);
  });

  it('gives every acknowledgement a specific reason and lists it in docs/security.md', () => {
    const acknowledgements = acknowledgementsUnder(stackFromContext(EVERYTHING));
    expect(acknowledgements.length).toBeGreaterThan(0);
    const undocumented: string[] = [];
    for (const { path, finding, reason } of acknowledgements) {
      expect(reason.length, `${finding} on ${path}`).toBeGreaterThanOrEqual(80);
      // Findings name exactly what they acknowledge: never a whole rule for IAM5.
      if (finding.startsWith('IAM5')) expect(finding).toMatch(/^IAM5\[Resource::.+\]$/);
      const rule = finding.replace(/\[.*$/, '');
      const documentedPath = path.replace(/\/(Resource|DefaultPolicy)$/, '');
      if (!securityDoc.includes(`| ${rule} |`) || !securityDoc.includes(documentedPath)) {
        undocumented.push(`${rule} ${documentedPath}`);
      }
    }
    expect(undocumented).toEqual([]);
  });

  it('acknowledges Resource "*" only on the function and fit workflow policies, where nothing but X-Ray and log delivery is granted on it', () => {
    const stack = stackFromContext(EVERYTHING);
    const functions = ['Api', 'PlanCampaign', 'PlanShard', 'SendMail', 'SesEvents', 'CheckFeedbackCases', 'FitModel'];
    const wildcards = acknowledgementsUnder(stack).filter((a) => a.finding === 'IAM5[Resource::*]');
    expect(wildcards.map((a) => a.path).sort()).toEqual(
      [
        ...functions.map((fn) => `Functions/${fn}Role/DefaultPolicy`),
        'Imports/WorkerRole/DefaultPolicy',
        'ModelFit/Workflow/Role/DefaultPolicy',
      ].sort(),
    );
    const template = Template.fromStack(stack);
    const workflow = statementsOfRole(template, 'ModelFitWorkflowRole').filter((s) => s.Resource === '*');
    for (const action of workflow.flatMap(actionsOf)) expect(action).toMatch(/^(xray|logs):/);
    const worker = statementsOfRole(template, 'ImportsWorkerRole').filter((s) => s.Resource === '*');
    expect(worker.flatMap(actionsOf).sort()).toEqual(['xray:PutTelemetryRecords', 'xray:PutTraceSegments']);
    for (const fn of functions) {
      const onEverything = statementsOfRole(template, `Functions${fn}Role`).filter(
        (statement) => statement.Resource === '*',
      );
      expect(onEverything.flatMap(actionsOf).sort(), fn).toEqual(['xray:PutTelemetryRecords', 'xray:PutTraceSegments']);
    }
  });

  it('runs the checks on `cdk synth` through bin/app.ts', () => {
    const app = readFileSync(new URL('../../bin/app.ts', import.meta.url), 'utf8');
    expect(app).toMatch(/Validations\.of\(app\)\.addPlugins\(new AwsSolutionsChecks\(app\)\)/);
  });
});
