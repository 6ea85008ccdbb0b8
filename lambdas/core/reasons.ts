import { z } from 'zod';

/** Why a member does not get a campaign's mail. Every suppression carries one of these. */
export const SuppressReason = z.enum([
  'unsubscribed',
  'bounced',
  'complained',
  'undeliverable',
  'no-consent',
  'paused',
  'topic-opt-out',
  'member-frequency-choice',
  'no-eligible-offers',
  'below-relevance-floor',
  'budget-window',
  'min-gap',
  'survey-cap',
  'not-their-occasion',
  'holdout',
  'campaign-cancelled',
]);
export type SuppressReason = z.infer<typeof SuppressReason>;

/**
 * A suppression's code as the marketer sees it: a fixed reason, or `outranked-by:<campaignId>` when
 * a more valuable campaign in the planning horizon gets the member's budget instead.
 */
export const DecisionReason = z.union([
  SuppressReason,
  z.templateLiteral(['outranked-by:', z.string().regex(/^[A-Za-z0-9_-]+$/)]),
]);
export type DecisionReason = z.infer<typeof DecisionReason>;

/** Not a suppression: the mail goes, but after the member's quiet hours. Counted beside the reasons. */
export const QUIET_HOURS_DEFERRED = 'quiet-hours-deferred';
