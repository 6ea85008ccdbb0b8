import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceNotFoundException,
} from '@aws-sdk/client-dynamodb';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { createAdaptorServer } from '@hono/node-server';
import dynalite from 'dynalite';
import type { Hono } from 'hono';
import { awsClientConfig } from '../adapters/aws-client-config.js';
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
import { TableDesign } from '../adapters/dynamodb-table.js';
import { LocalReceiptArchive } from '../adapters/local-receipt-archive.js';
import { LocalScheduler } from '../adapters/local-scheduler.js';
import { LocalSesEvents } from '../adapters/local-ses-events.js';
import { LocalWorkQueue } from '../adapters/local-work-queue.js';
import { createSesClient, SesMailer } from '../adapters/ses-mailer.js';
import type { Deps } from '../app/deps.js';
import { DEFAULT_SEND_SETTINGS, type SendSettings } from '../app/send-settings.js';
import type { PlanShardJob, SendJob } from '../core/jobs.js';
import { Campaign } from '../core/model.js';
import { Pacer, UNPACED } from '../core/pacer.js';
import type { Clock, Logger, Mailer } from '../core/ports.js';
import type { TokenKeys } from '../core/tokens.js';
import { createPlanCampaignHandler } from '../handlers/plan-campaign.js';
import { createPlanShardHandler } from '../handlers/plan-shard.js';
import { createSendMailHandler } from '../handlers/send-mail.js';
import { createSesEventsHandler } from '../handlers/ses-events.js';
import { createHttpApp } from '../http/app.js';
import { jsonLogger } from './json-logger.js';
import { LocalModelFit } from './local-model-fit.js';
import { localOpsRoutes } from './local-ops.js';

const require = createRequire(import.meta.url);
// aws-ses-v2-local is CommonJS with an `exports.default`; require keeps that shape on every loader.
const sesLocal: typeof import('aws-ses-v2-local') = require('aws-ses-v2-local');

export interface LocalSystemOptions {
  /** Where DynamoDB data persists; in memory when absent (tests). */
  readonly dataDir?: string;
  /** The receipt archive's folder (Parquet files the model fit reads); a temporary one, removed on stop, when absent. */
  readonly archiveDir?: string;
  readonly dynamoPort?: number;
  readonly sesPort?: number;
  readonly httpPort?: number;
  readonly host?: string;
  readonly tableName?: string;
  readonly tokenKeys: TokenKeys;
  /** Key of the erased-address hashes; derived from the token keys when absent. */
  readonly suppressionKey?: string;
  readonly clock?: Clock;
  readonly log?: Logger;
  /** Replace the SES mailer, e.g. with a fault-injecting wrapper in tests. */
  readonly wrapMailer?: (mailer: Mailer) => Mailer;
  /** How long a failed queue message waits before redelivery. */
  readonly retryDelayMs?: number;
  /** Cap on queue delays (quiet-hours deferrals); tests with a movable clock set it low. */
  readonly maxQueueDelayMs?: number;
  /** The whole system's SES send rate, mails per second; unpaced when absent. */
  readonly sendRatePerSecond?: number;
  /** Send protocol timings; locally the catalog is read per batch so edits show at once. */
  readonly sendSettings?: Partial<SendSettings>;
  /** Tests only: stop the send worker at a protocol step, as a crash would. */
  readonly faults?: Deps['faults'];
  /** Where the SES client sends (default: the local SES); tests put a fault-injecting proxy here. */
  readonly sesApiEndpoint?: string;
  /** Benchmarks: add middleware to the DynamoDB client, e.g. to count consumed capacity. */
  readonly instrumentDynamo?: (db: ReturnType<typeof createDocumentClient>) => void;
  /** How many send batches run at once (SQS maxConcurrency). */
  readonly sendConcurrency?: number;
}

export interface LocalSystem {
  readonly deps: Deps;
  readonly app: Hono;
  readonly urls: { readonly http: string; readonly ses: string; readonly dynamodb: string };
  readonly planShardQueue: LocalWorkQueue<PlanShardJob>;
  readonly sendQueue: LocalWorkQueue<SendJob>;
  /** SES events as the local stand-in publishes them (EventBridge shape), for the events handler. */
  readonly eventsQueue: LocalWorkQueue<unknown>;
  readonly scheduler: LocalScheduler;
  /** The nightly model fit, on DuckDB over the archive folder. */
  readonly modelFit: LocalModelFit;
  /** The receipt archive's folder. */
  readonly archiveDir: string;
  readonly handlers: {
    readonly planCampaign: ReturnType<typeof createPlanCampaignHandler>;
    readonly planShard: ReturnType<typeof createPlanShardHandler>;
    readonly sendMail: ReturnType<typeof createSendMailHandler>;
    readonly sesEvents: ReturnType<typeof createSesEventsHandler>;
  };
  /** Wait until fired schedules have run and both queues are empty. */
  settle(): Promise<void>;
  stop(): Promise<void>;
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const address = server.address();
      if (address && typeof address === 'object') resolve((address satisfies AddressInfo).port);
      else reject(new Error('server has no port'));
    });
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

