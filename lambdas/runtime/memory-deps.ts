import { LocalDnsTxt } from '../adapters/local-dns-txt.js';
import { LocalEmailIdentities } from '../adapters/local-email-identities.js';
import { LocalUsers } from '../adapters/local-users.js';
import { MemoryAccessTokens } from '../adapters/memory/memory-access-tokens.js';
import { MemoryAuditTrail } from '../adapters/memory/memory-audit-trail.js';
import { MemoryAutomationStore, MemoryRecurringScheduler } from '../adapters/memory/memory-automation-store.js';
import { MemoryCampaignStore } from '../adapters/memory/memory-campaign-store.js';
import { MemoryClubStore } from '../adapters/memory/memory-club-store.js';
import {
  MemoryCampaignOutcomes,
  MemoryMemberDirectory,
  MemorySnapshotStore,
} from '../adapters/memory/memory-console-stores.js';
import { MemoryContactLedger } from '../adapters/memory/memory-contact-ledger.js';
import { MemoryDeliveryStats, MemorySendingSwitch } from '../adapters/memory/memory-delivery-stats.js';
import { MemoryExperimentStore } from '../adapters/memory/memory-experiment-store.js';
import { MemoryFeedbackCases, MemoryServiceContacts } from '../adapters/memory/memory-feedback-cases.js';
import { MemoryFileStore } from '../adapters/memory/memory-file-store.js';
import { MemoryImportJobs } from '../adapters/memory/memory-import-jobs.js';
import { MemoryMailer } from '../adapters/memory/memory-mailer.js';
import { MemoryMemberData } from '../adapters/memory/memory-member-data.js';
import { MemoryMemberRoster } from '../adapters/memory/memory-member-roster.js';
import { MemoryMemberStore } from '../adapters/memory/memory-member-store.js';
import { MemoryModelStore } from '../adapters/memory/memory-model-store.js';
import { MemoryPopularityStore } from '../adapters/memory/memory-popularity-store.js';
import { MemoryPurchaseStore } from '../adapters/memory/memory-purchase-store.js';
import { MemoryReceiptArchive } from '../adapters/memory/memory-receipt-archive.js';
import { MemoryRoleStore } from '../adapters/memory/memory-role-store.js';
import { MemoryScheduler } from '../adapters/memory/memory-scheduler.js';
import { MemoryCaseAlerts, MemoryClock, MemoryLogger, MemoryMetrics } from '../adapters/memory/memory-signals.js';
import { MemorySuppressionList } from '../adapters/memory/memory-suppression-list.js';
import { MemorySurveyResponses } from '../adapters/memory/memory-survey-responses.js';
import { MemoryTable } from '../adapters/memory/memory-table.js';
import { MemoryWorkQueue } from '../adapters/memory/memory-work-queue.js';
import type { Deps } from '../app/deps.js';
import { DEFAULT_IMPORT_SETTINGS } from '../app/import-settings.js';
import { DEFAULT_SEND_SETTINGS } from '../app/send-settings.js';
import type { ImportMessage } from '../core/import-job.js';
import type { PlanShardJob, SendJob } from '../core/jobs.js';
import { UNPACED } from '../core/pacer.js';
import { fixedTokenKeys, type TokenKeys } from '../core/tokens.js';

/** The in-memory ports a test reaches into: what was mailed, queued, scheduled, logged, and the clock. */
export interface MemorySystem {
  readonly deps: Deps;
  readonly table: MemoryTable;
  readonly clock: MemoryClock;
  readonly mailer: MemoryMailer;
  readonly accessTokens: MemoryAccessTokens;
  readonly roles: MemoryRoleStore;
  readonly planShardQueue: MemoryWorkQueue<PlanShardJob>;
  readonly sendQueue: MemoryWorkQueue<SendJob>;
  readonly importQueue: MemoryWorkQueue<ImportMessage>;
  readonly scheduler: MemoryScheduler;
  /** Automations' recurring schedules, armed and disarmed (a test runs an occurrence itself). */
  readonly recurring: MemoryRecurringScheduler;
  readonly log: MemoryLogger;
  readonly caseAlerts: MemoryCaseAlerts;
  readonly identities: LocalEmailIdentities;
  readonly dns: LocalDnsTxt;
  /** Marketers' accounts (the local issuer's users, without a file: in memory). */
  readonly directory: LocalUsers;
}

