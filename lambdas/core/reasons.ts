import { z } from 'zod';

/** Why a member does not get a campaign's mail. Every suppression carries one of these. */
export const SuppressReason = z.enum([
  'unsubscribed',
  'bounced',
  'complained',
  'no-consent',
  'paused',
  'topic-opt-out',
  'member-frequency-choice',
  'no-eligible-offers',
  'below-relevance-floor',
  'budget-window',
  'min-gap',
  'campaign-cancelled',
]);
export type SuppressReason = z.infer<typeof SuppressReason>;
