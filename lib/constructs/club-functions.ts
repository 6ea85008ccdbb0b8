import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Duration } from 'aws-cdk-lib';
import type * as cognito from 'aws-cdk-lib/aws-cognito';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { RuntimeEnv } from '../../lambdas/runtime/env.js';
import { acknowledge } from '../nag.js';
import type { DataTable } from './data-table.js';
import type { MailSending } from './mail-sending.js';
import type { WorkQueues } from './work-queues.js';

/** Function timeouts, shared with WorkQueues so queue visibility timeouts are derived from them. */
export const FunctionTimeouts: Readonly<
  Record<'api' | 'planCampaign' | 'planShard' | 'sendMail' | 'sesEvents' | 'checkFeedbackCases' | 'fitModel', Duration>
> = {
  api: Duration.seconds(10),
  /** Counts a sample of the index and queues one message per plan shard (up to 65,536). */
  planCampaign: Duration.minutes(5),
  planShard: Duration.seconds(60),
  // The member snapshot reads 3 million member items in about a minute; the rest is small.
  fitModel: Duration.minutes(10),
  sendMail: Duration.seconds(30),
  /** A batch of up to 100 SES events. */
  sesEvents: Duration.seconds(60),
  /** One query of the open cases' index. */
  checkFeedbackCases: Duration.seconds(30),
};

/** Records per sendMail invocation. */
const SEND_BATCH_SIZE = 10;

/**
 * The send-rate control, checked at synth time. The send queue runs at most `maxConcurrency` sendMail
 * instances, and each paces itself at `ratePerSecond / maxConcurrency` (lambdas/core/pacer.ts), so all
 * of them together stay under the account's SES rate without a shared counter.
 */
export interface SendRate {
  readonly ratePerSecond: number;
  readonly maxConcurrency: number;
}

/**
 * SES's usual max send rate for an account just moved out of the sandbox; set the account's own
 * (`aws sesv2 get-account` → SendQuota.MaxSendRate) when it differs.
 */
export const DEFAULT_SEND_RATE_PER_SECOND = 14;
export const DEFAULT_SEND_MAX_CONCURRENCY = 10;

/** Checks the send-rate props and fills in defaults; throws an Error naming the offending prop. */
export function resolveSendRate(props: { sendRatePerSecond?: number; sendMaxConcurrency?: number }): SendRate {
  const ratePerSecond = props.sendRatePerSecond ?? DEFAULT_SEND_RATE_PER_SECOND;
  const maxConcurrency = props.sendMaxConcurrency ?? DEFAULT_SEND_MAX_CONCURRENCY;
  if (!Number.isFinite(ratePerSecond) || ratePerSecond <= 0) {
    throw new Error(`sendRatePerSecond must be a number above 0 (mails per second), got ${ratePerSecond}`);
  }
  // The SQS event source's ScalingConfig.MaximumConcurrency accepts 2-1000.
  if (!Number.isInteger(maxConcurrency) || maxConcurrency < 2 || maxConcurrency > 1000) {
    throw new Error(
      `sendMaxConcurrency must be a whole number from 2 to 1000 (the SQS event source maxConcurrency range), got ${maxConcurrency}`,
    );
  }
  // Each instance sends a full batch at its share of the rate; that must leave half the timeout for
  // SES latency and throttling retries, or every batch would time out and be redelivered.
  const batchSeconds = (SEND_BATCH_SIZE * maxConcurrency) / ratePerSecond;
  const budgetSeconds = FunctionTimeouts.sendMail.toSeconds() / 2;
  if (batchSeconds > budgetSeconds) {
    throw new Error(
      `sendMaxConcurrency ${maxConcurrency} is too high for sendRatePerSecond ${ratePerSecond}: each sendMail instance would ` +
        `pace a batch of ${SEND_BATCH_SIZE} over ${batchSeconds.toFixed(1)} s, more than half its ${FunctionTimeouts.sendMail.toSeconds()} s timeout; ` +
        `keep sendMaxConcurrency at most ${Math.floor((budgetSeconds * ratePerSecond) / SEND_BATCH_SIZE)}`,
    );
  }
  return { ratePerSecond, maxConcurrency };
}

/** The environment variable names the Lambda code reads (lambdas/runtime/env.ts), plus NODE_OPTIONS. */
export type FunctionEnvName = keyof RuntimeEnv | 'NODE_OPTIONS';
export type FunctionEnvironment = Partial<Record<FunctionEnvName, string>>;

