import { type ClaimOutcome, claimSend, EMPTY_LEDGER, releasedSends, withPendingFold } from '../../core/ledger.js';
import type { ContactLedger } from '../../core/ports.js';
import { copy, keyOf, MemoryTable } from './memory-table.js';

/**
 * The send ledger in a Map: the in-memory twin of DynamoDbContactLedger. Claim and budget check are
 * one step with no await between the read and the write, as the table's conditional write makes them.
 */
export class MemoryContactLedger implements ContactLedger {
  constructor(private readonly table: MemoryTable = new MemoryTable()) {}

  async claim(request: Parameters<ContactLedger['claim']>[0]): Promise<ClaimOutcome> {
    const key = keyOf(request.clubId, request.memberId);
    // The caller's hint may be stale; the stored ledger is always fresh here, so judge on that.
    const ledger = copy(this.table.ledgers.get(key) ?? EMPTY_LEDGER);
    const outcome = claimSend(ledger, request, request.now, request.policy, request.frequency);
    if (outcome.kind === 'claimed') this.table.ledgers.set(key, copy(outcome.next));
    return outcome;
  }

  async leaveFold(request: Parameters<ContactLedger['leaveFold']>[0]): Promise<'left' | 'unchanged'> {
    const key = keyOf(request.clubId, request.memberId);
    const next = withPendingFold(copy(this.table.ledgers.get(key) ?? EMPTY_LEDGER), request, request.now);
    if (!next) return 'unchanged';
    this.table.ledgers.set(key, copy(next));
    return 'left';
  }

  async release(request: Parameters<ContactLedger['release']>[0]): Promise<void> {
    const key = keyOf(request.clubId, request.memberId);
    const ledger = this.table.ledgers.get(key);
    const existing = ledger?.sends[request.sendId];
    if (!ledger || !existing || existing.kind === 'dropped') return;
    // A tombstone, not a deletion: a later delivery of the same job finds it and stops. Offers
    // folded into the mail are freed with it (core/fold.ts).
    this.table.ledgers.set(key, {
      ...ledger,
      version: ledger.version + 1,
      sends: releasedSends(ledger.sends, request),
    });
  }
}
