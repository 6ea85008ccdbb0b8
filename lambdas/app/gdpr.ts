import type { MemberData } from '../core/ports.js';
import type { Deps } from './deps.js';

type GdprDeps = Pick<Deps, 'members' | 'memberData' | 'suppressions' | 'clock' | 'log'>;

/** The machine-readable export of GDPR Art. 15 and 20: everything stored about one member. */
export interface MemberExport extends MemberData {
  readonly format: 'club-planner/member-export/v1';
  readonly exportedAt: string;
  readonly clubId: string;
  readonly memberId: string;
}

export async function exportMember(
  deps: GdprDeps,
  clubId: string,
  memberId: string,
): Promise<MemberExport | undefined> {
  const data = await deps.memberData.collect(clubId, memberId);
  if (!data) return undefined;
  deps.log.info('member data exported', { clubId, memberId });
  return {
    format: 'club-planner/member-export/v1',
    exportedAt: deps.clock.now().toISOString(),
    clubId,
    memberId,
    ...data,
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
  const { deletedItems } = await deps.memberData.erase(clubId, memberId);
  deps.log.info('member erased', { clubId, memberId, via, deletedItems });
  return { kind: 'erased', deletedItems };
}
