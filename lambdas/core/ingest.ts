/**
 * Purchase files in, validated purchase lines out. Pure: no storage, no clock, no IO.
 *
 * Every bad row is rejected with its line number and the field at fault; every good row beside it
 * is kept. A file can be read whole (`ingestCsv`, `ingestJsonLines`) or fed block by block to a
 * reader (`purchaseReader`, with `BlockCutter`), which holds no more than one block. Two formats:
 *
 * - CSV, one purchase line per row: `member_id,receipt_id,purchased_at,product_id[,quantity][,amount]`.
 * - JSON lines, one receipt per line:
 *   `{"receipt_id": "...", "member_id": "...", "purchased_at": "...", "items": [{"product_id": "...", "quantity": 2, "amount": 39.90}]}`.
 *   `amount` (optional, both formats) is what the line cost in the club's currency, at most two decimals.
 *   A receipt is all or nothing: one bad item rejects that receipt's line, and only that line.
 */
import { z } from 'zod';
import type { CsvRow } from './csv.js';
import { csvBlockReader } from './csv-stream.js';
import { describe, explain, messages, show } from './field-messages.js';
import type { IngestedLine, Rejection } from './ingest-types.js';
import { Id } from './model.js';
import { ReceiptGrouper } from './receipts.js';
import { DAY_MS } from './units.js';

export type { IngestedLine, Rejection } from './ingest-types.js';

export const DEFAULT_MAX_REJECTIONS = 1000;
export const MAX_ITEMS_PER_RECEIPT = 500;

const DATE_TIME = 'expected an ISO 8601 date-time with offset';
const POSITIVE_INTEGER = 'expected a positive integer';

const PurchasedAt = z.iso.datetime({ offset: true, error: DATE_TIME });
const Quantity = z
  .number({ error: POSITIVE_INTEGER })
  .int({ error: POSITIVE_INTEGER })
  .positive({ error: POSITIVE_INTEGER });
/** Quantity as written in a CSV cell: digits only, so "2.0", "1e3" and "+2" are refused, not guessed. */
const QuantityText = z
  .string({ error: POSITIVE_INTEGER })
  .regex(/^[0-9]+$/, POSITIVE_INTEGER)
  .transform(Number)
  .pipe(Quantity);

const AMOUNT = 'expected an amount of at most 10000000 with at most two decimals, such as 39.90';
/** The largest amount one line may carry. */
export const MAX_LINE_AMOUNT = 10_000_000;
/** What a line cost, in the club's currency: two decimals at most, so sums in minor units are exact. */
const Amount = z
  .number({ error: AMOUNT })
  .min(0, AMOUNT)
  .max(MAX_LINE_AMOUNT, AMOUNT)
  .refine((n) => Math.abs(n * 100 - Math.round(n * 100)) < 1e-6, AMOUNT);
/** An amount as written in a CSV cell: digits with "." or "," before at most two decimals. */
const AmountText = z
  .string({ error: AMOUNT })
  .regex(/^[0-9]+([.,][0-9]{1,2})?$/, AMOUNT)
  .transform((text) => Number(text.replace(',', '.')))
  .pipe(Amount);

export const CSV_REQUIRED_COLUMNS = ['member_id', 'receipt_id', 'purchased_at', 'product_id'] as const;
export const CSV_OPTIONAL_COLUMNS = ['quantity', 'amount'] as const;

/**
 * One CSV purchase row, after its cells are trimmed. Receipt ids follow the `Id` rules too (1–64
 * letters, digits, "-" or "_", not a reserved name): they end up in storage keys like the others.
 */
export const CsvReceiptRow = z.object({
  member_id: Id,
  receipt_id: Id,
  purchased_at: PurchasedAt,
  product_id: Id,
  quantity: QuantityText.default(1),
  amount: AmountText.optional(),
});
export type CsvReceiptRow = z.infer<typeof CsvReceiptRow>;

export const ReceiptItem = z.object({
  product_id: Id,
  quantity: Quantity.default(1),
  amount: Amount.optional(),
});

