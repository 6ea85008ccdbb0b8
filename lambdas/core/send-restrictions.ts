import { conflictingTags, type DietLabels, type DietTag, forbiddenTags, type Restriction } from './diet.js';
import type { Member } from './model.js';
import { effectiveRestrictions } from './profile.js';

/**
 * The diet tags a mail may not carry when it is sent, which can be hours after its plan (a club of
 * millions sends for hours, and quiet hours wait): the restrictions the member has declared by then,
 * and those the plan inferred from their purchases less any the member has rejected since. The send
 * worker reads no profile, so the inferred ones come with the job (Decision `inferred`).
 */
export function forbiddenAtSend(
  member: Pick<Member, 'preferences'>,
  inferred: readonly Restriction[] | undefined,
): ReadonlySet<DietTag> {
  return forbiddenTags(
    effectiveRestrictions(
      member.preferences.declaredRestrictions,
      inferred ?? [],
      member.preferences.rejectedInferences,
    ),
  );
}

/**
 * Whether a product may still be shown to the member: it exists in the catalog as it is at send time
 * (its labels may have changed since the plan), and none of its tags is forbidden.
 */
export function allowedAtSend(product: DietLabels | undefined, forbidden: ReadonlySet<DietTag>): boolean {
  return product !== undefined && conflictingTags(product, forbidden).length === 0;
}
