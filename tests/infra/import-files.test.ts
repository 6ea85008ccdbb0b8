import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { DataTable } from '../../lib/constructs/data-table.js';
import { IMPORT_WORKER_TIMEOUT, ImportFiles } from '../../lib/constructs/import-files.js';

let template: Template;
beforeAll(() => {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new Stack(app, 'Test');
  const role = new iam.Role(stack, 'ApiRole', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  const api = new lambda.Function(stack, 'Api', {
    runtime: lambda.Runtime.NODEJS_24_X,
    handler: 'index.handler',
    role,
    code: lambda.Code.fromInline('export const handler = async () => ({})'),
  });
  const imports = new ImportFiles(stack, 'Imports', {
    data: new DataTable(stack, 'Data'),
    suppressionKey: new secretsmanager.Secret(stack, 'SuppressionKey'),
  });
  imports.connectApi(api, role);
  template = Template.fromStack(stack);
});

describe('ImportFiles', () => {
  it('keeps import files in a private, encrypted, TLS-only bucket that forgets them after 30 days', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      LifecycleConfiguration: {
        Rules: [Match.objectLike({ ExpirationInDays: 30, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 } })],
      },
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('feeds the worker one step at a time from an encrypted queue with a DLQ after 5 receives', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      BatchSize: 1,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    template.resourceCountIs('AWS::SQS::Queue', 2);
    template.allResourcesProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true });
    template.hasResourceProperties('AWS::SQS::Queue', {
      VisibilityTimeout: 6 * IMPORT_WORKER_TIMEOUT.toSeconds(),
      RedrivePolicy: Match.objectLike({ maxReceiveCount: 5 }),
    });
  });

  it('lets the worker and the API touch only files under imports/, with named actions', () => {
    const text = JSON.stringify(template.findResources('AWS::IAM::Policy'));
    expect(text).toContain('s3:GetObject');
    expect(text).not.toMatch(/"s3:[A-Za-z]+\*"/);
    expect(text).toContain('/imports/*');
  });

  it('gives the worker and the API the bucket and the queue, and the worker the suppression key', () => {
    const functions = template.findResources('AWS::Lambda::Function');
    const environments = Object.values(functions).map(
      (fn) =>
        z
          .object({ Properties: z.object({ Environment: z.object({ Variables: z.record(z.string(), z.unknown()) }) }) })
          .parse(fn).Properties.Environment.Variables,
    );
    expect(environments).toHaveLength(2);
    for (const variables of environments) {
      expect(variables).toHaveProperty('IMPORT_BUCKET_NAME');
      expect(variables).toHaveProperty('IMPORT_QUEUE_URL');
    }
    const worker = environments.find((v) => 'SUPPRESSION_SECRET_ARN' in v);
    expect(worker).toMatchObject({ TABLE_NAME: expect.anything(), SUPPRESSION_SECRET_ARN: expect.anything() });
    // It signs and verifies no member link: the link keys are not its to read.
    expect(worker).not.toHaveProperty('TOKEN_SECRET_ARN');
    template.hasResourceProperties('AWS::Lambda::Function', {
      Timeout: 900,
      MemorySize: 1024,
      Architectures: ['arm64'],
    });
  });
});
