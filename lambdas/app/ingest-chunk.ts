import { addCounts, type ChunkCounts, EMPTY_COUNTS, type ImportMessage, type ImportStep } from '../core/import-job.js';
import type { GroupPlan } from '../core/import-ports.js';
import type { IngestedLine, Rejection } from '../core/ingest-types.js';
import type { Member, Product } from '../core/model.js';
import type { Receipt } from '../core/ports.js';
import { buildProfile, type PurchaseProfile } from '../core/profile.js';
import { addTripDelta, type ReadReceipt, ReceiptGrouper, sameReceipt } from '../core/receipts.js';
import { oldestKeptPurchase } from '../core/retention.js';
import { mapLimit } from './concurrency.js';
import type { Deps } from './deps.js';

export type ChunkDeps = Pick<
  Deps,
  'members' | 'purchases' | 'receiptArchive' | 'importJobs' | 'importSettings' | 'importFaults' | 'clock' | 'log'
>;

/** The job as a chunk needs it. */
export interface ChunkJob {
  readonly clubId: string;
  readonly jobId: string;
  /** The job's clock: profiles are built as of it, so a re-run builds the same ones. */
  readonly asOf: string;
  readonly format: 'csv' | 'ndjson';
}

export interface ChunkResult {
  readonly counts: ChunkCounts;
  /** Lines this chunk refused, in line order (an unknown member, a receipt under two members). */
  readonly rejected: Rejection[];
}

/** Receipts written per BatchWriteItem round before the fault point that tests "half written". */
const HALF = 0.5;

/**
 * Store one chunk of receipt lines (all the lines of the members in one member bucket) and rebuild
 * those members' profiles, exactly once whatever crashes and retries (docs/decisions/0021-bulk-import.md):
 * per group of members, a plan made from what was stored before anything is written (new, replaced and
 * unchanged receipts, the popularity change, whose profiles to rebuild) is stored once and reused by
 * every re-run; the writes are idempotent (the receipt as the file has it, the profile from the stored
 * receipts as of the job's time). Once all its receipts are written, the chunk appends every receipt
 * of a known member to the receipt archive as one file, changed or not: the archive reads each receipt
 * in its latest version, as the store keeps it, and a re-run after a crash archives again what the
 * crash may have kept from the archive (docs/decisions/0026-receipt-archive.md).
 */
