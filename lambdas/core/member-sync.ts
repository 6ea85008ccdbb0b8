/**
 * A member import is a sync: the club's systems own identity and contact data, the member owns
 * their choices, and the system owns what it learned (docs/decisions/0020-member-sync.md). Pure:
 * given the stored member (if any), the record and the address's suppression entry, what to write.
 */
import type { z } from 'zod';
import { AttributeInput, mergeAttributes, sameAttributes } from './attributes.js';
import { type Block, consentHistoryOf, mergeConsent, type RefusedConsent, sameEvent } from './consent.js';
import { type Consent, Member, type Preferences } from './model.js';

/** Who may change a field. */
export type Owner = 'club' | 'member' | 'system';

/** Every field of a member record and its owner; an import changes only the club's on an existing member. */
export const FIELD_OWNERS: Readonly<Record<string, Owner>> = {
  email: 'club',
  firstName: 'club',
  language: 'club',
  timeZone: 'club',
  birthDate: 'club',
  joinedAt: 'club',
  attributes: 'club',
  subscription: 'member',
  subscriptionChangedAt: 'member',
  consent: 'member',
  'preferences.frequency': 'member',
  'preferences.topics': 'member',
  'preferences.declaredRestrictions': 'member',
  'preferences.rejectedInferences': 'member',
  'preferences.pausedUntil': 'member',
  'preferences.nameDayMail': 'member',
  'preferences.unsubscribeConfirmation': 'member',
  /** "Fewer mails like this", from a mail's control: the member's, like every choice on their page. */
  'preferences.fewer': 'member',
  deliverability: 'system',
  lastEngagedAt: 'system',
};

/**
 * One record of a member import: today's member shape; `consentHistory` may carry the CRM's whole
 * history, and `attributes` the club's declared attributes (`null` clears one; absent ones stay).
 */
export const MemberRecord = Member.omit({ clubId: true, languageChosenAt: true }).extend({
  attributes: AttributeInput.optional(),
});
export type MemberRecord = z.infer<typeof MemberRecord>;

/** The club-owned fields an import may change on a member that exists. */
export type ClubFields = Partial<
  Pick<Member, 'email' | 'firstName' | 'language' | 'timeZone' | 'birthDate' | 'joinedAt' | 'attributes'>
>;

/** A field the import left as it was because the member or the system owns it. */
export interface KeptField {
  readonly field: string;
  readonly owner: Exclude<Owner, 'club'>;
  /** Why, when the field alone does not say (a refused consent event). */
  readonly why?: string;
}

/** What a suppression entry tells about an address (SuppressionList). */
export interface AddressBlock {
  readonly reason: 'erased' | 'hard-bounce' | 'complaint' | 'withdrawn';
  readonly at: string;
  /** Sources of the grants the withdrawal ended; absent when unknown (complaints, erasures). */
  readonly grantSources?: readonly string[];
}

/** The write for a member that exists: only club fields, consent events and a renewed subscription. */
export interface MemberSyncWrite {
  readonly set: ClubFields;
  readonly consent?: {
    readonly append: readonly Consent[];
    readonly effective: Consent;
    /** Length of the stored history the plan was made on (0: none stored yet, start from `initial`). */
    readonly basedOn: number;
    readonly initial: readonly Consent[];
  };
  /** A renewed grant after the member's own unsubscribe subscribes them again. */
  readonly resubscribe?: boolean;
}

export type SyncPlan =
  | { readonly kind: 'create'; readonly member: Member; readonly kept: KeptField[]; readonly renewed: boolean }
  | { readonly kind: 'update'; readonly write: MemberSyncWrite; readonly kept: KeptField[]; readonly renewed: boolean }
  | { readonly kind: 'unchanged'; readonly kept: KeptField[] }
  /** The address was erased (GDPR Art. 17): the record is not stored. */
  | { readonly kind: 'skip-erased' };

/** The address is another mailbox, not just written differently. */
export function addressChanged(existing: Pick<Member, 'email'>, record: Pick<Member, 'email'>): boolean {
  return normalEmail(existing.email) !== normalEmail(record.email);
}

export const normalEmail = (email: string) => email.trim().toLowerCase();

const REASON_TEXT: Readonly<Record<AddressBlock['reason'], string>> = {
  erased: 'erasure',
  'hard-bounce': 'hard bounce',
  complaint: 'spam complaint',
  withdrawn: 'withdrawal of consent',
};

/** The events a record tells: its history, and its `consent` if the history does not hold it. */
function recordEvents(record: MemberRecord): Consent[] {
  const events = [...(record.consentHistory ?? [])];
  if (!events.some((e) => sameEvent(e, record.consent))) events.push(record.consent);
  return events;
}

/** The withdrawal an address's suppression entry stands for, as an event and as a block. */
function addressWithdrawal(block: AddressBlock, record: MemberRecord): { event: Consent; block: Block } {
  return {
    event: {
      marketing: false,
      textVersion: record.consent.textVersion,
      at: block.at,
      source: `suppression-list:${block.reason}`,
      legalBasis: record.consent.legalBasis,
    },
    block: {
      at: block.at,
      // A complaint or an erasure is never renewed by an import: nothing names the grants it ended.
      grantSources: block.reason === 'withdrawn' ? block.grantSources : undefined,
      why: `the address's ${REASON_TEXT[block.reason]} of ${block.at}`,
    },
  };
}

