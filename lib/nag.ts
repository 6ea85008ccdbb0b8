import { Stack, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * Acknowledges one cdk-nag AwsSolutions finding on `scope` and its children, with the reason it must
 * stay. Keep `scope` as narrow as the finding (the one route, the one policy), and name the finding
 * exactly (`IAM5[Resource::*]`, not `IAM5`), so a new wildcard elsewhere is still reported.
 * Every acknowledgement is listed in docs/security.md (tests/infra/cdk-nag.test.ts checks that).
 */
export function acknowledge(scope: IConstruct, finding: string, reason: string): void {
  Validations.of(scope).acknowledge({ id: `AwsSolutions-${finding}`, reason });
}

/**
 * The IAM5 finding for a wildcard resource ARN, spelt as cdk-nag spells it: the ARN as CloudFormation
 * will see it (partition and region literal when the stack knows them), `Ref`s as `<LogicalId>` and
 * `GetAtt`s as `<LogicalId.Attribute>`. tests/infra/cdk-nag.test.ts fails if the spelling drifts.
 */
export function wildcardResourceFinding(scope: IConstruct, arn: string): string {
  return `IAM5[Resource::${flatten(Stack.of(scope).resolve(arn))}]`;
}

function flatten(value: unknown): string {
  if (typeof value === 'string') return value.replace(/\$\{/g, '<').replace(/}/g, '>');
  if (Array.isArray(value)) return JSON.stringify(value);
  if (typeof value !== 'object' || value === null) return JSON.stringify(value);
  const join: unknown = Reflect.get(value, 'Fn::Join');
  if (Array.isArray(join) && typeof join[0] === 'string' && Array.isArray(join[1])) {
    return join[1].map(flatten).join(join[0]);
  }
  const ref: unknown = Reflect.get(value, 'Ref');
  if (ref !== undefined) return `<${flatten(ref)}>`;
  const getAtt: unknown = Reflect.get(value, 'Fn::GetAtt');
  if (Array.isArray(getAtt)) return `<${flatten(getAtt[0])}.${flatten(getAtt[1])}>`;
  return JSON.stringify(value);
}

/** One acknowledgement as it is recorded on a construct. */
export interface Acknowledgement {
  /** Construct path without the stack, such as `PublicApi/HttpApi/POST--u--{token}`. */
  readonly path: string;
  /** The finding, such as `APIG4` or `IAM5[Resource::*]`. */
  readonly finding: string;
  readonly reason: string;
}

/** Every acknowledgement under `root`, for tests and docs. */
export function acknowledgementsUnder(root: IConstruct): Acknowledgement[] {
  const found: Acknowledgement[] = [];
  for (const construct of root.node.findAll()) {
    for (const entry of construct.node.metadata) {
      if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
      const data: unknown = entry.data;
      if (typeof data !== 'object' || data === null) continue;
      for (const [id, reason] of Object.entries(data)) {
        const finding = id.replace(/^annotation::/i, '').replace(/^AwsSolutions-/, '');
        const path = construct.node.path.split('/').slice(1).join('/');
        found.push({ path, finding, reason: String(reason) });
      }
    }
  }
  return found;
}
