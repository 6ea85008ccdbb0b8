import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { S3Client } from '@aws-sdk/client-s3';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { CognitoDirectory } from '../adapters/cognito-directory.js';
import { DynamoDbAuditTrail } from '../adapters/dynamodb-audit-trail.js';
import { DynamoDbAutomationStore } from '../adapters/dynamodb-automation-store.js';
import { DynamoDbCampaignOutcomes } from '../adapters/dynamodb-campaign-outcomes.js';
import { DynamoDbCampaignStore } from '../adapters/dynamodb-campaign-store.js';
import { createDocumentClient } from '../adapters/dynamodb-client.js';
import { DynamoDbClubStore } from '../adapters/dynamodb-club-store.js';
import { DynamoDbContactLedger } from '../adapters/dynamodb-contact-ledger.js';
import { DynamoDbDeliveryStats, DynamoDbSendingSwitch } from '../adapters/dynamodb-delivery-stats.js';
import { DynamoDbExperimentStore } from '../adapters/dynamodb-experiment-store.js';
import { DynamoDbFeedbackCases, DynamoDbServiceContacts } from '../adapters/dynamodb-feedback-cases.js';
import { DynamoDbImportJobs } from '../adapters/dynamodb-import-jobs.js';
import { DynamoDbMemberData } from '../adapters/dynamodb-member-data.js';
import { DynamoDbMemberDirectory } from '../adapters/dynamodb-member-directory.js';
import { DynamoDbMemberRoster } from '../adapters/dynamodb-member-roster.js';
import { DynamoDbMemberStore } from '../adapters/dynamodb-member-store.js';
import { DynamoDbModelStore } from '../adapters/dynamodb-model-store.js';
import { DynamoDbPopularityStore } from '../adapters/dynamodb-popularity-store.js';
import { DynamoDbPurchaseStore } from '../adapters/dynamodb-purchase-store.js';
import { DynamoDbRoleStore } from '../adapters/dynamodb-role-store.js';
import { DynamoDbSnapshotStore } from '../adapters/dynamodb-snapshot-store.js';
import { DynamoDbSuppressionList, derivedSuppressionKey } from '../adapters/dynamodb-suppression-list.js';
import { DynamoDbSurveyResponses } from '../adapters/dynamodb-survey-responses.js';
import { EmfMetrics } from '../adapters/emf-metrics.js';
import { EventBridgeRecurringScheduler } from '../adapters/eventbridge-recurring-scheduler.js';
import {
  DEFAULT_SCHEDULE_EVENT_AGE_SECONDS,
  DEFAULT_SCHEDULE_RETRY_ATTEMPTS,
  EventBridgeScheduler,
  type EventBridgeSchedulerConfig,
} from '../adapters/eventbridge-scheduler.js';
import { JwtAccessTokens } from '../adapters/jwt-access-tokens.js';
import { NodeDnsTxt } from '../adapters/node-dns-txt.js';
import { powertoolsLogger } from '../adapters/powertools-logger.js';
import { S3FileStore } from '../adapters/s3-file-store.js';
import { S3ReceiptArchive } from '../adapters/s3-receipt-archive.js';
import { longSecret, parseTokenKeys, type SecretText, secretText, tokenKeysFromSecret } from '../adapters/secrets.js';
import { createSesReadClient, SesEmailIdentities } from '../adapters/ses-email-identities.js';
import { createSesClient, SesMailer } from '../adapters/ses-mailer.js';
import { SnsCaseAlerts } from '../adapters/sns-case-alerts.js';
import { SqsWorkQueue } from '../adapters/sqs-work-queue.js';
import type { Deps } from '../app/deps.js';
import { DEFAULT_IMPORT_SETTINGS } from '../app/import-settings.js';
import { DEFAULT_SEND_SETTINGS } from '../app/send-settings.js';
import type { AccessTokenVerifier, IdentityDirectory } from '../core/access-ports.js';
import type { RecurringScheduler } from '../core/automation-ports.js';
import { ConfigError } from '../core/errors.js';
import type { CaseAlerts } from '../core/feedback-ports.js';
import type { ReceiptArchive } from '../core/fit-ports.js';
import type { ImportMessage } from '../core/import-job.js';
import type { FileStore } from '../core/import-ports.js';
import type { PlanShardJob, SendJob } from '../core/jobs.js';
import { Pacer, UNPACED } from '../core/pacer.js';
import type { Scheduler, WorkQueue } from '../core/ports.js';
import { fail } from '../core/result.js';
import { fixedTokenKeys, type TokenKeySource } from '../core/tokens.js';
import { parseEnv, type RuntimeEnv } from './env.js';

