import type { SavedAudience } from './audience.js';
import type { BudgetRules } from './budget.js';
import type { ClubModel } from './club-model.js';
import type { Decision } from './decision.js';
import type { Restriction } from './diet.js';
import type { Assignment } from './experiment.js';
import type { PlanTally } from './jobs.js';
import type { ClaimOutcome, Ledger } from './ledger.js';
import type { PlanShard } from './member-slots.js';
import type { AddressBlock, MemberSyncWrite } from './member-sync.js';
import type {
  Campaign,
  CampaignStatus,
  Club,
  Consent,
  Deliverability,
  Frequency,
  Language,
  Member,
  Offer,
  Preferences,
  Product,
} from './model.js';
import type { PurchaseProfile } from './profile.js';
import type { Result } from './result.js';
import type { Delivery } from './send-protocol.js';
import type { Theme } from './theme-library.js';
import type { FewerKey } from './vocabulary.js';

/** Club settings and catalog: brand profile, products, offers. */
export interface ClubStore {
  putClub(club: Club): Promise<void>;
  /** Store a new club; 'exists' when the id is taken (two creators never overwrite each other). */
  createClub(club: Club): Promise<'created' | 'exists'>;
  getClub(clubId: string): Promise<Club | undefined>;
  putProducts(clubId: string, products: readonly Product[]): Promise<void>;
  putOffers(clubId: string, offers: readonly Offer[]): Promise<void>;
  getCatalog(clubId: string): Promise<{ products: Product[]; offers: Offer[] }>;
  /** The club's own themes (lambdas/core/theme-library.ts), beside the built-in ones. */
  putTheme(clubId: string, theme: Theme): Promise<void>;
  listThemes(clubId: string): Promise<Theme[]>;
  /** The club's saved audiences (lambdas/core/audience.ts). */
  putAudience(audience: SavedAudience): Promise<void>;
  listAudiences(clubId: string): Promise<SavedAudience[]>;
  deleteAudience(clubId: string, audienceId: string): Promise<void>;
}

/** Everything the planner and the sender need about one member, read in one request. */
export interface MemberState {
  readonly member: Member;
  readonly profile: PurchaseProfile;
  readonly ledger: Ledger;
  /** The member's stored arms in the club's policy experiments (core/experiment.ts), one per experiment. */
  readonly assignments?: readonly Assignment[];
}

export interface MemberPage {
  readonly states: MemberState[];
  readonly cursor?: string;
}

/** Members, their purchase profiles and preferences. */
export interface MemberStore {
  /** Write a member whole (seeding and tests); imports go through createMember and syncMember. */
  putMember(member: Member): Promise<void>;
  /** Members by id (strongly consistent), for an import to compare against; absent ids are left out. */
  getMembers(clubId: string, memberIds: readonly string[]): Promise<Map<string, Member>>;
  /** Store a new member; 'exists' (and nothing written) when the id is taken. */
  createMember(member: Member): Promise<'created' | 'exists'>;
  /**
   * Apply an import's change to a member that exists: club-owned fields, consent events appended to
   * the history, a renewed subscription. 'conflict' when the history or the member's language choice
   * changed since the plan was made (read again and re-plan); nothing is written then.
   */
  syncMember(
    clubId: string,
    memberId: string,
    write: MemberSyncWrite,
    at: Date,
  ): Promise<'updated' | 'conflict' | 'not-found'>;
  putProfile(clubId: string, memberId: string, profile: PurchaseProfile): Promise<void>;
  /** Many profiles at once (an import's group of members). */
  putProfiles(clubId: string, profiles: ReadonlyArray<{ memberId: string; profile: PurchaseProfile }>): Promise<void>;
  getState(clubId: string, memberId: string): Promise<MemberState | undefined>;
  /** The member and the ledger only (no profile): what the send worker needs, at half a read unit. */
  getForSend(
    clubId: string,
    memberId: string,
    options?: { consistent?: boolean },
  ): Promise<{ member: Member; ledger: Ledger } | undefined>;
  /** A hard bounce, a complaint or too many soft bounces; never moves back to 'ok'. */
  markUndeliverable(
    clubId: string,
    memberId: string,
    deliverability: Exclude<Deliverability, 'ok'>,
    at: Date,
    detail: string,
  ): Promise<'changed' | 'unchanged'>;
  /** Note a soft bounce once per sendId; returns how many fell within the last `days`. */
  recordSoftBounce(clubId: string, memberId: string, sendId: string, at: Date, days: number): Promise<number>;
  /** A click: moves lastEngagedAt forward only. */
  noteEngagement(clubId: string, memberId: string, at: Date): Promise<void>;
  /** A page of one plan shard's members (a bare number: one of the 16 index partitions). */
  listShard(clubId: string, shard: number | PlanShard, cursor: string | undefined, limit: number): Promise<MemberPage>;
  /**
   * Unsubscribe from all marketing: flips `subscription` and appends a withdrawal to the consent
   * history in one conditional write. Idempotent: one withdrawal however often it is called.
   */
  unsubscribe(clubId: string, memberId: string, at: Date, source: string): Promise<'changed' | 'unchanged'>;
  /**
   * Change the member's own choices in one conditional write on the member item, stamping when and
   * from where. `rejectInference` adds one restriction to `rejectedInferences` (once).
   */
  updatePreferences(
    clubId: string,
    memberId: string,
    patch: PreferencesPatch,
    at: Date,
    via: string,
  ): Promise<'updated' | 'not-found'>;
}

