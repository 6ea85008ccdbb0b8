/**
 * The ports the marketer console reads beside the domain's own (ports.ts):
 * docs/decisions/0034-forecasts-and-the-explorer.md and 0035-campaign-report.md.
 */

/** A member as a search lists them. */
export interface MemberListing {
  readonly memberId: string;
  readonly firstName: string;
}

/** Finding members by id or first name, and how many a club has. */
export interface MemberDirectory {
  /**
   * Members whose id is `query` or whose first name starts with it (any case), looking at a bounded
   * slice of the club per call: `cursor` continues where the last call stopped; none when all is seen.
   */
  search(
    clubId: string,
    query: string,
    cursor: string | undefined,
  ): Promise<{ members: MemberListing[]; scanned: number; cursor?: string }>;
  /** How many members the club has (counted, and remembered a few minutes). */
  count(clubId: string): Promise<number>;
}

/**
 * What a snapshot is of: who gets a campaign (the explorer), what it did (the report), or a slice's
 * tallies of the club's experiment report (`campaignId` is then the experiment's id).
 */
export type SnapshotKind = 'dry-run' | 'report' | 'experiment';

/** A snapshot's header: its run, a version for optimistic writes, and the use case's own state. */
export interface SnapshotHeader {
  readonly clubId: string;
  readonly kind: SnapshotKind;
  readonly campaignId: string;
  readonly runId: string;
  /** Bumped by every write; a write names the version it read. */
  readonly version: number;
  readonly state: unknown;
}

/** A batch of rows under one key of a run, e.g. the members one page held back for one reason. */
export interface SnapshotRows {
  readonly key: string;
  readonly rows: readonly unknown[];
}

/**
 * Results worked out a slice at a time and kept for a week (docs/decisions/0034): one header per
 * campaign and kind, and row batches of the run in key order.
 */
export interface SnapshotStore {
  getHeader(clubId: string, kind: SnapshotKind, campaignId: string): Promise<SnapshotHeader | undefined>;
  /** Write the header if it is still at `expectedVersion` (undefined: there is none yet). */
  putHeader(header: SnapshotHeader, expectedVersion: number | undefined): Promise<'written' | 'changed'>;
  putRows(
    header: Pick<SnapshotHeader, 'clubId' | 'kind' | 'campaignId' | 'runId'>,
    rows: readonly SnapshotRows[],
  ): Promise<void>;
  /** Row batches whose key starts with `prefix`, from the key `from` on (inclusive), at most `limit` batches. */
  listRows(
    header: Pick<SnapshotHeader, 'clubId' | 'kind' | 'campaignId' | 'runId'>,
    prefix: string,
    from: string | undefined,
    limit: number,
  ): Promise<{ rows: SnapshotRows[]; more: boolean }>;
}

/** A mail as its send record has it. */
export interface SentMail {
  readonly memberId: string;
  /** The delivery state (sent, bounced, complained…) and when it was sent. */
  readonly state: string;
  readonly sentAt?: string;
  /** The member's first click in this mail, if any. */
  readonly clickedAt?: string;
}

/** What a campaign's mails did, per decision shard, for its report. */
export interface CampaignOutcomes {
  /** Note a click in a campaign mail; 'first' only for the member's first click in it. */
  noteClick(clubId: string, campaignId: string, memberId: string, at: Date): Promise<'first' | 'again' | 'unknown'>;
  /** A page of the campaign's send records in one decision shard. */
  sends(
    clubId: string,
    campaignId: string,
    shard: number,
    cursor: string | undefined,
  ): Promise<{ mails: SentMail[]; cursor?: string }>;
  /**
   * A page of one decision shard's decisions: the members held out (and when), and how many
   * decisions the page looked at (every member planned).
   */
  holdouts(
    clubId: string,
    campaignId: string,
    shard: number,
    cursor: string | undefined,
  ): Promise<{ members: Array<{ memberId: string; decidedAt: string }>; planned: number; cursor?: string }>;
}
