import { csvTable, toCsv } from '../core/csv.js';
import { DietTag, FORBIDDEN_TAGS, Restriction } from '../core/diet.js';
import type { OfferWithProduct, Product } from '../core/model.js';
import { type BasketRecord, fitModel } from '../core/next-basket.js';
import { rankOffers, reasonText } from '../core/offers.js';
import { effectiveRestrictions, inferRestrictions, type PurchaseLine } from '../core/profile.js';
import type { PickWhy, Scorer } from '../core/scoring.js';
import { DAY_MS } from '../core/units.js';

/** A problem in one of the input files, named by file, line and field. */
export class InputFileError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(problems.join('\n'));
    this.name = 'InputFileError';
  }
}

export interface OfflineInput {
  readonly history: { readonly name: string; readonly text: string };
  readonly catalog?: { readonly name: string; readonly text: string };
  readonly members?: { readonly name: string; readonly text: string };
  readonly pool?: { readonly name: string; readonly text: string };
  readonly k: number;
}

export interface OfflineResult {
  readonly csv: string;
  readonly members: number;
  readonly rows: number;
  /** Members whose restrictions were inferred from the history, by restriction. */
  readonly inferred: Readonly<Record<string, number>>;
}

const MAX_PROBLEMS = 20;
const ALL_TAGS = DietTag.options;

function fail(problems: string[]): never {
  const shown = problems.slice(0, MAX_PROBLEMS);
  if (problems.length > MAX_PROBLEMS) shown.push(`… and ${problems.length - MAX_PROBLEMS} more`);
  throw new InputFileError(shown);
}

function table(file: { name: string; text: string }, required: string[], optional: string[] = []) {
  const parsed = csvTable(file.text, required, optional);
  const problems = [
    ...parsed.fileErrors.map((e) => `${file.name} line ${e.line}: ${e.message}`),
    ...parsed.errors.map((e) => `${file.name} line ${e.line}: ${e.message}`),
  ];
  if (problems.length > 0) fail(problems);
  const at = (row: { fields: string[] }, column: string): string => {
    const index = parsed.columns.get(column);
    return index === undefined ? '' : (row.fields[index] ?? '').trim();
  };
  return { rows: parsed.rows, at, has: (column: string) => parsed.columns.has(column) };
}

function tags<T extends string>(raw: string, allowed: readonly T[], where: string, problems: string[]): T[] {
  const out: T[] = [];
  for (const part of raw
    .split(';')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const match = allowed.find((a) => a === part);
    if (match) out.push(match);
    else problems.push(`${where}: unknown value "${part}" (expected one of ${allowed.join(', ')})`);
  }
  return out;
}

/**
 * The offline command behind `npm run offers`: read purchase history (and optionally a catalog,
 * members' declared restrictions and an offer pool), and rank offers for every member with the
 * product's own model and rules: the next-basket scores, the hard diet exclusions (declared and
 * inferred), the per-category cap and the reasons.
 */
