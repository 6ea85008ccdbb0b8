import { describe, expect, it } from 'vitest';
import { BlockCutter } from '../../lambdas/core/block-cutter.js';
import { ingestCsv, ingestJsonLines, purchaseReader } from '../../lambdas/core/ingest.js';
import type { IngestedLine, Rejection } from '../../lambdas/core/ingest-types.js';
import { memberFileReader } from '../../lambdas/core/member-file.js';
import { addTripDelta, ReceiptGrouper, sameReceipt } from '../../lambdas/core/receipts.js';
import { RETENTION_DAYS } from '../../lambdas/core/retention.js';
import { DAY_MS, NOW } from './fixtures.js';

const AT = '2025-06-01T10:00:00+02:00';
const HEADER = 'member_id,receipt_id,purchased_at,product_id,quantity';
const line = (receiptId: string, productId: string, quantity = 1, memberId = 'm1'): IngestedLine => ({
  memberId,
  receiptId,
  at: AT,
  productId,
  quantity,
  sourceLine: 1,
});

/** Feed a file to a reader in blocks cut by BlockCutter, as an import job does; what it read. */
function readInBlocks(text: string, format: 'csv' | 'ndjson', blockChars: number) {
  const accepted: IngestedLine[][] = [];
  const rejected: Rejection[] = [];
  const reader = purchaseReader(
    format,
    {},
    { accept: (lines) => accepted.push(lines), reject: (r) => rejected.push(r) },
  );
  const cutter = new BlockCutter(format === 'csv', blockChars);
  // Pieces of 7 characters, as a stream might split them (mid-line, mid-quote).
  for (let i = 0; i < text.length; i += 7) for (const block of cutter.push(text.slice(i, i + 7))) reader.push(block);
  for (const block of cutter.end()) reader.push(block);
  return { accepted, rejected, end: reader.end() };
}

describe('receipts', () => {
  it('sums the quantities of the same product on one receipt', () => {
    const result = ingestCsv(`${HEADER}\nm1,r1,${AT},p1,2\nm1,r1,${AT},p2,1\nm1,r1,${AT},p1,3\n`);
    expect(result.lines.map((l) => [l.productId, l.quantity])).toEqual([
      ['p1', 5],
      ['p2', 1],
    ]);
    expect(result.duplicates).toBe(1);
  });

  it('ignores a JSON receipt sent twice the same, and refuses one sent twice with other items', () => {
    const r = (items: unknown[]) => JSON.stringify({ receipt_id: 'r1', member_id: 'm1', purchased_at: AT, items });
    const same = ingestJsonLines(`${r([{ product_id: 'p1' }])}\n${r([{ product_id: 'p1' }])}\n`);
    expect(same).toMatchObject({ accepted: 1, rejectedCount: 0, duplicates: 1 });
    const other = ingestJsonLines(`${r([{ product_id: 'p1' }])}\n${r([{ product_id: 'p2' }])}\n`);
    expect(other.rejected).toEqual([
      { line: 2, field: 'receipt_id', message: 'receipt r1 is on line 1 with other items; send one version per file' },
    ]);
  });

  it('compares two versions of a receipt by member, instant and summed items, whatever their order', () => {
    const a = {
      receiptId: 'r1',
      memberId: 'm1',
      at: AT,
      items: [line('r1', 'p2'), line('r1', 'p1'), line('r1', 'p1')],
    };
    const b = { ...a, at: '2025-06-01T08:00:00Z', items: [line('r1', 'p1', 2), line('r1', 'p2')] };
    expect(sameReceipt(a, b)).toBe(true);
    expect(sameReceipt(a, { ...b, items: [line('r1', 'p1', 3), line('r1', 'p2')] })).toBe(false);
  });

  it('counts a corrected receipt’s popularity change as the trips it adds minus those it drops', () => {
    const before = { receiptId: 'r1', memberId: 'm1', at: AT, items: [line('r1', 'p1'), line('r1', 'p2')] };
    const after = { ...before, items: [line('r1', 'p2', 4), line('r1', 'p3')] };
    const delta = new Map<string, number>();
    addTripDelta(delta, before, after);
    expect(Object.fromEntries(delta)).toEqual({ p1: -1, p2: 0, p3: 1 });
  });

  it('refuses a purchase older than the retention period, naming the field', () => {
    const old = new Date(NOW.getTime() - (RETENTION_DAYS.receipt + 1) * DAY_MS).toISOString();
    const result = ingestCsv(`${HEADER}\nm1,r1,${old},p1,1\nm1,r2,${AT},p1,1\n`, {
      now: NOW,
      oldest: NOW.getTime() - RETENTION_DAYS.receipt * DAY_MS,
    });
    expect(result.rejected).toEqual([
      { line: 2, field: 'purchased_at', message: expect.stringMatching(/^is older than the retention period/) },
    ]);
    expect(new ReceiptGrouper(false).size).toBe(0);
  });
});

