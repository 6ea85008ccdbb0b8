import { createHash } from 'node:crypto';
import { z } from 'zod';
import { type BudgetRules, checkBudget } from './budget.js';
import type { Frequency, Member } from './model.js';
import { SuppressReason } from './reasons.js';

/** 'dropped': a claim given back for good (template error, no longer eligible): a later delivery of
 * the same job must find it and stop, not claim again. It counts toward no budget. */
const SendKind = z.enum(['offers', 'survey', 'dropped']);
type SendKind = z.infer<typeof SendKind>;

/**
 * One send as stored: "o:<epoch ms in base 36>" (s: for a survey). Every claim rewrites the whole
 * ledger item and pays a write unit per started KB, so entries are kept this small.
 */
const StoredSend = z
  .string()
  .regex(/^[osd]:[0-9a-z]+$/, 'a send is "o:", "s:" or "d:" and a base-36 time')
  .transform((value): { at: number; kind: SendKind } => ({
    at: Number.parseInt(value.slice(2), 36),
    kind: value.startsWith('s:') ? 'survey' : value.startsWith('d:') ? 'dropped' : 'offers',
  }));
/** Ledgers written before the compact form. */
const OlderSend = z.object({
  at: z.number().int(),
  campaignId: z.string().optional(),
  kind: SendKind.default('offers'),
});

/**
 * Why the member may not be mailed now, mirrored from the member item by every change that stops
 * mail (unsubscribe, bounce, complaint, pause, no consent). The claim is a conditional write on this
 * very item, so once such a change has completed, no claim judged on the older ledger can land:
 * the suppression check and the claim are one atomic step, without a consistent member read.
 */
export const LedgerStop = z.object({ reason: SuppressReason, at: z.string(), until: z.string().optional() });
export type LedgerStop = z.infer<typeof LedgerStop>;

/** The member's recent marketing sends: one small item, rewritten by every claim. */
export const Ledger = z.object({
  version: z.number().int().nonnegative(),
  sends: z.record(z.string(), z.union([StoredSend, OlderSend])).default({}),
  stop: LedgerStop.optional(),
  /**
   * Epoch ms of the member's latest complaint or service case (a follow-up case of a survey answer
   * among them): no survey goes within the club's `surveyHoldDaysAfterServiceCase` of it.
   */
  serviceCaseAt: z.number().int().optional(),
});
export type Ledger = {
  version: number;
  sends: Record<string, { at: number; kind: SendKind; campaignId?: string }>;
  stop?: LedgerStop;
  serviceCaseAt?: number;
};

/** The stop a member's own state calls for, if any: what `MemberStore` mirrors into the ledger. */
export function stopFor(
  member: Pick<Member, 'subscription' | 'deliverability' | 'consent' | 'preferences'>,
  now: Date,
): LedgerStop | undefined {
  const at = now.toISOString();
  if (member.deliverability !== 'ok') return { reason: member.deliverability, at };
  if (member.subscription === 'unsubscribed') return { reason: 'unsubscribed', at };
  if (!member.consent.marketing) return { reason: 'no-consent', at };
  const until = member.preferences.pausedUntil;
  if (until && Date.parse(until) > now.getTime()) return { reason: 'paused', at, until };
  return undefined;
}

/** Whether a stop holds at `now` (a pause ends by itself). */
export function stopHolds(stop: LedgerStop | undefined, now: Date): stop is LedgerStop {
  return stop !== undefined && (stop.until === undefined || Date.parse(stop.until) > now.getTime());
}

/** The ledger as it is written: entries in their compact form. */
export function storedLedger(ledger: Ledger): {
  version: number;
  sends: Record<string, string>;
  stop?: LedgerStop;
  serviceCaseAt?: number;
} {
  const sends: Record<string, string> = {};
  for (const [id, send] of Object.entries(ledger.sends))
    sends[id] = `${send.kind === 'survey' ? 's' : send.kind === 'dropped' ? 'd' : 'o'}:${send.at.toString(36)}`;
  return {
    version: ledger.version,
    sends,
    ...(ledger.stop ? { stop: ledger.stop } : {}),
    ...(ledger.serviceCaseAt === undefined ? {} : { serviceCaseAt: ledger.serviceCaseAt }),
  };
}

/**
 * What a claim keeps: every send inside the longest budget window, surveys of the last year (the
 * survey cap), and the latest sends whatever their age (engagement counts unengaged mails; a
 * member is passive after 10 by default). Older sends no rule can see are dropped, so the item
 * stays under 1 KB for a member mailed within the caps. Redelivered jobs arrive within days, far
 * inside the windows, so a dropped sendId is never claimed twice.
 */
export const LEDGER_KEEP_LATEST = 16;
const YEAR_MS = 365 * 24 * 3600 * 1000;

export function pruneLedger(sends: Ledger['sends'], now: Date, policy: BudgetRules): Ledger['sends'] {
  const windowMs = Math.max(...policy.windows.map((w) => w.days)) * 24 * 3600 * 1000;
  const latest = new Set(
    Object.entries(sends)
      .sort(([, a], [, b]) => b.at - a.at)
      .slice(0, LEDGER_KEEP_LATEST)
      .map(([id]) => id),
  );
  const kept: Ledger['sends'] = {};
  for (const [id, send] of Object.entries(sends)) {
    const age = now.getTime() - send.at;
    if (age < windowMs || (send.kind === 'survey' && age < YEAR_MS) || latest.has(id)) kept[id] = send;
  }
  return kept;
}

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
  | { readonly kind: 'over-budget'; readonly reason: SuppressReason; readonly message: string }
  /** The ledger says the member may not be mailed now (see LedgerStop). */
  | { readonly kind: 'stopped'; readonly reason: SuppressReason };

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
  if (stopHolds(ledger.stop, now)) return { kind: 'stopped', reason: ledger.stop.reason };
  const kind = claim.kind ?? 'offers';
  const budget = checkBudget(sentTimes(ledger), now, policy, frequency, {
    kind,
    surveySentAt: surveyTimes(ledger),
    serviceCaseAt: ledger.serviceCaseAt,
  });
  if (!budget.ok) return { kind: 'over-budget', reason: budget.reason, message: budget.message };
  const sends = pruneLedger({ ...ledger.sends, [claim.sendId]: { at: now.getTime(), kind } }, now, policy);
  // Everything else the ledger holds (the stop, the latest service case) is carried over unchanged.
  return { kind: 'claimed', next: { ...ledger, version: ledger.version + 1, sends } };
}

/** Epoch ms of every marketing mail in the ledger (offers and surveys, not given-back claims). */
export function sentTimes(ledger: Ledger): number[] {
  return Object.values(ledger.sends)
    .filter((s) => s.kind !== 'dropped')
    .map((s) => s.at);
}

/** Epoch ms of the surveys in the ledger. */
export function surveyTimes(ledger: Ledger): number[] {
  return Object.values(ledger.sends)
    .filter((s) => s.kind === 'survey')
    .map((s) => s.at);
}