/**
 * Runtime and matching esbuild target, changed together: the latest Node.js runtime aws-cdk-lib offers
 * (cdk-nag's L1 checks this), the same major as the local toolchain (package.json `engines`).
 */
export const RUNTIME = lambda.Runtime.NODEJS_24_X;
const BUNDLE_TARGET = 'node24';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const handlerEntry = (file: string): string => join(repoRoot, 'lambdas', 'handlers', file);

function definedValues(environment: FunctionEnvironment): Record<string, string> {
  const defined: Record<string, string> = {};
  for (const [name, value] of Object.entries(environment)) if (value !== undefined) defined[name] = value;
  return defined;
}

export interface ClubFunctionsProps {
  readonly data: DataTable;
  readonly queues: WorkQueues;
  readonly mailSending: MailSending;
  /** HMAC keys of member links: read only by the functions that sign or verify links (api, sendMail). */
  readonly tokenKeys: secretsmanager.ISecret;
  /**
   * Keys the hashes of erased addresses; read by the api function (member pages and GDPR routes) and by
   * sesEvents (it suppresses bounced and complaining addresses by their hash).
   */
  readonly suppressionKey: secretsmanager.ISecret;
  /** The account's SES send rate and the send queue's maxConcurrency, already checked by `resolveSendRate`. */
  readonly sendRate: SendRate;
  /** The `SENDING_DOMAINS` JSON for the functions that check or use a club's sender (api, sendMail). */
  readonly sendingDomainsJson: string;
  /** The SES identities api and sendMail may send from (none: they may not send). */
  readonly sendingIdentityArns: readonly string[];
}

/** Where the campaign schedules put what they could not start (see CampaignScheduler). */
export interface SchedulerSettings {
  readonly groupName: string;
  readonly roleArn: string;
  readonly deadLetterQueue: sqs.IQueue;
  readonly maxRetryAttempts: number;
  readonly maxEventAge: Duration;
}

/** The marketer identity the api function verifies JWTs against (see MarketerIdentity). */
export interface IdentitySettings {
  /** The marketers' user pool: team invitations (AdminCreateUser, AdminGetUser) and addresses (ListUsers). */
  readonly userPool: cognito.IUserPool;
  readonly issuer: string;
  readonly jwksUrl: string;
  readonly consoleClientId: string;
  readonly machineClientIds: readonly string[];
  readonly hostedUiBaseUrl: string;
}

/** The seven Club Planner Lambda functions, their roles, SQS triggers and grants. */
export class ClubFunctions extends Construct {
  /** HTTP API: marketer JSON API and member pages. */
  readonly api: NodejsFunction;
  /** Invoked by a one-time EventBridge Scheduler schedule; fans a campaign out into shards. */
  readonly planCampaign: NodejsFunction;
  /** Consumes planShardQueue; decides per member and enqueues sends. */
  readonly planShard: NodejsFunction;
  /** Consumes sendQueue; sends one mail through SES. */
  readonly sendMail: NodejsFunction;
  /** Consumes sesEventsQueue; records deliveries, bounces and complaints, and suppresses the members. */
  readonly sesEvents: NodejsFunction;
  /** Every 15 minutes: counts the feedback cases past due (lib/constructs/feedback-follow-up.ts). */
  readonly checkFeedbackCases: NodejsFunction;
  /** The nightly fit's steps: list clubs, write a member snapshot, store the model from Athena's rows. */
  readonly fitModel: NodejsFunction;
  /** Each function's own role, by function id. */
  private readonly roles = new Map<string, iam.Role>();