/** One receipt of a JSON lines file. Unknown keys are ignored. */
export const JsonReceipt = z.object({
  receipt_id: Id,
  member_id: Id,
  purchased_at: PurchasedAt,
  items: z
    .array(ReceiptItem, { error: 'expected a list of items' })
    .min(1, 'expected at least 1 item')
    .max(MAX_ITEMS_PER_RECEIPT, `expected at most ${MAX_ITEMS_PER_RECEIPT} items`),
});
export type JsonReceipt = z.infer<typeof JsonReceipt>;

export interface IngestOptions {
  /** When given, a product id not in it is rejected. */
  readonly knownProducts?: ReadonlySet<string>;
  /** When given, a member id not in it is rejected. */
  readonly knownMembers?: ReadonlySet<string>;
  /** When given, a purchase more than a day after it is rejected. No check otherwise. */
  readonly now?: Date;
  /** When given (epoch ms), a purchase before it is rejected: it is past the retention period. */
  readonly oldest?: number;
  /** How many rejections to describe (default 1000); the rest are only counted. */
  readonly maxRejections?: number;
}

export interface IngestResult {
  /** Accepted purchase lines, one per receipt and product (quantities summed), receipts in file order. */
  readonly lines: IngestedLine[];
  /** Purchase lines accepted (CSV rows or receipt items): `lines.length`. */
  readonly accepted: number;
  /** What was rejected and why, in line order, at most `maxRejections` of them. */
  readonly rejected: Rejection[];
  /** Every rejection, described or not: CSV rows or JSON lines, plus file-level problems. */
  readonly rejectedCount: number;
  /** Distinct receipt ids among the accepted lines. */
  readonly receipts: number;
  /** Lines folded into an earlier one of the same receipt and product (quantities summed), or repeated receipts. */
  readonly duplicates: number;
  /** The file as a whole was refused (empty, or a required column missing); `rejected` says why. */
  readonly fileRejected: boolean;
  /** CSV columns that were not read (a misspelt `quantity`?). Always empty for JSON lines. */
  readonly ignoredColumns: string[];
}

/** `line 7: purchased_at: expected an ISO 8601 date-time with offset, got "yesterday"` */
export function formatRejection(rejection: Rejection): string {
  return rejection.field === ''
    ? `line ${rejection.line}: ${rejection.message}`
    : `line ${rejection.line}: ${rejection.field}: ${rejection.message}`;
}

// ---------------------------------------------------------------------------------------------
// Checking one line

/** Where a reader sends what it read: the lines of one CSV row or one JSON receipt, or why not. */
export interface LineSink {
  accept(lines: IngestedLine[]): void;
  reject(rejection: Rejection): void;
}

interface LineChecks extends LineSink {
  /** Member and date checks shared by both formats: the first problem, if any. */
  checkReceipt(line: number, memberId: string, at: string): Rejection | undefined;
  checkProduct(line: number, field: string, productId: string): Rejection | undefined;
}

