import type { ReceiptArchive } from '../../core/fit-ports.js';
import type { Receipt } from '../../core/ports.js';

/** Archived receipts and member snapshots in Maps: the in-memory twin of the S3 and folder archives. */
export class MemoryReceiptArchive implements ReceiptArchive {
  /** Each append as it came, per club. */
  readonly appended = new Map<string, Array<{ readonly ingestedAt: string; readonly receipts: readonly Receipt[] }>>();
  /** Member snapshots per club: snapshot → part → member ids. */
  readonly snapshots = new Map<string, Map<string, Map<number, readonly string[]>>>();

  async append(clubId: string, receipts: readonly Receipt[], ingestedAt: Date): Promise<void> {
    if (receipts.length === 0) return;
    const files = this.appended.get(clubId) ?? [];
    files.push({ ingestedAt: ingestedAt.toISOString(), receipts: structuredClone([...receipts]) });
    this.appended.set(clubId, files);
  }

  async clubs(): Promise<string[]> {
    return [...this.appended.keys()].sort();
  }

  async writeMembers(clubId: string, snapshot: string, part: number, memberIds: readonly string[]): Promise<void> {
    const club = this.snapshots.get(clubId) ?? new Map<string, Map<number, readonly string[]>>();
    const parts = club.get(snapshot) ?? new Map<number, readonly string[]>();
    parts.set(part, [...memberIds]);
    club.set(snapshot, parts);
    this.snapshots.set(clubId, club);
  }

  async dropMemberSnapshots(clubId: string, keep: string): Promise<void> {
    for (const snapshot of [...(this.snapshots.get(clubId)?.keys() ?? [])])
      if (snapshot !== keep) this.snapshots.get(clubId)?.delete(snapshot);
  }
}
