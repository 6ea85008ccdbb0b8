import { describe, expect, it } from 'vitest';
import {
  DEFAULT_MAX_REJECTIONS,
  formatRejection,
  type IngestedLine,
  ingestCsv,
  ingestJsonLines,
  type Rejection,
} from '../../lambdas/core/ingest.js';
import { PurchaseLine } from '../../lambdas/core/profile.js';
import { DAY_MS, HOUR_MS, NOW } from './fixtures.js';

const HEADER = 'member_id,receipt_id,purchased_at,product_id,quantity';
const AT = '2025-06-01T10:00:00+02:00';

const csv = (...rows: string[]) => `${[HEADER, ...rows].join('\n')}\n`;
const jsonl = (...lines: string[]) => `${lines.join('\n')}\n`;
const receipt = (receiptId: string, memberId: string, items: unknown[], at: string = AT) =>
  JSON.stringify({ receipt_id: receiptId, member_id: memberId, purchased_at: at, items });
const where = (rejected: readonly Rejection[]) => rejected.map((r) => [r.line, r.field]);

describe('ingestCsv', () => {
  it('turns every row of a good file into a purchase line with its quantity and source line', () => {
    const result = ingestCsv(csv(`m1,r1,${AT},p1,2`, `m1,r1,${AT},p2,`, 'm2,r2,2025-06-02T08:30:00Z,p1,1'));
    expect(result.lines).toEqual<IngestedLine[]>([
      { memberId: 'm1', receiptId: 'r1', at: AT, productId: 'p1', quantity: 2, sourceLine: 2 },
      { memberId: 'm1', receiptId: 'r1', at: AT, productId: 'p2', quantity: 1, sourceLine: 3 },
      { memberId: 'm2', receiptId: 'r2', at: '2025-06-02T08:30:00Z', productId: 'p1', quantity: 1, sourceLine: 4 },
    ]);
    expect(result).toMatchObject({
      accepted: 3,
      receipts: 2,
      rejected: [],
      rejectedCount: 0,
      duplicates: 0,
      fileRejected: false,
    });
  });

  it('gives lines the core PurchaseLine schema accepts', () => {
    const { lines } = ingestCsv(csv(`m1,r1,${AT},p1,2`));
    expect(lines.map((line) => PurchaseLine.parse(line))).toEqual([
      { memberId: 'm1', receiptId: 'r1', at: AT, productId: 'p1' },
    ]);
  });

  it('defaults the quantity to 1 when the file has no quantity column', () => {
    const result = ingestCsv(`receipt_id,product_id,member_id,purchased_at\nr1,p1,m1,${AT}\n`);
    expect(result.lines.map((line) => [line.productId, line.quantity])).toEqual([['p1', 1]]);
  });

  it('reads quoted fields and trims the spaces around values', () => {
    const result = ingestCsv(csv(`" m1", r1 ,"${AT}","p1 ",  3`));
    expect(result.lines).toEqual([
      { memberId: 'm1', receiptId: 'r1', at: AT, productId: 'p1', quantity: 3, sourceLine: 2 },
    ]);
  });

  it('reads a CRLF file with a byte order mark', () => {
    const result = ingestCsv(`\uFEFF${HEADER}\r\nm1,r1,${AT},p1,1\r\nm1,r1,${AT},p2,1\r\n`);
    expect(result.rejected).toEqual([]);
    expect(result.lines.map((line) => [line.productId, line.sourceLine])).toEqual([
      ['p1', 2],
      ['p2', 3],
    ]);
  });

  it('rejects each malformed row with its line and field and keeps every good row beside it', () => {
    const result = ingestCsv(
      csv(
        `m1,r1,${AT},p1,1`, //               2 good
        'm1,r2,yesterday,p1,1', //           3 bad date
        `m1,r3,${AT},p2,1`, //               4 good
        `,r4,${AT},p1,1`, //                 5 empty member id
        `__proto__,r5,${AT},p1,1`, //        6 reserved id
        `m2,r6,${AT},p1`, //                 7 wrong field count
        `m2,r7,${AT},p1,-2`, //              8 negative quantity
        `m2,r8,${AT},p3,4`, //               9 good
        `m2,r9,${AT},p 1,1`, //             10 bad characters in an id
        `m2,r10,${AT},p1,1.5`, //           11 fractional quantity
        `m3,r11,2025-06-01T10:00:00,p1,1`, // 12 a date-time without an offset
      ),
    );
    expect(where(result.rejected)).toEqual([
      [3, 'purchased_at'],
      [5, 'member_id'],
      [6, 'member_id'],
      [7, ''],
      [8, 'quantity'],
      [10, 'product_id'],
      [11, 'quantity'],
      [12, 'purchased_at'],
    ]);
    expect(result.rejected.map(formatRejection)).toEqual([
      'line 3: purchased_at: expected an ISO 8601 date-time with offset, got "yesterday"',
      'line 5: member_id: is empty',
      'line 6: member_id: is a reserved name, got "__proto__"',
      'line 7: expected 5 fields, got 4',
      'line 8: quantity: expected a positive integer, got "-2"',
      'line 10: product_id: use only letters, digits, "-" and "_", got "p 1"',
      'line 11: quantity: expected a positive integer, got "1.5"',
      'line 12: purchased_at: expected an ISO 8601 date-time with offset, got "2025-06-01T10:00:00"',
    ]);
    expect(result.rejectedCount).toBe(8);
    expect(result.lines.map((line) => line.sourceLine)).toEqual([2, 4, 9]);
    expect(result.lines.map((line) => line.receiptId)).toEqual(['r1', 'r3', 'r8']);
    expect(result).toMatchObject({ accepted: 3, receipts: 3, fileRejected: false });
  });

  it('rejects a receipt id longer than 64 characters', () => {
    const result = ingestCsv(csv(`m1,${'r'.repeat(65)},${AT},p1,1`));
    expect(result.rejected).toEqual([
      { line: 2, field: 'receipt_id', message: expect.stringMatching(/^is longer than 64 characters/) },
    ]);
  });

  it('refuses a file without a required column, naming the column, and reads nothing', () => {
    const result = ingestCsv(`member_id,receipt_id,product_id\nm1,r1,p1\n`);
    expect(result.fileRejected).toBe(true);
    expect(result.rejected).toEqual([{ line: 1, field: 'purchased_at', message: 'missing required column' }]);
    expect(formatRejection(result.rejected[0] ?? { line: 0, field: '', message: '' })).toBe(
      'line 1: purchased_at: missing required column',
    );
    expect(result.lines).toEqual([]);
    expect(result.accepted).toBe(0);
  });

  it('refuses an empty file as empty', () => {
    expect(ingestCsv('\uFEFF\r\n')).toMatchObject({
      fileRejected: true,
      rejected: [{ line: 1, field: '', message: 'the file is empty' }],
    });
  });

  it('accepts a header with no rows as an empty but valid file', () => {
    expect(ingestCsv(`${HEADER}\n`)).toMatchObject({ fileRejected: false, accepted: 0, rejectedCount: 0 });
  });

  it('reports columns it does not read, such as a misspelt quantity', () => {
    const result = ingestCsv(`member_id,receipt_id,purchased_at,product_id,quantiy\nm1,r1,${AT},p1,5\n`);
    expect(result.ignoredColumns).toEqual(['quantiy']);
    expect(result.lines.map((line) => line.quantity)).toEqual([1]);
  });

  it('numbers rows by the line they start on when a quoted field spans two lines', () => {
    const result = ingestCsv(
      `member_id,receipt_id,purchased_at,product_id,note\nm1,r1,${AT},p1,"two\nlines"\nm1,r2,nope,p1,x\nm1,r3,${AT},p2,y\n`,
    );
    expect(result.lines.map((line) => line.sourceLine)).toEqual([2, 5]);
    expect(where(result.rejected)).toEqual([[4, 'purchased_at']]);
  });

  it('reports an unterminated quote at its line and keeps the rows read before it', () => {
    const result = ingestCsv(csv(`m1,r1,${AT},p1,1`, `m1,r2,"${AT},p1,1`, `m1,r3,${AT},p1,1`));
    expect(result.lines.map((line) => line.receiptId)).toEqual(['r1']);
    expect(result.rejected).toEqual([
      { line: 3, field: '', message: 'unterminated quoted field; the rest of the file was not read' },
    ]);
  });

  it('refuses a file whose header opens a quote it never closes, with that error alone', () => {
    const result = ingestCsv(`member_id,"receipt_id,purchased_at,product_id\nm1,r1,${AT},p1\n`);
    expect(result.fileRejected).toBe(true);
    expect(result.rejected).toEqual([
      { line: 1, field: '', message: 'unterminated quoted field; the rest of the file was not read' },
    ]);
  });

  it('rejects unknown products and members when the known sets are given', () => {
    const result = ingestCsv(csv(`m1,r1,${AT},p1,1`, `m1,r1,${AT},p9,1`, `m9,r2,${AT},p1,1`, `m2,r3,${AT},p2,1`), {
      knownProducts: new Set(['p1', 'p2']),
      knownMembers: new Set(['m1', 'm2']),
    });
    expect(result.rejected).toEqual([
      { line: 3, field: 'product_id', message: 'unknown product p9' },
      { line: 4, field: 'member_id', message: 'unknown member m9' },
    ]);
    expect(result.lines.map((line) => line.sourceLine)).toEqual([2, 5]);
  });

  it('accepts any product and member when no known sets are given', () => {
    expect(ingestCsv(csv(`m9,r1,${AT},p9,1`)).accepted).toBe(1);
  });

  it('folds a repeated receipt line into the first, summing the quantities, and counts the repeat', () => {
    const result = ingestCsv(csv(`m1,r1,${AT},p1,1`, `m1,r1,${AT},p2,1`, `m1,r1,${AT},p1,1`, `m1,r2,${AT},p1,1`));
    expect(result.lines.map((line) => [line.receiptId, line.productId, line.quantity])).toEqual([
      ['r1', 'p1', 2],
      ['r1', 'p2', 1],
      ['r2', 'p1', 1],
    ]);
    expect(result).toMatchObject({ accepted: 3, duplicates: 1, receipts: 2, rejectedCount: 0 });
  });

  it('rejects a row that puts a receipt under a second member', () => {
    const result = ingestCsv(csv(`m1,r1,${AT},p1,1`, `m2,r1,${AT},p2,1`));
    expect(result.rejected).toEqual([
      { line: 3, field: 'member_id', message: 'receipt r1 belongs to member m1 (line 2)' },
    ]);
    expect(result.accepted).toBe(1);
  });

  it('rejects a purchase more than a day after now, and only when now is given', () => {
    const withinADay = new Date(NOW.getTime() + 23 * HOUR_MS).toISOString();
    const overADay = new Date(NOW.getTime() + DAY_MS + 60_000).toISOString();
    const text = csv(`m1,r1,${withinADay},p1,1`, `m1,r2,${overADay},p1,1`);
    const checked = ingestCsv(text, { now: NOW });
    expect(checked.rejected).toEqual([
      { line: 3, field: 'purchased_at', message: `is more than a day in the future, got "${overADay}"` },
    ]);
    expect(checked.lines.map((line) => line.receiptId)).toEqual(['r1']);
    expect(ingestCsv(text).accepted).toBe(2);
  });

  it('compares future dates by instant, whatever the offset', () => {
    // 11:00 at +14:00 is 21:00 the day before in UTC: not in the future at all.
    const result = ingestCsv(csv('m1,r1,2025-06-16T11:00:00+14:00,p1,1'), { now: NOW });
    expect(result.accepted).toBe(1);
  });

  it('describes at most maxRejections rejections but counts them all', () => {
    const rows = Array.from({ length: 30 }, (_, i) => `m1,r${i},bad,p1,1`);
    const result = ingestCsv(csv(...rows, `m1,ok,${AT},p1,1`), { maxRejections: 5 });
    expect(result.rejected.map((r) => r.line)).toEqual([2, 3, 4, 5, 6]);
    expect(result.rejectedCount).toBe(30);
    expect(result.accepted).toBe(1);
  });

  it('describes up to 1000 rejections by default', () => {
    const rows = Array.from({ length: 1005 }, (_, i) => `m1,r${i},bad,p1,1`);
    const result = ingestCsv(csv(...rows));
    expect(DEFAULT_MAX_REJECTIONS).toBe(1000);
    expect(result.rejected).toHaveLength(1000);
    expect(result.rejectedCount).toBe(1005);
  });

  it('ingests a 500,000-line file with the right counts', () => {
    const rows = [HEADER];
    for (let i = 0; i < 500_000; i++) {
      const receiptNo = Math.floor(i / 5);
      if (i === 123_456) rows.push(`m${receiptNo % 1000},r${receiptNo},not-a-date,p${i % 5},1`);
      else if (i === 400_001)
        rows.push(`m${receiptNo % 1000},r${receiptNo},${AT},p${(i - 1) % 5},1`); // repeats the row before it
      else rows.push(`m${receiptNo % 1000},r${receiptNo},${AT},p${i % 5},${(i % 3) + 1}`);
    }
    const result = ingestCsv(`${rows.join('\n')}\n`);
    expect(result.rejected).toEqual([
      { line: 123_458, field: 'purchased_at', message: expect.stringContaining('"not-a-date"') },
    ]);
    expect(result.duplicates).toBe(1);
    expect(result.accepted).toBe(499_998);
    expect(result.lines).toHaveLength(499_998);
    expect(result.receipts).toBe(100_000);
    expect(result.lines.at(-1)).toEqual({
      memberId: 'm999',
      receiptId: 'r99999',
      at: AT,
      productId: 'p4',
      quantity: 2,
      sourceLine: 500_001,
    });
  });
});