  constructor(scope: Construct, id: string, props: ClubFunctionsProps) {
    super(scope, id);
    const { data, queues, mailSending, tokenKeys, suppressionKey, sendRate } = props;
    const common: FunctionEnvironment = { TABLE_NAME: data.table.tableName, NODE_OPTIONS: '--enable-source-maps' };

    // It reads no members or receipts (the nightly fit stored the model): only fans out the shards.
    this.planCampaign = this.clubFunction('PlanCampaign', 'plan-campaign.ts', FunctionTimeouts.planCampaign, {
      ...common,
      PLAN_SHARD_QUEUE_URL: queues.planShardQueue.queueUrl,
    });
    // The nightly fit's steps (lib/constructs/model-fit.ts): a member snapshot holds one index
    // partition's ids (about 190,000 at 3 million members) at a time.
    this.fitModel = this.clubFunction('FitModel', 'fit-model.ts', FunctionTimeouts.fitModel, common, 1024);
    this.planShard = this.clubFunction('PlanShard', 'plan-shard.ts', FunctionTimeouts.planShard, {
      ...common,
      SEND_QUEUE_URL: queues.sendQueue.queueUrl,
    });
    this.sendMail = this.clubFunction('SendMail', 'send-mail.ts', FunctionTimeouts.sendMail, {
      ...common,
      TOKEN_SECRET_ARN: tokenKeys.secretArn,
      SES_CONFIGURATION_SET: mailSending.configurationSetName,
      SEND_RATE_PER_SECOND: String(sendRate.ratePerSecond),
      SEND_MAX_CONCURRENCY: String(sendRate.maxConcurrency),
      SENDING_DOMAINS: props.sendingDomainsJson,
    });
    this.sesEvents = this.clubFunction('SesEvents', 'ses-events.ts', FunctionTimeouts.sesEvents, {
      ...common,
      SUPPRESSION_SECRET_ARN: suppressionKey.secretArn,
    });
    this.checkFeedbackCases = this.clubFunction(
      'CheckFeedbackCases',
      'check-feedback-cases.ts',
      FunctionTimeouts.checkFeedbackCases,
      common,
    );
    this.api = this.clubFunction(
      'Api',
      'api.ts',
      FunctionTimeouts.api,
      {
        ...common,
        TOKEN_SECRET_ARN: tokenKeys.secretArn,
        PLAN_CAMPAIGN_FUNCTION_ARN: this.planCampaign.functionArn,
        SEND_QUEUE_URL: queues.sendQueue.queueUrl,
        // The unsubscribe confirmation (transactional) goes out from the member page itself.
        SES_CONFIGURATION_SET: mailSending.configurationSetName,
        SUPPRESSION_SECRET_ARN: suppressionKey.secretArn,
        SENDING_DOMAINS: props.sendingDomainsJson,
      },
      512,
      // The console serves htmx from our own origin (lambdas/http/console/assets.ts reads it beside the handler).
      ['node_modules/htmx.org/dist/htmx.min.js'],
    );

    this.planShard.addEventSource(
      new SqsEventSource(queues.planShardQueue, { batchSize: 1, reportBatchItemFailures: true }),
    );
    this.sendMail.addEventSource(
      new SqsEventSource(queues.sendQueue, {
        batchSize: SEND_BATCH_SIZE,
        reportBatchItemFailures: true,
        maxConcurrency: sendRate.maxConcurrency,
      }),
    );
    // SES events come in bursts after each campaign: wait up to 5 s to fill batches of up to 100.
    this.sesEvents.addEventSource(
      new SqsEventSource(queues.sesEventsQueue, {
        batchSize: 100,
        maxBatchingWindow: Duration.seconds(5),
        reportBatchItemFailures: true,
      }),
    );

    for (const fn of this.all) data.grantReadWriteItems(fn);
    // Only the functions that sign or verify member links read their keys; only the ones that hash
    // addresses read the suppression key (docs/security.md).
    tokenKeys.grantRead(this.api);
    tokenKeys.grantRead(this.sendMail);
    suppressionKey.grantRead(this.api);
    suppressionKey.grantRead(this.sesEvents);
    queues.planShardQueue.grantSendMessages(this.planCampaign);
    queues.sendQueue.grantSendMessages(this.planShard);
    queues.sendQueue.grantSendMessages(this.api);
    mailSending.grantSend(this.sendMail, props.sendingIdentityArns);
    mailSending.grantSend(this.api, props.sendingIdentityArns);
  }

  /** The api function's role (schedules, identity and edge grants are added to it). */
  get apiRole(): iam.Role {
    const role = this.roles.get('Api');
    if (!role) throw new Error('the Api function has no role');
    return role;
  }

  /** The seven functions. */
  get all(): readonly NodejsFunction[] {
    return [
      this.api,
      this.planCampaign,
      this.planShard,
      this.sendMail,
      this.sesEvents,
      this.checkFeedbackCases,
      this.fitModel,
    ];
  }

  /** Tells ingest (api) and the fit function where the receipt archive is. */
  useArchive(bucketName: string): void {
    this.setEnvironment(this.api, { ARCHIVE_BUCKET: bucketName });
    this.setEnvironment(this.fitModel, { ARCHIVE_BUCKET: bucketName });
  }

  /** Points the api function at the schedule group, role, retry policy and DLQ of campaign schedules. */
  useScheduler(settings: SchedulerSettings): void {
    this.setEnvironment(this.api, {
      SCHEDULER_GROUP_NAME: settings.groupName,
      SCHEDULER_ROLE_ARN: settings.roleArn,
      SCHEDULER_DEAD_LETTER_QUEUE_ARN: settings.deadLetterQueue.queueArn,
      SCHEDULER_MAX_RETRY_ATTEMPTS: String(settings.maxRetryAttempts),
      SCHEDULER_MAX_EVENT_AGE_SECONDS: String(settings.maxEventAge.toSeconds()),
    });
  }