/**
 * The whole system on one machine: the DynamoDB emulator, the local SES with its web inbox, and
 * the HTTP app, with in-process stand-ins for SQS and EventBridge Scheduler that call the very
 * handlers the CDK stack deploys. Used by `npm start` and by the integration tests.
 */
export async function startLocalSystem(options: LocalSystemOptions): Promise<LocalSystem> {
  const host = options.host ?? '127.0.0.1';
  const log = options.log ?? jsonLogger({ process: 'local' });
  const clock = options.clock ?? { now: () => new Date() };
  const tableName = options.tableName ?? 'club-planner';

  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const dynamo = dynalite({
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
    ...(options.dataDir ? { path: options.dataDir } : {}),
  });
  const dynamoPort = await listen(dynamo, options.dynamoPort ?? 0, host);
  const dynamoUrl = `http://${host}:${dynamoPort}`;
  await ensureTable(dynamoUrl, tableName);

  const ses = await sesLocal.default({ host, port: options.sesPort ?? 0 });
  const sesAddress = ses.address();
  const sesPort = sesAddress && typeof sesAddress === 'object' ? sesAddress.port : 0;
  const sesUrl = `http://${host}:${sesPort}`;

  let app: Hono | undefined;
  const http = createAdaptorServer({
    fetch: (request: Request) => (app ? app.fetch(request) : new Response('starting', { status: 503 })),
  });
  const httpPort = await listen(http as Server, options.httpPort ?? 0, host);
  const httpUrl = `http://${host === '127.0.0.1' ? 'localhost' : host}:${httpPort}`;

  const db = createDocumentClient({ endpoint: dynamoUrl });
  options.instrumentDynamo?.(db);
  const queueDefaults = {
    maxReceiveCount: 5,
    retryDelayMs: options.retryDelayMs ?? 500,
    ...(options.maxQueueDelayMs === undefined ? {} : { maxDelayMs: options.maxQueueDelayMs }),
    log,
  };
  const planShardQueue = new LocalWorkQueue<PlanShardJob>({
    name: 'plan-shard',
    batchSize: 1,
    concurrency: 4,
    ...queueDefaults,
  });
  const sendQueue = new LocalWorkQueue<SendJob>({
    name: 'send',
    batchSize: 10,
    concurrency: options.sendConcurrency ?? 4,
    ...queueDefaults,
  });
  const eventsQueue = new LocalWorkQueue<unknown>({
    name: 'ses-events',
    batchSize: 100,
    concurrency: 2,
    ...queueDefaults,
  });
  const scheduler = new LocalScheduler(clock, log);
  const sesMailer = new LocalSesEvents(
    new SesMailer(createSesClient({ endpoint: options.sesApiEndpoint ?? sesUrl })),
    (body) => eventsQueue.sendRaw(body),
    clock,
  );
  const suppressionKey = options.suppressionKey ?? derivedSuppressionKey(options.tokenKeys);
  const archiveDir = options.archiveDir ?? mkdtempSync(join(tmpdir(), 'club-planner-archive-'));
  mkdirSync(archiveDir, { recursive: true });
  const receiptArchive = new LocalReceiptArchive(archiveDir);
  const memberRoster = new DynamoDbMemberRoster(db, tableName);

  const deps: Deps = {
    clubs: new DynamoDbClubStore(db, tableName),
    campaigns: new DynamoDbCampaignStore(db, tableName),
    members: new DynamoDbMemberStore(db, tableName),
    memberData: new DynamoDbMemberData(db, tableName),
    suppressions: new DynamoDbSuppressionList(db, tableName, async () => suppressionKey),
    purchases: new DynamoDbPurchaseStore(db, tableName),
    receiptArchive,
    memberRoster,
    popularity: new DynamoDbPopularityStore(db, tableName),
    models: new DynamoDbModelStore(db, tableName),
    ledger: new DynamoDbContactLedger(db, tableName),
    mailer: options.wrapMailer ? options.wrapMailer(sesMailer) : sesMailer,
    planShardQueue,
    sendQueue,
    scheduler,
    clock,
    tokenKeys: options.tokenKeys,
    publicBaseUrl: httpUrl,
    log,
    deliveryStats: new DynamoDbDeliveryStats(db, tableName),
    sending: new DynamoDbSendingSwitch(db, tableName),
    // All local send batches share one process, so one pacer holds the whole system's rate.
    pacer: options.sendRatePerSecond ? new Pacer(options.sendRatePerSecond) : UNPACED,
    sendSettings: { ...DEFAULT_SEND_SETTINGS, catalogTtlMs: 0, ...options.sendSettings },
    ...(options.faults ? { faults: options.faults } : {}),
  };
  const handlers = {
    planCampaign: createPlanCampaignHandler(deps),
    planShard: createPlanShardHandler(deps),
    sendMail: createSendMailHandler(deps),
    sesEvents: createSesEventsHandler(deps),
  };
  planShardQueue.consume(handlers.planShard);
  sendQueue.consume(handlers.sendMail);
  eventsQueue.consume(handlers.sesEvents);
  scheduler.setTarget((job) => handlers.planCampaign(job));
  const modelFit = new LocalModelFit(deps, archiveDir);
  const httpApp = createHttpApp(deps);
  httpApp.route('/ops', localOpsRoutes({ send: sendQueue, 'plan-shard': planShardQueue, 'ses-events': eventsQueue }));
  app = httpApp;
  await rearmSchedules(db, tableName, deps, log);

  return {
    deps,
    app,
    urls: { http: httpUrl, ses: sesUrl, dynamodb: dynamoUrl },
    planShardQueue,
    sendQueue,
    eventsQueue,
    scheduler,
    modelFit,
    archiveDir,
    handlers,
    async settle() {
      for (let round = 0; round < 100; round++) {
        await scheduler.settle();
        await planShardQueue.drain();
        await sendQueue.drain();
        await eventsQueue.drain();
        await scheduler.settle();
        if (planShardQueue.idle && sendQueue.idle && eventsQueue.idle) return;
      }
    },
    async stop() {
      scheduler.stop();
      planShardQueue.stop();
      sendQueue.stop();
      eventsQueue.stop();
      await modelFit.stop();
      await Promise.all([close(http as Server), close(ses)]);
      await close(dynamo);
      if (!options.archiveDir) rmSync(archiveDir, { recursive: true, force: true });
    },
  };
}

