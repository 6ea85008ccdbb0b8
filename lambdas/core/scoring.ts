import { z } from 'zod';
import type { Restriction } from './diet.js';
import type { OfferWithProduct } from './model.js';

/** What a scorer answers for one candidate offer: shared by the offer picker and the club model. */

/**
 * Why an offer was picked. `diet-choice`: a product the member's restrictions allow, in a category
 * they buy whose usual products those restrictions forbid ("a gluten-free choice in a category you buy").
 */
export const PickWhy = z.enum(['often-bought', 'bought-before', 'goes-with', 'category', 'popular', 'diet-choice']);
export type PickWhy = z.infer<typeof PickWhy>;

/** A candidate's score and the main reason behind it. Scores are comparable within one member only. */
export interface CandidateScore {
  readonly score: number;
  readonly why: PickWhy;
  /** With `diet-choice`: the restriction the choice is for. */
  readonly diet?: Restriction;
}

/** Scores one allowed candidate for one member. Never sees forbidden candidates. */
export type Scorer = (candidate: OfferWithProduct) => CandidateScore;
