import { consentHistoryOf, effectiveConsent, withdrawalOf } from '../../core/consent.js';
import { MEMBER_SHARDS } from '../../core/jobs.js';
import { EMPTY_LEDGER, type LedgerStop, stopFor } from '../../core/ledger.js';
import { MEMBER_SLOTS, type PlanShard, segmentsOf, slotOf } from '../../core/member-slots.js';
import type { MemberSyncWrite } from '../../core/member-sync.js';
import { type Deliverability, Member } from '../../core/model.js';
import type { MemberPage, MemberState, MemberStore, PreferencesPatch } from '../../core/ports.js';
import { EMPTY_PROFILE, PurchaseProfile } from '../../core/profile.js';
import { DAY_MS } from '../../core/units.js';
import { armsOf } from './memory-experiment-store.js';
import { copy, keyOf, MemoryTable } from './memory-table.js';

/** A worse state only: a complaint outranks a bounce, and nothing goes back to 'ok'. */
const RANK: Readonly<Record<Deliverability, number>> = { ok: 0, undeliverable: 1, bounced: 2, complained: 3 };

/**
 * Members, profiles and ledger stops in Maps: the in-memory twin of DynamoDbMemberStore, with the
 * same rules (conditional writes become checks before a write; nothing here awaits between a read
 * and its write, so each call is as atomic as the table's conditional write).
 */
export class MemoryMemberStore implements MemberStore {
  constructor(private readonly table: MemoryTable = new MemoryTable()) {}

  async putMember(member: Member): Promise<void> {
    const parsed = Member.parse(member);
    this.table.members.set(keyOf(member.clubId, member.memberId), parsed);
    this.gate(member.clubId, member.memberId, stopFor(parsed, new Date()));
  }

  async getMembers(clubId: string, memberIds: readonly string[]): Promise<Map<string, Member>> {
    const found = new Map<string, Member>();
    for (const id of new Set(memberIds)) {
      const member = this.table.members.get(keyOf(clubId, id));
      if (member) found.set(id, copy(member));
    }
    return found;
  }

  async createMember(member: Member): Promise<'created' | 'exists'> {
    const key = keyOf(member.clubId, member.memberId);
    if (this.table.members.has(key)) return 'exists';
    const parsed = Member.parse(member);
    this.table.members.set(key, parsed);
    this.gate(member.clubId, member.memberId, stopFor(parsed, new Date()));
    return 'created';
  }

  async syncMember(
    clubId: string,
    memberId: string,
    write: MemberSyncWrite,
    at: Date,
  ): Promise<'updated' | 'conflict' | 'not-found'> {
    const key = keyOf(clubId, memberId);
    const stored = this.table.members.get(key);
    if (!stored) return 'not-found';
    if (Object.keys(write.set).length === 0 && !write.consent && !write.resubscribe) return 'updated';
    // The club sets the language only until the member chose one on their page.
    if (write.set.language !== undefined && stored.languageChosenAt !== undefined) return 'conflict';
    if (write.consent && (stored.consentHistory?.length ?? 0) !== write.consent.basedOn) return 'conflict';
    const next: Member = Member.parse({
      ...stored,
      ...write.set,
      ...(write.consent
        ? {
            consent: write.consent.effective,
            consentHistory: [...(stored.consentHistory ?? write.consent.initial), ...write.consent.append],
          }
        : {}),
      ...(write.resubscribe ? { subscription: 'subscribed', subscriptionChangedAt: at.toISOString() } : {}),
    });
    this.table.members.set(key, next);
    if (write.consent || write.resubscribe) this.gate(clubId, memberId, stopFor(next, at));
    return 'updated';
  }

  async putProfile(clubId: string, memberId: string, profile: PurchaseProfile): Promise<void> {
    this.table.profiles.set(keyOf(clubId, memberId), PurchaseProfile.parse(profile));
  }

  async putProfiles(
    clubId: string,
    profiles: ReadonlyArray<{ memberId: string; profile: PurchaseProfile }>,
  ): Promise<void> {
    for (const { memberId, profile } of profiles) await this.putProfile(clubId, memberId, profile);
  }

  async getState(clubId: string, memberId: string): Promise<MemberState | undefined> {
    const key = keyOf(clubId, memberId);
    const member = this.table.members.get(key);
    if (!member) return undefined;
    return copy({
      member,
      profile: this.table.profiles.get(key) ?? EMPTY_PROFILE,
      ledger: this.table.ledgers.get(key) ?? EMPTY_LEDGER,
      ...armsOf(this.table, clubId, memberId),
    });
  }

  async getForSend(
    clubId: string,
    memberId: string,
  ): Promise<{ member: Member; ledger: MemberState['ledger'] } | undefined> {
    const key = keyOf(clubId, memberId);
    const member = this.table.members.get(key);
    if (!member) return undefined;
    return copy({ member, ledger: this.table.ledgers.get(key) ?? EMPTY_LEDGER });
  }

  async markUndeliverable(
    clubId: string,
    memberId: string,
    deliverability: Exclude<Deliverability, 'ok'>,
    at: Date,
    /** The table keeps when and why beside the state; no reader of the port sees them, so neither does this. */
    _detail: string,
  ): Promise<'changed' | 'unchanged'> {
    const key = keyOf(clubId, memberId);
    const stored = this.table.members.get(key);
    if (!stored || RANK[stored.deliverability] >= RANK[deliverability]) return 'unchanged';
    this.table.members.set(key, { ...stored, deliverability });
    this.gate(clubId, memberId, { reason: deliverability, at: at.toISOString() });
    return 'changed';
  }