export async function ingestPurchaseChunk(
  deps: ChunkDeps,
  job: ChunkJob,
  chunk: number,
  entries: Iterable<IngestedLine[]>,
  catalog: ReadonlyMap<string, Product>,
  message?: ImportMessage,
): Promise<ChunkResult> {
  const fault = async (step: ImportStep) => {
    if (message && deps.importFaults) await deps.importFaults(step, message);
  };
  const grouper = new ReceiptGrouper(job.format === 'ndjson');
  const rejected: Rejection[] = [];
  const entriesOf = new Map<string, number>();
  for (const lines of entries) {
    const problem = grouper.add(lines);
    if (problem) rejected.push(problem);
    else {
      const memberId = lines[0]?.memberId ?? '';
      entriesOf.set(memberId, (entriesOf.get(memberId) ?? 0) + 1);
    }
  }
  let counts = addCounts(EMPTY_COUNTS, { rejected: rejected.length });
  const byMember = new Map<string, ReadReceipt[]>();
  for (const receipt of grouper.receiptList())
    byMember.set(receipt.memberId, [...(byMember.get(receipt.memberId) ?? []), receipt]);
  const memberIds = [...byMember.keys()].sort();
  const size = deps.importSettings.groupMembers;
  const archived: Receipt[] = [];
  for (let start = 0, group = 0; start < memberIds.length; start += size, group += 1) {
    const ids = memberIds.slice(start, start + size);
    const members = await deps.members.getMembers(job.clubId, ids);
    for (const id of ids) {
      if (members.has(id)) continue;
      for (const receipt of byMember.get(id) ?? [])
        for (const line of receipt.sourceLines)
          rejected.push({ line, field: 'member_id', message: `unknown member ${id}` });
      counts = addCounts(counts, { rejected: entriesOf.get(id) ?? 0 });
    }
    const known = ids.filter((id) => members.has(id));
    for (const id of known) archived.push(...(byMember.get(id) ?? []));
    counts = addCounts(counts, { accepted: known.reduce((n, id) => n + (entriesOf.get(id) ?? 0), 0) });
    const stored = new Map(
      await mapLimit(
        known,
        deps.importSettings.readConcurrency,
        async (id): Promise<[string, Map<string, Receipt>]> => {
          const receipts = await deps.purchases.listReceipts(job.clubId, id);
          return [id, new Map(receipts.map((r) => [r.receiptId, r]))];
        },
      ),
    );
    let plan = await deps.importJobs.getPlan(job.clubId, job.jobId, chunk, group);
    if (!plan) {
      plan = await deps.importJobs.planOnce(
        job.clubId,
        job.jobId,
        chunk,
        group,
        planGroup(ids, members, byMember, stored),
      );
    }
    counts = addCounts(counts, plan.counts);
    await fault('chunk:plan-stored');
    // Whatever differs from what is stored now: on a re-run, what the crash left unwritten.
    const toWrite = known.flatMap((id) =>
      (byMember.get(id) ?? []).filter((receipt) => {
        const before = stored.get(id)?.get(receipt.receiptId);
        return !before || !sameReceipt(before, receipt);
      }),
    );
    const half = Math.ceil(toWrite.length * HALF);
    await deps.purchases.putReceipts(job.clubId, toWrite.slice(0, half));
    await fault('chunk:some-receipts-written');
    await deps.purchases.putReceipts(job.clubId, toWrite.slice(half));
    await fault('chunk:receipts-written');
    const profiles = plan.touched.flatMap((index) => {
      const id = ids[index];
      const member = id === undefined ? undefined : members.get(id);
      // Receipts are kept, but a member who objected to marketing is not profiled (GDPR Art. 21(3)).
      if (!id || !member || member.subscription !== 'subscribed') return [];
      const history = new Map(stored.get(id));
      for (const receipt of byMember.get(id) ?? []) history.set(receipt.receiptId, receipt);
      return [{ memberId: id, profile: profileOf([...history.values()], catalog, new Date(job.asOf)) }];
    });
    await deps.members.putProfiles(job.clubId, profiles);
    await fault('chunk:profiles-written');
  }
  // The nightly model fit's input (docs/decisions/0024-sql-model-fit.md), after the store has them all.
  await deps.receiptArchive.append(job.clubId, archived, deps.clock.now());
  await fault('chunk:archived');
  rejected.sort((a, b) => a.line - b.line);
  return { counts, rejected };
}

/** What the group will do, judged on the receipts stored before this job wrote any of its own. */
function planGroup(
  ids: readonly string[],
  members: ReadonlyMap<string, Member>,
  byMember: ReadonlyMap<string, readonly ReadReceipt[]>,
  stored: ReadonlyMap<string, ReadonlyMap<string, Receipt>>,
): GroupPlan {
  const delta = new Map<string, number>();
  const touched: number[] = [];
  let counts: Partial<ChunkCounts> = {};
  const add = (more: Partial<ChunkCounts>) => {
    counts = addCounts(addCounts(EMPTY_COUNTS, counts), more);
  };
  ids.forEach((id, index) => {
    const member = members.get(id);
    if (!member) return;
    let changed = false;
    for (const receipt of byMember.get(id) ?? []) {
      const before = stored.get(id)?.get(receipt.receiptId);
      if (before && sameReceipt(before, receipt)) {
        add({ receiptsUnchanged: 1 });
        continue;
      }
      add(before ? { receiptsReplaced: 1 } : { receiptsStored: 1 });
      addTripDelta(delta, before, receipt);
      changed = true;
    }
    if (!changed) return;
    touched.push(index);
    add(member.subscription === 'subscribed' ? { profilesRebuilt: 1 } : { profilesSkipped: 1 });
  });
  const nonZero = [...delta].filter(([, n]) => n !== 0);
  return { counts: { ...counts }, delta: Object.fromEntries(nonZero), touched };
}

/** The profile from the receipts still inside the retention period at `asOf`. */
function profileOf(receipts: readonly Receipt[], catalog: ReadonlyMap<string, Product>, asOf: Date): PurchaseProfile {
  const oldest = oldestKeptPurchase(asOf);
  const lines = receipts
    .filter((r) => Date.parse(r.at) >= oldest)
    .flatMap((r) =>
      r.items.map((item) => ({
        memberId: r.memberId,
        receiptId: r.receiptId,
        at: r.at,
        productId: item.productId,
        ...(item.amount === undefined ? {} : { amount: item.amount }),
      })),
    );
  return buildProfile(lines, catalog, asOf);
}
