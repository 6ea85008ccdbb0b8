import { readFileSync } from 'node:fs';
import { App, type Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { z } from 'zod';
import { ClubPlannerStack } from '../../lib/club-planner-stack.js';
import { readContext } from '../../lib/context.js';

/** Every optional part switched on: sending domains (one with a hosted zone), machine clients, WAF, tracking. */
export const EVERYTHING = {
  stage: 'prod',
  sendingDomains: [
    {
      clubId: 'stadsbutiken',
      domain: 'klubb.stadsbutiken.se',
      hostedZoneId: 'Z0123456789ABCDEFGHIJ',
      hostedZoneName: 'stadsbutiken.se',
      dmarcRua: 'dmarc@stadsbutiken.se',
    },
    { clubId: 'boghandlen', domain: 'boghandlen.dk', mailFromSubdomain: 'mail' },
  ],
  machineClients: [
    { name: 'crm-sync', scopes: [{ clubId: 'stadsbutiken', role: 'editor' }] },
    { name: 'bi-export', scopes: [{ clubId: 'boghandlen', role: 'viewer' }] },
  ],
  wafWebAclArn: 'arn:aws:wafv2:us-east-1:123456789012:global/webacl/club-planner/0a1b2c3d-4e5f-4789-abcd-ef0123456789',
  cognitoDomainPrefix: 'club-planner-prod-example',
  engagementTracking: true,
};

export type Resource = { Properties?: Record<string, unknown>; DeletionPolicy?: string; DependsOn?: unknown };

export const cdkJsonContext = z
  .object({ context: z.record(z.string(), z.unknown()) })
  .parse(JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8'))).context;

/**
 * The ClubPlanner stack as `bin/app.ts` builds it from these context values (validated by
 * lib/context.ts), with the feature flags of cdk.json. Skips esbuild unless `bundle` is set.
 */
export function stackFromContext(context: Record<string, unknown> = {}, options: { bundle?: boolean } = {}): Stack {
  const app = new App({
    context: { ...cdkJsonContext, ...(options.bundle ? {} : { 'aws:cdk:bundling-stacks': [] }), ...context },
  });
  const { wafStack: _ignored, ...settings } = readContext(app.node);
  return new ClubPlannerStack(app, 'ClubPlanner', settings);
}

export function templateOf(context: Record<string, unknown> = {}): Template {
  return Template.fromStack(stackFromContext(context));
}

export function resourcesOf(template: Template, type: string): Record<string, Resource> {
  return template.findResources(type) as Record<string, Resource>;
}

/** The one resource of `type` whose logical id starts with `idPrefix`, as [logical id, properties]. */
export function resourceNamed(template: Template, type: string, idPrefix: string): [string, Record<string, unknown>] {
  const matches = Object.entries(resourcesOf(template, type)).filter(([id]) => id.startsWith(idPrefix));
  const [match, ...others] = matches;
  if (!match?.[1].Properties || others.length > 0) {
    throw new Error(`expected one ${type} with logical id starting ${idPrefix}, found ${matches.length}`);
  }
  return [match[0], match[1].Properties];
}

export function environmentOf(template: Template, idPrefix: string): Record<string, unknown> {
  return z
    .object({ Environment: z.object({ Variables: z.record(z.string(), z.unknown()) }) })
    .parse(resourceNamed(template, 'AWS::Lambda::Function', idPrefix)[1]).Environment.Variables;
}

/** `{ Ref: id }` or `{ 'Fn::GetAtt': [id, attr] }` -> id */
export function referencedId(value: unknown): string {
  return z
    .union([
      z.object({ Ref: z.string() }).transform((r) => r.Ref),
      z.object({ 'Fn::GetAtt': z.tuple([z.string(), z.string()]) }).transform((r) => r['Fn::GetAtt'][0]),
    ])
    .parse(value);
}

const Statement = z.object({
  Effect: z.string(),
  Action: z.union([z.string(), z.array(z.string())]),
  Resource: z.unknown(),
});
export type Statement = z.infer<typeof Statement>;

/** Every policy statement attached to the role whose logical id starts with `roleIdPrefix`. */
export function statementsOfRole(template: Template, roleIdPrefix: string): Statement[] {
  const [roleId] = resourceNamed(template, 'AWS::IAM::Role', roleIdPrefix);
  return Object.values(resourcesOf(template, 'AWS::IAM::Policy'))
    .filter((policy) => JSON.stringify(policy.Properties?.Roles) === JSON.stringify([{ Ref: roleId }]))
    .flatMap(
      (policy) =>
        z.object({ PolicyDocument: z.object({ Statement: z.array(Statement) }) }).parse(policy.Properties)
          .PolicyDocument.Statement,
    );
}

export const actionsOf = (statement: Statement): string[] =>
  Array.isArray(statement.Action) ? statement.Action : [statement.Action];

/** Unacknowledged cdk-nag AwsSolutions findings (errors and warnings) under `stack`, as "severity rule path". */
export function nagFindings(stack: Stack): string[] {
  const report = new AwsSolutionsChecks(stack, { verbose: true }).validateScope(stack);
  return report.violations.flatMap((violation) =>
    violation.violatingResources.map(
      (resource) => `${violation.severity} ${violation.ruleName} ${resource.constructPath}: ${violation.description}`,
    ),
  );
}
