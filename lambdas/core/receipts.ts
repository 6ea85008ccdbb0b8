/**
 * Purchase lines into receipts, and what a new version of a receipt changes. Pure.
 *
 * A CSV file lists purchase lines: the same product twice on one receipt sums its quantities. A JSON
 * lines file holds one receipt per line: its items with the same product sum too, and the same
 * receipt on a later line is either the same receipt again (ignored) or refused. A receipt stored
 * before is replaced by a different version and left alone by the same one (docs/decisions/0021-bulk-import.md).
 */
import type { IngestedLine, Rejection } from './ingest-types.js';
import type { Receipt } from './ports.js';
import { minorUnits } from './purchase-activity.js';

/** A receipt as read from a file, with the file lines it came from. */
export interface ReadReceipt extends Receipt {
  readonly sourceLines: readonly number[];
}

interface Building {
  readonly receiptId: string;
  readonly memberId: string;
  readonly at: string;
  readonly firstLine: number;
  /** Per product: the summed quantity (and amount, in minor units) and the line it first appeared on. */
  readonly items: Map<string, { quantity: number; line: number; cents?: number }>;
  readonly sourceLines: number[];
}

type Item = { readonly productId: string; readonly quantity: number; readonly amount?: number | undefined };

const itemList = (r: Building): Item[] =>
  [...r.items].map(([productId, { quantity, cents }]) => ({
    productId,
    quantity,
    ...(cents === undefined ? {} : { amount: cents / 100 }),
  }));

/**
 * Items in product order with summed quantities and amounts (summed in minor units, so 0.1 + 0.2 is
 * 0.3): the form two versions of a receipt are compared in.
 */
export function canonicalItems(
  items: readonly Item[],
): Array<{ productId: string; quantity: number; amount?: number }> {
  const summed = new Map<string, { quantity: number; cents?: number }>();
  for (const item of items) {
    const sum = summed.get(item.productId) ?? { quantity: 0 };
    sum.quantity += item.quantity;
    if (item.amount !== undefined) sum.cents = (sum.cents ?? 0) + minorUnits(item.amount);
    summed.set(item.productId, sum);
  }
  return [...summed]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([productId, { quantity, cents }]) => ({
      productId,
      quantity,
      ...(cents === undefined ? {} : { amount: cents / 100 }),
    }));
}

/**
 * What a receipt came to: its lines' amounts added up exactly (in minor units), or undefined when none
 * of its lines carries an amount. A line without one counts nothing, as in the audiences' spend rules.
 */
export function receiptSpend(receipt: Pick<Receipt, 'items'>): number | undefined {
  let cents: number | undefined;
  for (const item of receipt.items) if (item.amount !== undefined) cents = (cents ?? 0) + minorUnits(item.amount);
  return cents === undefined ? undefined : cents / 100;
}

/** Two versions of a receipt are the same when member, time and items (summed, in order, with their amounts) are. */
export function sameReceipt(a: Receipt, b: Receipt): boolean {
  if (a.memberId !== b.memberId || Date.parse(a.at) !== Date.parse(b.at)) return false;
  const x = canonicalItems(a.items);
  const y = canonicalItems(b.items);
  return (
    x.length === y.length &&
    x.every(
      (item, i) =>
        item.productId === y[i]?.productId && item.quantity === y[i]?.quantity && item.amount === y[i]?.amount,
    )
  );
}

/** Add what replacing `before` (absent: a new receipt) by `after` does to the club's trips per product. */
export function addTripDelta(delta: Map<string, number>, before: Receipt | undefined, after: Receipt): void {
  for (const productId of new Set(after.items.map((i) => i.productId)))
    delta.set(productId, (delta.get(productId) ?? 0) + 1);
  if (!before) return;
  for (const productId of new Set(before.items.map((i) => i.productId)))
    delta.set(productId, (delta.get(productId) ?? 0) - 1);
}

/** Add one trip to each distinct product on the receipt: the unit club popularity counts in. */
export function countTrips(receipt: Receipt, trips: Map<string, number>): void {
  addTripDelta(trips, undefined, receipt);
}

/**
 * Collects accepted lines into receipts as they come. `json`: each receipt arrives whole on one line,
 * so a second line with the same receipt id is a repeat, not more items.
 */
export class ReceiptGrouper {
  private readonly receipts = new Map<string, Building>();
  /** Lines folded into an earlier line of the same receipt and product (quantities summed), or repeats. */
  duplicates = 0;

  constructor(private readonly json: boolean) {}

  /** Add the lines of one CSV row (one line) or one JSON receipt (all its items); a rejection, if any. */
  add(lines: readonly IngestedLine[]): Rejection | undefined {
    const first = lines[0];
    if (!first) return undefined;
    const seen = this.receipts.get(first.receiptId);
    if (seen && seen.memberId !== first.memberId) {
      return {
        line: first.sourceLine,
        field: 'member_id',
        message: `receipt ${first.receiptId} belongs to member ${seen.memberId} (line ${seen.firstLine})`,
      };
    }
    if (seen && this.json) {
      const again: Receipt = { ...first, items: lines };
      if (sameReceipt(again, { ...seen, items: itemList(seen) })) {
        this.duplicates += lines.length;
        return undefined;
      }
      return {
        line: first.sourceLine,
        field: 'receipt_id',
        message: `receipt ${first.receiptId} is on line ${seen.firstLine} with other items; send one version per file`,
      };
    }
    const receipt: Building = seen ?? {
      receiptId: first.receiptId,
      memberId: first.memberId,
      at: first.at,
      firstLine: first.sourceLine,
      items: new Map(),
      sourceLines: [],
    };
    this.receipts.set(first.receiptId, receipt);
    for (const line of lines) {
      const item = receipt.items.get(line.productId);
      const cents = line.amount === undefined ? undefined : minorUnits(line.amount);
      if (item) {
        this.duplicates += 1;
        item.quantity += line.quantity;
        if (cents !== undefined) item.cents = (item.cents ?? 0) + cents;
      } else
        receipt.items.set(line.productId, {
          quantity: line.quantity,
          line: line.sourceLine,
          ...(cents === undefined ? {} : { cents }),
        });
    }
    if (!receipt.sourceLines.includes(first.sourceLine)) receipt.sourceLines.push(first.sourceLine);
    return undefined;
  }

  get size(): number {
    return this.receipts.size;
  }

  /** The receipts, in the order they first appeared, items in product order. */
  receiptList(): ReadReceipt[] {
    return [...this.receipts.values()].map((r) => ({
      receiptId: r.receiptId,
      memberId: r.memberId,
      at: r.at,
      items: canonicalItems(itemList(r)),
      sourceLines: r.sourceLines,
    }));
  }

  /** One line per receipt and product, in file order, with summed quantities. */
  lines(): IngestedLine[] {
    return [...this.receipts.values()].flatMap((r) =>
      [...r.items].map(([productId, { quantity, line, cents }]) => ({
        memberId: r.memberId,
        receiptId: r.receiptId,
        at: r.at,
        productId,
        quantity,
        ...(cents === undefined ? {} : { amount: cents / 100 }),
        sourceLine: line,
      })),
    );
  }
}