describe('ingestJsonLines', () => {
  it('turns each receipt into one line per item, defaulting the quantity to 1', () => {
    const result = ingestJsonLines(
      jsonl(
        receipt('r1', 'm1', [{ product_id: 'p1', quantity: 2 }, { product_id: 'p2' }]),
        receipt('r2', 'm2', [{ product_id: 'p1' }]),
      ),
    );
    expect(result.lines).toEqual<IngestedLine[]>([
      { memberId: 'm1', receiptId: 'r1', at: AT, productId: 'p1', quantity: 2, sourceLine: 1 },
      { memberId: 'm1', receiptId: 'r1', at: AT, productId: 'p2', quantity: 1, sourceLine: 1 },
      { memberId: 'm2', receiptId: 'r2', at: AT, productId: 'p1', quantity: 1, sourceLine: 2 },
    ]);
    expect(result).toMatchObject({
      accepted: 3,
      receipts: 2,
      rejectedCount: 0,
      fileRejected: false,
      ignoredColumns: [],
    });
  });

  it('rejects a broken JSON line and a receipt with a bad item, and keeps the good receipts', () => {
    const result = ingestJsonLines(
      jsonl(
        receipt('r1', 'm1', [{ product_id: 'p1' }, { product_id: 'p2' }]),
        '{"receipt_id": "r2", "member_id": "m1",',
        receipt('r3', 'm1', [{ product_id: 'p1' }, { product_id: 'bad id!' }, { product_id: 'p3' }]),
        receipt('r4', 'm2', [{ product_id: 'p3', quantity: 4 }]),
      ),
    );
    expect(result.rejected.map(formatRejection)).toEqual([
      'line 2: not valid JSON',
      'line 3: items[1].product_id: use only letters, digits, "-" and "_", got "bad id!"',
    ]);
    expect(result.lines.map((line) => [line.receiptId, line.productId, line.sourceLine])).toEqual([
      ['r1', 'p1', 1],
      ['r1', 'p2', 1],
      ['r4', 'p3', 4],
    ]);
    expect(result).toMatchObject({ accepted: 3, receipts: 2, rejectedCount: 2 });
  });

  it('names the field at fault in receipts that are wrong in other ways', () => {
    const result = ingestJsonLines(
      jsonl(
        receipt('r1', 'm1', []),
        receipt(
          'r2',
          'm1',
          Array.from({ length: 501 }, (_, i) => ({ product_id: `p${i}` })),
        ),
        receipt('r3', 'm1', [{ product_id: 'p1', quantity: 0 }]),
        receipt('r4', 'm1', [{ product_id: 'p1', quantity: '2' }]),
        receipt('r5', 'm1', [{ product_id: 7 }]),
        receipt('r6', '', [{ product_id: 'p1' }]),
        receipt('r7', 'm1', [{ product_id: 'p1' }], 'yesterday'),
        JSON.stringify({ receipt_id: 'r8', member_id: 'm1', items: [{ product_id: 'p1' }] }),
        '[1, 2]',
        receipt('constructor', 'm1', [{ product_id: 'p1' }]),
      ),
    );
    expect(result.rejected.map(formatRejection)).toEqual([
      'line 1: items: expected at least 1 item, got 0 items',
      'line 2: items: expected at most 500 items, got 501 items',
      'line 3: items[0].quantity: expected a positive integer, got 0',
      'line 4: items[0].quantity: expected a positive integer, got "2"',
      'line 5: items[0].product_id: expected text, got 7',
      'line 6: member_id: is empty',
      'line 7: purchased_at: expected an ISO 8601 date-time with offset, got "yesterday"',
      'line 8: purchased_at: is missing',
      'line 9: expected a JSON object, got a list',
      'line 10: receipt_id: is a reserved name, got "constructor"',
    ]);
    expect(result.accepted).toBe(0);
  });

  it('accepts a receipt of exactly 500 items', () => {
    const result = ingestJsonLines(
      receipt(
        'r1',
        'm1',
        Array.from({ length: 500 }, (_, i) => ({ product_id: `p${i}` })),
      ),
    );
    expect(result.accepted).toBe(500);
  });

  it('skips blank lines, reads CRLF and a byte order mark, and keeps physical line numbers', () => {
    const text = `\uFEFF${receipt('r1', 'm1', [{ product_id: 'p1' }])}\r\n\r\n  \r\n${receipt('r2', 'm1', [{ product_id: 'x y' }])}\r\n`;
    const result = ingestJsonLines(text);
    expect(result.lines.map((line) => line.sourceLine)).toEqual([1]);
    expect(where(result.rejected)).toEqual([[4, 'items[0].product_id']]);
  });

  it('rejects the whole receipt for an unknown product, and a receipt of an unknown member', () => {
    const result = ingestJsonLines(
      jsonl(
        receipt('r1', 'm1', [{ product_id: 'p1' }, { product_id: 'p2' }, { product_id: 'p9' }]),
        receipt('r2', 'm9', [{ product_id: 'p1' }]),
        receipt('r3', 'm1', [{ product_id: 'p2' }]),
      ),
      { knownProducts: new Set(['p1', 'p2']), knownMembers: new Set(['m1']) },
    );
    expect(result.rejected).toEqual([
      { line: 1, field: 'items[2].product_id', message: 'unknown product p9' },
      { line: 2, field: 'member_id', message: 'unknown member m9' },
    ]);
    expect(result.lines.map((line) => line.receiptId)).toEqual(['r3']);
  });

  it('keeps a receipt sent twice once and counts its repeated lines', () => {
    const line = receipt('r1', 'm1', [{ product_id: 'p1' }, { product_id: 'p2' }]);
    const result = ingestJsonLines(jsonl(line, line));
    expect(result).toMatchObject({ accepted: 2, duplicates: 2, receipts: 1, rejectedCount: 0 });
  });

  it('rejects a purchase more than a day in the future', () => {
    const future = new Date(NOW.getTime() + 2 * DAY_MS).toISOString();
    const result = ingestJsonLines(receipt('r1', 'm1', [{ product_id: 'p1' }], future), { now: NOW });
    expect(where(result.rejected)).toEqual([[1, 'purchased_at']]);
    expect(result.accepted).toBe(0);
  });

  it('refuses an empty file as empty', () => {
    expect(ingestJsonLines('\n \n')).toMatchObject({
      fileRejected: true,
      rejected: [{ line: 1, field: '', message: 'the file is empty' }],
    });
  });
});

describe('formatRejection', () => {
  it('puts the line, the field and the message in one short sentence', () => {
    expect(
      formatRejection({
        line: 7,
        field: 'purchased_at',
        message: 'expected an ISO 8601 date-time with offset, got "yesterday"',
      }),
    ).toBe('line 7: purchased_at: expected an ISO 8601 date-time with offset, got "yesterday"');
  });

  it('leaves the field out when the whole line is at fault', () => {
    expect(formatRejection({ line: 3, field: '', message: 'not valid JSON' })).toBe('line 3: not valid JSON');
  });
});
