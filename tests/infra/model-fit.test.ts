import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { RECEIPT_RETENTION_DAYS } from '../../lambdas/app/ingest-purchases.js';
import { BYTES_SCANNED_CUTOFF, MAX_COUNT_CALLS, NIGHTLY_FIT_SCHEDULE } from '../../lib/constructs/model-fit.js';
import { actionsOf, resourceNamed, resourcesOf, statementsOfRole, templateOf } from './synth.js';

const functionProps = (t: Template, prefix: string) => resourceNamed(t, 'AWS::Lambda::Function', prefix)[1];

let template: Template;
beforeAll(() => {
  template = templateOf();
});

describe('the nightly model fit on Athena', () => {
  it('runs in a workgroup that enforces its settings, cuts off a query past 100 GB scanned and writes results to its own bucket', () => {
    const [, workGroup] = resourceNamed(template, 'AWS::Athena::WorkGroup', 'ModelFitWorkGroup');
    expect(workGroup).toMatchObject({
      WorkGroupConfiguration: {
        EnforceWorkGroupConfiguration: true,
        BytesScannedCutoffPerQuery: BYTES_SCANNED_CUTOFF,
        EngineVersion: { SelectedEngineVersion: 'Athena engine version 3' },
        ResultConfiguration: { EncryptionConfiguration: { EncryptionOption: 'SSE_S3' } },
      },
    });
    expect(BYTES_SCANNED_CUTOFF).toBe(100 * 1024 ** 3);
  });

  it('expires archived receipts after the retention period, member snapshots after 3 days and query results after 7', () => {
    const [, archive] = resourceNamed(template, 'AWS::S3::Bucket', 'ModelFitArchive');
    expect(archive.LifecycleConfiguration).toMatchObject({
      Rules: expect.arrayContaining([
        expect.objectContaining({
          Prefix: 'receipts/',
          ExpirationInDays: RECEIPT_RETENTION_DAYS + 1,
          Status: 'Enabled',
        }),
        expect.objectContaining({ Prefix: 'members/', ExpirationInDays: 3, Status: 'Enabled' }),
      ]),
    });
    const [, results] = resourceNamed(template, 'AWS::S3::Bucket', 'ModelFitResults');
    expect(results.LifecycleConfiguration).toMatchObject({ Rules: [expect.objectContaining({ ExpirationInDays: 7 })] });
    for (const prefix of ['ModelFitArchive', 'ModelFitResults'])
      expect(resourceNamed(template, 'AWS::S3::Bucket', prefix)[1]).toMatchObject({
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, RestrictPublicBuckets: true },
        LoggingConfiguration: expect.objectContaining({ DestinationBucketName: expect.anything() }),
      });
  });

  it('reads the archive through Glue tables with partition projection, so no partition is ever added', () => {
    const tables = Object.values(resourcesOf(template, 'AWS::Glue::Table')).map((t) => t.Properties?.TableInput);
    expect(tables).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          Name: 'receipt_lines',
          Parameters: expect.objectContaining({
            'projection.enabled': 'true',
            'projection.club.type': 'injected',
            'projection.dt.type': 'date',
            'projection.dt.format': 'yyyy-MM-dd',
          }),
          StorageDescriptor: expect.objectContaining({
            SerdeInfo: { SerializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe' },
          }),
        }),
        expect.objectContaining({
          Name: 'club_members',
          Parameters: expect.objectContaining({ 'projection.snapshot.type': 'injected' }),
        }),
      ]),
    );
  });

  it('is a Step Functions workflow, started nightly by EventBridge Scheduler, that runs the queries on Athena and waits for them', () => {
    const [, machine] = resourceNamed(template, 'AWS::StepFunctions::StateMachine', 'ModelFitWorkflow');
    const definition = JSON.stringify(machine.DefinitionString);
    expect(definition).toContain('arn:aws:states:::athena:startQueryExecution.sync');
    expect(definition).toContain('arn:aws:states:::lambda:invoke');
    expect(machine).toMatchObject({ TracingConfiguration: { Enabled: true } });
    const [, schedule] = resourceNamed(template, 'AWS::Scheduler::Schedule', 'ModelFitNightly');
    expect(schedule).toMatchObject({ ScheduleExpression: NIGHTLY_FIT_SCHEDULE });
  });

  it('lets the api function and the import worker only add receipt files to the archive, and tells them and the fit function where the archive is', () => {
    const [archiveId] = resourceNamed(template, 'AWS::S3::Bucket', 'ModelFitArchive');
    // Both paths that store receipts append them: the purchases route (api) and each import chunk (worker).
    for (const role of ['FunctionsApiRole', 'ImportsWorkerRole']) {
      const onArchive = statementsOfRole(template, role).filter((s) =>
        JSON.stringify(s.Resource).includes(`"${archiveId}"`),
      );
      expect(onArchive.flatMap(actionsOf), role).toEqual(['s3:PutObject']);
      expect(JSON.stringify(onArchive[0]?.Resource), role).toContain('/receipts/*');
    }
    for (const fn of ['FunctionsApi', 'FunctionsFitModel', 'ImportsWorker'])
      expect(functionProps(template, fn)).toMatchObject({
        Environment: { Variables: expect.objectContaining({ ARCHIVE_BUCKET: expect.anything() }) },
      });
    for (const fn of ['FunctionsPlanShard', 'FunctionsSendMail', 'FunctionsPlanCampaign'])
      expect(JSON.stringify(functionProps(template, fn))).not.toContain('ARCHIVE_BUCKET');
  });

  it('counts each running experiment after the fits: the fit function called again while it counts, at most MAX_COUNT_CALLS times, a failure caught per club', () => {
    const [, machine] = resourceNamed(template, 'AWS::StepFunctions::StateMachine', 'ModelFitWorkflow');
    // The definition is a join of text and the function's ARN: put a stand-in for the ARN and read it.
    const joined = z
      .object({ 'Fn::Join': z.tuple([z.literal(''), z.array(z.unknown())]) })
      .parse(machine.DefinitionString)
      ['Fn::Join'][1].map((part) => (typeof part === 'string' ? part : 'FIT_FUNCTION_ARN'))
      .join('');
    const State = z.looseObject({ Type: z.string(), Next: z.string().optional(), End: z.boolean().optional() });
    const Machine = z.object({ StartAt: z.string(), States: z.record(z.string(), State) });
    const definition = Machine.parse(JSON.parse(joined));
    // Fit every club, then list the running experiments, then count them.
    expect(definition.States.Clubs?.Next).toBe('ListExperiments');
    expect(definition.States.ListExperiments).toMatchObject({
      Next: 'Experiments',
      Parameters: { Payload: { step: 'experiments' } },
    });
    const experiments = z
      .object({
        Type: z.literal('Map'),
        ItemsPath: z.string(),
        ItemProcessor: Machine,
        End: z.literal(true),
      })
      .passthrough()
      .parse(definition.States.Experiments);
    expect(experiments.ItemsPath).toBe('$.experiments.result.clubs');
    const countClub = z
      .object({
        Type: z.literal('Parallel'),
        Branches: z.array(Machine).length(1),
        Catch: z.array(z.object({ ErrorEquals: z.array(z.string()), Next: z.string() })),
      })
      .passthrough()
      .parse(experiments.ItemProcessor.States[experiments.ItemProcessor.StartAt]);
    expect(countClub.Catch[0]?.ErrorEquals).toEqual(['States.ALL']);
    const loop = countClub.Branches[0];
    expect(loop?.StartAt).toBe('CountExperiment');
    expect(loop?.States.CountExperiment).toMatchObject({
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: {
        FunctionName: 'FIT_FUNCTION_ARN',
        Payload: { step: 'count', 'clubId.$': '$.clubId', 'calls.$': '$.calls' },
      },
      OutputPath: '$.Payload',
      Next: 'StillCounting',
    });
    expect(loop?.States.StillCounting).toMatchObject({
      Type: 'Choice',
      Choices: [
        {
          And: [
            { Variable: '$.counting', BooleanEquals: true },
            { Variable: '$.calls', NumericLessThan: MAX_COUNT_CALLS },
          ],
          Next: 'CountExperiment',
        },
      ],
      Default: 'Counted',
    });
    // The fit function's own role may already write the count (every function reads and writes the table's items).
    const invoked = statementsOfRole(template, 'ModelFitWorkflowRole').filter((st) =>
      actionsOf(st).includes('lambda:InvokeFunction'),
    );
    expect(JSON.stringify(invoked)).toContain('FunctionsFitModel');
  });
});