  async recordSoftBounce(clubId: string, memberId: string, sendId: string, at: Date, days: number): Promise<number> {
    const key = keyOf(clubId, memberId);
    if (!this.table.members.has(key)) return 0;
    const bounces = this.table.softBounces.get(key) ?? new Map<string, number>();
    bounces.set(sendId, at.getTime());
    this.table.softBounces.set(key, bounces);
    const since = at.getTime() - days * DAY_MS;
    return [...bounces.values()].filter((t) => t >= since).length;
  }

  async noteEngagement(clubId: string, memberId: string, at: Date): Promise<void> {
    const key = keyOf(clubId, memberId);
    const stored = this.table.members.get(key);
    if (!stored) return;
    if (stored.lastEngagedAt !== undefined && Date.parse(stored.lastEngagedAt) >= at.getTime()) return;
    this.table.members.set(key, { ...stored, lastEngagedAt: at.toISOString() });
  }

  /** The shard's members in slot order (then by id), `limit` at a time; the cursor is how many came before. */
  async listShard(
    clubId: string,
    shard: number | PlanShard,
    cursor: string | undefined,
    limit: number,
  ): Promise<MemberPage> {
    const plan = typeof shard === 'number' ? { index: shard, of: MEMBER_SHARDS } : shard;
    segmentsOf(plan); // the same RangeError as the table's adapter for a shard that is not one
    const from = Math.floor((plan.index * MEMBER_SLOTS) / plan.of);
    const to = Math.floor(((plan.index + 1) * MEMBER_SLOTS) / plan.of);
    const inShard = MemoryTable.under(this.table.members, clubId)
      .map((member) => ({ member, slot: slotOf(member.memberId) }))
      .filter(({ slot }) => slot >= from && slot < to)
      .sort((a, b) => a.slot - b.slot || (a.member.memberId < b.member.memberId ? -1 : 1));
    const start = cursor === undefined ? 0 : Number.parseInt(cursor, 10) || 0;
    const page = inShard.slice(start, start + limit);
    const states = page.map(({ member }) => {
      const key = keyOf(clubId, member.memberId);
      return copy({
        member,
        profile: this.table.profiles.get(key) ?? EMPTY_PROFILE,
        ledger: this.table.ledgers.get(key) ?? EMPTY_LEDGER,
        ...armsOf(this.table, clubId, member.memberId),
      });
    });
    const next = start + page.length;
    return { states, ...(next < inShard.length ? { cursor: String(next) } : {}) };
  }

  async unsubscribe(clubId: string, memberId: string, at: Date, source: string): Promise<'changed' | 'unchanged'> {
    const key = keyOf(clubId, memberId);
    const stored = this.table.members.get(key);
    if (!stored) return 'unchanged';
    const stop = { reason: 'unsubscribed' as const, at: at.toISOString() };
    if (stored.subscription === 'unsubscribed') {
      this.gate(clubId, memberId, stop);
      return 'unchanged';
    }
    const history = consentHistoryOf(stored);
    const withdrawal = withdrawalOf(effectiveConsent(history) ?? stored.consent, at, source);
    this.table.members.set(key, {
      ...stored,
      subscription: 'unsubscribed',
      subscriptionChangedAt: at.toISOString(),
      consent: withdrawal,
      consentHistory: [...history, withdrawal],
    });
    this.gate(clubId, memberId, stop);
    return 'changed';
  }

  async updatePreferences(
    clubId: string,
    memberId: string,
    patch: PreferencesPatch,
    at: Date,
    via: string,
  ): Promise<'updated' | 'not-found'> {
    const key = keyOf(clubId, memberId);
    const stored = this.table.members.get(key);
    if (!stored) return 'not-found';
    const { pausedUntil: _paused, ...kept } = stored.preferences;
    const preferences = {
      ...(patch.pausedUntil === null ? kept : stored.preferences),
      ...(patch.frequency !== undefined ? { frequency: patch.frequency } : {}),
      ...(patch.topics !== undefined ? { topics: [...patch.topics] } : {}),
      ...(patch.declaredRestrictions !== undefined ? { declaredRestrictions: [...patch.declaredRestrictions] } : {}),
      ...(patch.nameDayMail !== undefined ? { nameDayMail: patch.nameDayMail } : {}),
      ...(patch.unsubscribeConfirmation !== undefined
        ? { unsubscribeConfirmation: patch.unsubscribeConfirmation }
        : {}),
      ...(typeof patch.pausedUntil === 'string' ? { pausedUntil: patch.pausedUntil } : {}),
      ...(patch.rejectInference !== undefined && !stored.preferences.rejectedInferences.includes(patch.rejectInference)
        ? { rejectedInferences: [...stored.preferences.rejectedInferences, patch.rejectInference] }
        : {}),
      // Added once: a second click (or a replayed post) leaves the list as it is.
      ...(patch.addFewer !== undefined && !(stored.preferences.fewer ?? []).includes(patch.addFewer)
        ? { fewer: [...(stored.preferences.fewer ?? []), patch.addFewer] }
        : {}),
      updatedAt: at.toISOString(),
      updatedVia: via,
    };
    const next: Member = {
      ...stored,
      preferences,
      // A language saved on the member's own page is theirs from now on: imports no longer change it.
      ...(patch.language !== undefined ? { language: patch.language, languageChosenAt: at.toISOString() } : {}),
    };
    this.table.members.set(key, next);
    this.gate(clubId, memberId, stopFor(next, at));
    return 'updated';
  }

  /** Mirror whether the member may be mailed into the ledger, bumping its version (dynamodb-ledger-gate.ts). */
  private gate(clubId: string, memberId: string, stop: LedgerStop | undefined): void {
    const key = keyOf(clubId, memberId);
    const { stop: _old, ...ledger } = this.table.ledgers.get(key) ?? EMPTY_LEDGER;
    this.table.ledgers.set(key, { ...ledger, version: ledger.version + 1, ...(stop ? { stop } : {}) });
  }
}
