/**
 * Purchase postings for audience estimates (docs/decisions/0050-audience-estimates.md): the members'
 * purchases turned inside out, one line per category and per product with the members (by their line
 * in the facts file) who bought it and when, spread over PURCHASE_BUCKETS files by a hash of the key.
 * An estimate reads only the lines of the categories and products its rule names, so what it reads
 * grows with the members who bought those, not with every member's whole history. What `spent` reads
 * (shopping dates and amounts) is a file of its own, line for line with the facts. Pure.
 */
import { z } from 'zod';
import type { AudienceFact, PurchaseFact } from './audience-facts.js';
import { type AudienceRule, walkRule } from './audience-rules.js';
import { MAX_TIMES, type PurchaseActivity } from './purchase-activity.js';

/** The most days before the latest purchase a kept date can be (the activity's window and a day). */
const MAX_OFFSET = 400;

/** Files the postings are spread over: an estimate reads one per category or product it names. */
export const PURCHASE_BUCKETS = 64;

/** A category's or a product's posting key: `c:` or `p:` and its id. */
export const categoryKey = (category: string) => `c:${category}`;
export const productKey = (productId: string) => `p:${productId}`;

/** The bucket of a key: FNV-1a of its UTF-16 code units, so every writer and reader agrees. */
export function bucketOf(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h % PURCHASE_BUCKETS;
}

/**
 * One key's members, as parallel arrays: `i` the member's line in the facts file (ascending), `n` how
 * many of its latest dates follow in `o` (-1: none kept, only `l`), `o` the dates as offsets before the
 * member's latest purchase day (the fact's `pd`), and `l` (products) the epoch day of its latest
 * purchase, or -1.
 */
export const Posting = z.object({
  k: z.string(),
  i: z.array(z.number().int().min(0)),
  n: z.array(z.number().int().min(-1).max(MAX_TIMES)),
  o: z.array(z.number().int().min(0).max(MAX_OFFSET)),
  l: z.array(z.number().int().min(-1)).optional(),
});
export type Posting = z.infer<typeof Posting>;

/** The first line of each bucket file: which facts it belongs to. */
export const PostingsHeader = z.object({ asOf: z.iso.datetime(), members: z.number().int().min(0) });
export type PostingsHeader = z.infer<typeof PostingsHeader>;

/** A member's shopping dates and amounts for `spent` rules, or 0 when no receipt carried amounts. */
export const SpendLine = z.union([
  z.literal(0),
  z.tuple([z.array(z.number().int().min(0)), z.array(z.number().int().min(0))]),
]);
export type SpendLine = z.infer<typeof SpendLine>;

export const spendLineOf = (purchases: PurchaseFact): SpendLine =>
  purchases.act?.spend ? [purchases.act.days, purchases.act.spend] : 0;

/** How a posting line starts: an estimate parses only the lines whose start it is looking for. */
export const postingPrefix = (key: string) => `{"k":${JSON.stringify(key)},`;

/** A growing array of small integers in a typed array: 2 or 4 bytes a number instead of 8 or more. */
class Numbers {
  private data: Int16Array | Int32Array;
  length = 0;

  constructor(private readonly wide: boolean) {
    this.data = wide ? new Int32Array(4) : new Int16Array(4);
  }

  push(value: number): void {
    if (this.length === this.data.length) {
      const grown = this.wide ? new Int32Array(this.length * 2) : new Int16Array(this.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length++] = value;
  }

  json(): string {
    return `[${this.data.subarray(0, this.length).join(',')}]`;
  }
}

/**
 * Collects the postings of members added in facts-file order. Members' lines and days take 4 bytes,
 * counts and offsets (at most 367) 2: about 2 KB a member who bought a hundred products in the year.
 */
export class PostingsBuilder {
  private readonly postings = new Map<string, { i: Numbers; n: Numbers; o: Numbers; l?: Numbers }>();

  add(index: number, purchases: PurchaseFact): void {
    const act = purchases.act;
    if (act) {
      for (const [category, offsets] of Object.entries(act.categories))
        this.entry(categoryKey(category), index, offsets);
    }
    const last = purchases.l ?? {};
    for (const [productId, offsets] of Object.entries(act?.products ?? {})) {
      this.entry(productKey(productId), index, offsets, Object.hasOwn(last, productId) ? last[productId] : undefined);
    }
    for (const [productId, day] of Object.entries(last)) {
      if (act && Object.hasOwn(act.products, productId)) continue;
      this.entry(productKey(productId), index, undefined, day);
    }
  }