/** Fails only when a function actually uses a port it was not configured for. */
function unconfigured(name: string): never {
  throw new ConfigError(`${name} is not configured for this function`);
}
const noQueue = <T>(name: string): WorkQueue<T> => ({ send: async () => unconfigured(name) });
const noFiles: FileStore = {
  directUploads: false,
  uploadUrl: async () => unconfigured('files'),
  write: async () => unconfigured('files'),
  read: async () => unconfigured('files'),
  size: async () => unconfigured('files'),
  list: async () => unconfigured('files'),
  deletePrefix: async () => unconfigured('files'),
};
const noArchive: ReceiptArchive = {
  append: async () => unconfigured('receiptArchive'),
  clubs: async () => unconfigured('receiptArchive'),
  writeMembers: async () => unconfigured('receiptArchive'),
  dropMemberSnapshots: async () => unconfigured('receiptArchive'),
};
const noScheduler: Scheduler = {
  schedule: async () => unconfigured('scheduler'),
  cancel: async () => unconfigured('scheduler'),
};
const noRecurring: RecurringScheduler = {
  arm: async () => unconfigured('recurring scheduler'),
  disarm: async () => unconfigured('recurring scheduler'),
};

/**
 * The member-link keys, read on use (never at a cold start) and only by the functions given their
 * secret (api and sendMail): through Powertools Parameters with a maximum age, so a rotated key
 * reaches warm containers (docs/security.md). TOKEN_KEYS gives them directly, for local runs.
 * Without either, a function has no keys, and signing or verifying a link throws.
 */
function tokenKeySource(env: RuntimeEnv, secrets: SecretText): TokenKeySource {
  if (env.TOKEN_SECRET_ARN) return tokenKeysFromSecret(secrets, env.TOKEN_SECRET_ARN);
  if (env.TOKEN_KEYS) return fixedTokenKeys(parseTokenKeys(env.TOKEN_KEYS, 'TOKEN_KEYS'));
  return async () => unconfigured('token keys (TOKEN_SECRET_ARN)');
}

/**
 * The key of erased-address hashes (docs/decisions/0008-preference-centre.md): a secret of its own
 * (SUPPRESSION_SECRET_ARN, or SUPPRESSION_KEY for tests), as it must outlive token key rotations.
 * Without one it is derived from the current token key, which is only safe until that key rotates.
 */
function suppressionKeySource(env: RuntimeEnv, secrets: SecretText, tokenKeys: TokenKeySource): () => Promise<string> {
  if (env.SUPPRESSION_SECRET_ARN) return longSecret(secrets, env.SUPPRESSION_SECRET_ARN);
  const key = env.SUPPRESSION_KEY;
  if (key) return async () => key;
  return async () => derivedSuppressionKey(await tokenKeys());
}

/** Who may call the marketer API (the api function's AUTH_* env); elsewhere every token is refused. */
function accessTokenVerifier(env: RuntimeEnv): AccessTokenVerifier {
  if (env.AUTH_ISSUER && env.AUTH_JWKS_URL && env.AUTH_CONSOLE_CLIENT_ID) {
    return new JwtAccessTokens({
      issuer: env.AUTH_ISSUER,
      jwksUrl: env.AUTH_JWKS_URL,
      consoleClientId: env.AUTH_CONSOLE_CLIENT_ID,
      machineClientIds: env.AUTH_MACHINE_CLIENT_IDS ?? [],
    });
  }
  return { verify: async () => fail({ why: 'invalid' }) };
}

