import type { AccessTokenVerifier, AuditTrail, IdentityDirectory, RoleStore } from '../core/access-ports.js';
import type { AutomationStore, RecurringScheduler } from '../core/automation-ports.js';
import type { CampaignOutcomes, MemberDirectory, SnapshotStore } from '../core/console-ports.js';
import type { ExperimentStore } from '../core/experiment-ports.js';
import type { CaseAlerts, FeedbackCases, Metrics, ServiceContacts, SurveyResponses } from '../core/feedback-ports.js';
import type { MemberRoster, ReceiptArchive } from '../core/fit-ports.js';
import type { ImportMessage } from '../core/import-job.js';
import type { FileStore, ImportJobStore } from '../core/import-ports.js';
import type { PlanShardJob, SendJob } from '../core/jobs.js';
import type {
  CampaignStore,
  Clock,
  ClubStore,
  ContactLedger,
  DeliveryStats,
  Logger,
  Mailer,
  MemberDataStore,
  MemberStore,
  ModelStore,
  PopularityStore,
  PurchaseStore,
  Scheduler,
  SendingSwitch,
  SuppressionList,
  WorkQueue,
} from '../core/ports.js';
import type { SenderRules } from '../core/sender-domain.js';
import type { DnsTxt, EmailIdentities } from '../core/sending-identity.js';
import type { TokenKeySource } from '../core/tokens.js';
import type { ImportFaults, ImportSettings } from './import-settings.js';
import type { SendSettings, SendStep } from './send-settings.js';

/** Everything the use cases need, built once per cold start (lambdas/runtime) or by the local runtime. */
export interface Deps {
  readonly clubs: ClubStore;
  readonly campaigns: CampaignStore;
  readonly members: MemberStore;
  /** All of one member's data, for GDPR export and erasure. */
  readonly memberData: MemberDataStore;
  /** Keyed hashes of erased members' addresses. */
  readonly suppressions: SuppressionList;
  readonly purchases: PurchaseStore;
  /** Accepted receipts as date-partitioned Parquet files: the nightly model fit's input. */
  readonly receiptArchive: ReceiptArchive;
  /** Subscribed members' ids, for the nightly fit's member snapshot. */
  readonly memberRoster: MemberRoster;
  readonly popularity: PopularityStore;
  readonly models: ModelStore;
  /** The club's policy experiment, its members' arms and the simulator's prediction (core/experiment.ts). */
  readonly experiments: ExperimentStore;
  readonly ledger: ContactLedger;
  readonly mailer: Mailer;
  readonly planShardQueue: WorkQueue<PlanShardJob>;
  readonly sendQueue: WorkQueue<SendJob>;
  readonly scheduler: Scheduler;
  /** Recurring automations (core/automation.ts); their runs are campaigns. */
  readonly automations: AutomationStore;
  /** Their recurring schedules: EventBridge Scheduler cron schedules on AWS, timers locally. */
  readonly recurring: RecurringScheduler;
  readonly clock: Clock;
  /** The member-link keys, read on each use (a rotated key reaches warm containers); see core/tokens.ts. */
  readonly tokenKeys: TokenKeySource;
  /** Where member pages live, for links in mail (no trailing slash). */
  readonly publicBaseUrl: string;
  readonly log: Logger;
  /** SEND evidence and the counters behind bounce and complaint rates. */
  readonly deliveryStats: DeliveryStats;
  /** The circuit breakers: SES paused the account, or the club's rates paused the club. */
  readonly sending: SendingSwitch;
  /** Keeps this instance under its share of the account's send rate. */
  readonly pacer: { take(): Promise<void> };
  readonly sendSettings: SendSettings;
  /** Verifies marketers' bearer tokens (the api function; the others get one that refuses all). */
  readonly accessTokens: AccessTokenVerifier;
  /** Marketers' roles per club. */
  readonly roles: RoleStore;
  /** Marketers' accounts: invitations to a club's team. */
  readonly directory: IdentityDirectory;
  /** Who did what on each club. */
  readonly audit: AuditTrail;
  /** Which domains each club may send from (SENDING_DOMAINS; docs/decisions/0030-club-sender-and-sender-check.md). */
  readonly sendingDomains: SenderRules;
  /** SES's status of a sending domain (GetEmailIdentity): read by the api function only. */
  readonly identities: EmailIdentities;
  /** DNS TXT lookups of the sender check (DMARC, SPF): the api function only. */
  readonly dns: DnsTxt;
  /** Survey responses, their NPS rows and comment topics (core/feedback-ports.ts). */
  readonly surveys: SurveyResponses;
  /** Follow-up cases of detractors' answers. */
  readonly feedbackCases: FeedbackCases;
  /** Members' complaints and service cases, which hold surveys back a while. */
  readonly serviceContacts: ServiceContacts;
  /** Tells a case's owner of a new case: SNS on AWS, a mail locally. */
  readonly caseAlerts: CaseAlerts;
  /** Numbers for alarms (the overdue-case check's). */
  readonly metrics: Metrics;
  /** The console's member search and counts. */
  readonly memberDirectory: MemberDirectory;
  /** The console's dry-run and report snapshots. */
  readonly snapshots: SnapshotStore;
  /** Clicks per campaign mail, and what a campaign's mails did, for its report. */
  readonly outcomes: CampaignOutcomes;
  /** Tests only: stop the worker at a step of the send protocol, as a crash would. */
  readonly faults?: (step: SendStep, job: SendJob) => Promise<void>;
  /** Import files and their parts: S3 on AWS, a folder under .data/ locally. */
  readonly files: FileStore;
  /** Import jobs and the plans of their chunks. */
  readonly importJobs: ImportJobStore;
  /** Steps of import jobs: read the file, process a chunk, finish. */
  readonly importQueue: WorkQueue<ImportMessage>;
  readonly importSettings: ImportSettings;
  /** Tests only: stop an import worker after a step, as a crash would. */
  readonly importFaults?: ImportFaults;
}