describe('reading a file block by block', () => {
  const csv = [
    HEADER,
    `m1,r1,${AT},p1,2`,
    `"m2","r2","${AT}","p,x",1`,
    'm3,r3,yesterday,p1,1',
    '',
    `m4,"r4",${AT},p2`,
    `m5,r5,${AT},p3,1`,
  ].join('\r\n');

  it('reads the same lines, with the same line numbers, as reading the file whole', () => {
    for (const size of [1, 16, 64, 1 << 20]) {
      const { accepted, rejected } = readInBlocks(`${csv}\n`, 'csv', size);
      expect(accepted.flat().map((l) => [l.sourceLine, l.memberId, l.productId])).toEqual([
        [2, 'm1', 'p1'],
        [7, 'm5', 'p3'],
      ]);
      expect(rejected.map((r) => [r.line, r.field])).toEqual([
        [3, 'product_id'],
        [4, 'purchased_at'],
        [6, ''],
      ]);
    }
  });

  it('keeps a quoted line break inside one block', () => {
    const cutter = new BlockCutter(true, 4);
    expect(cutter.push('a,"x\ny"\nb,c\n')).toEqual(['a,"x\ny"\nb,c\n']);
    expect(cutter.push('d,"e\n')).toEqual([]);
    expect(cutter.end()).toEqual(['d,"e\n']);
  });
});

describe('semicolon files', () => {
  it('reads a ;-separated file from a Swedish spreadsheet, with a BOM, the same in blocks as whole', () => {
    const text = `\uFEFF${HEADER.replaceAll(',', ';')}\r\nm1;r1;${AT};p1;2\r\nm2;r2;${AT};p2;1\r\n`;
    for (const size of [1, 8, 1 << 20]) {
      const { accepted, rejected } = readInBlocks(text, 'csv', size);
      expect(rejected).toEqual([]);
      expect(accepted.flat().map((l) => [l.sourceLine, l.memberId, l.quantity])).toEqual([
        [2, 'm1', 2],
        [3, 'm2', 1],
      ]);
    }
  });
});

describe('member files', () => {
  it('reads a CSV member file and names the column of a bad cell', () => {
    const rows: Array<[number, string]> = [];
    const rejected: Rejection[] = [];
    const reader = memberFileReader('csv', {
      accept: (l, r) => rows.push([l, r.memberId]),
      reject: (r) => rejected.push(r),
    });
    reader.push(
      [
        'member_id,email,first_name,language,joined_at,consent_marketing,consent_text_version,consent_at,consent_source,consent_legal_basis,topics',
        'm1,anna@example.com,Anna,sv,2024-01-01T00:00:00Z,ja,v1,2024-01-01T00:00:00Z,crm,consent,offers;news',
        'm2,not-an-address,Bo,sv,2024-01-01T00:00:00Z,yes,v1,2024-01-01T00:00:00Z,crm,consent,',
        'm3,c@example.com,Cy,sv,2024-01-01T00:00:00Z,maybe,v1,2024-01-01T00:00:00Z,crm,consent,',
      ].join('\n'),
    );
    expect(reader.end().fileRejected).toBe(false);
    expect(rows).toEqual([[2, 'm1']]);
    expect(rejected.map((r) => [r.line, r.field])).toEqual([
      [3, 'email'],
      [4, 'consent_marketing'],
    ]);
  });
});