function lineChecks(opts: IngestOptions, sink: LineSink): LineChecks {
  const futureLimit = opts.now ? opts.now.getTime() + DAY_MS : undefined;
  return {
    accept: (lines) => sink.accept(lines),
    reject: (rejection) => sink.reject(rejection),
    checkReceipt(line, memberId, at) {
      if (opts.knownMembers && !opts.knownMembers.has(memberId)) {
        return { line, field: 'member_id', message: `unknown member ${memberId}` };
      }
      const time = Date.parse(at);
      if (futureLimit !== undefined && time > futureLimit) {
        return { line, field: 'purchased_at', message: `is more than a day in the future, got ${show(at)}` };
      }
      if (opts.oldest !== undefined && time < opts.oldest) {
        return {
          line,
          field: 'purchased_at',
          message: `is older than the retention period (kept from ${new Date(opts.oldest).toISOString().slice(0, 10)}), got ${show(at)}`,
        };
      }
      return undefined;
    },
    checkProduct(line, field, productId) {
      if (opts.knownProducts && !opts.knownProducts.has(productId)) {
        return { line, field, message: `unknown product ${productId}` };
      }
      return undefined;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Readers: fed block by block

export type PurchaseFormat = 'csv' | 'ndjson';

/** Reads a file fed in blocks of whole records (see BlockCutter); holds nothing between blocks but the header. */
export interface PurchaseReader {
  push(block: string): void;
  /** After the last block: whether the file as a whole was refused, and CSV columns that were not read. */
  end(): { fileRejected: boolean; ignoredColumns: string[] };
}

export function purchaseReader(format: PurchaseFormat, opts: IngestOptions, sink: LineSink): PurchaseReader {
  return format === 'csv' ? csvReader(lineChecks(opts, sink)) : jsonReader(lineChecks(opts, sink));
}

type Checked<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly message: string };

/**
 * One column of `CsvReceiptRow`, checked cell by cell. Ids and dates repeat a lot in a purchase
 * file (a member, a product, a receipt's time), so each distinct cell is checked once per file.
 */
function columnChecker<T>(schema: z.ZodType<T>): (cell: string | undefined) => Checked<T> {
  const seen = new Map<string, Checked<T>>();
  const check = (cell: string | undefined): Checked<T> => {
    const parsed = schema.safeParse(cell, { error: messages });
    if (parsed.success) return { ok: true, value: parsed.data };
    const issue = parsed.error.issues[0];
    return { ok: false, message: issue ? explain(issue, cell) : 'is not valid' };
  };
  return (cell) => {
    if (cell === undefined) return check(cell);
    let checked = seen.get(cell);
    if (!checked) {
      checked = check(cell);
      seen.set(cell, checked);
    }
    return checked;
  };
}

/** Trim each cell and check it against its column of `CsvReceiptRow`, in column order. */
function csvRowReader(columns: ReadonlyMap<string, number>): (row: CsvRow) => IngestedLine | Rejection {
  const { shape } = CsvReceiptRow;
  const memberId = columnChecker(shape.member_id);
  const receiptId = columnChecker(shape.receipt_id);
  const purchasedAt = columnChecker(shape.purchased_at);
  const productId = columnChecker(shape.product_id);
  const quantity = columnChecker(shape.quantity);
  const amount = columnChecker(shape.amount);
  // Required columns are always there (csvTable refuses the file otherwise); -1 marks an absent optional one.
  const at = (name: string) => columns.get(name) ?? -1;
  const [memberAt, receiptAt, purchasedAtAt, productAt, quantityAt, amountAt] = [
    at('member_id'),
    at('receipt_id'),
    at('purchased_at'),
    at('product_id'),
    at('quantity'),
    at('amount'),
  ];
  return ({ line, fields }) => {
    const member = memberId(fields[memberAt]?.trim());
    if (!member.ok) return { line, field: 'member_id', message: member.message };
    const receipt = receiptId(fields[receiptAt]?.trim());
    if (!receipt.ok) return { line, field: 'receipt_id', message: receipt.message };
    const time = purchasedAt(fields[purchasedAtAt]?.trim());
    if (!time.ok) return { line, field: 'purchased_at', message: time.message };
    const product = productId(fields[productAt]?.trim());
    if (!product.ok) return { line, field: 'product_id', message: product.message };
    // An empty quantity cell means the default, like a missing column.
    const quantityCell = quantityAt < 0 ? undefined : fields[quantityAt]?.trim();
    const count = quantity(quantityCell === '' ? undefined : quantityCell);
    if (!count.ok) return { line, field: 'quantity', message: count.message };
    // An empty amount cell means the line has none, like a missing column.
    const amountCell = amountAt < 0 ? undefined : fields[amountAt]?.trim();
    const cost = amount(amountCell === '' ? undefined : amountCell);
    if (!cost.ok) return { line, field: 'amount', message: cost.message };
    return {
      memberId: member.value,
      receiptId: receipt.value,
      at: time.value,
      productId: product.value,
      quantity: count.value,
      ...(cost.value === undefined ? {} : { amount: cost.value }),
      sourceLine: line,
    };
  };
}

function csvReader(c: LineChecks): PurchaseReader {
  return csvBlockReader(
    CSV_REQUIRED_COLUMNS,
    CSV_OPTIONAL_COLUMNS,
    (columns) => {
      const readRow = csvRowReader(columns);
      return (line, fields) => {
        const row = readRow({ line, fields: [...fields] });
        if ('message' in row) {
          c.reject(row);
          return;
        }
        const problem = c.checkReceipt(line, row.memberId, row.at) ?? c.checkProduct(line, 'product_id', row.productId);
        if (problem) c.reject(problem);
        else c.accept([row]);
      };
    },
    (rejection) => c.reject(rejection),
  );
}

function readJsonReceipt(c: LineChecks, line: number, text: string): void {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    c.reject({ line, field: '', message: 'not valid JSON' });
    return;
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    c.reject({
      line,
      field: '',
      message: `expected a JSON object, got ${Array.isArray(data) ? 'a list' : show(data)}`,
    });
    return;
  }
  const parsed = JsonReceipt.safeParse(data, { error: messages });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    c.reject(issue ? { line, ...describe(issue, data) } : { line, field: '', message: 'invalid receipt' });
    return;
  }
  const receipt = parsed.data;
  let problem = c.checkReceipt(line, receipt.member_id, receipt.purchased_at);
  for (const [index, item] of receipt.items.entries()) {
    if (problem) break;
    problem = c.checkProduct(line, `items[${index}].product_id`, item.product_id);
  }
  if (problem) {
    c.reject(problem);
    return;
  }
  c.accept(
    receipt.items.map((item) => ({
      memberId: receipt.member_id,
      receiptId: receipt.receipt_id,
      at: receipt.purchased_at,
      productId: item.product_id,
      quantity: item.quantity,
      ...(item.amount === undefined ? {} : { amount: item.amount }),
      sourceLine: line,
    })),
  );
}

