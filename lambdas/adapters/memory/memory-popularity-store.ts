import type { PopularityStore } from '../../core/ports.js';

/** Trip counts per product in Maps: the in-memory twin of DynamoDbPopularityStore. */
export class MemoryPopularityStore implements PopularityStore {
  private readonly trips = new Map<string, Map<string, number>>();
  /** The applyIds already added, per club. */
  private readonly applied = new Map<string, Set<string>>();

  async add(clubId: string, trips: ReadonlyMap<string, number>): Promise<void> {
    const counts = this.trips.get(clubId) ?? new Map<string, number>();
    for (const [productId, n] of trips) if (n !== 0) counts.set(productId, (counts.get(productId) ?? 0) + n);
    this.trips.set(clubId, counts);
  }

  async addOnce(clubId: string, trips: ReadonlyMap<string, number>, applyId: string): Promise<void> {
    const applied = this.applied.get(clubId) ?? new Set<string>();
    this.applied.set(clubId, applied);
    if (applied.has(applyId)) return;
    applied.add(applyId);
    await this.add(clubId, trips);
  }

  async forget(clubId: string, applyId: string): Promise<void> {
    this.applied.get(clubId)?.delete(applyId);
  }

  async get(clubId: string): Promise<Map<string, number>> {
    const counts = await this.counts(clubId);
    const top = Math.max(1, ...counts.values());
    return new Map([...counts].map(([id, n]) => [id, n / top]));
  }

  async counts(clubId: string): Promise<Map<string, number>> {
    return new Map(this.trips.get(clubId) ?? []);
  }
}
