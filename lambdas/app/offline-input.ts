import { type CatalogIndex, catalogIndexBuilder } from '../core/catalog-index.js';
import { checkCsvHeader, forEachCsvRecord } from '../core/csv.js';
import { blockedMaskOf, DietTag, Labelling, maskOf, Restriction } from '../core/diet.js';
import type { Product } from '../core/model.js';

/** A problem in one of the input files, named by file, line and field. */
export class InputFileError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(problems.join('\n'));
    this.name = 'InputFileError';
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

/** One member's baskets, ordered by basket_seq or timestamp, each a list of item indices. */
export interface HistoryMember {
  readonly orders: number[];
  readonly baskets: number[][];
}

/** Purchase history reduced to indices: what the model fit and the per-member work read. */
export interface History {
  readonly itemIds: string[];
  /** The index of a product id in `itemIds`, or -1. */
  itemIndex(productId: string): number;
  /** Per member, in file order of first appearance. */
  readonly members: Map<string, HistoryMember>;
  /** True when baskets are ordered by basket_seq (no dates: one trip a day), false for timestamps. */
  readonly bySeq: boolean;
}

/** `member_id,basket_seq,product_id` (or `timestamp` instead of `basket_seq`), one row per purchase. */
export function readHistory(file: InputFile): History {
  const problems: string[] = [];
  const itemIndex = new Map<string, number>();
  const itemIds: string[] = [];
  const members = new Map<string, { orders: number[]; baskets: number[][]; at: Map<number, number> }>();
  let bySeq = true;
  let lastMember = '';
  let lastOrder = Number.NaN;
  let lastBasket: number[] | undefined;
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
    // Files list a basket's lines together: only a new member or basket needs a lookup.
    if (memberId !== lastMember || order !== lastOrder || lastBasket === undefined) {
      let member = members.get(memberId);
      if (!member) {
        member = { orders: [], baskets: [], at: new Map() };
        members.set(memberId, member);
      }
      const at = member.at.get(order);
      if (at === undefined) {
        lastBasket = [];
        member.at.set(order, member.baskets.length);
        member.orders.push(order);
        member.baskets.push(lastBasket);
      } else lastBasket = member.baskets[at] ?? [];
      lastMember = memberId;
      lastOrder = order;
    }
    lastBasket.push(item);
  });
  if (problems.length > 0) fail(problems);
  const out = new Map<string, HistoryMember>();
  for (const [memberId, { orders, baskets }] of members) {
    let sorted = true;
    for (let i = 1; i < orders.length; i += 1) if ((orders[i] ?? 0) < (orders[i - 1] ?? 0)) sorted = false;
    if (sorted) out.set(memberId, { orders, baskets });
    else {
      const by = orders.map((order, i) => ({ order, basket: baskets[i] ?? [] })).sort((a, b) => a.order - b.order);
      out.set(memberId, { orders: by.map((b) => b.order), baskets: by.map((b) => b.basket) });
    }
  }
  return { itemIds, itemIndex: (productId) => itemIndex.get(productId) ?? -1, members: out, bySeq };
}

/** `;`-separated values (`,` also works, for a catalog written with `;` between fields), each one of `allowed`. */
function values<T extends string>(raw: string, allowed: readonly T[], where: string, problems: string[]): T[] {
  const out: T[] = [];
  let start = 0;
  for (let i = 0; i <= raw.length; i += 1) {
    const c = i < raw.length ? raw.charCodeAt(i) : 59;
    if (c !== 59 && c !== 44) continue;
    const value = raw.slice(start, i).trim();
    start = i + 1;
    if (value === '') continue;
    const match = allowed.find((a) => a === value);
    if (match) out.push(match);
    else problems.push(`${where}: unknown value "${value}" (expected one of ${allowed.join(', ')})`);
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
        : (values(rawLabelling, Labelling.options, `${where(line)}: labelling`, problems)[0] ?? fallback);
    const category = cell(fields, at.category) || 'uncategorised';
    const read = (index: number, column: string) =>
      values(cell(fields, index), DietTag.options, `${where(line)}: ${column}`, problems);
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
    else declared.set(memberId, values(field('restrictions'), Restriction.options, `${where}: restrictions`, problems));
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