export function rankOffline(input: OfflineInput): OfflineResult {
  const history = table(input.history, ['member_id', 'product_id'], ['basket_seq', 'timestamp']);
  if (!history.has('basket_seq') && !history.has('timestamp')) {
    fail([`${input.history.name} line 1: needs a basket_seq or a timestamp column`]);
  }
  const bySeq = history.has('basket_seq');
  const problems: string[] = [];
  const lines: Array<{ memberId: string; productId: string; order: number }> = [];
  for (const row of history.rows) {
    const memberId = history.at(row, 'member_id');
    const productId = history.at(row, 'product_id');
    const where = `${input.history.name} line ${row.line}`;
    if (!memberId) problems.push(`${where}: member_id: is empty`);
    if (!productId) problems.push(`${where}: product_id: is empty`);
    let order: number;
    if (bySeq) {
      const raw = history.at(row, 'basket_seq');
      order = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
      if (!Number.isSafeInteger(order)) problems.push(`${where}: basket_seq: expected a whole number, got "${raw}"`);
    } else {
      const raw = history.at(row, 'timestamp');
      order = Date.parse(raw);
      if (!/^\d{4}-\d{2}-\d{2}/.test(raw) || Number.isNaN(order))
        problems.push(`${where}: timestamp: expected an ISO 8601 date-time, got "${raw}"`);
    }
    if (memberId && productId) lines.push({ memberId, productId, order });
  }
  if (problems.length > 0) fail(problems);

  // The catalog: without one, every product counts as tag-free and as its own category.
  const products = new Map<string, Product>();
  if (input.catalog) {
    const catalog = table(input.catalog, ['product_id', 'name', 'category', 'contains', 'free_from']);
    for (const row of catalog.rows) {
      const where = `${input.catalog.name} line ${row.line}`;
      const productId = catalog.at(row, 'product_id');
      if (!productId) problems.push(`${where}: product_id: is empty`);
      const product: Product = {
        productId,
        name: catalog.at(row, 'name') || `product ${productId}`,
        category: catalog.at(row, 'category') || 'uncategorised',
        contains: tags(catalog.at(row, 'contains'), ALL_TAGS, `${where}: contains`, problems),
        freeFrom: tags(catalog.at(row, 'free_from'), ALL_TAGS, `${where}: free_from`, problems),
      };
      if (productId) products.set(productId, product);
    }
  }
  const declared = new Map<string, Restriction[]>();
  if (input.members) {
    const members = table(input.members, ['member_id', 'restrictions']);
    const allowed = Object.keys(FORBIDDEN_TAGS).flatMap((r) => {
      const parsed = Restriction.safeParse(r);
      return parsed.success ? [parsed.data] : [];
    });
    for (const row of members.rows) {
      const where = `${input.members.name} line ${row.line}`;
      const memberId = members.at(row, 'member_id');
      if (!memberId) problems.push(`${where}: member_id: is empty`);
      else declared.set(memberId, tags(members.at(row, 'restrictions'), allowed, `${where}: restrictions`, problems));
    }
  }
  let poolIds: string[] | undefined;
  if (input.pool) {
    const pool = table(input.pool, ['product_id']);
    poolIds = pool.rows.map((row) => pool.at(row, 'product_id')).filter(Boolean);
  }
  if (problems.length > 0) fail(problems);

  const productOf = (productId: string): Product =>
    products.get(productId) ?? {
      productId,
      name: `product ${productId}`,
      category: input.catalog ? 'uncategorised' : `product ${productId}`,
      contains: [],
      freeFrom: input.catalog ? [] : ALL_TAGS,
    };

  // Baskets per member, ordered by basket_seq or timestamp.
  const baskets = new Map<string, Map<number, string[]>>();
  for (const line of lines) {
    const perMember = baskets.get(line.memberId) ?? new Map<number, string[]>();
    baskets.set(line.memberId, perMember);
    perMember.set(line.order, [...(perMember.get(line.order) ?? []), line.productId]);
  }
  const records: BasketRecord[] = [];
  for (const [memberId, perMember] of baskets) {
    for (const [seq, items] of perMember) records.push({ memberId, seq, items });
  }
  const model = fitModel(records);
  const candidates = poolIds ?? [...new Set(lines.map((l) => l.productId))].sort();
  const candidateOffers = new Map<string, OfferWithProduct>(
    candidates.map((id) => [id, { offer: { offerId: id, productId: id, headline: 'offer' }, product: productOf(id) }]),
  );

  const rows: Array<[string, number, string, string, string]> = [];
  const inferred: Record<string, number> = {};
  const now = Date.now();
  for (const [memberId, perMember] of [...baskets].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const orders = [...perMember.keys()].sort((a, b) => a - b);
    const last = orders[orders.length - 1] ?? 0;
    // Baskets without timestamps are read as one trip a day, so the 90-day rule spans 90 trips.
    const dateOf = (order: number) => new Date(bySeq ? now - (last - order) * DAY_MS : order).toISOString();
    const memberLines: PurchaseLine[] = orders.flatMap((order) =>
      (perMember.get(order) ?? []).map((productId) => ({
        memberId,
        receiptId: String(order),
        at: dateOf(order),
        productId,
      })),
    );
    const inferredHere = input.catalog ? inferRestrictions(memberLines, products, new Date(bySeq ? now : last)) : [];
    for (const r of inferredHere) inferred[r] = (inferred[r] ?? 0) + 1;
    const restrictions = effectiveRestrictions(declared.get(memberId) ?? [], inferredHere, []);
    const counts = new Map<string, number>();
    for (const items of perMember.values())
      for (const item of new Set(items)) counts.set(item, (counts.get(item) ?? 0) + 1);

    // Ask the model for a shortlist, widen it until the rules leave k picks or it runs out.
    let shortlist = input.k * 4;
    for (;;) {
      const scored = model.recommend(memberId, shortlist, poolIds);
      const parts = new Map(scored.map((s) => [s.itemId, s]));
      const scorer: Scorer = (candidate) => {
        const s = parts.get(candidate.product.productId);
        if (!s) return { score: 0, why: 'popular' };
        // The most personal true sentence: the member's own purchases first.
        const bought = counts.get(candidate.product.productId) ?? 0;
        const why: PickWhy =
          bought >= 3
            ? 'often-bought'
            : bought >= 1
              ? 'bought-before'
              : s.parts.neighbours >= s.parts.popularity
                ? 'goes-with'
                : 'popular';
        return { score: s.score, why };
      };
      const offers = scored.flatMap((s) => {
        const offer = candidateOffers.get(s.itemId);
        return offer ? [offer] : [];
      });
      const { picks } = rankOffers({
        scorer,
        candidates: offers,
        restrictions,
        k: input.k,
        maxPerCategory: Math.max(2, Math.ceil(input.k / 3)),
      });
      if (picks.length >= input.k || scored.length < shortlist) {
        picks.forEach((pick, i) => {
          const offer = candidateOffers.get(pick.productId);
          const score = parts.get(pick.productId)?.score ?? pick.score;
          rows.push([
            memberId,
            i + 1,
            pick.productId,
            score.toFixed(6),
            offer ? reasonText(pick.why, offer) : pick.reason,
          ]);
        });
        break;
      }
      shortlist *= 4;
    }
  }
  return {
    csv: toCsv(['member_id', 'rank', 'product_id', 'score', 'reason'], rows),
    members: baskets.size,
    rows: rows.length,
    inferred,
  };
}
