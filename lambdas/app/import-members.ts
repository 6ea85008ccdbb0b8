import { z } from 'zod';
import { type AttributeDeclaration, type AttributeRejection, screenAttributes } from '../core/attributes.js';
import { blockOf, byTime } from '../core/consent.js';
import {
  type AddressBlock,
  addressChanged,
  type KeptField,
  MemberRecord,
  planMemberSync,
  type SyncPlan,
} from '../core/member-sync.js';
import type { Consent, Member } from '../core/model.js';
import { mapLimit } from './concurrency.js';
import type { Deps } from './deps.js';

type ImportDeps = Pick<Deps, 'members' | 'suppressions' | 'clock' | 'log'>;

/** Members written at once: enough to hide the round trips, few enough not to throttle a table. */
export const MEMBER_IMPORT_CONCURRENCY = 16;
/** Records per synchronous call: 1,000 finish well inside the API's 10 s (docs/benchmarks.md). */
export const MAX_SYNC_MEMBERS = 1000;
/** The body of the synchronous members route: records with distinct ids. */
export const MemberBatch = z.object({
  members: z
    .array(MemberRecord)
    .min(1)
    .max(MAX_SYNC_MEMBERS)
    .superRefine((members, ctx) => {
      const seen = new Map<string, number>();
      for (const [index, member] of members.entries()) {
        const first = seen.get(member.memberId);
        if (first !== undefined)
          ctx.addIssue({ code: 'custom', path: [index, 'memberId'], message: `repeats members[${first}]` });
        else seen.set(member.memberId, index);
      }
    }),
});

/** Ids read per BatchGetItem. */
const READ_BATCH = 100;

export interface MemberKept {
  readonly memberId: string;
  readonly fields: readonly KeptField[];
}

export interface MemberImportReport {
  readonly created: number;
  readonly updated: number;
  readonly unchanged: number;
  /** Ids not stored because their address was erased (GDPR Art. 17). */
  readonly suppressed: string[];
  /** New members stored as not mailable: their address withdrew, complained or bounced before. */
  readonly blocked: string[];
  /** Per member, the fields the import left as they were because the member or the system owns them. */
  readonly kept: MemberKept[];
  /** Records not stored because an attribute is unknown or of the wrong type; the others are. */
  readonly rejected?: readonly AttributeRejection[];
}

/** One record's plan, with what the plan was made on. */
export interface PlannedRecord {
  readonly record: MemberRecord;
  readonly plan: SyncPlan;
}

/** Read what the records will be compared to: the stored members and the suppression entries of new addresses. */
async function readState(
  deps: ImportDeps,
  clubId: string,
  records: readonly MemberRecord[],
): Promise<{ existing: Map<string, Member>; blocks: Map<string, AddressBlock> }> {
  const ids = records.map((r) => r.memberId);
  const batches: string[][] = [];
  for (let i = 0; i < ids.length; i += READ_BATCH) batches.push(ids.slice(i, i + READ_BATCH));
  const found = await mapLimit(batches, 4, (batch) => deps.members.getMembers(clubId, batch));
  const existing = new Map(found.flatMap((m) => [...m]));
  // Only a new member, or a member whose address changed, needs its address checked.
  const emails = records
    .filter((r) => {
      const stored = existing.get(r.memberId);
      return !stored || addressChanged(stored, r);
    })
    .map((r) => r.email);
  const blocks = emails.length > 0 ? await deps.suppressions.find(clubId, emails) : new Map<string, AddressBlock>();
  return { existing, blocks };
}

/** Plan every record against the stored state; nothing is written. */
export async function planMembers(
  deps: ImportDeps,
  clubId: string,
  records: readonly MemberRecord[],
): Promise<PlannedRecord[]> {
  const { existing, blocks } = await readState(deps, clubId, records);
  const now = deps.clock.now();
  return records.map((record) => ({
    record,
    plan: planMemberSync(clubId, record, existing.get(record.memberId), blocks.get(record.email), now),
  }));
}

/** Count the plans as the answer shows them. */
export function reportOf(planned: readonly PlannedRecord[]): MemberImportReport {
  const report = { created: 0, updated: 0, unchanged: 0, suppressed: [] as string[], blocked: [] as string[] };
  const kept: MemberKept[] = [];
  for (const { record, plan } of planned) {
    switch (plan.kind) {
      case 'create':
        report.created += 1;
        if (plan.member.subscription === 'unsubscribed' && record.subscription === 'subscribed')
          report.blocked.push(record.memberId);
        else if (plan.member.deliverability === 'bounced' && record.deliverability === 'ok')
          report.blocked.push(record.memberId);
        break;
      case 'update':
        report.updated += 1;
        break;
      case 'unchanged':
        report.unchanged += 1;
        break;
      case 'skip-erased':
        report.suppressed.push(record.memberId);
        continue;
    }
    if (plan.kept.length > 0) kept.push({ memberId: record.memberId, fields: plan.kept });
  }
  return { ...report, kept };
}

