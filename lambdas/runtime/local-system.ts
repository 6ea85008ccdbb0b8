import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAdaptorServer, type Http2Bindings, type HttpBindings } from '@hono/node-server';
import dynalite from 'dynalite';
import { Hono } from 'hono';
import { DynamoDbAuditTrail } from '../adapters/dynamodb-audit-trail.js';
import { DynamoDbAutomationStore } from '../adapters/dynamodb-automation-store.js';
import { DynamoDbCampaignOutcomes } from '../adapters/dynamodb-campaign-outcomes.js';
import { DynamoDbCampaignStore } from '../adapters/dynamodb-campaign-store.js';
import { createDocumentClient } from '../adapters/dynamodb-client.js';
import { DynamoDbClubStore } from '../adapters/dynamodb-club-store.js';
import { DynamoDbContactLedger } from '../adapters/dynamodb-contact-ledger.js';
import { DynamoDbDeliveryStats, DynamoDbSendingSwitch } from '../adapters/dynamodb-delivery-stats.js';
import { DynamoDbExperimentStore } from '../adapters/dynamodb-experiment-store.js';
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
import { JwtAccessTokens } from '../adapters/jwt-access-tokens.js';
import { LocalDnsTxt } from '../adapters/local-dns-txt.js';
import { LocalEmailIdentities } from '../adapters/local-email-identities.js';
import { LocalFileStore } from '../adapters/local-file-store.js';
import { type LocalIssuer, startLocalIssuer } from '../adapters/local-issuer.js';
import { LocalReceiptArchive } from '../adapters/local-receipt-archive.js';
import { LocalScheduler } from '../adapters/local-scheduler.js';
import {
  type LocalIdentityKind,
  localFixtureRecords,
  localIdentityEntries,
} from '../adapters/local-sending-fixtures.js';
import { LocalSesEvents } from '../adapters/local-ses-events.js';
import { LocalUsers } from '../adapters/local-users.js';
import { LocalWorkQueue } from '../adapters/local-work-queue.js';
import { powertoolsLogger as jsonLogger } from '../adapters/powertools-logger.js';
import { createSesClient, SesMailer } from '../adapters/ses-mailer.js';
import type { Deps } from '../app/deps.js';
import { DEFAULT_IMPORT_SETTINGS, type ImportFaults, type ImportSettings } from '../app/import-settings.js';
import { DEFAULT_SEND_SETTINGS, type SendSettings } from '../app/send-settings.js';
import type { ImportMessage } from '../core/import-job.js';
import type { PlanShardJob, SendJob } from '../core/jobs.js';
import { Pacer, UNPACED } from '../core/pacer.js';
import type { Clock, Logger, Mailer } from '../core/ports.js';
import type { SendingDomains } from '../core/sending-domains.js';
import { fixedTokenKeys, type TokenKeys } from '../core/tokens.js';
import { createCheckFeedbackCasesHandler } from '../handlers/check-feedback-cases.js';
import { createImportWorkerHandler } from '../handlers/import-worker.js';
import { createPlanCampaignHandler } from '../handlers/plan-campaign.js';
import { createPlanShardHandler } from '../handlers/plan-shard.js';
import { createSendMailHandler } from '../handlers/send-mail.js';
import { createSesEventsHandler } from '../handlers/ses-events.js';
import { createHttpApp } from '../http/app.js';
import { bearerAuth } from '../http/auth/bearer.js';
import { isNormalPath, NOT_NORMAL_PATH } from '../http/raw-path.js';
import './dynalite-iterators.js';
import { localFeedback } from './local-feedback.js';
import { localGuards } from './local-guards.js';
import { LocalModelFit } from './local-model-fit.js';
import { localOpsRoutes, operatorsOnly } from './local-ops.js';
import { resumeAutomations, resumeCampaigns, resumeImports } from './local-resume.js';
import { ensureTable } from './local-table.js';

const require = createRequire(import.meta.url);
// aws-ses-v2-local is CommonJS with an `exports.default`; require keeps that shape on every loader.
const sesLocal: typeof import('aws-ses-v2-local') = require('aws-ses-v2-local');

