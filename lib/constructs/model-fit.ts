import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as athena from 'aws-cdk-lib/aws-athena';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { RETENTION_DAYS } from '../../lambdas/core/retention.js';
import { acknowledge, wildcardResourceFinding } from '../nag.js';

/** Athena stops (and bills no more than) a query that would scan more than this: about $0.50 at $5 per TB. */
export const BYTES_SCANNED_CUTOFF = 100 * 1024 ** 3;
/** The nightly run, in the club's time zone: before the day's campaigns, after the day's imports. */
export const NIGHTLY_FIT_SCHEDULE = 'cron(30 2 * * ? *)';
export const NIGHTLY_FIT_TIME_ZONE = 'Europe/Stockholm';
/** Clubs fitted at once, and queries at once per club (Athena's default limit is 20 DML queries per account). */
const CLUBS_AT_ONCE = 2;
const QUERIES_AT_ONCE = 4;
/**
 * Calls of the fit function's experiment count per club a night at most (each counts for about 4 minutes:
 * lambdas/handlers/fit-model.ts): a count that needs more goes on the next night.
 */
export const MAX_COUNT_CALLS = 60;
/** The fits, and then the experiment counts: room for both at their bounds, at two clubs at once. */
export const FIT_WORKFLOW_TIMEOUT = Duration.hours(8);

export interface ModelFitProps {
  /** The fit function (lambdas/handlers/fit-model.ts): lists clubs, writes member snapshots, stores models. */
  readonly fitFunction: lambda.IFunction;
}

/**
 * The nightly model fit on Athena (docs/decisions/0024-sql-model-fit.md): the receipt archive bucket,
 * the Glue tables over it with partition projection (no crawler, no partitions to add), an Athena
 * workgroup with a per-query scan cutoff and its own results bucket, and a Step Functions workflow
 * started every night by EventBridge Scheduler: list the clubs, then per club write the member
 * snapshot, run the four queries of lambdas/core/fit-sql.ts, and store the model.
 */
export class ModelFit extends Construct {
  /** Receipts (Parquet, `receipts/club=…/dt=…/`) and member snapshots (`members/club=…/snapshot=…/`). */
  readonly archiveBucket: s3.Bucket;
  readonly resultsBucket: s3.Bucket;
  readonly workGroup: athena.CfnWorkGroup;
  readonly database: glue.CfnDatabase;
  readonly stateMachine: sfn.StateMachine;