/** What a member may change on their preference page; absent fields stay as they are. */
export interface PreferencesPatch {
  readonly frequency?: Frequency;
  readonly topics?: Preferences['topics'];
  readonly declaredRestrictions?: readonly Restriction[];
  readonly rejectInference?: Restriction;
  /** A theme or topic the member wants fewer mails of (a mail's "fewer mails like this"); added once. */
  readonly addFewer?: FewerKey;
  /** An ISO time to pause until, or null to resume. */
  readonly pausedUntil?: string | null;
  readonly nameDayMail?: boolean;
  readonly unsubscribeConfirmation?: boolean;
  readonly language?: Language;
}

/** Everything stored about one member, as it is stored (GDPR Art. 15 and 20). */
export interface MemberData {
  readonly member: Member;
  /** Every grant and withdrawal of consent, oldest first. */
  readonly consentHistory: readonly Consent[];
  readonly profile: PurchaseProfile | undefined;
  readonly ledger: Ledger | undefined;
  /** The member's arm in each policy experiment of the club (core/experiment.ts). */
  readonly experimentArms?: readonly Assignment[];
  readonly withdrawals: ReadonlyArray<{ readonly scope: string; readonly at: string; readonly source: string }>;
  readonly receipts: readonly Receipt[];
  readonly decisions: ReadonlyArray<{
    readonly campaignId: string;
    readonly decidedAt: string;
    readonly [field: string]: unknown;
  }>;
  /** The send record of each mail: its delivery state, when, and SES's message id. */
  readonly deliveries: ReadonlyArray<{
    readonly campaignId: string;
    readonly state: string;
    readonly [field: string]: unknown;
  }>;
}

/** Reads and deletes all of one member's data: their partition, their receipts and their plan decisions. */
export interface MemberDataStore {
  collect(clubId: string, memberId: string): Promise<MemberData | undefined>;
  /** Delete it all; returns how many items went. Idempotent: a second call deletes nothing. */
  erase(clubId: string, memberId: string): Promise<{ deletedItems: number }>;
}

export type SuppressionReason = AddressBlock['reason'];

/**
 * Addresses that must not be mailed under any member id, as keyed hashes only: erased members (GDPR
 * Art. 17), hard bounces, complaints and withdrawals of consent (docs/decisions/0020-member-sync.md).
 */
export interface SuppressionList {
  /**
   * Idempotent; `reason` defaults to 'erased'. A stronger reason replaces a weaker one (erased >
   * complaint > hard-bounce > withdrawn); a lifted entry is put in force again. `grantSources` are
   * the sources of the grants a withdrawal ended: a renewed grant must name another.
   */
  add(
    clubId: string,
    email: string,
    at: Date,
    source: string,
    reason?: SuppressionReason,
    grantSources?: readonly string[],
  ): Promise<void>;
  /** Whether an entry is in force for the address. */
  has(clubId: string, email: string): Promise<boolean>;
  /** The entries in force for the given addresses, keyed by the address as given. */
  find(clubId: string, emails: readonly string[]): Promise<Map<string, AddressBlock>>;
  /**
   * A renewed grant newer than the entry lifts it (never a hard bounce): the hash stays, marked lifted
   * with when and by what source. False when there was nothing to lift.
   */
  lift(clubId: string, email: string, grant: { readonly at: string; readonly source: string }): Promise<boolean>;
  /** The keyed hash an address is stored by, for records that must not hold the address. */
  hash(email: string): Promise<string>;
}

/** One shopping trip of one member, as ingested. */
export interface Receipt {
  readonly receiptId: string;
  readonly memberId: string;
  readonly at: string;
  /** `amount`: what the line cost in the club's currency, when the till sent it (spend rules). */
  readonly items: ReadonlyArray<{ readonly productId: string; readonly quantity: number; readonly amount?: number }>;
}

