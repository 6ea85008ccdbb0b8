import type { IngestedLine, IngestResult, Rejection } from '../core/ingest.js';
import type { Product } from '../core/model.js';
import type { MemberState, Receipt } from '../core/ports.js';
import { buildProfile } from '../core/profile.js';
import { DAY_MS } from '../core/units.js';
import type { Deps } from './deps.js';

/**
 * How long raw receipts are kept (RELIABILITY.md 23): two years of seasons plus a month, so a
 * yearly habit (Midsummer herring) is still visible. The profile is rebuilt from what remains.
 */
export const RECEIPT_RETENTION_DAYS = 760;

export interface IngestReport {
  /** Purchase lines stored (new or already known). */
  readonly accepted: number;
  readonly rejected: readonly Rejection[];
  readonly rejectedCount: number;
  readonly receiptsStored: number;
  /** Receipts whose id was ingested before: kept as they were. */
  readonly receiptsAlreadyKnown: number;
  readonly profilesUpdated: number;
  /** Unsubscribed members: their receipts are kept, but they are not profiled (GDPR Art. 21(3)). */
  readonly profilesSkipped: number;
}

type IngestDeps = Pick<Deps, 'members' | 'purchases' | 'popularity' | 'receiptArchive' | 'clock' | 'log'>;

/** Group parsed lines into receipts per member. */
export function receiptsByMember(
  lines: ReadonlyArray<Pick<IngestedLine, 'memberId' | 'receiptId' | 'at' | 'productId' | 'quantity'>>,
): Map<string, Map<string, Receipt>> {
  const byMember = new Map<string, Map<string, Receipt>>();
  for (const line of lines) {
    const receipts = byMember.get(line.memberId) ?? new Map<string, Receipt>();
    byMember.set(line.memberId, receipts);
    const existing = receipts.get(line.receiptId);
    const items = [...(existing?.items ?? []), { productId: line.productId, quantity: line.quantity }];
    receipts.set(line.receiptId, {
      receiptId: line.receiptId,
      memberId: line.memberId,
      at: existing?.at ?? line.at,
      items,
    });
  }
  return byMember;
}

/** Add one trip to each distinct product on the receipt: the unit club popularity counts in. */
export function countTrips(receipt: Receipt, trips: Map<string, number>): void {
  for (const productId of new Set(receipt.items.map((i) => i.productId)))
    trips.set(productId, (trips.get(productId) ?? 0) + 1);
}

/**
 * Store parsed receipts once each and rebuild the profile of every member who got a new one.
 * Lines of members the club does not know are rejected with their line number; the rest are kept.
 */
export async function ingestPurchases(
  deps: IngestDeps,
  clubId: string,
  parsed: IngestResult,
  catalog: ReadonlyMap<string, Product>,
): Promise<IngestReport> {
  const states = new Map<string, MemberState | undefined>();
  for (const line of parsed.lines) {
    if (!states.has(line.memberId)) states.set(line.memberId, await deps.members.getState(clubId, line.memberId));
  }
  const unknown: Rejection[] = parsed.lines
    .filter((line) => states.get(line.memberId) === undefined)
    .map((line) => ({ line: line.sourceLine, field: 'member_id', message: `unknown member ${line.memberId}` }));
  const lines = parsed.lines.filter((line) => states.get(line.memberId) !== undefined);

  const now = deps.clock.now();
  const expiresAt = new Date(now.getTime() + RECEIPT_RETENTION_DAYS * DAY_MS);
  let receiptsStored = 0;
  let receiptsAlreadyKnown = 0;
  let profilesUpdated = 0;
  let profilesSkipped = 0;
  const trips = new Map<string, number>();
  const archived: Receipt[] = [];
  for (const [memberId, receipts] of receiptsByMember(lines)) {
    let stored = 0;
    for (const receipt of receipts.values()) {
      if ((await deps.purchases.putReceipt(clubId, receipt, expiresAt)) === 'stored') {
        stored += 1;
        countTrips(receipt, trips);
        archived.push(receipt);
      } else receiptsAlreadyKnown += 1;
    }
    receiptsStored += stored;
    if (stored === 0) continue;
    if (states.get(memberId)?.member.subscription !== 'subscribed') {
      profilesSkipped += 1;
      continue;
    }
    const oldest = now.getTime() - RECEIPT_RETENTION_DAYS * DAY_MS;
    const history = (await deps.purchases.listReceipts(clubId, memberId))
      .filter((r) => Date.parse(r.at) >= oldest)
      .flatMap((r) =>
        r.items.map((item) => ({ memberId, receiptId: r.receiptId, at: r.at, productId: item.productId })),
      );
    await deps.members.putProfile(clubId, memberId, buildProfile(history, catalog, now));
    profilesUpdated += 1;
  }
  // The nightly model fit reads the archive (docs/decisions/0024-sql-model-fit.md).
  await deps.receiptArchive.append(clubId, archived, now);
  // Counted only for receipts stored now, so a re-sent file adds nothing.
  await deps.popularity.add(clubId, trips);
  const rejected = [...parsed.rejected, ...unknown].sort((a, b) => a.line - b.line);
  deps.log.info('purchases ingested', {
    clubId,
    accepted: lines.length,
    rejected: rejected.length,
    receiptsStored,
    profilesUpdated,
  });
  return {
    accepted: lines.length,
    rejected,
    rejectedCount: parsed.rejectedCount + unknown.length,
    receiptsStored,
    receiptsAlreadyKnown,
    profilesUpdated,
    profilesSkipped,
  };
}
