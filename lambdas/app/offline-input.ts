import { type CatalogIndex, catalogIndexBuilder } from '../core/catalog-index.js';
import { checkCsvHeader, forEachCsvRecord } from '../core/csv.js';
import { blockedMaskOf, DietTag, Labelling, maskOf, Restriction } from '../core/diet.js';
import type { Product } from '../core/model.js';

/** A problem in one of the input files, named by file, line and field. */
export class InputFileError extends Error {
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    super(problems.join('\n'));
    this.name = 'InputFileError';
    this.problems = problems;
  }
}

export interface InputFile {
  readonly name: string;
  readonly text: string;
}

const MAX_PROBLEMS = 20;

export function fail(problems: readonly string[]): never {
  const shown = problems.slice(0, MAX_PROBLEMS);
  if (problems.length > MAX_PROBLEMS) shown.push(`… and ${problems.length - MAX_PROBLEMS} more`);
  throw new InputFileError(shown);
}

interface Columns {
  readonly required: readonly string[];
  readonly optional?: readonly string[];
  /** Called once with the columns the header has (name → position in a row), before the first row. */
  readonly header?: (columns: ReadonlyMap<string, number>) => void;
}

/**
 * Read a CSV file row by row (nothing but the current row is held), after checking its header.
 * `row` gets each row's fields by column: absent optional columns read as "".
 */
export function eachRow(
  file: InputFile,
  { required, optional = [], header }: Columns,
  row: (field: (column: string) => string, line: number, fields: readonly string[]) => void,
): void {
  const problems: string[] = [];
  let columns: ReadonlyMap<string, number> | undefined;
  let width = 0;
  let fields: readonly string[] = [];
  const field = (column: string): string => {
    const index = columns?.get(column);
    return index === undefined ? '' : clean(fields[index] ?? '');
  };
  forEachCsvRecord(
    file.text,
    (read, line) => {
      if (columns === undefined) {
        const check = checkCsvHeader(read, line, required, optional);
        if (check.fileErrors.length > 0) fail(check.fileErrors.map((e) => `${file.name} line ${e.line}: ${e.message}`));
        columns = check.columns;
        width = read.length;
        header?.(columns);
      } else if (read.length !== width) {
        problems.push(`${file.name} line ${line}: expected ${width} fields, got ${read.length}`);
      } else {
        fields = read;
        row(field, line, read);
      }
    },
    (problem) => problems.push(`${file.name} line ${problem.line}: ${problem.message}`),
  );
  if (columns === undefined) fail([`${file.name} line 1: the file is empty`]);
  if (problems.length > 0) fail(problems);
}

/** Trimmed, without allocating for the usual field that has nothing to trim. */
function clean(value: string): string {
  const first = value.charCodeAt(0);
  const last = value.charCodeAt(value.length - 1);
  return first === 32 || first === 9 || last === 32 || last === 9 ? value.trim() : value;
}

/** A whole number written with digits only, or NaN. */
function wholeNumber(raw: string): number {
  if (raw.length === 0 || raw.length > 15) return raw.length > 15 && /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  let value = 0;
  for (let i = 0; i < raw.length; i += 1) {
    const digit = raw.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return Number.NaN;
    value = value * 10 + digit;
  }
  return value;
}

/** One member's baskets: baskets `first .. first + count − 1` of the history, oldest first. */
export interface HistoryMember {
  readonly first: number;
  readonly count: number;
}

/**
 * Purchase history reduced to indices, flat (what the model fit and the per-member work read):
 * basket b holds `items[start[b] .. start[b + 1])`, indices into `itemIds`, and was bought at
 * `orders[b]` (its basket_seq, or its timestamp in epoch milliseconds).
 */
export interface History {
  readonly itemIds: string[];
  /** The index of a product id in `itemIds`, or -1. */
  itemIndex(productId: string): number;
  readonly items: Int32Array;
  readonly start: Int32Array;
  readonly orders: Float64Array;
  /** Per member, in file order of first appearance. */
  readonly members: Map<string, HistoryMember>;
  /** True when baskets are ordered by basket_seq (no dates: one trip a day), false for timestamps. */
  readonly bySeq: boolean;
}

/** A typed array that grows as values are appended. */
class Growing<T extends Int32Array | Float64Array> {
  length = 0;
  values: T;
  private readonly make: (size: number) => T;
  constructor(make: (size: number) => T) {
    this.make = make;
    this.values = make(1024);
  }
  push(value: number): void {
    if (this.length === this.values.length) {
      const bigger = this.make(this.values.length * 2);
      bigger.set(this.values);
      this.values = bigger;
    }
    this.values[this.length] = value;
    this.length += 1;
  }
  get(index: number): number {
    return this.values[index] ?? 0;
  }
}