async function ensureTable(endpoint: string, tableName: string): Promise<void> {
  const client = new DynamoDBClient(awsClientConfig({ endpoint }));
  try {
    await client.send(new DescribeTableCommand({ TableName: tableName }));
    return;
  } catch (error: unknown) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
  }
  const { partitionKey, sortKey, memberShardIndex } = TableDesign;
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [partitionKey, sortKey, memberShardIndex.partitionKey, memberShardIndex.sortKey].map(
        (name) => ({
          AttributeName: name,
          AttributeType: 'S',
        }),
      ),
      KeySchema: [
        { AttributeName: partitionKey, KeyType: 'HASH' },
        { AttributeName: sortKey, KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: memberShardIndex.name,
          KeySchema: [
            { AttributeName: memberShardIndex.partitionKey, KeyType: 'HASH' },
            { AttributeName: memberShardIndex.sortKey, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
    }),
  );
  for (let i = 0; i < 50; i++) {
    const table = await client.send(new DescribeTableCommand({ TableName: tableName }));
    if (table.Table?.TableStatus === 'ACTIVE') break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  client.destroy();
}

/** Timers do not survive a restart: re-arm scheduled campaigns, and resume ones caught mid-plan. */
async function rearmSchedules(
  db: ReturnType<typeof createDocumentClient>,
  tableName: string,
  deps: Deps,
  log: Logger,
): Promise<void> {
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db.send(
      new ScanCommand({
        TableName: tableName,
        FilterExpression: '#type = :campaign AND #status IN (:scheduled, :planning)',
        ExpressionAttributeNames: { '#type': 'type', '#status': 'status' },
        ExpressionAttributeValues: { ':campaign': 'campaign', ':scheduled': 'scheduled', ':planning': 'planning' },
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    for (const item of page.Items ?? []) {
      const campaign = Campaign.parse(item);
      const at = campaign.status === 'planning' ? deps.clock.now() : new Date(campaign.sendAt);
      await deps.scheduler.schedule(campaign.clubId, campaign.campaignId, at);
      log.info('re-armed campaign after restart', {
        clubId: campaign.clubId,
        campaignId: campaign.campaignId,
        status: campaign.status,
      });
    }
    start = page.LastEvaluatedKey;
  } while (start);
}