  private entry(key: string, index: number, offsets: readonly number[] | undefined, last?: number): void {
    let posting = this.postings.get(key);
    if (!posting) {
      posting = {
        i: new Numbers(true),
        n: new Numbers(false),
        o: new Numbers(false),
        ...(key.startsWith('p:') ? { l: new Numbers(true) } : {}),
      };
      this.postings.set(key, posting);
    }
    posting.i.push(index);
    posting.n.push(offsets ? offsets.length : -1);
    if (offsets) for (const offset of offsets) posting.o.push(offset);
    posting.l?.push(last ?? -1);
  }

  /**
   * Each bucket's text (header first, then its keys in order, so a rebuild writes the same bytes), one
   * bucket at a time: the text of all of them is as big as the postings.
   */
  *buckets(header: PostingsHeader): Generator<string> {
    const keys: string[][] = Array.from({ length: PURCHASE_BUCKETS }, () => []);
    for (const key of [...this.postings.keys()].sort()) keys[bucketOf(key)]?.push(key);
    for (const bucketKeys of keys) {
      const lines = [JSON.stringify(header)];
      for (const key of bucketKeys) {
        const p = this.postings.get(key);
        if (!p) continue;
        const l = p.l ? `,"l":${p.l.json()}` : '';
        lines.push(`${postingPrefix(key)}"i":${p.i.json()},"n":${p.n.json()},"o":${p.o.json()}${l}}`);
      }
      yield `${lines.join('\n')}\n`;
    }
  }
}

/** What a rule (with the saved audiences it includes) reads of purchases. */
export interface PurchaseNeeds {
  /** Posting keys of the categories and products it names. */
  readonly keys: ReadonlySet<string>;
  /** Whether it reads spend (`spent`). */
  readonly spend: boolean;
  /** Whether it reads purchases at all. */
  readonly any: boolean;
}

export function purchaseNeeds(rule: AudienceRule, audiences: ReadonlyMap<string, AudienceRule>): PurchaseNeeds {
  const keys = new Set<string>();
  let spend = false;
  let any = false;
  const seen = new Set<string>();
  const visit = (r: AudienceRule) => {
    for (const [node] of walkRule(r)) {
      if (node.rule === 'bought') {
        any = true;
        if (node.category !== undefined) keys.add(categoryKey(node.category));
        else keys.add(productKey(node.product ?? ''));
      } else if (node.rule === 'spent') {
        any = true;
        spend = true;
      } else if (node.rule === 'last-purchase') any = true;
      else if (node.rule === 'audience' && !seen.has(node.audienceId)) {
        seen.add(node.audienceId);
        const inner = audiences.get(node.audienceId);
        if (inner) visit(inner);
      }
    }
  };
  visit(rule);
  return { keys, spend, any };
}

/** Where member i's entry is in each posting: -1 when the member is not in it. */
function entriesOf(posting: Posting, members: number): { at: Int32Array; start: Int32Array } {
  const at = new Int32Array(members).fill(-1);
  const start = new Int32Array(posting.i.length);
  let offset = 0;
  posting.i.forEach((member, e) => {
    if (member < members) at[member] = e;
    start[e] = offset;
    offset += Math.max(0, posting.n[e] ?? 0);
  });
  return { at, start };
}

/**
 * Rebuilds each member's purchases as rules read them, from the postings of the keys a rule names (and
 * the spend lines when it reads spend): the same answers as the member's whole purchases for that rule.
 */
export class PurchaseView {
  private readonly indexed: Array<{ key: string; posting: Posting; at: Int32Array; start: Int32Array }>;

  constructor(
    private readonly facts: readonly AudienceFact[],
    postings: ReadonlyMap<string, Posting>,
    private readonly spend?: readonly SpendLine[],
  ) {
    this.indexed = [...postings].map(([key, posting]) => ({ key, posting, ...entriesOf(posting, facts.length) }));
  }

  purchasesOf(i: number): PurchaseFact {
    const day = this.facts[i]?.pd;
    const categories: Record<string, number[]> = Object.create(null);
    const products: Record<string, number[]> = Object.create(null);
    const last: Record<string, number> = Object.create(null);
    let lasts = 0;
    for (const { key, posting, at, start } of this.indexed) {
      const e = at[i] ?? -1;
      if (e < 0) continue;
      const n = posting.n[e] ?? -1;
      const id = key.slice(2);
      if (n >= 0) {
        const from = start[e] ?? 0;
        (key.startsWith('c:') ? categories : products)[id] = posting.o.slice(from, from + n);
      }
      const l = posting.l?.[e] ?? -1;
      if (l >= 0) {
        last[id] = l;
        lasts += 1;
      }
    }
    const line = this.spend?.[i] ?? 0;
    const act: PurchaseActivity | undefined =
      day === undefined
        ? undefined
        : { day, days: line === 0 ? [] : line[0], ...(line === 0 ? {} : { spend: line[1] }), categories, products };
    return { ...(act ? { act } : {}), ...(lasts > 0 ? { l: last } : {}) };
  }
}