/** `member_id,basket_seq,product_id` (or `timestamp` instead of `basket_seq`), one row per purchase. */
export function readHistory(file: InputFile): History {
  const problems: string[] = [];
  const itemIndex = new Map<string, number>();
  const itemIds: string[] = [];
  const memberIndex = new Map<string, number>();
  const memberIds: string[] = [];
  // One entry per row: its member, its basket's order, its product.
  const rows = {
    member: new Growing((n) => new Int32Array(n)),
    order: new Growing((n) => new Float64Array(n)),
    item: new Growing((n) => new Int32Array(n)),
  };
  let bySeq = true;
  let lastMemberId = '';
  let lastMember = -1;
  let at = { member: -1, product: -1, order: -1 };
  const columns: Columns = {
    required: ['member_id', 'product_id'],
    optional: ['basket_seq', 'timestamp'],
    header: (found) => {
      if (!found.has('basket_seq') && !found.has('timestamp'))
        fail([`${file.name} line 1: needs a basket_seq or a timestamp column`]);
      bySeq = found.has('basket_seq');
      at = {
        member: found.get('member_id') ?? -1,
        product: found.get('product_id') ?? -1,
        order: found.get(bySeq ? 'basket_seq' : 'timestamp') ?? -1,
      };
    },
  };
  const where = (line: number) => `${file.name} line ${line}`;
  eachRow(file, columns, (_, line, fields) => {
    const memberId = clean(fields[at.member] ?? '');
    const productId = clean(fields[at.product] ?? '');
    const raw = clean(fields[at.order] ?? '');
    if (!memberId) problems.push(`${where(line)}: member_id: is empty`);
    if (!productId) problems.push(`${where(line)}: product_id: is empty`);
    let order: number;
    if (bySeq) {
      order = wholeNumber(raw);
      if (!Number.isSafeInteger(order))
        problems.push(`${where(line)}: basket_seq: expected a whole number, got "${raw}"`);
    } else {
      order = Date.parse(raw);
      if (!/^\d{4}-\d{2}-\d{2}/.test(raw) || Number.isNaN(order))
        problems.push(`${where(line)}: timestamp: expected an ISO 8601 date-time, got "${raw}"`);
    }
    if (!memberId || !productId || Number.isNaN(order)) return;
    let item = itemIndex.get(productId);
    if (item === undefined) {
      item = itemIds.length;
      itemIds.push(productId);
      itemIndex.set(productId, item);
    }
    // Files list a member's lines together: only a new member needs a lookup.
    if (memberId !== lastMemberId) {
      let member = memberIndex.get(memberId);
      if (member === undefined) {
        member = memberIds.length;
        memberIds.push(memberId);
        memberIndex.set(memberId, member);
      }
      lastMemberId = memberId;
      lastMember = member;
    }
    rows.member.push(lastMember);
    rows.order.push(order);
    rows.item.push(item);
  });
  if (problems.length > 0) fail(problems);
  return {
    itemIds,
    itemIndex: (productId) => itemIndex.get(productId) ?? -1,
    ...group(memberIds, rows),
    bySeq,
  };
}

/**
 * Rows grouped into baskets: by member (in order of first appearance), then by order within the
 * member, stable, so a basket's rows keep their file order; rows sharing member and order are one basket.
 */
function group(
  memberIds: readonly string[],
  rows: { member: Growing<Int32Array>; order: Growing<Float64Array>; item: Growing<Int32Array> },
): Pick<History, 'items' | 'start' | 'orders' | 'members'> {
  const count = rows.member.length;
  const memberStart = new Int32Array(memberIds.length + 1);
  for (let r = 0; r < count; r += 1) {
    const m = rows.member.get(r);
    memberStart[m + 1] = (memberStart[m + 1] ?? 0) + 1;
  }
  for (let m = 0; m < memberIds.length; m += 1) memberStart[m + 1] = (memberStart[m + 1] ?? 0) + (memberStart[m] ?? 0);
  const fill = memberStart.slice(0, memberIds.length);
  const perm = new Int32Array(count);
  for (let r = 0; r < count; r += 1) {
    const m = rows.member.get(r);
    perm[fill[m] ?? 0] = r;
    fill[m] = (fill[m] ?? 0) + 1;
  }
  const orderOf = (p: number) => rows.order.get(perm[p] ?? 0);
  const items = new Int32Array(count);
  const start = new Growing((n) => new Int32Array(n));
  const orders = new Growing((n) => new Float64Array(n));
  start.push(0);
  const members = new Map<string, HistoryMember>();
  for (let m = 0; m < memberIds.length; m += 1) {
    const from = memberStart[m] ?? 0;
    const to = memberStart[m + 1] ?? 0;
    let sorted = true;
    for (let p = from + 1; p < to && sorted; p += 1) sorted = orderOf(p) >= orderOf(p - 1);
    // Typed arrays sort without a stability guarantee, so the row number breaks ties.
    if (!sorted) perm.subarray(from, to).sort((a, b) => rows.order.get(a) - rows.order.get(b) || a - b);
    const first = orders.length;
    for (let p = from; p < to; p += 1) {
      items[p] = rows.item.get(perm[p] ?? 0);
      if (p === from || orderOf(p) !== orderOf(p - 1)) {
        if (p > from) start.push(p);
        orders.push(orderOf(p));
      }
    }
    if (to > from) start.push(to);
    members.set(memberIds[m] ?? '', { first, count: orders.length - first });
  }
  return {
    items,
    start: start.values.subarray(0, start.length),
    orders: orders.values.subarray(0, orders.length),
    members,
  };
}

