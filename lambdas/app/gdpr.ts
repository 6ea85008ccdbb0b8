import type { FeedbackCase } from '../core/feedback-case.js';
import type { StoredResponse } from '../core/feedback-ports.js';
import type { MemberData } from '../core/ports.js';
import type { Deps } from './deps.js';

type GdprDeps = Pick<Deps, 'members' | 'memberData' | 'suppressions' | 'surveys' | 'feedbackCases' | 'clock' | 'log'>;

/** The machine-readable export of GDPR Art. 15 and 20: everything stored about one member. */
export interface MemberExport extends MemberData {
  readonly format: 'club-planner/member-export/v1';
  readonly exportedAt: string;
  readonly clubId: string;
  readonly memberId: string;
  /** Their survey answers, each with the reason they wrote while it is kept. */
  readonly surveys: readonly StoredResponse[];
  /** The follow-up cases their answers opened, with the owner's notes. */
  readonly feedbackCases: readonly FeedbackCase[];
}

export async function exportMember(
  deps: GdprDeps,
  clubId: string,
  memberId: string,
): Promise<MemberExport | undefined> {
  const data = await deps.memberData.collect(clubId, memberId);
  if (!data) return undefined;
  const [surveys, feedbackCases] = await Promise.all([
    deps.surveys.ofMember(clubId, memberId),
    deps.feedbackCases.ofMember(clubId, memberId),
  ]);
  deps.log.info('member data exported', { clubId, memberId });
  return {
    format: 'club-planner/member-export/v1',
    exportedAt: deps.clock.now().toISOString(),
    clubId,
    memberId,
    ...data,
    surveys,
    feedbackCases,
  };
}

export type ErasureOutcome =
  | { readonly kind: 'erased'; readonly deletedItems: number }
  | { readonly kind: 'not-found' };

/**
 * GDPR Art. 17: delete the member's data and keep only a keyed hash of the address, so a re-import
 * stays suppressed. The suppression entry is written first: an erasure interrupted after it is
 * simply re-run, and none leaves the data gone but the address unsuppressed.
 */
export async function eraseMember(
  deps: GdprDeps,
  clubId: string,
  memberId: string,
  via: string,
): Promise<ErasureOutcome> {
  const state = await deps.members.getState(clubId, memberId);
  if (!state) return { kind: 'not-found' };
  await deps.suppressions.add(clubId, state.member.email, deps.clock.now(), via);
  // Survey data outside the member's partition first: its keys come from the responses inside it,
  // which the partition's erasure then deletes (with the member item last, so a re-run finds them).
  const outside =
    (await deps.surveys.eraseMember(clubId, memberId)) + (await deps.feedbackCases.eraseMember(clubId, memberId));
  const { deletedItems } = await deps.memberData.erase(clubId, memberId);
  deps.log.info('member erased', { clubId, memberId, via, deletedItems: deletedItems + outside });
  return { kind: 'erased', deletedItems: deletedItems + outside };
}
