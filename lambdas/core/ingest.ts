/**
 * Purchase files in, validated purchase lines out. Pure: no storage, no clock, no IO.
 *
 * Every bad row is rejected with its line number and the field at fault; every good row beside it
 * is kept. Two formats:
 *
 * - CSV, one purchase line per row: `member_id,receipt_id,purchased_at,product_id[,quantity]`.
 * - JSON lines, one receipt per line:
 *   `{"receipt_id": "...", "member_id": "...", "purchased_at": "...", "items": [{"product_id": "...", "quantity": 2}]}`.
 *   A receipt is all or nothing: one bad item rejects that receipt's line, and only that line.
 */
import { z } from 'zod';
import { type CsvFileError, type CsvRow, checkCsvHeader, fieldCountError, readCsv } from './csv.js';
import { Id } from './model.js';
import type { PurchaseLine } from './profile.js';
import { DAY_MS } from './units.js';

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

export const CSV_REQUIRED_COLUMNS = ['member_id', 'receipt_id', 'purchased_at', 'product_id'] as const;
export const CSV_OPTIONAL_COLUMNS = ['quantity'] as const;

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
});
export type CsvReceiptRow = z.infer<typeof CsvReceiptRow>;

export const ReceiptItem = z.object({
  product_id: Id,
  quantity: Quantity.default(1),
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

/** A purchase line as the core reads it, plus how many were bought and where it came from. */
export type IngestedLine = PurchaseLine & {
  readonly quantity: number;
  /** The line of the file it was read from: a row's first line, or the receipt's line. */
  readonly sourceLine: number;
};

export interface Rejection {
  readonly line: number;
  /** The field at fault, e.g. `purchased_at` or `items[2].product_id`; "" when the whole line is. */
  readonly field: string;
  readonly message: string;
}

export interface IngestOptions {
  /** When given, a product id not in it is rejected. */
  readonly knownProducts?: ReadonlySet<string>;
  /** When given, a member id not in it is rejected. */
  readonly knownMembers?: ReadonlySet<string>;
  /** When given, a purchase more than a day after it is rejected. No check otherwise. */
  readonly now?: Date;
  /** How many rejections to describe (default 1000); the rest are only counted. */
  readonly maxRejections?: number;
}

export interface IngestResult {
  /** Accepted purchase lines, in file order, each repeat left out. */
  readonly lines: IngestedLine[];
  /** Purchase lines accepted (CSV rows or receipt items): `lines.length`. */
  readonly accepted: number;
  /** What was rejected and why, in line order, at most `maxRejections` of them. */
  readonly rejected: Rejection[];
  /** Every rejection, described or not: CSV rows or JSON lines, plus file-level problems. */
  readonly rejectedCount: number;
  /** Distinct receipt ids among the accepted lines. */
  readonly receipts: number;
  /** Lines left out because the same receipt, product and member came earlier in the file. */
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
// Messages

const TYPE_NAMES: Readonly<Record<string, string>> = {
  string: 'text',
  number: 'a number',
  object: 'an object',
  array: 'a list',
};

/** Short messages for the issues that `Id` leaves to zod's defaults. Schema-level messages win. */
const messages: z.core.$ZodErrorMap = (issue) => {
  if (issue.code === 'invalid_type') return `expected ${TYPE_NAMES[issue.expected] ?? issue.expected}`;
  if (issue.code === 'too_big' && issue.origin === 'string')
    return `is longer than ${String(issue.maximum)} characters`;
  if (issue.code === 'too_small' && issue.origin === 'string')
    return `is shorter than ${String(issue.minimum)} characters`;
  return undefined;
};

function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (Array.isArray(value)) return value.length === 1 ? '1 item' : `${value.length} items`;
  const text = JSON.stringify(value);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const key of path) {
    if (typeof value !== 'object' || value === null || !Object.hasOwn(value, key)) return undefined;
    value = Reflect.get(value, key);
  }
  return value;
}

function fieldName(path: readonly PropertyKey[]): string {
  let name = '';
  for (const key of path) {
    if (typeof key === 'number') name += `[${key}]`;
    else name += name === '' ? String(key) : `.${String(key)}`;
  }
  return name;
}

/** What is wrong with the value an issue points at, phrased for people. */
function explain(issue: z.core.$ZodIssue, value: unknown): string {
  if (value === undefined) return 'is missing';
  if (value === '') return 'is empty';
  return `${issue.message}, got ${show(value)}`;
}

function describe(issue: z.core.$ZodIssue, input: unknown): { field: string; message: string } {
  return { field: fieldName(issue.path), message: explain(issue, valueAt(input, issue.path)) };
}

// ---------------------------------------------------------------------------------------------
// Collecting

interface Collector {
  reject(rejection: Rejection): void;
  /** Member, receipt and date checks shared by both formats: the first problem, if any. */
  checkReceipt(line: number, memberId: string, receiptId: string, at: string): Rejection | undefined;
  checkProduct(line: number, field: string, productId: string): Rejection | undefined;
  /** Keep a checked line unless the same receipt, product and member came before. */
  add(line: IngestedLine): void;
  result(fileRejected: boolean, ignoredColumns: string[]): IngestResult;
}

interface ReceiptSeen {
  readonly memberId: string;
  readonly line: number;
  readonly products: Set<string>;
}

function collector(opts: IngestOptions): Collector {
  const maxRejections = opts.maxRejections ?? DEFAULT_MAX_REJECTIONS;
  const futureLimit = opts.now ? opts.now.getTime() + DAY_MS : undefined;
  const lines: IngestedLine[] = [];
  const rejected: Rejection[] = [];
  const receipts = new Map<string, ReceiptSeen>();
  let rejectedCount = 0;
  let duplicates = 0;

  return {
    reject(rejection) {
      rejectedCount += 1;
      if (rejected.length < maxRejections) rejected.push(rejection);
    },
    checkReceipt(line, memberId, receiptId, at) {
      if (opts.knownMembers && !opts.knownMembers.has(memberId)) {
        return { line, field: 'member_id', message: `unknown member ${memberId}` };
      }
      const seen = receipts.get(receiptId);
      if (seen && seen.memberId !== memberId) {
        return {
          line,
          field: 'member_id',
          message: `receipt ${receiptId} belongs to member ${seen.memberId} (line ${seen.line})`,
        };
      }
      if (futureLimit !== undefined && Date.parse(at) > futureLimit) {
        return { line, field: 'purchased_at', message: `is more than a day in the future, got ${show(at)}` };
      }
      return undefined;
    },
    checkProduct(line, field, productId) {
      if (opts.knownProducts && !opts.knownProducts.has(productId)) {
        return { line, field, message: `unknown product ${productId}` };
      }
      return undefined;
    },
    add(line) {
      // checkReceipt keeps each receipt to one member, so receipt and product identify a line.
      let seen = receipts.get(line.receiptId);
      if (!seen) {
        seen = { memberId: line.memberId, line: line.sourceLine, products: new Set() };
        receipts.set(line.receiptId, seen);
      } else if (seen.products.has(line.productId)) {
        duplicates += 1;
        return;
      }
      seen.products.add(line.productId);
      lines.push(line);
    },
    result(fileRejected, ignoredColumns) {
      return {
        lines,
        accepted: lines.length,
        rejected,
        rejectedCount,
        receipts: receipts.size,
        duplicates,
        fileRejected,
        ignoredColumns,
      };
    },
  };
}

// ---------------------------------------------------------------------------------------------
// CSV

function fileRejection(error: CsvFileError): Rejection {
  switch (error.kind) {
    case 'empty-file':
      return { line: error.line, field: '', message: 'the file is empty' };
    case 'missing-column':
      return { line: error.line, field: error.column, message: 'missing required column' };
    case 'repeated-column':
      return { line: error.line, field: error.column, message: 'column appears more than once' };
  }
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
  // Required columns are always there (csvTable refuses the file otherwise); -1 marks an absent optional one.
  const at = (name: string) => columns.get(name) ?? -1;
  const [memberAt, receiptAt, purchasedAtAt, productAt, quantityAt] = [
    at('member_id'),
    at('receipt_id'),
    at('purchased_at'),
    at('product_id'),
    at('quantity'),
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
    return {
      memberId: member.value,
      receiptId: receipt.value,
      at: time.value,
      productId: product.value,
      quantity: count.value,
      sourceLine: line,
    };
  };
}

/**
 * Read a CSV purchase file: one purchase line per row. Rows are checked as they are read, so the
 * whole table is never held, only the accepted lines.
 */
export function ingestCsv(text: string, opts: IngestOptions = {}): IngestResult {
  const c = collector(opts);
  const reads = readCsv(text);
  const first = reads.next();
  const head = first.done ? undefined : first.value;
  if (head?.error !== undefined) {
    c.reject({ line: head.line, field: '', message: head.error });
    // An unterminated quote in the header: nothing else was read.
    if (head.fields.length === 0) return c.result(true, []);
  }
  const { columns, fileErrors, ignoredColumns } = checkCsvHeader(
    head?.fields ?? [],
    head?.line ?? 1,
    CSV_REQUIRED_COLUMNS,
    CSV_OPTIONAL_COLUMNS,
  );
  if (fileErrors.length > 0) {
    for (const error of fileErrors) c.reject(fileRejection(error));
    return c.result(true, ignoredColumns);
  }
  const width = head?.fields.length ?? 0;
  const readRow = csvRowReader(columns);
  for (const read of reads) {
    if (read.error !== undefined) {
      c.reject({ line: read.line, field: '', message: read.error });
      continue;
    }
    if (read.fields.length !== width) {
      c.reject({ field: '', ...fieldCountError(read.line, width, read.fields.length) });
      continue;
    }
    const line = readRow(read);
    if ('message' in line) {
      c.reject(line);
      continue;
    }
    const problem =
      c.checkReceipt(line.sourceLine, line.memberId, line.receiptId, line.at) ??
      c.checkProduct(line.sourceLine, 'product_id', line.productId);
    if (problem) c.reject(problem);
    else c.add(line);
  }
  return c.result(false, ignoredColumns);
}

// ---------------------------------------------------------------------------------------------
// JSON lines

function ingestJsonReceipt(c: Collector, line: number, text: string): void {
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
  let problem = c.checkReceipt(line, receipt.member_id, receipt.receipt_id, receipt.purchased_at);
  for (const [index, item] of receipt.items.entries()) {
    if (problem) break;
    problem = c.checkProduct(line, `items[${index}].product_id`, item.product_id);
  }
  if (problem) {
    c.reject(problem);
    return;
  }
  for (const item of receipt.items) {
    c.add({
      memberId: receipt.member_id,
      receiptId: receipt.receipt_id,
      at: receipt.purchased_at,
      productId: item.product_id,
      quantity: item.quantity,
      sourceLine: line,
    });
  }
}

/** Read a JSON lines purchase file: one receipt per line; blank lines are skipped. */
export function ingestJsonLines(text: string, opts: IngestOptions = {}): IngestResult {
  const c = collector(opts);
  let start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 0;
  let blank = true;
  while (start <= text.length) {
    const newline = text.indexOf('\n', start);
    const end = newline === -1 ? text.length : newline;
    line += 1;
    const content = text.slice(start, end).trim();
    start = end + 1;
    if (content === '') continue;
    blank = false;
    ingestJsonReceipt(c, line, content);
  }
  if (blank) {
    c.reject({ line: 1, field: '', message: 'the file is empty' });
    return c.result(true, []);
  }
  return c.result(false, []);
}
