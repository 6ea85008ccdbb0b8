import { S3Client } from '@aws-sdk/client-s3';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SQSClient } from '@aws-sdk/client-sqs';
import { z } from 'zod';
import { DynamoDbCampaignStore } from '../adapters/dynamodb-campaign-store.js';
import { createDocumentClient } from '../adapters/dynamodb-client.js';
import { DynamoDbClubStore } from '../adapters/dynamodb-club-store.js';
import { DynamoDbContactLedger } from '../adapters/dynamodb-contact-ledger.js';
import { DynamoDbDeliveryStats, DynamoDbSendingSwitch } from '../adapters/dynamodb-delivery-stats.js';
import { DynamoDbMemberData } from '../adapters/dynamodb-member-data.js';
import { DynamoDbMemberRoster } from '../adapters/dynamodb-member-roster.js';
import { DynamoDbMemberStore } from '../adapters/dynamodb-member-store.js';
import { DynamoDbModelStore } from '../adapters/dynamodb-model-store.js';
import { DynamoDbPopularityStore } from '../adapters/dynamodb-popularity-store.js';
import { DynamoDbPurchaseStore } from '../adapters/dynamodb-purchase-store.js';
import { DynamoDbSuppressionList, derivedSuppressionKey } from '../adapters/dynamodb-suppression-list.js';
import {
  DEFAULT_SCHEDULE_EVENT_AGE_SECONDS,
  DEFAULT_SCHEDULE_RETRY_ATTEMPTS,
  EventBridgeScheduler,
} from '../adapters/eventbridge-scheduler.js';
import { S3ReceiptArchive } from '../adapters/s3-receipt-archive.js';
import { createSesClient, SesMailer } from '../adapters/ses-mailer.js';
import { SqsWorkQueue } from '../adapters/sqs-work-queue.js';
import type { Deps } from '../app/deps.js';
import { DEFAULT_SEND_SETTINGS } from '../app/send-settings.js';
import type { ReceiptArchive } from '../core/fit-ports.js';
import type { PlanShardJob, SendJob } from '../core/jobs.js';
import { Pacer, UNPACED } from '../core/pacer.js';
import type { Scheduler, WorkQueue } from '../core/ports.js';
import { type TokenKeys, TokenKeysJson } from '../core/tokens.js';
import { parseEnv, type RuntimeEnv } from './env.js';
import { jsonLogger } from './json-logger.js';

/** Fails only when a function actually uses a port it was not configured for. */
function unconfigured(name: string): never {
  throw new Error(`${name} is not configured for this function`);
}
const noQueue = <T>(name: string): WorkQueue<T> => ({ send: async () => unconfigured(name) });
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

/**
 * The functions that neither sign nor verify member links (planCampaign, planShard, sesEvents) get no
 * token secret and no grant to read one (docs/security.md): they start with no keys, and signing throws.
 */
const NO_TOKEN_KEYS: TokenKeys = { current: 'none', keys: {} };

async function loadTokenKeys(env: RuntimeEnv): Promise<TokenKeys> {
  let raw = env.TOKEN_KEYS;
  if (env.TOKEN_SECRET_ARN) {
    const secret = await new SecretsManagerClient({}).send(
      new GetSecretValueCommand({ SecretId: env.TOKEN_SECRET_ARN }),
    );
    raw = secret.SecretString;
    if (!raw) throw new Error('The token secret has no SecretString');
  }
  if (!raw) return NO_TOKEN_KEYS;
  return TokenKeysJson.parse(JSON.parse(raw));
}

/**
 * The key of erased-address hashes (docs/decisions/0008-preference-centre.md): a secret of its own
 * (SUPPRESSION_SECRET_ARN, or SUPPRESSION_KEY for tests), as it must outlive token key rotations.
 * Without one it is derived from the current token key, which is only safe until that key rotates.
 */