/**
 * Raw receipts: the source the purchase profile is rebuilt from, each kept until its purchase date
 * plus the retention period (docs/retention.md).
 */
export interface PurchaseStore {
  /** Write receipts whole, replacing a stored version with the same id (idempotent). */
  putReceipts(clubId: string, receipts: readonly Receipt[]): Promise<void>;
  listReceipts(clubId: string, memberId: string): Promise<Receipt[]>;
}

/** How many trips each product was bought on, club-wide: the fallback signal for thin histories. */
export interface PopularityStore {
  /** Add trip counts per product (seeding; imports use addOnce). */
  add(clubId: string, trips: ReadonlyMap<string, number>): Promise<void>;
  /**
   * Add trip counts (negative ones too) exactly once for `applyId`, however often it is called: each
   * counter item remembers the ids applied to it until `forget` (docs/decisions/0021-bulk-import.md).
   */
  addOnce(clubId: string, trips: ReadonlyMap<string, number>, applyId: string): Promise<void>;
  /** Drop the memory of `applyId` once nothing can apply it again. */
  forget(clubId: string, applyId: string): Promise<void>;
  /** Popularity per product, 1 for the most bought product. */
  get(clubId: string): Promise<Map<string, number>>;
  /** The raw trip counts per product. */
  counts(clubId: string): Promise<Map<string, number>>;
}

/** The club's fitted next-basket model (lambdas/core/club-model.ts), replaced whole by each fit. */
export interface ModelStore {
  put(clubId: string, model: ClubModel): Promise<void>;
  get(clubId: string): Promise<ClubModel | undefined>;
}

/** The send ledger: claims a mail and checks the member's budget in one conditional write. */
export interface ContactLedger {
  claim(request: {
    clubId: string;
    memberId: string;
    sendId: string;
    campaignId: string;
    now: Date;
    /** The club's budget as it applies to this member (with the passive windows when passive). */
    policy: BudgetRules;
    frequency: Frequency;
    kind?: 'offers' | 'survey';
    /** SendIds of offers folded into this mail (core/fold.ts): marked folded in the same write. */
    folds?: readonly string[];
    /**
     * The ledger as the caller just read it (maybe eventually consistent): the first attempt judges
     * on it and saves a read; the version check catches a stale one, and the retry reads afresh.
     */
    ledger?: Ledger;
  }): Promise<ClaimOutcome>;
  /**
   * Give a claim back for good (the mail is dropped): it no longer counts toward the budget, and it
   * stays as a tombstone so a later delivery of the same job stops instead of claiming again.
   */
  release(request: { clubId: string; memberId: string; sendId: string }): Promise<void>;
  /**
   * Leave held-back `campaignId`'s offer for `into`'s mail (a pending fold, ADR 0054) in one conditional
   * ledger write, judged first on the planner's `ledger` as a claim is. 'unchanged': its sendId is in the
   * ledger already (mailed, folded, given back), or the same fold waits already.
   */
  leaveFold(request: {
    clubId: string;
    memberId: string;
    campaignId: string;
    into: string;
    now: Date;
    ledger?: Ledger;
  }): Promise<'left' | 'unchanged'>;
}

export type { Delivery } from './send-protocol.js';

export interface DecisionRecord {
  readonly decision: Decision;
  readonly decidedAt: string;
  readonly delivery?: Delivery;
}