export interface LocalSystemOptions {
  /** A DynamoDB (emulator) already running, instead of starting one in this process. */
  readonly dynamoEndpoint?: string;
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
  /** Where the local issuer keeps its keys and users (`.data/identity`); in memory when absent (tests). */
  readonly identityDir?: string;
  /** The local issuer's port (npm start: 3001); a free one when absent. */
  readonly authPort?: number;
  /** A team invitation created a local account: npm start prints its temporary password. */
  readonly onInvite?: (email: string, temporaryPassword: string) => void;
  /**
   * Each club's sending domains (SENDING_DOMAINS on AWS). Absent: no sender is checked at all, which
   * only ad-hoc test clubs want; `npm start` gives the demo clubs'
   * (docs/decisions/0030-club-sender-and-sender-check.md).
   */
  readonly sendingDomains?: SendingDomains;
  /** What the local SES says of a domain, beyond the fixtures (adapters/local-sending-fixtures.ts). */
  readonly identities?: Readonly<Record<string, LocalIdentityKind>>;
  /** TXT records the local DNS answers, beyond the fixtures. */
  readonly dnsRecords?: Readonly<Record<string, readonly string[]>>;
  /** Where import files go; a temporary folder, removed on stop, when absent (tests). */
  readonly filesDir?: string;
  readonly importSettings?: Partial<ImportSettings>;
  /** Tests only: stop the import worker after a step, as a crash would. */
  readonly importFaults?: ImportFaults;
  /** How many import steps run at once. */
  readonly importConcurrency?: number;
  /** How long `stop` keeps the local SES inbox up after the last mail, for someone reading it. */
  readonly inboxGraceMs?: number;
}

