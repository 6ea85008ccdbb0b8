import { describe, expect, it } from 'vitest';
import { BlockCutter } from '../../lambdas/core/block-cutter.js';
import { ingestCsv, ingestJsonLines, type PurchaseFormat, purchaseReader } from '../../lambdas/core/ingest.js';
import type { IngestedLine, Rejection } from '../../lambdas/core/ingest-types.js';
import type { Receipt } from '../../lambdas/core/ports.js';
import { ReceiptGrouper, receiptSpend, sameReceipt } from '../../lambdas/core/receipts.js';

const AT = '2027-01-10T10:00:00Z';

const receipt = (fields: Record<string, unknown>) =>
  JSON.stringify({
    receipt_id: 'r1',
    member_id: 'm1',
    purchased_at: AT,
    items: [
      { product_id: 'p1', amount: 99.5 },
      { product_id: 'p2', quantity: 2, amount: 30 },
    ],
    ...fields,
  });

/** The import worker's way: the file cut into small blocks, read, then grouped per chunk (app/ingest-chunk.ts). */
function bulkRead(format: PurchaseFormat, text: string): { receipts: Receipt[]; rejected: Rejection[] } {
  const entries: IngestedLine[][] = [];
  const rejected: Rejection[] = [];
  const reader = purchaseReader(
    format,
    {},
    { accept: (lines) => entries.push(lines), reject: (r) => rejected.push(r) },
  );
  const cutter = new BlockCutter(format === 'csv', 64);
  for (const block of cutter.push(text)) reader.push(block);
  for (const block of cutter.end()) reader.push(block);
  reader.end();
  const grouper = new ReceiptGrouper(format === 'ndjson');
  for (const lines of entries) {
    const problem = grouper.add(lines);
    if (problem) rejected.push(problem);
  }
  return { receipts: grouper.receiptList(), rejected };
}

describe('receipts whose lines carry amounts', () => {
  it('keeps each JSON item’s amount on its line, and the receipt comes to their sum', () => {
    const result = ingestJsonLines(receipt({}));
    expect(result.rejected).toEqual([]);
    expect(result.lines.map((l) => [l.productId, l.amount])).toEqual([
      ['p1', 99.5],
      ['p2', 30],
    ]);
    const grouper = new ReceiptGrouper(true);
    grouper.add(result.lines);
    const [read] = grouper.receiptList();
    if (!read) throw new Error('expected a receipt');
    expect(receiptSpend(read)).toBe(129.5);
  });

  it('sums a CSV receipt’s line amounts exactly, a product twice included, and counts a line without one as nothing', () => {
    const result = ingestCsv(
      [
        'member_id,receipt_id,purchased_at,product_id,quantity,amount',
        `m1,r1,${AT},p1,1,0.10`,
        `m1,r1,${AT},p1,1,"0,20"`,
        `m1,r1,${AT},p2,1,`,
      ].join('\n'),
    );
    expect(result.rejected).toEqual([]);
    expect(result.lines.map((l) => [l.productId, l.quantity, l.amount])).toEqual([
      ['p1', 2, 0.3],
      ['p2', 1, undefined],
    ]);
    expect(receiptSpend({ items: result.lines })).toBe(0.3);
  });

  it('has no spend for a receipt whose lines carry no amount, and ignores an amount given for the whole receipt', () => {
    const result = ingestJsonLines(receipt({ items: [{ product_id: 'p1' }], amount: 129.5 }));
    expect(result.rejected).toEqual([]);
    expect(result.lines[0]).not.toHaveProperty('amount');
    expect(receiptSpend({ items: result.lines })).toBeUndefined();
  });

  it('refuses a negative line amount naming the item’s field, and keeps the other receipts', () => {
    const bad = receipt({ receipt_id: 'r2', items: [{ product_id: 'p1', amount: -1 }] });
    const result = ingestJsonLines([receipt({}), bad].join('\n'));
    expect(result.rejected).toEqual([expect.objectContaining({ line: 2, field: 'items[0].amount' })]);
    expect(result.receipts).toBe(1);
  });

  it('keeps line amounts through the import worker’s path, block by block, in both formats', () => {
    const json = bulkRead(
      'ndjson',
      [receipt({}), receipt({ receipt_id: 'r2', items: [{ product_id: 'p3', amount: 12.25 }] })].join('\n'),
    );
    expect(json.rejected).toEqual([]);
    expect(json.receipts.map((r) => [r.receiptId, receiptSpend(r)])).toEqual([
      ['r1', 129.5],
      ['r2', 12.25],
    ]);
    const rows = ['member_id,receipt_id,purchased_at,product_id,amount'];
    for (let i = 0; i < 10; i++) rows.push(`m1,r1,${AT},p${i % 3},1.1`);
    const csv = bulkRead('csv', rows.join('\n'));
    expect(csv.rejected).toEqual([]);
    expect(csv.receipts[0]?.items.map((i) => i.amount)).toEqual([4.4, 3.3, 3.3]);
    expect(csv.receipts[0] && receiptSpend(csv.receipts[0])).toBe(11);
  });

  it('treats a receipt sent again with another line amount as a corrected version, and the same amounts as the same', () => {
    const base = { receiptId: 'r1', memberId: 'm1', at: AT };
    const items = (amount?: number) => [
      { productId: 'p1', quantity: 1, ...(amount === undefined ? {} : { amount }) },
      { productId: 'p2', quantity: 2, amount: 30 },
    ];
    expect(sameReceipt({ ...base, items: items(99.5) }, { ...base, items: items(99.5) })).toBe(true);
    expect(sameReceipt({ ...base, items: items(99.5) }, { ...base, items: items(89.5) })).toBe(false);
    expect(sameReceipt({ ...base, items: items() }, { ...base, items: items(89.5) })).toBe(false);
    // Within one JSON lines file, a second version of a receipt is refused, naming the receipt.
    const twice = ingestJsonLines(
      [
        receipt({}),
        receipt({
          items: [
            { product_id: 'p1', amount: 89.5 },
            { product_id: 'p2', quantity: 2, amount: 30 },
          ],
        }),
      ].join('\n'),
    );
    expect(twice.rejected).toEqual([expect.objectContaining({ line: 2, field: 'receipt_id' })]);
  });
});