  /**
   * Tells the api function who issues marketer JWTs, where their keys are and which clients may call,
   * and lets it invite marketers to the pool.
   */
  useIdentity(settings: IdentitySettings): void {
    this.setEnvironment(this.api, {
      AUTH_ISSUER: settings.issuer,
      AUTH_JWKS_URL: settings.jwksUrl,
      AUTH_CONSOLE_CLIENT_ID: settings.consoleClientId,
      AUTH_MACHINE_CLIENT_IDS: settings.machineClientIds.join(','),
      AUTH_HOSTED_UI_URL: settings.hostedUiBaseUrl,
      AUTH_USER_POOL_ID: settings.userPool.userPoolId,
    });
    // The team API invites marketers and reads their addresses, in this pool only (app/team.ts).
    settings.userPool.grant(
      this.api,
      'cognito-idp:AdminCreateUser',
      'cognito-idp:AdminGetUser',
      'cognito-idp:ListUsers',
    );
  }

  /** Tells the api function which secret holds the header CloudFront adds to every request it forwards. */
  useOriginVerifySecret(secret: secretsmanager.ISecret): void {
    this.setEnvironment(this.api, { ORIGIN_VERIFY_SECRET_ARN: secret.secretArn });
    secret.grantRead(this.api);
  }

  /** Tells sendMail the public base URL (no trailing slash) for unsubscribe and preference links in mail. */
  usePublicBaseUrl(url: string): void {
    this.setEnvironment(this.sendMail, { PUBLIC_BASE_URL: url });
    this.setEnvironment(this.api, { PUBLIC_BASE_URL: url });
  }

  private setEnvironment(fn: lambda.Function, environment: FunctionEnvironment): void {
    for (const [name, value] of Object.entries(definedValues(environment))) fn.addEnvironment(name, value);
  }

  private clubFunction(
    id: string,
    file: string,
    timeout: Duration,
    environment: FunctionEnvironment,
    memorySize = 512,
    /** Files of the repository copied next to the bundled handler, which reads them at run time. */
    besideHandler: readonly string[] = [],
  ): NodejsFunction {
    const logGroup = new logs.LogGroup(this, `${id}Logs`, { retention: logs.RetentionDays.ONE_MONTH });
    // A role of its own instead of AWSLambdaBasicExecutionRole, which may write to every log group.
    const role = new iam.Role(this, `${id}Role`, {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Club Planner ${id} function`,
    });
    logGroup.grantWrite(role);
    this.roles.set(id, role);
    const fn = new NodejsFunction(this, id, {
      entry: handlerEntry(file),
      handler: 'handler',
      projectRoot: repoRoot,
      depsLockFilePath: join(repoRoot, 'package-lock.json'),
      runtime: RUNTIME,
      architecture: lambda.Architecture.ARM_64,
      memorySize,
      timeout,
      role,
      tracing: lambda.Tracing.ACTIVE,
      logGroup,
      environment: definedValues(environment),
      bundling: {
        format: OutputFormat.ESM,
        target: BUNDLE_TARGET,
        minify: true,
        // Bundle the AWS SDK too (the runtime's copy is not pinned), so AWS runs the versions tests ran.
        externalModules: [],
        sourceMap: true,
        // Prefer the ESM builds of dependencies so esbuild can tree-shake them.
        mainFields: ['module', 'main'],
        // Lets bundled CommonJS dependencies call require() inside the ESM bundle.
        banner: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);",
        forceDockerBundling: false,
        ...(besideHandler.length > 0
          ? {
              commandHooks: {
                beforeBundling: () => [],
                beforeInstall: () => [],
                afterBundling: (inputDir: string, outputDir: string) =>
                  besideHandler.map((file) => `cp "${join(inputDir, file)}" "${outputDir}/"`),
              },
            }
          : {}),
      },
    });
    acknowledge(
      role.node.findChild('DefaultPolicy'),
      'IAM5[Resource::*]',
      'X-Ray tracing (tracing: ACTIVE) adds xray:PutTraceSegments and xray:PutTelemetryRecords, which have no ' +
        'resource-level permissions: AWS requires Resource "*". tests/infra/cdk-nag.test.ts checks that no other ' +
        'action is granted on "*".',
    );
    return fn;
  }
}
