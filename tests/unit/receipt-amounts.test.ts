import { describe, expect, it } from 'vitest';
import { ingestJsonLines } from '../../lambdas/core/ingest.js';
import { ReceiptGrouper, sameReceipt } from '../../lambdas/core/receipts.js';

const receipt = (fields: Record<string, unknown>) =>
  JSON.stringify({
    receipt_id: 'r1',
    member_id: 'm1',
    purchased_at: '2027-01-10T10:00:00Z',
    items: [{ product_id: 'p1' }, { product_id: 'p2', quantity: 2 }],
    ...fields,
  });

describe('receipts that carry an amount', () => {
  it('keeps a JSON receipt’s amount on each of its lines and on the receipt', () => {
    const result = ingestJsonLines(receipt({ amount: 129.5 }));
    expect(result.rejected).toEqual([]);
    expect(result.lines.map((l) => l.receiptAmount)).toEqual([129.5, 129.5]);
    const grouper = new ReceiptGrouper(true);
    grouper.add(result.lines);
    expect(grouper.receiptList()[0]?.amount).toBe(129.5);
  });

  it('leaves the amount out when the receipt has none, and refuses a negative one naming the field', () => {
    expect(ingestJsonLines(receipt({})).lines[0]).not.toHaveProperty('receiptAmount');
    expect(ingestJsonLines(receipt({ amount: -1 })).rejected[0]).toMatchObject({ line: 1, field: 'amount' });
  });

  it('treats a receipt sent again with another amount as a new version', () => {
    const base = {
      receiptId: 'r1',
      memberId: 'm1',
      at: '2027-01-10T10:00:00Z',
      items: [{ productId: 'p1', quantity: 1 }],
    };
    expect(sameReceipt({ ...base, amount: 10 }, { ...base, amount: 10 })).toBe(true);
    expect(sameReceipt({ ...base, amount: 10 }, { ...base, amount: 12 })).toBe(false);
    expect(sameReceipt(base, { ...base, amount: 12 })).toBe(false);
  });
});
