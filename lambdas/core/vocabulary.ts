import { z } from 'zod';

/** The words every part of the domain shares, with no imports of the domain itself (so nothing cycles through them). */

export const Language = z.enum(['sv', 'da', 'en']);
export type Language = z.infer<typeof Language>;

/** How often the member chose to hear from the club; it only ever lowers the club's caps. */
export const Frequency = z.enum(['club-default', 'weekly', 'monthly', 'occasions-only']);
export type Frequency = z.infer<typeof Frequency>;

export const Topic = z.enum(['offers', 'news', 'events', 'surveys']);
export type Topic = z.infer<typeof Topic>;