const refusals = (refused: readonly RefusedConsent[]): KeptField[] =>
  refused.map((r) => ({ field: 'consent', owner: 'member', why: r.why }));

/**
 * Plan one record. `existing` is the stored member; `address` the active suppression entry of the
 * record's address, read only when it matters (a new member, or a changed address).
 */
export function planMemberSync(
  clubId: string,
  record: MemberRecord,
  existing: Member | undefined,
  address: AddressBlock | undefined,
  now: Date,
): SyncPlan {
  if (!existing) return planCreate(clubId, record, address, now);
  const kept = keptFields(existing, record);
  const set = clubChanges(existing, record, kept);
  const blocked = address && addressChanged(existing, record) ? addressWithdrawal(address, record) : undefined;
  const history = consentHistoryOf(existing);
  const merge = mergeConsent(
    history,
    [...recordEvents(record), ...(blocked ? [blocked.event] : [])],
    now,
    blocked?.block,
  );
  kept.push(...refusals(merge.refused));
  const resubscribe = merge.renewed && existing.subscription === 'unsubscribed';
  if (Object.keys(set).length === 0 && merge.append.length === 0) return { kind: 'unchanged', kept };
  const write: MemberSyncWrite = {
    set,
    ...(merge.append.length > 0
      ? {
          consent: {
            append: merge.append,
            effective: merge.effective,
            basedOn: existing.consentHistory?.length ?? 0,
            initial: history,
          },
        }
      : {}),
    ...(resubscribe ? { resubscribe } : {}),
  };
  return { kind: 'update', write, kept, renewed: merge.renewed };
}

function planCreate(clubId: string, record: MemberRecord, address: AddressBlock | undefined, now: Date): SyncPlan {
  if (address?.reason === 'erased') return { kind: 'skip-erased' };
  const blocked = address && address.reason !== 'hard-bounce' ? addressWithdrawal(address, record) : undefined;
  const merge = mergeConsent([], [...recordEvents(record), ...(blocked ? [blocked.event] : [])], now, blocked?.block);
  const history = [...merge.append].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  const { attributes: input, ...fields } = record;
  const attributes = mergeAttributes(undefined, input);
  const member: Member = {
    ...fields,
    ...(attributes && Object.keys(attributes).length > 0 ? { attributes } : {}),
    clubId,
    consent: merge.effective,
    consentHistory: history,
    subscription: blocked && !merge.renewed ? 'unsubscribed' : record.subscription,
    // A hard bounce is what the system learned about the address: it holds for a new member id too.
    deliverability: address?.reason === 'hard-bounce' ? 'bounced' : record.deliverability,
  };
  return { kind: 'create', member, kept: refusals(merge.refused), renewed: merge.renewed };
}

function clubChanges(existing: Member, record: MemberRecord, kept: KeptField[]): ClubFields {
  const set: ClubFields = {};
  if (record.email !== existing.email) set.email = record.email;
  if (record.firstName !== existing.firstName) set.firstName = record.firstName;
  if (record.timeZone !== existing.timeZone) set.timeZone = record.timeZone;
  if (record.birthDate !== undefined && record.birthDate !== existing.birthDate) set.birthDate = record.birthDate;
  if (Date.parse(record.joinedAt) !== Date.parse(existing.joinedAt)) set.joinedAt = record.joinedAt;
  const attributes = mergeAttributes(existing.attributes, record.attributes);
  if (!sameAttributes(attributes, existing.attributes ?? {}) && attributes) set.attributes = attributes;
  if (record.language !== existing.language) {
    // The club sets the default language; once the member picked one on their page, it is theirs.
    if (existing.languageChosenAt) kept.push({ field: 'language', owner: 'member' });
    else set.language = record.language;
  }
  return set;
}

const sameList = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && [...a].sort().join('\n') === [...b].sort().join('\n');

/** Member- and system-owned fields where the record says something other than what is stored. */
function keptFields(existing: Member, record: MemberRecord): KeptField[] {
  const kept: KeptField[] = [];
  const member = (field: string) => kept.push({ field, owner: 'member' });
  if (record.subscription !== existing.subscription) member('subscription');
  const a: Preferences = existing.preferences;
  const b: Preferences = record.preferences;
  if (a.frequency !== b.frequency) member('preferences.frequency');
  if (!sameList(a.topics, b.topics)) member('preferences.topics');
  if (!sameList(a.declaredRestrictions, b.declaredRestrictions)) member('preferences.declaredRestrictions');
  if (!sameList(a.rejectedInferences, b.rejectedInferences)) member('preferences.rejectedInferences');
  if (a.pausedUntil !== b.pausedUntil) member('preferences.pausedUntil');
  if (a.nameDayMail !== b.nameDayMail) member('preferences.nameDayMail');
  if ((a.unsubscribeConfirmation ?? true) !== (b.unsubscribeConfirmation ?? true))
    member('preferences.unsubscribeConfirmation');
  if (!sameList(a.fewer ?? [], b.fewer ?? [])) member('preferences.fewer');
  if (record.deliverability !== existing.deliverability) kept.push({ field: 'deliverability', owner: 'system' });
  if (record.lastEngagedAt !== undefined && record.lastEngagedAt !== existing.lastEngagedAt)
    kept.push({ field: 'lastEngagedAt', owner: 'system' });
  return kept;
}
