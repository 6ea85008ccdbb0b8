import { z } from 'zod';

/** The words every part of the domain shares, with no imports of the domain itself (so nothing cycles through them). */

export const Language = z.enum(['sv', 'da', 'en']);
export type Language = z.infer<typeof Language>;

/** How often the member chose to hear from the club; it only ever lowers the club's caps. */
export const Frequency = z.enum(['club-default', 'weekly', 'monthly', 'occasions-only']);
export type Frequency = z.infer<typeof Frequency>;

export const Topic = z.enum(['offers', 'news', 'events', 'surveys']);
export type Topic = z.infer<typeof Topic>;

/**
 * What a mail is "like", as a member's `preferences.fewer` stores it after "fewer mails like this"
 * (core/mail-controls.ts): an offers campaign's theme (its emotion), or the topic of a mail without one.
 */
export const FewerKey = z
  .string()
  .regex(
    /^(theme:(community|selected|vitality|curiosity|care|celebration)|topic:(offers|news|events|surveys))$/,
    'a theme:<emotion> or topic:<topic>',
  );
export type FewerKey = z.infer<typeof FewerKey>;