function identityDirectory(env: RuntimeEnv): IdentityDirectory {
  if (!env.AUTH_USER_POOL_ID) {
    return { invite: async () => unconfigured('identity directory'), emailOf: async () => undefined };
  }
  return new CognitoDirectory(new CognitoIdentityProviderClient({}), env.AUTH_USER_POOL_ID);
}

function maxAge(env: RuntimeEnv): { maxAgeSeconds?: number } {
  return env.POWERTOOLS_PARAMETERS_MAX_AGE === undefined ? {} : { maxAgeSeconds: env.POWERTOOLS_PARAMETERS_MAX_AGE };
}

/**
 * The value CloudFront sends in `x-origin-verify` (with the WAF option only): read on use with a
 * maximum age, like the link keys, so a changed value reaches warm containers. Undefined without it.
 */
export function originVerifySecret(
  source: Record<string, string | undefined> = process.env,
): (() => Promise<string>) | undefined {
  const env = parseEnv(source);
  if (!env.ORIGIN_VERIFY_SECRET_ARN) return undefined;
  return longSecret(secretText(maxAge(env)), env.ORIGIN_VERIFY_SECRET_ARN);
}

/** Case alerts go to the feedback topic from the function that records answers (api); elsewhere none are sent. */
function caseAlerts(env: RuntimeEnv): CaseAlerts {
  if (!env.FEEDBACK_TOPIC_ARN) return { caseOpened: async () => unconfigured('case alerts (FEEDBACK_TOPIC_ARN)') };
  return new SnsCaseAlerts(new SNSClient({}), env.FEEDBACK_TOPIC_ARN);
}