/** Campaigns, their lifecycle and the per-member decisions of a plan. */
export interface CampaignStore {
  createCampaign(campaign: Campaign): Promise<'created' | 'exists'>;
  getCampaign(clubId: string, campaignId: string): Promise<Campaign | undefined>;
  /** Every campaign the club ever had: for tools and the full list; a window reads campaignsBetween. */
  listCampaigns(clubId: string): Promise<Campaign[]>;
  /**
   * The club's campaigns sending from `from` to `to` (both included; no `to`: from `from` on), read by
   * send time (docs/decisions/0059): what a calendar, a forecast or a plan needs, not every campaign.
   */
  campaignsBetween(clubId: string, from: Date, to?: Date): Promise<Campaign[]>;
  /**
   * The club's campaigns newest first by send time, `limit` at a time; `after` is the previous page's
   * `next` (a campaign's place: `campaignPlace`). No `next` on the last page.
   */
  campaignPage(clubId: string, limit: number, after?: string): Promise<{ campaigns: Campaign[]; next?: string }>;
  /**
   * Write the campaign whole, if it is still as the caller read it (its `updatedAt` and `status`
   * unchanged): edits and approval steps, which must not overwrite one another.
   */
  replaceCampaign(
    campaign: Campaign,
    expected: Pick<Campaign, 'updatedAt' | 'status'>,
  ): Promise<'replaced' | 'changed'>;
  /** Move to `to` only from one of `from`; returns the campaign as it is afterwards, or the unchanged one. */
  transition(
    clubId: string,
    campaignId: string,
    from: readonly CampaignStatus[],
    to: CampaignStatus,
    now: Date,
    patch?: Partial<Pick<Campaign, 'shardCount' | 'sendAt' | 'brandFitOverride'>>,
  ): Promise<Result<{ campaign: Campaign }, { campaign: Campaign | undefined }>>;
  /**
   * Store a finished plan shard's tally and note it done, in groups of about √S shards so that no item
   * is written by every shard (lambdas/core/member-slots.ts). True for a caller that found every shard
   * done. Idempotent.
   */
  finishShard(clubId: string, campaignId: string, shard: PlanShard, tally: PlanTally): Promise<boolean>;
  /** The finished shards' tallies, summed, and how many shards are done. */
  planTally(clubId: string, campaignId: string): Promise<{ tally: PlanTally; shardsDone: number }>;
  /** The campaign's mails by delivery state, counted a page at a time (memory stays flat at any size). */
  countDeliveries(clubId: string, campaignId: string): Promise<DeliveryCounts>;
  /** Mails of `carrierId` that went out carrying a pending fold of `heldBackId` (ADR 0054), counted page by page. */
  countLateFolds(clubId: string, carrierId: string, heldBackId: string): Promise<number>;
  /** Record a decision once; a replayed plan gets the first decision back (without its delivery: see listDecisions). */
  recordDecision(clubId: string, campaignId: string, decision: Decision, now: Date): Promise<DecisionRecord>;
  /** Move the mail's delivery state up its rank (lambdas/core/send-protocol.ts); 'stale' when it would not go up. */
  recordDelivery(
    clubId: string,
    campaignId: string,
    memberId: string,
    delivery: Delivery,
    /** `lateFolds`, with 'sent': campaigns whose pending fold the mail carried (ADR 0054). */
    extra?: { recipientHash?: string; lateFolds?: readonly string[] },
  ): Promise<'moved' | 'stale'>;
  getDelivery(clubId: string, campaignId: string, memberId: string): Promise<Delivery | undefined>;
  /** Claim the retry of an unknown mail that is still unknown since `since`; true for exactly one caller. */
  takeOverUnknown(
    clubId: string,
    campaignId: string,
    memberId: string,
    since: string,
    now: Date,
    refused?: boolean,
  ): Promise<boolean>;
  listDecisions(clubId: string, campaignId: string): Promise<DecisionRecord[]>;
  /**
   * The decisions (each with its delivery, as `listDecisions`) of these members in the campaign, in no
   * particular order; members the campaign did not decide on are left out. Batched reads: a slice of a
   * club is read without listing the whole campaign.
   */
  decisionsOf(clubId: string, campaignId: string, memberIds: readonly string[]): Promise<DecisionRecord[]>;
}

/** Mails by the state of their send record; a mail decided "send" without one is still queued. */
export interface DeliveryCounts {
  readonly sent: number;
  readonly unknown: number;
  /** Send records still in state "queued". */
  readonly queued: number;
  readonly dropped: Readonly<Record<string, number>>;
  /** Sent mails by what SES said after sending (bounced, complained…), as stored per mail. */
  readonly outcomes: Readonly<Record<string, number>>;
}

export type { BreakerScope, DeliveryStats, SendCounter, SendingSwitch } from './sending-ports.js';

export interface OutgoingMail {
  readonly from: string;
  readonly to: string;
  readonly subject: string;
  readonly html: string;
  readonly text: string;
  readonly headers: ReadonlyArray<{ readonly name: string; readonly value: string }>;
  /** SES message tags, e.g. the sendId that ties SES events back to the claim. */
  readonly tags: Readonly<Record<string, string>>;
}

/** Sends one mail. Throws RetryableMailError for what may work later; other errors are final. */
export interface Mailer {
  send(mail: OutgoingMail): Promise<{ messageId: string }>;
}

/** At-least-once delivery of jobs to a worker. */
export interface WorkQueue<T> {
  /** Queue jobs; `delaySeconds` (0–900, SQS's limit) keeps them invisible that long first. */
  send(jobs: readonly T[], options?: { delaySeconds?: number }): Promise<void>;
}

/** The longest a queue can hold a message back (SQS DelaySeconds). */
export const MAX_QUEUE_DELAY_SECONDS = 900;

/** Starts a campaign's planning at its send time. */
export interface Scheduler {
  schedule(clubId: string, campaignId: string, at: Date): Promise<void>;
  cancel(clubId: string, campaignId: string): Promise<void>;
}

export interface Clock {
  now(): Date;
}

export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}