export const MEMORY_TOKEN_KEYS: TokenKeys = {
  current: 'k1',
  keys: { k1: 'memory-token-key-0123456789abcdef0123456789abcdef' },
};

/**
 * Every port of `Deps` on its in-memory adapter (lambdas/adapters/memory/), sharing one MemoryTable:
 * the use cases and the HTTP app (`createHttpApp(deps).request(…)`) run in-process with no emulator,
 * in milliseconds. The contract tests (tests/contracts/) hold these adapters to what the DynamoDB
 * ones do (docs/decisions/0047-in-memory-adapters.md). Any port can be replaced through `overrides`.
 */
export function memoryDeps(overrides: Partial<Deps> = {}): MemorySystem {
  const table = new MemoryTable();
  const clock = new MemoryClock();
  const mailer = new MemoryMailer();
  const accessTokens = new MemoryAccessTokens();
  const roles = new MemoryRoleStore();
  const planShardQueue = new MemoryWorkQueue<PlanShardJob>();
  const sendQueue = new MemoryWorkQueue<SendJob>();
  const importQueue = new MemoryWorkQueue<ImportMessage>();
  const scheduler = new MemoryScheduler();
  const recurring = new MemoryRecurringScheduler();
  const log = new MemoryLogger();
  const caseAlerts = new MemoryCaseAlerts();
  const identities = new LocalEmailIdentities([]);
  const dns = new LocalDnsTxt();
  const directory = new LocalUsers();
  const deps: Deps = {
    clubs: new MemoryClubStore(table),
    campaigns: new MemoryCampaignStore(table),
    members: new MemoryMemberStore(table),
    memberData: new MemoryMemberData(table),
    suppressions: new MemorySuppressionList(),
    purchases: new MemoryPurchaseStore(table),
    receiptArchive: new MemoryReceiptArchive(),
    memberRoster: new MemoryMemberRoster(table),
    popularity: new MemoryPopularityStore(),
    models: new MemoryModelStore(),
    experiments: new MemoryExperimentStore(table),
    ledger: new MemoryContactLedger(table),
    mailer,
    planShardQueue,
    sendQueue,
    scheduler,
    automations: new MemoryAutomationStore(table),
    recurring,
    clock,
    tokenKeys: fixedTokenKeys(MEMORY_TOKEN_KEYS),
    publicBaseUrl: 'http://localhost:3000',
    log,
    deliveryStats: new MemoryDeliveryStats(),
    sending: new MemorySendingSwitch(),
    pacer: UNPACED,
    sendSettings: { ...DEFAULT_SEND_SETTINGS, catalogTtlMs: 0 },
    accessTokens,
    roles,
    // The local issuer's users without a file are in memory already: the directory's in-memory adapter.
    directory,
    audit: new MemoryAuditTrail(),
    sendingDomains: { mode: 'any' },
    identities,
    dns,
    surveys: new MemorySurveyResponses(table),
    feedbackCases: new MemoryFeedbackCases(table),
    serviceContacts: new MemoryServiceContacts(table),
    caseAlerts,
    metrics: new MemoryMetrics(),
    files: new MemoryFileStore(),
    importJobs: new MemoryImportJobs(),
    importQueue,
    importSettings: DEFAULT_IMPORT_SETTINGS,
    memberDirectory: new MemoryMemberDirectory(table),
    snapshots: new MemorySnapshotStore(),
    outcomes: new MemoryCampaignOutcomes(table),
    ...overrides,
  };
  return {
    deps,
    table,
    clock,
    mailer,
    accessTokens,
    roles,
    planShardQueue,
    sendQueue,
    importQueue,
    scheduler,
    recurring,
    log,
    caseAlerts,
    identities,
    dns,
    directory,
  };
}
