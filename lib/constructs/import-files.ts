import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { RETENTION_DAYS } from '../../lambdas/core/retention.js';
import { acknowledge, wildcardResourceFinding } from '../nag.js';
import { type FunctionEnvironment, RUNTIME } from './club-functions.js';
import type { DataTable } from './data-table.js';

export interface ImportFilesProps {
  readonly data: DataTable;
  /**
   * Member imports check addresses against the suppression list, which is keyed with it. The worker
   * signs and verifies no member link, so it gets no token keys (docs/security.md).
   */
  readonly suppressionKey: secretsmanager.ISecret;
}

/** A step (read the file, one chunk, finish) gets the longest a Lambda may run. */
export const IMPORT_WORKER_TIMEOUT = Duration.minutes(15);
/** Receives before a step goes to the dead-letter queue, as for the other queues. */
const MAX_RECEIVE_COUNT = 5;

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Bulk imports (docs/decisions/0021-bulk-import.md): the bucket clients upload member and receipt
 * files to with a presigned URL, the queue of import steps with its dead-letter queue (the stack's
 * Alarms watch it), and the worker that runs them. The bucket is private, encrypted and TLS-only, and forgets every file after the
 * import job's retention (docs/retention.md).
 */
export class ImportFiles extends Construct {
  readonly bucket: s3.Bucket;
  readonly queue: sqs.Queue;
  readonly deadLetterQueue: sqs.Queue;
  readonly worker: NodejsFunction;

  constructor(scope: Construct, id: string, props: ImportFilesProps) {
    super(scope, id);
    this.bucket = new s3.Bucket(this, 'Bucket', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [
        { expiration: Duration.days(RETENTION_DAYS.importJob), abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
      // Import files hold members' data only until their job expires: nothing to keep after a destroy.
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const common = { encryption: sqs.QueueEncryption.SQS_MANAGED, enforceSSL: true };
    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', { ...common, retentionPeriod: Duration.days(14) });
    this.queue = new sqs.Queue(this, 'Queue', {
      ...common,
      visibilityTimeout: Duration.seconds(IMPORT_WORKER_TIMEOUT.toSeconds() * 6),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: MAX_RECEIVE_COUNT },
    });

    const environment: FunctionEnvironment = {
      TABLE_NAME: props.data.table.tableName,
      NODE_OPTIONS: '--enable-source-maps',
      SUPPRESSION_SECRET_ARN: props.suppressionKey.secretArn,
      IMPORT_BUCKET_NAME: this.bucket.bucketName,
      IMPORT_QUEUE_URL: this.queue.queueUrl,
    };
    // Built as ClubFunctions builds the others: the same runtime, a role of its own writing only to its
    // own log group, an ESM bundle with the AWS SDK inside.
    const logGroup = new logs.LogGroup(this, 'WorkerLogs', { retention: logs.RetentionDays.ONE_MONTH });
    const role = new iam.Role(this, 'WorkerRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Club Planner import worker function',
    });
    logGroup.grantWrite(role);
    this.worker = new NodejsFunction(this, 'Worker', {
      entry: join(repoRoot, 'lambdas', 'handlers', 'import-worker.ts'),
      handler: 'handler',
      projectRoot: repoRoot,
      depsLockFilePath: join(repoRoot, 'package-lock.json'),
      runtime: RUNTIME,
      architecture: lambda.Architecture.ARM_64,
      memorySize: 1024,
      timeout: IMPORT_WORKER_TIMEOUT,
      role,
      tracing: lambda.Tracing.ACTIVE,
      logGroup,
      environment: Object.fromEntries(
        Object.entries(environment).flatMap(([k, v]) => (v === undefined ? [] : [[k, v]])),
      ),
      bundling: {
        format: OutputFormat.ESM,
        target: `node${RUNTIME.name.replace(/^nodejs(\d+)\.x$/, '$1')}`,
        minify: true,
        externalModules: [],
        sourceMap: true,
        mainFields: ['module', 'main'],
        banner: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);",
        forceDockerBundling: false,
      },
    });
    this.worker.addEventSource(new SqsEventSource(this.queue, { batchSize: 1, reportBatchItemFailures: true }));
    props.data.grantReadWriteItems(role);
    props.suppressionKey.grantRead(role);
    this.grantFiles(role, ['s3:GetObject', 's3:PutObject', 's3:DeleteObject']);
    this.queue.grantSendMessages(role);
    acknowledge(
      role.node.findChild('DefaultPolicy'),
      'IAM5[Resource::*]',
      'X-Ray tracing (tracing: ACTIVE) adds xray:PutTraceSegments and xray:PutTelemetryRecords, which have no ' +
        'resource-level permissions: AWS requires Resource "*". tests/infra/cdk-nag.test.ts checks that no other ' +
        'action is granted on "*".',
    );
    acknowledge(
      this.bucket,
      'S1',
      'Import files live at most 30 days and are written only through URLs the API presigns (each call in the ' +
        'API access log) and by the import worker; server access logs would need a bucket of their own for them.',
    );
  }

  /** Object actions on the import files (imports/…), and listing them; explicit, so no action wildcard. */
  private grantFiles(role: iam.Role, actions: readonly string[]): void {
    const objects = this.bucket.arnForObjects('imports/*');
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: [...actions], resources: [objects] }));
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['s3:ListBucket'],
        resources: [this.bucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': ['imports/*'] } },
      }),
    );
    acknowledge(
      role.node.findChild('DefaultPolicy'),
      wildcardResourceFinding(this, objects),
      'imports/<club>/<job>/…: every import job has files of its own, named at runtime (the upload, its chunk ' +
        'parts, rejected lines); the grant covers only the import bucket, only under imports/.',
    );
  }

  /**
   * The API creates jobs: it presigns uploads (which act with its own role, so it may put objects),
   * checks the upload's size, streams the rejected lines back and queues each job's first step.
   */
  connectApi(api: lambda.Function, role: iam.Role): void {
    api.addEnvironment('IMPORT_BUCKET_NAME', this.bucket.bucketName);
    api.addEnvironment('IMPORT_QUEUE_URL', this.queue.queueUrl);
    this.grantFiles(role, ['s3:GetObject', 's3:PutObject']);
    this.queue.grantSendMessages(role);
  }
}
