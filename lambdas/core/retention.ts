/**
 * How long each kind of item is kept (docs/retention.md, docs/reliability.md 23). Items that expire carry
 * `expiresAt` in epoch seconds, DynamoDB's TTL attribute; the rest are listed in PERMANENT_KINDS.
 */
import { DAY_MS } from './units.js';

export const RETENTION_DAYS = {
  /**
   * Raw receipts, from the purchase: two years of seasons plus a month, so a yearly habit
   * (Midsummer herring) is still visible to the profile.
   */
  receipt: 760,
  /** A purchase profile, from the member's last purchase: it says nothing once its receipts are gone. */
  profile: 760,
  /** The send ledger, from its last change: the survey cap looks back a year, the budget windows less. */
  ledger: 400,
  /** Plan decisions and send records, from the decision: a year of campaign reports, plus a month. */
  decision: 400,
  /** SES SEND evidence: SQS keeps a message at most 14 days, and so long can a mail wait to be reconciled. */
  sendLog: 14,
  /** A club's daily send, bounce and complaint counters: the rate windows, and a year of history. */
  clubStats: 400,
  /** Import jobs, their chunk plans and files: long enough to download the rejected lines. */
  importJob: 30,
  /**
   * The club's audit trail, from the action: who wrote, approved, scheduled and changed what, kept as
   * long as the decisions and send records it accounts for. It names marketers (ids, and addresses in
   * team changes), so it is not kept for ever.
   */
  audit: 400,
  /**
   * A survey response (score, the club question's answer, topic tags, segments) and its NPS row, from
   * the answer: a year of rolling windows and the year's comparisons, plus a month.
   */
  surveyResponse: 400,
  /**
   * The member's reason for their score, and the topic entries it made, from when it was written: time
   * to follow up a low score and to tell the member what their feedback led to; free text is kept least.
   */
  surveyComment: 180,
  /** A follow-up case and its owner's notes, from its opening: as long as the answer that opened it. */
  feedbackCase: 400,
} as const;

export type RetainedKind = keyof typeof RETENTION_DAYS;

/** Epoch seconds, as DynamoDB TTL wants them. */
export function expiresAt(from: Date | string | number, kind: RetainedKind): number {
  const start = typeof from === 'string' ? Date.parse(from) : typeof from === 'number' ? from : from.getTime();
  return Math.floor((start + RETENTION_DAYS[kind] * DAY_MS) / 1000);
}

/** The oldest purchase time still inside the receipt retention at `now`: older ones are refused at ingest. */
export function oldestKeptPurchase(now: Date): number {
  return now.getTime() - RETENTION_DAYS.receipt * DAY_MS;
}

/**
 * Kinds of item kept without an expiry, and why. Club configuration is the club's own (no personal
 * data); the member item holds consent history, kept while the member exists (erasure deletes it);
 * suppression entries hold only a keyed hash and must outlive the member (GDPR Art. 17, 21).
 */
export const PERMANENT_KINDS: Readonly<Record<string, string>> = {
  club: 'club configuration: brand, sender, budget policy',
  product: 'club catalog',
  offer: 'club catalog',
  theme: "the club's own themes",
  audience: "the club's saved audiences: a name, a description and a rule (no member data)",
  campaign: "the club's campaigns (no member data; their decisions expire)",
  'campaign-stats': "a campaign's counters (no member data)",
  'campaign-index': 'one per club: its older campaigns are on the send-time index (no member data)',
  model: "the club's fitted ranking model (no member data)",
  'model-chunk': "the club's fitted ranking model (no member data)",
  popularity: 'club-wide trip counts per product (no member data)',
  breaker: 'the sending circuit breakers of the account and the club',
  member: 'the member, their choices and consent history: kept while they are a member, deleted by erasure',
  withdrawal: 'a withdrawal of consent recorded before the consent history (older members): kept with the member',
  'experiment-arm': "the member's arm in the club's policy experiment: kept with the member, deleted by erasure",
  experiment: "the club's policy experiment: arms, shares, policies (no member data)",
  'experiment-prediction': "the simulator's prediction for the club's experiment (no member data)",
  suppression: 'a keyed hash of an address that must not be mailed, with its reason and time only',
  role: "a marketer's role on the club (its gsi1 entry is the same item): kept while they have it, deleted when an admin removes them",
};
