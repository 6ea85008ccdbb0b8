import { createHash } from 'node:crypto';
import { z } from 'zod';
import { type BudgetRules, checkBudget, ledgerHorizonMs } from './budget.js';
import type { Frequency } from './model.js';
import type { SuppressReason } from './reasons.js';

/** The member's recent marketing sends: one small item, rewritten by every claim. */
export const Ledger = z.object({
  version: z.number().int().nonnegative(),
  sends: z.record(
    z.string(),
    z.object({ at: z.number().int(), campaignId: z.string(), kind: z.enum(['offers', 'survey']).default('offers') }),
  ),
});
export type Ledger = z.infer<typeof Ledger>;

export const EMPTY_LEDGER: Ledger = { version: 0, sends: {} };

/**
 * The idempotency key of one mail. SES has none, so we derive it from (club, campaign, member):
 * every redelivery of the same job yields the same id. Hex, so it is also a valid SES tag value.
 */
export function sendIdFor(clubId: string, campaignId: string, memberId: string): string {
  return createHash('sha256').update(`${clubId}\u0000${campaignId}\u0000${memberId}`).digest('hex').slice(0, 32);
}

export type ClaimOutcome =
  | { readonly kind: 'claimed'; readonly next: Ledger }
  /** `at`: when the earlier claim was made (epoch ms), where reconciling an unknown mail starts. */
  | { readonly kind: 'already-claimed'; readonly at: number }
  | { readonly kind: 'over-budget'; readonly reason: SuppressReason; readonly message: string };

/**
 * Decide a claim against the ledger as read. The adapter writes `next` only if the ledger's version
 * is unchanged, so the budget check and the claim are one atomic step.
 */
export function claimSend(
  ledger: Ledger,
  claim: { sendId: string; campaignId: string; kind?: 'offers' | 'survey' },
  now: Date,
  policy: BudgetRules,
  frequency: Frequency,
): ClaimOutcome {
  const existing = Object.hasOwn(ledger.sends, claim.sendId) ? ledger.sends[claim.sendId] : undefined;
  if (existing) return { kind: 'already-claimed', at: existing.at };
  const kind = claim.kind ?? 'offers';
  const budget = checkBudget(sentTimes(ledger), now, policy, frequency, { kind, surveySentAt: surveyTimes(ledger) });
  if (!budget.ok) return { kind: 'over-budget', reason: budget.reason, message: budget.message };
  const horizon = now.getTime() - ledgerHorizonMs(policy);
  const sends: Ledger['sends'] = {};
  for (const [id, send] of Object.entries(ledger.sends)) if (send.at > horizon) sends[id] = send;
  sends[claim.sendId] = { at: now.getTime(), campaignId: claim.campaignId, kind };
  return { kind: 'claimed', next: { version: ledger.version + 1, sends } };
}

/** Epoch ms of every marketing mail in the ledger (offers and surveys). */
export function sentTimes(ledger: Ledger): number[] {
  return Object.values(ledger.sends).map((s) => s.at);
}

/** Epoch ms of the surveys in the ledger. */
export function surveyTimes(ledger: Ledger): number[] {
  return Object.values(ledger.sends)
    .filter((s) => s.kind === 'survey')
    .map((s) => s.at);
}
