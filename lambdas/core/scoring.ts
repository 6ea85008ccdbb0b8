import type { OfferWithProduct } from './model.js';

/** What a scorer answers for one candidate offer: shared by the offer picker and the club model. */

export type PickWhy = 'often-bought' | 'bought-before' | 'goes-with' | 'category' | 'popular';

/** A candidate's score and the main reason behind it. Scores are comparable within one member only. */
export interface CandidateScore {
  readonly score: number;
  readonly why: PickWhy;
}

/** Scores one allowed candidate for one member. Never sees forbidden candidates. */
export type Scorer = (candidate: OfferWithProduct) => CandidateScore;
