import type { AddressBlock } from '../../core/member-sync.js';
import type { SuppressionList, SuppressionReason } from '../../core/ports.js';
import { addressHash } from '../dynamodb-suppression-list.js';
import { copy, keyOf } from './memory-table.js';

interface Entry {
  readonly reason: SuppressionReason;
  readonly at: string;
  readonly source: string;
  readonly grantSources?: readonly string[];
  readonly liftedAt?: string;
}

/** A stronger reason replaces a weaker one: an erasure is final, a withdrawal may be renewed. */
const STRENGTH: Readonly<Record<SuppressionReason, number>> = {
  withdrawn: 1,
  'hard-bounce': 2,
  complaint: 3,
  erased: 4,
};

/** Suppression entries by keyed hash in a Map: the in-memory twin of DynamoDbSuppressionList. */
export class MemorySuppressionList implements SuppressionList {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly key = 'memory-suppression-key') {}

  async add(
    clubId: string,
    email: string,
    at: Date,
    source: string,
    reason: SuppressionReason = 'erased',
    grantSources?: readonly string[],
  ): Promise<void> {
    const key = keyOf(clubId, addressHash(this.key, email));
    const stored = this.entries.get(key);
    // In force with an equal or stronger reason: the first entry (its time and source) stays.
    if (stored && !stored.liftedAt && STRENGTH[stored.reason] >= STRENGTH[reason]) return;
    this.entries.set(key, {
      reason,
      at: at.toISOString(),
      source,
      ...(reason === 'withdrawn' && grantSources ? { grantSources: [...grantSources] } : {}),
    });
  }

  async has(clubId: string, email: string): Promise<boolean> {
    const entry = this.entries.get(keyOf(clubId, addressHash(this.key, email)));
    return entry !== undefined && entry.liftedAt === undefined;
  }

  async find(clubId: string, emails: readonly string[]): Promise<Map<string, AddressBlock>> {
    const found = new Map<string, AddressBlock>();
    for (const email of emails) {
      const entry = this.entries.get(keyOf(clubId, addressHash(this.key, email)));
      if (!entry || entry.liftedAt) continue;
      found.set(email, {
        reason: entry.reason,
        at: entry.at,
        ...(entry.grantSources ? { grantSources: copy([...entry.grantSources]) } : {}),
      });
    }
    return found;
  }

  async lift(clubId: string, email: string, grant: { readonly at: string; readonly source: string }): Promise<boolean> {
    const key = keyOf(clubId, addressHash(this.key, email));
    const stored = this.entries.get(key);
    if (!stored || stored.liftedAt || stored.reason === 'hard-bounce') return false;
    if (Date.parse(grant.at) <= Date.parse(stored.at)) return false;
    this.entries.set(key, { ...stored, liftedAt: grant.at });
    return true;
  }

  async hash(email: string): Promise<string> {
    return addressHash(this.key, email);
  }
}
