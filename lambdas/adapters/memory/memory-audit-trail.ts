import type { AuditTrail } from '../../core/access-ports.js';
import { AuditEntry, type AuditQuery } from '../../core/audit.js';
import { copy } from './memory-table.js';

/** The audit trail per club in arrays, newest first by cursor: the in-memory twin of DynamoDbAuditTrail. */
export class MemoryAuditTrail implements AuditTrail {
  /** Entries by club, each with its place (`<ISO time>#<sequence>`, the shape of the table's sort key). */
  private readonly trails = new Map<string, Array<{ sk: string; entry: AuditEntry }>>();
  private sequence = 0;

  async record(entry: AuditEntry): Promise<void> {
    const parsed = AuditEntry.parse(entry);
    this.sequence += 1;
    const sk = `${new Date(parsed.at).toISOString()}#${this.sequence.toString().padStart(12, '0')}`;
    const trail = this.trails.get(parsed.clubId) ?? [];
    trail.push({ sk, entry: copy(parsed) });
    this.trails.set(parsed.clubId, trail);
  }

  async list(clubId: string, query: AuditQuery): Promise<{ entries: AuditEntry[]; cursor?: string }> {
    const newestFirst = [...(this.trails.get(clubId) ?? [])].sort((a, b) => (a.sk < b.sk ? 1 : -1));
    const after = query.cursor === undefined ? newestFirst : newestFirst.filter((e) => e.sk < (query.cursor ?? ''));
    const page = after.slice(0, query.limit);
    const last = page.at(-1);
    return {
      entries: copy(page.map((e) => e.entry)),
      ...(after.length > query.limit && last ? { cursor: last.sk } : {}),
    };
  }
}
