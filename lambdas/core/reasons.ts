import { z } from 'zod';

/** Why a member does not get a campaign's mail. Every suppression carries one of these. */
export const SuppressReason = z.enum([
  /**
   * Not in the campaign's audience (its saved audience; for a "you said, we did" note, the members whose
   * comments raised its topic): checked first, so the other reasons count only the members it is for.
   */
  'not-in-audience',
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
  /** A survey less than the club's `surveyMinDaysApart` (90) after the member's last one. */
  'survey-gap',
  /** A survey within `surveyHoldDaysAfterServiceCase` (14) of the member's complaint or service case. */
  'recent-service-case',
  /** A relationship survey asks a sample; this member is not in this campaign's. */
  'not-in-sample',
  /** An after-purchase survey: no purchase of the right age to ask about. */
  'no-purchase-to-ask-about',
  'not-their-occasion',
  /** The member asked for fewer mails like this (core/mail-controls.ts): its lowered value missed the floor. */
  'fewer-like-this',
  'holdout',
  /** In the club's policy experiment's control arm, which gets no campaign mail (core/experiment.ts). */
  'experiment-control',
  'campaign-cancelled',
]);
export type SuppressReason = z.infer<typeof SuppressReason>;

/**
 * A suppression's code as the marketer sees it: a fixed reason, `outranked-by:<campaignId>` when
 * a more valuable campaign in the planning horizon gets the member's budget instead, or
 * `folded-into:<campaignId>` when that campaign's mail carried this one's best offer along.
 */
export const DecisionReason = z.union([
  SuppressReason,
  z.templateLiteral(['outranked-by:', z.string().regex(/^[A-Za-z0-9_-]+$/)]),
  z.templateLiteral(['folded-into:', z.string().regex(/^[A-Za-z0-9_-]+$/)]),
]);
export type DecisionReason = z.infer<typeof DecisionReason>;

/**
 * Why a mail the plan decided to send is stopped just before sending (lambdas/app/deliver-mail.ts),
 * besides the suppress reasons the worker's re-check of the member and the budget gives and
 * `folded-into:<campaignId>`. The report counts them under `dropped`; the console names each.
 */
export const SendOnlyDropReason = z.enum([
  'member-gone',
  'club-gone',
  'offers-gone',
  'template-error',
  'rejected-by-provider',
  'sending-paused',
  'sender-not-allowed',
  'sending-domain-not-verified',
]);
export type DropReason = SuppressReason | z.infer<typeof SendOnlyDropReason> | `folded-into:${string}`;

/** Not a suppression: the mail goes, but after the member's quiet hours. Counted beside the reasons. */
export const QUIET_HOURS_DEFERRED = 'quiet-hours-deferred';

/**
 * Suppression counts in the order the planner checks them (`not-in-audience` first, as in
 * SuppressReason), `outranked-by:…` after the fixed reasons: the dry-run and the report list them so.
 */
const REASON_ORDER: ReadonlyMap<string, number> = new Map(SuppressReason.options.map((reason, i) => [reason, i]));

export function inReasonOrder(counts: Readonly<Record<string, number>>): Record<string, number> {
  const rank = (reason: string) => REASON_ORDER.get(reason) ?? REASON_ORDER.size;
  const ordered: Record<string, number> = {};
  for (const reason of Object.keys(counts).sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0)))
    ordered[reason] = counts[reason] ?? 0;
  return ordered;
}
