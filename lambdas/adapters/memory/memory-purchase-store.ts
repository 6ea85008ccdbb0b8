import type { PurchaseStore, Receipt } from '../../core/ports.js';
import { copy, keyOf, MemoryTable } from './memory-table.js';

/** Raw receipts by member in Maps: the in-memory twin of DynamoDbPurchaseStore. */
export class MemoryPurchaseStore implements PurchaseStore {
  constructor(private readonly table: MemoryTable = new MemoryTable()) {}

  async putReceipts(clubId: string, receipts: readonly Receipt[]): Promise<void> {
    for (const receipt of receipts) {
      const key = keyOf(clubId, receipt.memberId);
      const mine = this.table.receipts.get(key) ?? new Map<string, Receipt>();
      mine.set(receipt.receiptId, {
        receiptId: receipt.receiptId,
        memberId: receipt.memberId,
        at: receipt.at,
        items: receipt.items.map((i) => ({
          productId: i.productId,
          quantity: i.quantity,
          ...(i.amount === undefined ? {} : { amount: i.amount }),
        })),
      });
      this.table.receipts.set(key, mine);
    }
  }

  async listReceipts(clubId: string, memberId: string): Promise<Receipt[]> {
    const mine = [...(this.table.receipts.get(keyOf(clubId, memberId))?.values() ?? [])];
    return copy(mine).sort((a, b) => (a.receiptId < b.receiptId ? -1 : 1));
  }
}
