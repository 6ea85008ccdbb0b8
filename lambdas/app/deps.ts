import type { MemberRoster, ReceiptArchive } from '../core/fit-ports.js';
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
import type { TokenKeys } from '../core/tokens.js';
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
  readonly ledger: ContactLedger;
  readonly mailer: Mailer;
  readonly planShardQueue: WorkQueue<PlanShardJob>;
  readonly sendQueue: WorkQueue<SendJob>;
  readonly scheduler: Scheduler;
  readonly clock: Clock;
  readonly tokenKeys: TokenKeys;
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
  /** Tests only: stop the worker at a step of the send protocol, as a crash would. */
  readonly faults?: (step: SendStep, job: SendJob) => Promise<void>;
}
