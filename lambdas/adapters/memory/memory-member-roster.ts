import type { MemberRoster } from '../../core/fit-ports.js';
import { MEMBER_SHARDS } from '../../core/jobs.js';
import { BUCKETS_PER_PARTITION, slotOf } from '../../core/member-slots.js';
import { MemoryTable } from './memory-table.js';

/** Subscribed members' ids by index partition, from the shared table: the in-memory twin of DynamoDbMemberRoster. */
export class MemoryMemberRoster implements MemberRoster {
  readonly partitions = MEMBER_SHARDS;

  constructor(
    private readonly table: MemoryTable = new MemoryTable(),
    /** Ids per page, as the table's adapter reads 1000 items per query. */
    private readonly pageSize = 1000,
  ) {}

  /** Exact here: the table's adapter counts a sample of the index and scales it up. */
  async estimate(clubId: string): Promise<number> {
    return MemoryTable.under(this.table.members, clubId).length;
  }

  async subscribed(
    clubId: string,
    partition: number,
    cursor: string | undefined,
  ): Promise<{ memberIds: string[]; cursor?: string }> {
    const inPartition = MemoryTable.under(this.table.members, clubId)
      .filter((m) => Math.floor(slotOf(m.memberId) / BUCKETS_PER_PARTITION) === partition)
      .sort((a, b) => slotOf(a.memberId) - slotOf(b.memberId) || (a.memberId < b.memberId ? -1 : 1));
    const start = cursor === undefined ? 0 : Number.parseInt(cursor, 10) || 0;
    const page = inPartition.slice(start, start + this.pageSize);
    const next = start + page.length;
    return {
      memberIds: page.filter((m) => m.subscription === 'subscribed').map((m) => m.memberId),
      ...(next < inPartition.length ? { cursor: String(next) } : {}),
    };
  }
}
