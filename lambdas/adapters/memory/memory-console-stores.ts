import type {
  CampaignOutcomes,
  MemberDirectory,
  MemberListing,
  SentMail,
  SnapshotHeader,
  SnapshotKind,
  SnapshotRows,
  SnapshotStore,
} from '../../core/console-ports.js';
import { shardOf } from '../../core/jobs.js';
import { copy, keyOf, MemoryTable } from './memory-table.js';

type RunRef = Pick<SnapshotHeader, 'clubId' | 'kind' | 'campaignId' | 'runId'>;

/** The console's snapshots: headers written only over the version read, rows per run in key order. */
export class MemorySnapshotStore implements SnapshotStore {
  private readonly headers = new Map<string, SnapshotHeader>();
  private readonly runs = new Map<string, Map<string, SnapshotRows>>();

  async getHeader(clubId: string, kind: SnapshotKind, campaignId: string): Promise<SnapshotHeader | undefined> {
    const header = this.headers.get(keyOf(clubId, kind, campaignId));
    return header && copy(header);
  }

  /** The table's condition: no header yet when `expectedVersion` is undefined, else that version. */
  async putHeader(header: SnapshotHeader, expectedVersion: number | undefined): Promise<'written' | 'changed'> {
    const key = keyOf(header.clubId, header.kind, header.campaignId);
    const stored = this.headers.get(key);
    if (expectedVersion === undefined ? stored !== undefined : stored?.version !== expectedVersion) return 'changed';
    this.headers.set(key, copy(header));
    return 'written';
  }

  async putRows(run: RunRef, rows: readonly SnapshotRows[]): Promise<void> {
    const key = keyOf(run.clubId, run.kind, run.campaignId, run.runId);
    const stored = this.runs.get(key) ?? new Map<string, SnapshotRows>();
    for (const r of rows) stored.set(r.key, copy(r));
    this.runs.set(key, stored);
  }

  /** Keys compared as the table's sort key compares them (code units), `from` inclusive. */
  async listRows(
    run: RunRef,
    prefix: string,
    from: string | undefined,
    limit: number,
  ): Promise<{ rows: SnapshotRows[]; more: boolean }> {
    const stored = this.runs.get(keyOf(run.clubId, run.kind, run.campaignId, run.runId));
    const keys = [...(stored?.keys() ?? [])]
      .filter((k) => (from === undefined ? k.startsWith(prefix) : k >= from && k <= `${prefix}\uffff`))
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const rows = keys.slice(0, limit).flatMap((k) => {
      const found = stored?.get(k);
      return found ? [copy(found)] : [];
    });
    return { rows, more: keys.length > limit };
  }
}

/** Member search and counts over the shared table's members (all of them at once: no slices to page). */
export class MemoryMemberDirectory implements MemberDirectory {
  constructor(private readonly table: MemoryTable = new MemoryTable()) {}

  async search(clubId: string, query: string): Promise<{ members: MemberListing[]; scanned: number }> {
    const wanted = query.trim().toLowerCase();
    const all = MemoryTable.under(this.table.members, clubId);
    const members = all
      .filter((m) => m.memberId === query.trim() || m.firstName.toLowerCase().startsWith(wanted))
      .map((m) => ({ memberId: m.memberId, firstName: m.firstName }))
      .sort((a, b) => a.firstName.localeCompare(b.firstName) || a.memberId.localeCompare(b.memberId));
    return { members, scanned: all.length };
  }

  async count(clubId: string): Promise<number> {
    return MemoryTable.under(this.table.members, clubId).length;
  }
}

/** What a campaign's mails did, from the shared table's send records and decisions, per decision shard. */
export class MemoryCampaignOutcomes implements CampaignOutcomes {
  private readonly clicks = new Map<string, string>();

  constructor(private readonly table: MemoryTable = new MemoryTable()) {}

  async noteClick(
    clubId: string,
    campaignId: string,
    memberId: string,
    at: Date,
  ): Promise<'first' | 'again' | 'unknown'> {
    if (!this.table.sends.get(keyOf(clubId, campaignId))?.has(memberId)) return 'unknown';
    const key = keyOf(clubId, campaignId, memberId);
    if (this.clicks.has(key)) return 'again';
    this.clicks.set(key, at.toISOString());
    return 'first';
  }

  /** One page holds the whole shard: there is no read limit to page around here. */
  async sends(clubId: string, campaignId: string, shard: number): Promise<{ mails: SentMail[] }> {
    const records = [...(this.table.sends.get(keyOf(clubId, campaignId)) ?? [])];
    const mails = records
      .filter(([memberId]) => shardOf(memberId) === shard)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([memberId, record]): SentMail => {
        const sentAt = 'at' in record.delivery ? record.delivery.at : undefined;
        const clickedAt = this.clicks.get(keyOf(clubId, campaignId, memberId));
        return {
          memberId,
          state: record.delivery.state,
          ...(sentAt ? { sentAt } : {}),
          ...(clickedAt ? { clickedAt } : {}),
        };
      });
    return { mails };
  }

  async holdouts(
    clubId: string,
    campaignId: string,
    shard: number,
  ): Promise<{ members: Array<{ memberId: string; decidedAt: string }>; planned: number }> {
    const decided = [...(this.table.decisions.get(keyOf(clubId, campaignId)) ?? [])]
      .filter(([memberId]) => shardOf(memberId) === shard)
      .sort(([a], [b]) => (a < b ? -1 : 1));
    const members = decided
      .filter(([, { decision }]) => decision.outcome === 'suppress' && decision.reason === 'holdout')
      .map(([memberId, { decidedAt }]) => ({ memberId, decidedAt }));
    return { members, planned: decided.length };
  }
}