function jsonReader(c: LineChecks): PurchaseReader {
  let line = 0;
  let blank = true;
  let first = true;
  return {
    push(block) {
      let start = first && block.charCodeAt(0) === 0xfeff ? 1 : 0;
      first = false;
      while (start < block.length) {
        const newline = block.indexOf('\n', start);
        const end = newline === -1 ? block.length : newline;
        line += 1;
        const content = block.slice(start, end).trim();
        start = end + 1;
        if (content === '') continue;
        blank = false;
        readJsonReceipt(c, line, content);
      }
    },
    end() {
      if (blank) {
        c.reject({ line: 1, field: '', message: 'the file is empty' });
        return { fileRejected: true, ignoredColumns: [] };
      }
      return { fileRejected: false, ignoredColumns: [] };
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Reading a whole file

function readWhole(format: PurchaseFormat, text: string, opts: IngestOptions): IngestResult {
  const maxRejections = opts.maxRejections ?? DEFAULT_MAX_REJECTIONS;
  const grouper = new ReceiptGrouper(format === 'ndjson');
  const rejected: Rejection[] = [];
  let rejectedCount = 0;
  const reject = (rejection: Rejection) => {
    rejectedCount += 1;
    if (rejected.length < maxRejections) rejected.push(rejection);
  };
  const reader = purchaseReader(format, opts, {
    accept: (lines) => {
      const problem = grouper.add(lines);
      if (problem) reject(problem);
    },
    reject,
  });
  reader.push(text);
  const { fileRejected, ignoredColumns } = reader.end();
  rejected.sort((a, b) => a.line - b.line);
  const lines = grouper.lines();
  return {
    lines,
    accepted: lines.length,
    rejected,
    rejectedCount,
    receipts: grouper.size,
    duplicates: grouper.duplicates,
    fileRejected,
    ignoredColumns,
  };
}

/**
 * Read a CSV purchase file: one purchase line per row. Rows are checked as they are read, so the
 * whole table is never held, only the accepted lines.
 */
export function ingestCsv(text: string, opts: IngestOptions = {}): IngestResult {
  return readWhole('csv', text, opts);
}

/** Read a JSON lines purchase file: one receipt per line; blank lines are skipped. */
export function ingestJsonLines(text: string, opts: IngestOptions = {}): IngestResult {
  return readWhole('ndjson', text, opts);
}