export interface LocalSystem {
  readonly deps: Deps;
  readonly app: Hono;
  readonly urls: { readonly http: string; readonly ses: string; readonly dynamodb: string; readonly issuer: string };
  /** The in-process OIDC issuer and its users (what Cognito is on AWS). */
  readonly identity: { readonly issuer: LocalIssuer; readonly users: LocalUsers };
  readonly planShardQueue: LocalWorkQueue<PlanShardJob>;
  readonly sendQueue: LocalWorkQueue<SendJob>;
  /** SES events as the local stand-in publishes them (EventBridge shape), for the events handler. */
  readonly eventsQueue: LocalWorkQueue<unknown>;
  readonly importQueue: LocalWorkQueue<ImportMessage>;
  readonly scheduler: LocalScheduler;
  /** The local stand-ins the sender check reads: SES's identity status and DNS. Tests change them. */
  readonly sendingFixtures: { readonly identities: LocalEmailIdentities; readonly dns: LocalDnsTxt };
  /** The nightly model fit, on DuckDB over the archive folder. */
  readonly modelFit: LocalModelFit;
  /** The receipt archive's folder. */
  readonly archiveDir: string;
  readonly handlers: {
    readonly planCampaign: ReturnType<typeof createPlanCampaignHandler>;
    readonly planShard: ReturnType<typeof createPlanShardHandler>;
    readonly sendMail: ReturnType<typeof createSendMailHandler>;
    readonly sesEvents: ReturnType<typeof createSesEventsHandler>;
    readonly importWorker: ReturnType<typeof createImportWorkerHandler>;
    /** The overdue-case check: a 15-minute EventBridge rule on AWS, a timer in `npm start`, tests call it. */
    readonly checkFeedbackCases: ReturnType<typeof createCheckFeedbackCasesHandler>;
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
  // An emulator of our own, unless one runs elsewhere (a benchmark measuring this process alone).
  const dynamo = options.dynamoEndpoint
    ? undefined
    : dynalite({
        createTableMs: 0,
        deleteTableMs: 0,
        updateTableMs: 0,
        ...(options.dataDir ? { path: options.dataDir } : {}),
      });
  const dynamoUrl = dynamo
    ? `http://${host}:${await listen(dynamo, options.dynamoPort ?? 0, host)}`
    : (options.dynamoEndpoint ?? '');
  await ensureTable(dynamoUrl, tableName);

  const ses = await sesLocal.default({ host, port: options.sesPort ?? 0 });
  const sesAddress = ses.address();
  const sesPort = sesAddress && typeof sesAddress === 'object' ? sesAddress.port : 0;
  const sesUrl = `http://${host}:${sesPort}`;

  let app: Hono | undefined;
  const http = createAdaptorServer({
    fetch: (request: Request, env: HttpBindings | Http2Bindings) => {
      // The raw path as it came over the wire, before the URL parser resolved any `..` (http/raw-path.ts).
      if (!isNormalPath(env.incoming.url ?? '/')) {
        return new Response(NOT_NORMAL_PATH.body, { status: NOT_NORMAL_PATH.status, headers: NOT_NORMAL_PATH.headers });
      }
      return app ? app.fetch(request, env) : new Response('starting', { status: 503 });
    },
  });
  const httpPort = await listen(http as Server, options.httpPort ?? 0, host);
  const httpUrl = `http://${host === '127.0.0.1' ? 'localhost' : host}:${httpPort}`;

  const users = new LocalUsers({
    ...(options.identityDir ? { file: join(options.identityDir, 'users.json') } : {}),
    ...(options.onInvite ? { onInvite: options.onInvite } : {}),
  });
  const issuer = await startLocalIssuer({
    users,
    host,
    appBaseUrl: httpUrl,
    ...(options.authPort === undefined ? {} : { port: options.authPort }),
    ...(options.identityDir ? { secretsFile: join(options.identityDir, 'issuer-secrets.json') } : {}),
  });

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
  const importQueue = new LocalWorkQueue<ImportMessage>({
    name: 'imports',
    batchSize: 1,
    concurrency: options.importConcurrency ?? 2,
    ...queueDefaults,
  });
  // Import files and the receipt archive: folders of the caller's, or a temporary one removed on stop (tests).
  const scratch = options.filesDir && options.archiveDir ? undefined : mkdtempSync(join(tmpdir(), 'club-planner-'));
  const filesDir = options.filesDir ?? join(scratch ?? '', 'files');
  const archiveDir = options.archiveDir ?? join(scratch ?? '', 'archive');
  for (const dir of [filesDir, archiveDir]) mkdirSync(dir, { recursive: true });
  // Locally the API takes the upload itself: imports/<club>/<job>/source ← PUT /api/clubs/<club>/imports/<job>/file.
  const files = new LocalFileStore(filesDir, (key) => {
    const [, clubId, jobId] = key.split('/');
    return `${httpUrl}/api/clubs/${clubId}/imports/${jobId}/file`;
  });
  const scheduler = new LocalScheduler(clock, log);
  const sesMailer = new LocalSesEvents(
    new SesMailer(createSesClient({ endpoint: options.sesApiEndpoint ?? sesUrl })),
    (body) => eventsQueue.sendRaw(body),
    clock,
  );
  const suppressionKey = options.suppressionKey ?? derivedSuppressionKey(options.tokenKeys);
  const sendingFixtures = {
    identities: new LocalEmailIdentities(localIdentityEntries(options.sendingDomains ?? [], options.identities)),
    dns: new LocalDnsTxt([...localFixtureRecords(), ...Object.entries(options.dnsRecords ?? {})]),
  };

  const mailer = options.wrapMailer ? options.wrapMailer(sesMailer) : sesMailer;
  const deps: Deps = {
    clubs: new DynamoDbClubStore(db, tableName),
    campaigns: new DynamoDbCampaignStore(db, tableName),
    members: new DynamoDbMemberStore(db, tableName),
    memberData: new DynamoDbMemberData(db, tableName),
    suppressions: new DynamoDbSuppressionList(db, tableName, async () => suppressionKey),
    purchases: new DynamoDbPurchaseStore(db, tableName),
    receiptArchive: new LocalReceiptArchive(archiveDir),
    memberRoster: new DynamoDbMemberRoster(db, tableName),
    popularity: new DynamoDbPopularityStore(db, tableName),
    models: new DynamoDbModelStore(db, tableName),
    experiments: new DynamoDbExperimentStore(db, tableName),
    ledger: new DynamoDbContactLedger(db, tableName),
    mailer,
    planShardQueue,
    sendQueue,
    scheduler,
    automations: new DynamoDbAutomationStore(db, tableName),
    recurring: scheduler,
    clock,
    tokenKeys: fixedTokenKeys(options.tokenKeys),
    publicBaseUrl: httpUrl,
    log,
    deliveryStats: new DynamoDbDeliveryStats(db, tableName),
    sending: new DynamoDbSendingSwitch(db, tableName),
    // All local send batches share one process, so one pacer holds the whole system's rate.
    pacer: options.sendRatePerSecond ? new Pacer(options.sendRatePerSecond) : UNPACED,
    sendSettings: { ...DEFAULT_SEND_SETTINGS, catalogTtlMs: 0, ...options.sendSettings },
    // The same verification as on AWS, against the local issuer (docs/decisions/0028-local-oidc-issuer.md).
    accessTokens: new JwtAccessTokens({
      issuer: issuer.issuer,
      jwksUrl: issuer.jwksUrl,
      consoleClientId: issuer.consoleClientId,
      machineClientIds: [issuer.cli.clientId],
    }),
    roles: new DynamoDbRoleStore(db, tableName),
    directory: users,
    audit: new DynamoDbAuditTrail(db, tableName),
    sendingDomains: options.sendingDomains ? { mode: 'configured', domains: options.sendingDomains } : { mode: 'any' },
    identities: sendingFixtures.identities,
    dns: sendingFixtures.dns,
    ...localFeedback(db, tableName, mailer, log),
    memberDirectory: new DynamoDbMemberDirectory(db, tableName, () => clock.now().getTime()),
    snapshots: new DynamoDbSnapshotStore(db, tableName, () => clock.now().getTime()),
    outcomes: new DynamoDbCampaignOutcomes(db, tableName),
    ...(options.faults ? { faults: options.faults } : {}),
    files,
    importJobs: new DynamoDbImportJobs(db, tableName),
    importQueue,
    importSettings: { ...DEFAULT_IMPORT_SETTINGS, ...options.importSettings },
    ...(options.importFaults ? { importFaults: options.importFaults } : {}),
  };
  const handlers = {
    planCampaign: createPlanCampaignHandler(deps),
    planShard: createPlanShardHandler(deps),
    sendMail: createSendMailHandler(deps),
    sesEvents: createSesEventsHandler(deps),
    importWorker: createImportWorkerHandler(deps),
    checkFeedbackCases: createCheckFeedbackCasesHandler(deps),
  };
  planShardQueue.consume(handlers.planShard);
  sendQueue.consume(handlers.sendMail);
  eventsQueue.consume(handlers.sesEvents);
  importQueue.consume(handlers.importWorker);
  scheduler.setTarget((job) => handlers.planCampaign(job));
  scheduler.setRecurringTarget((job) => handlers.planCampaign(job));
  const modelFit = new LocalModelFit(deps, archiveDir);
  const httpApp = createHttpApp(deps, {
    guards: [localGuards(httpPort)],
    // The console signs in at the local issuer, as it does at Cognito's hosted UI on AWS.
    console: {
      authorizeUrl: issuer.authorizationEndpoint,
      tokenUrl: issuer.tokenEndpoint,
      clientId: issuer.consoleClientId,
      redirectUri: issuer.consoleRedirectUri,
    },
  });
  // Dead letters are an operator's: a bearer token of the operators group (bin/dlq.ts signs in).
  httpApp.route(
    '/ops',
    new Hono().use('*', bearerAuth(deps), operatorsOnly()).route(
      '/',
      localOpsRoutes({
        send: sendQueue,
        'plan-shard': planShardQueue,
        'ses-events': eventsQueue,
        imports: importQueue,
      }),
    ),
  );
  app = httpApp;
  await resumeCampaigns(db, tableName, deps, log);
  await resumeAutomations(db, tableName, deps, log);
  await resumeImports(db, tableName, deps, log);

  return {
    deps,
    app,
    urls: { http: httpUrl, ses: sesUrl, dynamodb: dynamoUrl, issuer: issuer.issuer },
    identity: { issuer, users },
    planShardQueue,
    sendQueue,
    eventsQueue,
    importQueue,
    scheduler,
    sendingFixtures,
    modelFit,
    archiveDir,
    handlers,
    async settle() {
      for (let round = 0; round < 100; round++) {
        await scheduler.settle();
        await planShardQueue.drain();
        await sendQueue.drain();
        await eventsQueue.drain();
        await importQueue.drain();
        await scheduler.settle();
        if (planShardQueue.idle && sendQueue.idle && eventsQueue.idle && importQueue.idle) return;
      }
    },
    async stop() {
      scheduler.stop();
      planShardQueue.stop();
      sendQueue.stop();
      eventsQueue.stop();
      importQueue.stop();
      // Let the work already running finish its step, so nothing is left half done that need not be.
      await Promise.all([
        planShardQueue.idleInFlight(),
        sendQueue.idleInFlight(),
        eventsQueue.idleInFlight(),
        importQueue.idleInFlight(),
        modelFit.stop(),
      ]);
      // The inbox lives in memory: give a reader a moment to see the last mail before it goes.
      await new Promise((resolve) => setTimeout(resolve, options.inboxGraceMs ?? 0));
      await Promise.all([close(http as Server), close(ses), issuer.stop()]);
      if (dynamo) await close(dynamo);
      if (scratch) rmSync(scratch, { recursive: true, force: true });
    },
  };
}