  constructor(scope: Construct, id: string, props: ModelFitProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const logsBucket = new s3.Bucket(this, 'AccessLogs', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ expiration: Duration.days(90) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    acknowledge(
      logsBucket,
      'S1',
      'This bucket receives the server access logs of the archive and results buckets; logging its own access would loop.',
    );
    this.archiveBucket = new s3.Bucket(this, 'Archive', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      serverAccessLogsBucket: logsBucket,
      serverAccessLogsPrefix: 'archive/',
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [
        // Files are partitioned by the day they were ingested, never before the purchase: a file older
        // than the retention period holds only receipts past it (docs/reliability.md 23).
        { id: 'receipt-retention', prefix: 'receipts/', expiration: Duration.days(RETENTION_DAYS.receipt + 1) },
        // Each fit writes its own snapshot and deletes the older ones; this catches a fit that died.
        { id: 'member-snapshots', prefix: 'members/', expiration: Duration.days(3) },
        { id: 'abort-uploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
    });
    this.resultsBucket = new s3.Bucket(this, 'Results', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      serverAccessLogsBucket: logsBucket,
      serverAccessLogsPrefix: 'results/',
      removalPolicy: RemovalPolicy.DESTROY,
      autoDeleteObjects: false,
      lifecycleRules: [{ id: 'results', expiration: Duration.days(7) }],
    });

    this.database = new glue.CfnDatabase(this, 'Database', {
      catalogId: stack.account,
      databaseInput: { name: `club_planner_${stack.stackName.toLowerCase().replace(/[^a-z0-9_]/g, '_')}` },
    });
    const databaseName = this.database.ref;
    const location = (prefix: string) => `s3://${this.archiveBucket.bucketName}/${prefix}/`;
    const parquet = {
      inputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
      outputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
      serdeInfo: { serializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe' },
    };
    const receipts = new glue.CfnTable(this, 'ReceiptLines', {
      catalogId: stack.account,
      databaseName,
      tableInput: {
        name: 'receipt_lines',
        tableType: 'EXTERNAL_TABLE',
        partitionKeys: [
          { name: 'club', type: 'string' },
          { name: 'dt', type: 'string' },
        ],
        parameters: {
          classification: 'parquet',
          'projection.enabled': 'true',
          // A query must name its club (every fit query does), so no partition is ever listed.
          'projection.club.type': 'injected',
          'projection.dt.type': 'date',
          'projection.dt.format': 'yyyy-MM-dd',
          'projection.dt.range': '2020-01-01,NOW',
          'projection.dt.interval': '1',
          'projection.dt.interval.unit': 'DAYS',
          'storage.location.template': `${location('receipts')}club=\${club}/dt=\${dt}/`,
        },
        storageDescriptor: {
          ...parquet,
          location: location('receipts'),
          columns: [
            { name: 'member_id', type: 'string' },
            { name: 'receipt_id', type: 'string' },
            { name: 'purchased_ms', type: 'bigint' },
            { name: 'product_id', type: 'string' },
            { name: 'quantity', type: 'int' },
            { name: 'ingested_ms', type: 'bigint' },
          ],
        },
      },
    });
    const members = new glue.CfnTable(this, 'ClubMembers', {
      catalogId: stack.account,
      databaseName,
      tableInput: {
        name: 'club_members',
        tableType: 'EXTERNAL_TABLE',
        partitionKeys: [
          { name: 'club', type: 'string' },
          { name: 'snapshot', type: 'string' },
        ],
        parameters: {
          classification: 'parquet',
          'projection.enabled': 'true',
          'projection.club.type': 'injected',
          'projection.snapshot.type': 'injected',
          'storage.location.template': `${location('members')}club=\${club}/snapshot=\${snapshot}/`,
        },
        storageDescriptor: {
          ...parquet,
          location: location('members'),
          columns: [{ name: 'member_id', type: 'string' }],
        },
      },
    });
    receipts.addResourceDependency(this.database);
    members.addResourceDependency(this.database);

    this.workGroup = new athena.CfnWorkGroup(this, 'WorkGroup', {
      name: `${stack.stackName}-model-fit`,
      description: 'Club Planner nightly model fit',
      state: 'ENABLED',
      recursiveDeleteOption: true,
      workGroupConfiguration: {
        enforceWorkGroupConfiguration: true,
        publishCloudWatchMetricsEnabled: true,
        bytesScannedCutoffPerQuery: BYTES_SCANNED_CUTOFF,
        engineVersion: { selectedEngineVersion: 'Athena engine version 3' },
        resultConfiguration: {
          outputLocation: `s3://${this.resultsBucket.bucketName}/`,
          encryptionConfiguration: { encryptionOption: 'SSE_S3' },
        },
      },
    });

    this.stateMachine = this.workflow(props.fitFunction, databaseName);
    this.grantWorkflow(props.fitFunction, databaseName);
    this.nightly();
  }

  /** Lets the fit function list the archive's clubs, write and delete member snapshots, and read query results. */
  grantFit(fn: lambda.IFunction): void {
    const snapshots = this.archiveBucket.arnForObjects('members/*');
    const results = this.resultsBucket.arnForObjects('*');
    fn.addToRolePolicy(
      new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: [this.archiveBucket.bucketArn] }),
    );
    fn.addToRolePolicy(
      new iam.PolicyStatement({ actions: ['s3:PutObject', 's3:DeleteObject'], resources: [snapshots] }),
    );
    fn.addToRolePolicy(
      new iam.PolicyStatement({ actions: ['athena:GetQueryResults'], resources: [this.workGroupArn] }),
    );
    // GetQueryResults reads the result file from S3 as the caller.
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [results] }));
    const policy = fn.role?.node.tryFindChild('DefaultPolicy');
    if (!policy) return;
    acknowledge(
      policy,
      wildcardResourceFinding(this, snapshots),
      'Each nightly fit writes a member snapshot of its own (members/club=<club>/snapshot=<time>/part-<n>.parquet) and ' +
        'deletes the older ones: the object names are made at runtime.',
    );
    acknowledge(
      policy,
      wildcardResourceFinding(this, results),
      "The fit reads the result of each Athena query, a file Athena names after the query's id.",
    );
  }

  /** Lets ingest append receipt files (and nothing else) to the archive. */
  grantAppend(fn: lambda.IFunction): void {
    const receipts = this.archiveBucket.arnForObjects('receipts/*');
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:PutObject'], resources: [receipts] }));
    const policy = fn.role?.node.tryFindChild('DefaultPolicy');
    if (policy)
      acknowledge(
        policy,
        wildcardResourceFinding(this, receipts),
        'Ingest appends a Parquet file per accepted batch (receipts/club=<club>/dt=<day>/<time>-<random>.parquet): ' +
          'the object names are made at runtime, and nothing else in the bucket may be written.',
      );
  }

  private get workGroupArn(): string {
    return Stack.of(this).formatArn({ service: 'athena', resource: 'workgroup', resourceName: this.workGroup.ref });
  }

  /**
   * Tasks are written as their Amazon States Language (CustomState), so the role gets exactly the
   * grants below: CDK's Athena task grants S3 and Glue actions on every resource.
   */
  private workflow(fitFunction: lambda.IFunction, databaseName: string): sfn.StateMachine {
    const invoke = (id: string, payload: Record<string, unknown>, resultPath: string) =>
      new sfn.CustomState(this, id, {
        stateJson: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Parameters: { FunctionName: fitFunction.functionArn, Payload: payload },
          ResultSelector: { 'result.$': '$.Payload' },
          ResultPath: resultPath,
          Retry: [
            {
              ErrorEquals: ['Lambda.ServiceException', 'Lambda.TooManyRequestsException', 'Lambda.SdkClientException'],
              IntervalSeconds: 2,
              MaxAttempts: 6,
              BackoffRate: 2,
            },
          ],
        },
      });
    const listClubs = invoke('ListClubs', { step: 'clubs' }, '$.found');
    const prepare = invoke('Prepare', { step: 'prepare', 'clubId.$': '$.clubId' }, '$.prepared');
    const query = new sfn.CustomState(this, 'RunQuery', {
      stateJson: {
        Type: 'Task',
        Resource: 'arn:aws:states:::athena:startQueryExecution.sync',
        Parameters: {
          'QueryString.$': '$.sql',
          WorkGroup: this.workGroup.ref,
          QueryExecutionContext: { Database: databaseName },
        },
        ResultSelector: { 'queryExecutionId.$': '$.QueryExecution.QueryExecutionId' },
        ResultPath: '$.execution',
      },
    });
    const queries = new sfn.Map(this, 'Queries', {
      itemsPath: '$.prepared.result.queries',
      maxConcurrency: QUERIES_AT_ONCE,
      resultPath: '$.executions',
    }).itemProcessor(
      query.next(
        new sfn.Pass(this, 'Execution', {
          parameters: { 'part.$': '$.part', 'queryExecutionId.$': '$.execution.queryExecutionId' },
        }),
      ),
    );
    const store = invoke(
      'Store',
      { step: 'store', 'plan.$': '$.prepared.result.plan', 'executions.$': '$.executions' },
      '$.stored',
    );
    const failed = new sfn.Pass(this, 'ClubFailed', { comment: 'The club keeps its previous model.' });
    const perClub = prepare
      .next(queries)
      .next(store)
      .toSingleState('FitClub', { outputPath: '$[0].stored.result' })
      .addCatch(failed, { resultPath: '$.error' });
    const clubs = new sfn.Map(this, 'Clubs', {
      itemsPath: '$.found.result.clubs',
      maxConcurrency: CLUBS_AT_ONCE,
      resultPath: '$.fitted',
    }).itemProcessor(perClub);
    const logGroup = new logs.LogGroup(this, 'WorkflowLogs', { retention: logs.RetentionDays.ONE_MONTH });
    return new sfn.StateMachine(this, 'Workflow', {
      definitionBody: sfn.DefinitionBody.fromChainable(
        listClubs.next(clubs).next(this.experimentCounts(fitFunction, invoke)),
      ),
      timeout: FIT_WORKFLOW_TIMEOUT,
      tracingEnabled: true,
      logs: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: false },
    });
  }

  /**
   * After the fits, the experiment count of each club with a running experiment
   * (docs/decisions/0053-experiment-counted-in-slices.md): the fit function's `count` step called again
   * while the count is under way, at most `MAX_COUNT_CALLS` times a club. A club whose count fails keeps
   * its last figures, and the others go on.
   */
  private experimentCounts(
    fitFunction: lambda.IFunction,
    invoke: (id: string, payload: Record<string, unknown>, resultPath: string) => sfn.CustomState,
  ): sfn.IChainable {
    const listExperiments = invoke('ListExperiments', { step: 'experiments' }, '$.experiments');
    const count = new sfn.CustomState(this, 'CountExperiment', {
      stateJson: {
        Type: 'Task',
        Resource: 'arn:aws:states:::lambda:invoke',
        Parameters: {
          FunctionName: fitFunction.functionArn,
          Payload: { step: 'count', 'clubId.$': '$.clubId', 'calls.$': '$.calls' },
        },
        // { clubId, calls, counting }: the next call's input.
        OutputPath: '$.Payload',
        Retry: [
          {
            ErrorEquals: ['Lambda.ServiceException', 'Lambda.TooManyRequestsException', 'Lambda.SdkClientException'],
            IntervalSeconds: 2,
            MaxAttempts: 6,
            BackoffRate: 2,
          },
        ],
      },
    });
    const again = new sfn.Choice(this, 'StillCounting')
      .when(
        sfn.Condition.and(
          sfn.Condition.booleanEquals('$.counting', true),
          sfn.Condition.numberLessThan('$.calls', MAX_COUNT_CALLS),
        ),
        count,
      )
      .otherwise(new sfn.Pass(this, 'Counted'));
    const failed = new sfn.Pass(this, 'CountFailed', { comment: 'The club keeps its last figures.' });
    const perClub = count
      .next(again)
      .toSingleState('CountClub', { outputPath: '$[0]' })
      .addCatch(failed, { resultPath: '$.error' });
    const experiments = new sfn.Map(this, 'Experiments', {
      itemsPath: '$.experiments.result.clubs',
      maxConcurrency: CLUBS_AT_ONCE,
      resultPath: '$.counted',
    }).itemProcessor(perClub);
    return listExperiments.next(experiments);
  }

  /**
   * The workflow invokes the fit function and runs Athena queries; Athena reads the Glue tables and the
   * archive, and writes results, with the workflow's role.
   */
  private grantWorkflow(fitFunction: lambda.IFunction, databaseName: string): void {
    const stack = Stack.of(this);
    const role = this.stateMachine.role;
    const allow = (actions: string[], resources: string[]) =>
      role.addToPrincipalPolicy(new iam.PolicyStatement({ actions, resources }));
    allow(['lambda:InvokeFunction'], [fitFunction.functionArn]);
    allow(['athena:StartQueryExecution', 'athena:GetQueryExecution', 'athena:StopQueryExecution'], [this.workGroupArn]);
    const glueArn = (resource: string, name?: string) =>
      stack.formatArn({ service: 'glue', resource, ...(name ? { resourceName: name } : {}) });
    allow(
      ['glue:GetDatabase', 'glue:GetTable', 'glue:GetPartition', 'glue:GetPartitions'],
      [
        glueArn('catalog'),
        glueArn('database', databaseName),
        glueArn('table', `${databaseName}/receipt_lines`),
        glueArn('table', `${databaseName}/club_members`),
      ],
    );
    allow(['s3:ListBucket', 's3:GetBucketLocation'], [this.archiveBucket.bucketArn, this.resultsBucket.bucketArn]);
    const archived = [this.archiveBucket.arnForObjects('receipts/*'), this.archiveBucket.arnForObjects('members/*')];
    allow(['s3:GetObject'], archived);
    const results = this.resultsBucket.arnForObjects('*');
    allow(['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'], [results]);
    const policy = role.node.findChild('DefaultPolicy');
    acknowledge(
      policy,
      'IAM5[Resource::*]',
      'X-Ray tracing and CloudWatch Logs delivery of the state machine (xray:PutTraceSegments, logs:CreateLogDelivery ' +
        'and the like) have no resource-level permissions: AWS requires Resource "*". Nothing else is granted on it.',
    );
    for (const arn of [...archived, results])
      acknowledge(
        policy,
        wildcardResourceFinding(this, arn),
        'Athena reads every Parquet file under the archive prefix (receipts by club and day, member snapshots) and ' +
          'writes a result file per query under a name it chooses: the objects are not known in advance.',
      );
  }

  /** Every night, EventBridge Scheduler starts the workflow. */
  private nightly(): void {
    const role = new iam.Role(this, 'ScheduleRole', {
      description: 'Assumed by EventBridge Scheduler to start the nightly model fit',
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
    });
    this.stateMachine.grantStartExecution(role);
    new scheduler.CfnSchedule(this, 'Nightly', {
      description: 'Fit every club model from the receipt archive (Club Planner)',
      scheduleExpression: NIGHTLY_FIT_SCHEDULE,
      scheduleExpressionTimezone: NIGHTLY_FIT_TIME_ZONE,
      flexibleTimeWindow: { mode: 'FLEXIBLE', maximumWindowInMinutes: 30 },
      target: { arn: this.stateMachine.stateMachineArn, roleArn: role.roleArn, input: '{}' },
    });
  }
}