/** Deps for a deployed function, from its environment. Built once per cold start. */
export async function depsFromEnv(source: Record<string, string | undefined> = process.env): Promise<Deps> {
  const env = parseEnv(source);
  const db = createDocumentClient(env.DYNAMODB_ENDPOINT ? { endpoint: env.DYNAMODB_ENDPOINT } : {});
  const table = env.TABLE_NAME;
  const sqs = new SQSClient({});
  const clock = { now: () => new Date() };
  const secrets = secretText(maxAge(env));
  const tokenKeys = tokenKeySource(env, secrets);
  const schedulerClient = new SchedulerClient({});
  // Campaign schedules and automations' recurring ones share the group, role, target and failure handling.
  const schedulerConfig: EventBridgeSchedulerConfig | undefined =
    env.SCHEDULER_GROUP_NAME && env.SCHEDULER_ROLE_ARN && env.PLAN_CAMPAIGN_FUNCTION_ARN
      ? {
          groupName: env.SCHEDULER_GROUP_NAME,
          roleArn: env.SCHEDULER_ROLE_ARN,
          targetArn: env.PLAN_CAMPAIGN_FUNCTION_ARN,
          now: clock.now,
          ...(env.SCHEDULER_DEAD_LETTER_QUEUE_ARN && {
            failureHandling: {
              deadLetterArn: env.SCHEDULER_DEAD_LETTER_QUEUE_ARN,
              maxRetryAttempts: env.SCHEDULER_MAX_RETRY_ATTEMPTS ?? DEFAULT_SCHEDULE_RETRY_ATTEMPTS,
              maxEventAgeSeconds: env.SCHEDULER_MAX_EVENT_AGE_SECONDS ?? DEFAULT_SCHEDULE_EVENT_AGE_SECONDS,
            },
          }),
        }
      : undefined;
  return {
    clubs: new DynamoDbClubStore(db, table),
    campaigns: new DynamoDbCampaignStore(db, table),
    members: new DynamoDbMemberStore(db, table),
    memberData: new DynamoDbMemberData(db, table),
    suppressions: new DynamoDbSuppressionList(db, table, suppressionKeySource(env, secrets, tokenKeys)),
    purchases: new DynamoDbPurchaseStore(db, table),
    receiptArchive: env.ARCHIVE_BUCKET ? new S3ReceiptArchive(new S3Client({}), env.ARCHIVE_BUCKET) : noArchive,
    memberRoster: new DynamoDbMemberRoster(db, table),
    popularity: new DynamoDbPopularityStore(db, table),
    models: new DynamoDbModelStore(db, table),
    experiments: new DynamoDbExperimentStore(db, table),
    ledger: new DynamoDbContactLedger(db, table),
    mailer: new SesMailer(
      createSesClient(env.SES_ENDPOINT ? { endpoint: env.SES_ENDPOINT } : {}),
      env.SES_CONFIGURATION_SET,
    ),
    planShardQueue: env.PLAN_SHARD_QUEUE_URL
      ? new SqsWorkQueue<PlanShardJob>(sqs, env.PLAN_SHARD_QUEUE_URL)
      : noQueue('planShardQueue'),
    sendQueue: env.SEND_QUEUE_URL ? new SqsWorkQueue<SendJob>(sqs, env.SEND_QUEUE_URL) : noQueue('sendQueue'),
    scheduler: schedulerConfig ? new EventBridgeScheduler(schedulerClient, schedulerConfig) : noScheduler,
    automations: new DynamoDbAutomationStore(db, table),
    recurring: schedulerConfig ? new EventBridgeRecurringScheduler(schedulerClient, schedulerConfig) : noRecurring,
    clock,
    tokenKeys,
    publicBaseUrl: env.PUBLIC_BASE_URL ?? '',
    log: powertoolsLogger(),
    deliveryStats: new DynamoDbDeliveryStats(db, table),
    sending: new DynamoDbSendingSwitch(db, table),
    // One instance handles one batch at a time, and the queue runs at most SEND_MAX_CONCURRENCY of
    // them: each paces at its share, so together they stay under the account's rate.
    pacer: env.SEND_RATE_PER_SECOND ? new Pacer(env.SEND_RATE_PER_SECOND / (env.SEND_MAX_CONCURRENCY ?? 1)) : UNPACED,
    sendSettings: DEFAULT_SEND_SETTINGS,
    accessTokens: accessTokenVerifier(env),
    roles: new DynamoDbRoleStore(db, table),
    directory: identityDirectory(env),
    audit: new DynamoDbAuditTrail(db, table),
    // On AWS the list is always the rule: with none configured, no club may send (the IAM policy agrees).
    sendingDomains: { mode: 'configured', domains: env.SENDING_DOMAINS ?? [] },
    identities: new SesEmailIdentities(createSesReadClient(env.SES_ENDPOINT ? { endpoint: env.SES_ENDPOINT } : {})),
    dns: new NodeDnsTxt(),
    files: env.IMPORT_BUCKET_NAME ? new S3FileStore(new S3Client({}), env.IMPORT_BUCKET_NAME) : noFiles,
    importJobs: new DynamoDbImportJobs(db, table),
    importQueue: env.IMPORT_QUEUE_URL
      ? new SqsWorkQueue<ImportMessage>(sqs, env.IMPORT_QUEUE_URL)
      : noQueue('importQueue'),
    importSettings: DEFAULT_IMPORT_SETTINGS,
    surveys: new DynamoDbSurveyResponses(db, table),
    feedbackCases: new DynamoDbFeedbackCases(db, table),
    serviceContacts: new DynamoDbServiceContacts(db, table),
    caseAlerts: caseAlerts(env),
    metrics: new EmfMetrics(),
    memberDirectory: new DynamoDbMemberDirectory(db, table),
    snapshots: new DynamoDbSnapshotStore(db, table),
    outcomes: new DynamoDbCampaignOutcomes(db, table),
  };
}

/** Build deps on first use and keep them for the life of the container. */
export function lazyDeps(build: () => Promise<Deps> = () => depsFromEnv()): () => Promise<Deps> {
  let deps: Promise<Deps> | undefined;
  return () => {
    deps ??= build().catch((error: unknown) => {
      deps = undefined;
      throw error;
    });
    return deps;
  };
}
