/**
 * The ports around sending beside the mailer: the counters behind bounce and complaint rates and the
 * circuit breakers every worker reads (docs/sending.md). Split from ports.ts, which re-exports them.
 */
import type { Breaker, SendCounts } from './send-protocol.js';

export type SendCounter =
  | 'sent'
  | 'delivered'
  | 'delayed'
  | 'bounced'
  | 'softBounced'
  | 'complained'
  | 'rejected'
  | 'renderingFailed'
  /** Uses of a mail's controls (core/mail-controls.ts) that changed the member's choices. */
  | 'controlFewer'
  | 'controlPause'
  | 'controlOccasionsOnly';

/** SEND evidence and the counters behind bounce and complaint rates. */
export interface DeliveryStats {
  /** Remember SES SEND events (sendId to messageId), grouped by the minute SES took the mail. */
  logSends(
    clubId: string,
    sends: ReadonlyArray<{ readonly sendId: string; readonly messageId: string; readonly mailAt: string }>,
  ): Promise<void>;
  /** The messageId SES gave a sendId, if a SEND event for it was logged between `from` and `to`. */
  findSend(clubId: string, sendId: string, from: Date, to: Date): Promise<string | undefined>;
  /** Add to the club's counters of `day` (YYYY-MM-DD) and, given one, the campaign's. */
  add(
    clubId: string,
    day: string,
    campaignId: string | undefined,
    counts: Partial<Record<SendCounter, number>>,
  ): Promise<void>;
  /** The club's sends, hard bounces and complaints over the days from `fromDay` to `toDay`. */
  clubCounts(clubId: string, fromDay: string, toDay: string): Promise<SendCounts>;
  campaignCounts(clubId: string, campaignId: string): Promise<Partial<Record<SendCounter, number>>>;
}

export type BreakerScope = { readonly kind: 'account' } | { readonly kind: 'club'; readonly clubId: string };

/** The circuit breakers every worker reads before sending (docs/sending.md). */
export interface SendingSwitch {
  read(clubId: string): Promise<{ account?: Breaker; club?: Breaker }>;
  /** Open (or re-open with a later probe); false when it was already open for a person to close. */
  open(scope: BreakerScope, breaker: Breaker): Promise<boolean>;
  /**
   * Close; false when it was not open. With `probing`, only a breaker that has a probe time: a probe
   * that got through never closes a rates pause that replaced the breaker it probed.
   */
  close(scope: BreakerScope, at: Date, by: string, options?: { readonly probing?: boolean }): Promise<boolean>;
}