/** `;`-separated values (`,` also works, for a catalog written with `;` between fields), each one of `allowed`. */
function values<T extends string>(raw: string, allowed: readonly T[], where: () => string, problems: string[]): T[] {
  const out: T[] = [];
  if (raw === '') return out;
  let start = 0;
  for (let i = 0; i <= raw.length; i += 1) {
    const c = i < raw.length ? raw.charCodeAt(i) : 59;
    if (c !== 59 && c !== 44) continue;
    const value = raw.slice(start, i).trim();
    start = i + 1;
    if (value === '') continue;
    const match = allowed.find((a) => a === value);
    if (match) out.push(match);
    else problems.push(`${where()}: unknown value "${value}" (expected one of ${allowed.join(', ')})`);
  }
  return out;
}

/** A catalog file as read: the products kept, and the index over every row. */
export interface CatalogFile {
  readonly products: Map<string, Product>;
  readonly index: CatalogIndex;
}

/**
 * `product_id,name,category` and the diet columns `contains`, `may_contain`, `free_from` (tags) and
 * `labelling` (`declared` or `unknown`; empty for the file's default). A file with a `contains`
 * column reads as declared unless a row says otherwise: retailers' product data lists what a product
 * contains. A file with neither `contains` nor `labelling` has no diet data: every product is unknown.
 * Every row is checked and counts in its category's statistics; only the products `keep` accepts
 * (all by default) are held, so a 100,000-product catalog costs little beyond its file.
 */
export function readCatalog(file: InputFile, keep: (productId: string) => boolean = () => true): CatalogFile {
  const problems: string[] = [];
  const products = new Map<string, Product>();
  const builder = catalogIndexBuilder();
  let fallback: Labelling = 'unknown';
  // Positions of the columns (-1: absent), read once from the header.
  let at = { id: -1, name: -1, category: -1, contains: -1, mayContain: -1, freeFrom: -1, labelling: -1 };
  const columns: Columns = {
    required: ['product_id', 'name', 'category'],
    optional: ['contains', 'may_contain', 'free_from', 'labelling'],
    header: (found) => {
      fallback = found.has('contains') ? 'declared' : 'unknown';
      const position = (name: string) => found.get(name) ?? -1;
      at = {
        id: position('product_id'),
        name: position('name'),
        category: position('category'),
        contains: position('contains'),
        mayContain: position('may_contain'),
        freeFrom: position('free_from'),
        labelling: position('labelling'),
      };
    },
  };
  const cell = (fields: readonly string[], index: number) => (index < 0 ? '' : clean(fields[index] ?? ''));
  const where = (line: number) => `${file.name} line ${line}`;
  eachRow(file, columns, (_, line, fields) => {
    const productId = cell(fields, at.id);
    if (!productId) problems.push(`${where(line)}: product_id: is empty`);
    const rawLabelling = cell(fields, at.labelling);
    const labelling =
      rawLabelling === ''
        ? fallback
        : (values(rawLabelling, Labelling.options, () => `${where(line)}: labelling`, problems)[0] ?? fallback);
    const category = cell(fields, at.category) || 'uncategorised';
    const read = (index: number, column: string) =>
      values(cell(fields, index), DietTag.options, () => `${where(line)}: ${column}`, problems);
    if (productId && keep(productId)) {
      const mayContain = read(at.mayContain, 'may_contain');
      const product: Product = {
        productId,
        name: cell(fields, at.name) || `product ${productId}`,
        category,
        contains: read(at.contains, 'contains'),
        freeFrom: read(at.freeFrom, 'free_from'),
        labelling,
      };
      if (mayContain.length > 0) product.mayContain = mayContain;
      products.set(productId, product);
      builder.add(product);
    } else {
      const contains = maskOf(read(at.contains, 'contains'));
      const mayContain = maskOf(read(at.mayContain, 'may_contain'));
      const freeFrom = maskOf(read(at.freeFrom, 'free_from'));
      builder.count(category, {
        contains,
        mayContain,
        blocked: blockedMaskOf(contains, mayContain, freeFrom, labelling),
      });
    }
  });
  if (problems.length > 0) fail(problems);
  return { products, index: builder.build() };
}

/** `member_id,restrictions`: each member's declared restrictions, `;`-separated. */
export function readMembers(file: InputFile): Map<string, Restriction[]> {
  const problems: string[] = [];
  const declared = new Map<string, Restriction[]>();
  eachRow(file, { required: ['member_id', 'restrictions'] }, (field, line) => {
    const where = `${file.name} line ${line}`;
    const memberId = field('member_id');
    if (!memberId) problems.push(`${where}: member_id: is empty`);
    else
      declared.set(
        memberId,
        values(field('restrictions'), Restriction.options, () => `${where}: restrictions`, problems),
      );
  });
  if (problems.length > 0) fail(problems);
  return declared;
}

/** `product_id`: the offer pool. */
export function readPool(file: InputFile): string[] {
  const ids: string[] = [];
  eachRow(file, { required: ['product_id'] }, (field) => {
    const id = field('product_id');
    if (id) ids.push(id);
  });
  return ids;
}