/**
 * Carry out the plans, at most MEMBER_IMPORT_CONCURRENCY at once. A member that changed since it was
 * read (the member unsubscribed, or was created meanwhile) is read and planned again, so the import
 * never writes over what it did not see. Idempotent: carried out twice, the second finds nothing to do.
 */
export async function applyMembers(
  deps: ImportDeps,
  clubId: string,
  planned: readonly PlannedRecord[],
): Promise<PlannedRecord[]> {
  return mapLimit(planned, MEMBER_IMPORT_CONCURRENCY, async (first) => {
    let current = first;
    for (let attempt = 0; attempt < 4; attempt++) {
      if (await applyOne(deps, clubId, current)) return current;
      const [again] = await planMembers(deps, clubId, [current.record]);
      if (!again) break;
      current = again;
    }
    throw new Error(`member ${first.record.memberId} kept changing during the import`);
  });
}

/** True when done; false when the member changed under the plan and it must be made again. */
async function applyOne(deps: ImportDeps, clubId: string, { record, plan }: PlannedRecord): Promise<boolean> {
  const now = deps.clock.now();
  switch (plan.kind) {
    case 'skip-erased':
    case 'unchanged':
      return true;
    case 'create': {
      if ((await deps.members.createMember(plan.member)) === 'exists') return false;
      await afterConsent(deps, clubId, plan.member.email, plan.member.consentHistory ?? [], plan.renewed);
      return true;
    }
    case 'update': {
      const result = await deps.members.syncMember(clubId, record.memberId, plan.write, now);
      if (result !== 'updated') return false;
      const consent = plan.write.consent;
      if (consent) {
        await afterConsent(deps, clubId, record.email, [...consent.initial, ...consent.append], plan.renewed);
      }
      return true;
    }
  }
}

/**
 * The address follows the member's consent: a renewed grant lifts its suppression entry, and a
 * withdrawal the club recorded puts it on the list, as the member's own unsubscribe does.
 */
async function afterConsent(
  deps: ImportDeps,
  clubId: string,
  email: string,
  history: readonly Consent[],
  renewed: boolean,
): Promise<void> {
  const sorted = [...history].sort(byTime);
  const latest = sorted.at(-1);
  if (!latest) return;
  if (renewed && latest.marketing) {
    await deps.suppressions.lift(clubId, email, { at: latest.at, source: latest.source });
    return;
  }
  const block = blockOf(sorted);
  if (block && !latest.source.startsWith('suppression-list:') && (block.grantSources?.length ?? 0) > 0) {
    await deps.suppressions.add(clubId, email, new Date(block.at), latest.source, 'withdrawn', block.grantSources);
  }
}

/** Plan, carry out and report one batch of records (the API's synchronous import). */
export async function importMembers(
  deps: ImportDeps,
  clubId: string,
  records: readonly MemberRecord[],
  attributes: readonly AttributeDeclaration[] = [],
): Promise<MemberImportReport> {
  const { valid, rejected } = screenAttributes(attributes, records);
  const applied = await applyMembers(deps, clubId, await planMembers(deps, clubId, valid));
  const report = { ...reportOf(applied), ...(rejected.length > 0 ? { rejected } : {}) };
  deps.log.info('members imported', {
    clubId,
    created: report.created,
    updated: report.updated,
    unchanged: report.unchanged,
    suppressed: report.suppressed.length,
    blocked: report.blocked.length,
    rejected: rejected.length,
  });
  return report;
}

/** The API's answer: the counts, `stored` as before (created + updated + unchanged), and what was kept. */
export function memberImportAnswer(report: MemberImportReport) {
  return {
    stored: report.created + report.updated + report.unchanged,
    created: report.created,
    updated: report.updated,
    unchanged: report.unchanged,
    kept: report.kept,
    ...(report.suppressed.length > 0 ? { suppressed: report.suppressed } : {}),
    ...(report.blocked.length > 0 ? { blocked: report.blocked } : {}),
    ...(report.rejected && report.rejected.length > 0
      ? {
          rejected: report.rejected.map((r) => ({
            index: r.index,
            memberId: r.memberId,
            field: r.field,
            message: r.message,
          })),
        }
      : {}),
  };
}