const SuppressionEnv = z.object({
  SUPPRESSION_SECRET_ARN: z.string().min(1).optional(),
  SUPPRESSION_KEY: z.string().min(32).optional(),
});

function suppressionKeyLoader(source: Record<string, string | undefined>, tokenKeys: TokenKeys): () => Promise<string> {
  const env = SuppressionEnv.parse(source);
  let key: Promise<string> | undefined;
  const load = async (): Promise<string> => {
    if (env.SUPPRESSION_SECRET_ARN) {
      const secret = await new SecretsManagerClient({}).send(
        new GetSecretValueCommand({ SecretId: env.SUPPRESSION_SECRET_ARN }),
      );
      return z.string().min(32).parse(secret.SecretString);
    }
    return env.SUPPRESSION_KEY ?? derivedSuppressionKey(tokenKeys);
  };
  return () => {
    key ??= load().catch((error: unknown) => {
      key = undefined;
      throw error;
    });
    return key;
  };
}

/** Deps for a deployed function, from its environment. Built once per cold start. */
export async function depsFromEnv(source: Record<string, string | undefined> = process.env): Promise<Deps> {
  const env = parseEnv(source);
  const db = createDocumentClient(env.DYNAMODB_ENDPOINT ? { endpoint: env.DYNAMODB_ENDPOINT } : {});
  const table = env.TABLE_NAME;
  const sqs = new SQSClient({});
  const clock = { now: () => new Date() };
  const tokenKeys = await loadTokenKeys(env);
  return {
    clubs: new DynamoDbClubStore(db, table),
    campaigns: new DynamoDbCampaignStore(db, table),
    members: new DynamoDbMemberStore(db, table),
    memberData: new DynamoDbMemberData(db, table),
    suppressions: new DynamoDbSuppressionList(db, table, suppressionKeyLoader(source, tokenKeys)),
    purchases: new DynamoDbPurchaseStore(db, table),
    receiptArchive: env.ARCHIVE_BUCKET ? new S3ReceiptArchive(new S3Client({}), env.ARCHIVE_BUCKET) : noArchive,
    memberRoster: new DynamoDbMemberRoster(db, table),
    popularity: new DynamoDbPopularityStore(db, table),
    models: new DynamoDbModelStore(db, table),
    ledger: new DynamoDbContactLedger(db, table),
    mailer: new SesMailer(
      createSesClient(env.SES_ENDPOINT ? { endpoint: env.SES_ENDPOINT } : {}),
      env.SES_CONFIGURATION_SET,
    ),
    planShardQueue: env.PLAN_SHARD_QUEUE_URL
      ? new SqsWorkQueue<PlanShardJob>(sqs, env.PLAN_SHARD_QUEUE_URL)
      : noQueue('planShardQueue'),
    sendQueue: env.SEND_QUEUE_URL ? new SqsWorkQueue<SendJob>(sqs, env.SEND_QUEUE_URL) : noQueue('sendQueue'),
    scheduler:
      env.SCHEDULER_GROUP_NAME && env.SCHEDULER_ROLE_ARN && env.PLAN_CAMPAIGN_FUNCTION_ARN
        ? new EventBridgeScheduler(new SchedulerClient({}), {
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
          })
        : noScheduler,
    clock,
    tokenKeys,
    publicBaseUrl: env.PUBLIC_BASE_URL ?? '',
    log: jsonLogger({ fn: source.AWS_LAMBDA_FUNCTION_NAME }),
    deliveryStats: new DynamoDbDeliveryStats(db, table),
    sending: new DynamoDbSendingSwitch(db, table),
    // One instance handles one batch at a time, and the queue runs at most SEND_MAX_CONCURRENCY of
    // them: each paces at its share, so together they stay under the account's rate.
    pacer: env.SEND_RATE_PER_SECOND ? new Pacer(env.SEND_RATE_PER_SECOND / (env.SEND_MAX_CONCURRENCY ?? 1)) : UNPACED,
    sendSettings: DEFAULT_SEND_SETTINGS,
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
