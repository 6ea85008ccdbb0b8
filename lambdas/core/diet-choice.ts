import type { CatalogIndex } from './catalog-index.js';
import { FORBIDDEN_TAGS, maskOf, Restriction } from './diet.js';

/**
 * Alternatives, not absence: a restricted member whose habits point at a category whose usual
 * products their restrictions forbid (a gluten-free member who buys pasta) gets that category's
 * allowed products (the gluten-free pasta) lifted by this weight × their habit in the category
 * (lambdas/core/club-model.ts `categoryHabit`, 0–1). At a full habit it is worth more than
 * popularity (0.3) and about a product bought in every other receipt; not tuned, as no data set
 * with diet restrictions and real categories exists here. Measured in `npm run bench:exclusions`.
 */
export const DIET_CHOICE_WEIGHT = 0.5;

/**
 * The restriction a diet choice in `category` is for: the first of the member's restrictions
 * whose forbidden tags matter in the category (lambdas/core/catalog-index.ts), or undefined when
 * the category's usual products do not conflict with any of them.
 */
export function dietChoiceIn(
  category: string,
  restrictions: readonly Restriction[],
  catalog: CatalogIndex,
): Restriction | undefined {
  const matters = catalog.mattersIn(category);
  if (matters === 0) return undefined;
  return Restriction.options.find((r) => restrictions.includes(r) && (maskOf(FORBIDDEN_TAGS[r]) & matters) !== 0);
}

/** The lift an allowed product in such a category gets, from the member's habit there (0–1). */
export function dietChoiceLift(habit: number): number {
  return DIET_CHOICE_WEIGHT * habit;
}
