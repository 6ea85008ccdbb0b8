import { createHash } from 'node:crypto';
import { z } from 'zod';
import { type BudgetRules, checkBudget } from './budget.js';
import type { Frequency, Member } from './model.js';
import { SuppressReason } from './reasons.js';

/** 'dropped': a claim given back for good (template error, no longer eligible): a later delivery of
 * the same job must find it and stop, not claim again. It counts toward no budget. 'folded': the
 * campaign's offer rode along in another campaign's mail (core/fold.ts), claimed with that mail: this
 * campaign never mails the member as well. It counts toward no budget either (the other mail does). */
const SendKind = z.enum(['offers', 'survey', 'dropped', 'folded']);
type SendKind = z.infer<typeof SendKind>;

/**
 * One send as stored: "o:<epoch ms in base 36>" (s: for a survey, d: dropped, and "f:<time>:<campaign>"
 * for an offer folded into that campaign's mail). Every claim rewrites the whole ledger item and pays a
 * write unit per started KB, so entries are kept this small.
 */
const KIND_OF: Readonly<Record<string, SendKind>> = { o: 'offers', s: 'survey', d: 'dropped', f: 'folded' };
const StoredSend = z
  .string()
  .regex(/^([osd]:[0-9a-z]+|f:[0-9a-z]+:[A-Za-z0-9_-]+)$/, 'a send is "o:", "s:", "d:" or "f:" and a base-36 time')
  .transform((value): { at: number; kind: SendKind; into?: string } => {
    const [kind = 'o', at = '', into] = value.split(':');
    return { at: Number.parseInt(at, 36), kind: KIND_OF[kind] ?? 'offers', ...(into ? { into } : {}) };
  });
/**
 * A pending fold as stored: "<campaign whose mail is to carry it>:<epoch ms in base 36>", under the
 * held-back campaign's id (docs/decisions/0054-folds-left-for-a-later-mail.md).
 */
const StoredPendingFold = z
  .string()
  .regex(/^[A-Za-z0-9_-]+:[0-9a-z]+$/, 'a pending fold is "<campaign>:<base-36 time>"')
  .transform((value): PendingFold => {
    const [into = '', at = ''] = value.split(':');
    return { into, at: Number.parseInt(at, 36) };
  });
/** A held-back campaign's offer left for another campaign's mail, planned later (ADR 0054). */
export interface PendingFold {
  /** The campaign whose mail may carry the offer. */
  readonly into: string;
  /** When the held-back campaign's plan left it (epoch ms). */
  readonly at: number;
}

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
  /** By held-back campaign id: offers left for a later mail to carry (ADR 0054). */
  pendingFolds: z.record(z.string().regex(/^[A-Za-z0-9_-]+$/), StoredPendingFold).optional(),
  stop: LedgerStop.optional(),
  /**
   * Epoch ms of the member's latest complaint or service case (a follow-up case of a survey answer
   * among them): no survey goes within the club's `surveyHoldDaysAfterServiceCase` of it.
   */
  serviceCaseAt: z.number().int().optional(),
});
export type Ledger = {
  version: number;
  /** `into`: with 'folded', the campaign whose mail carried the offer. */
  sends: Record<string, { at: number; kind: SendKind; campaignId?: string; into?: string }>;
  /** By held-back campaign id: its offer waits for that campaign's mail (ADR 0054). */
  pendingFolds?: Record<string, PendingFold>;
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
  pendingFolds?: Record<string, string>;
  stop?: LedgerStop;
  serviceCaseAt?: number;
} {
  const sends: Record<string, string> = {};
  for (const [id, send] of Object.entries(ledger.sends))
    sends[id] =
      send.kind === 'folded'
        ? `f:${send.at.toString(36)}:${send.into ?? ''}`
        : `${send.kind === 'survey' ? 's' : send.kind === 'dropped' ? 'd' : 'o'}:${send.at.toString(36)}`;
  const pending = Object.entries(ledger.pendingFolds ?? {});
  return {
    version: ledger.version,
    sends,
    ...(pending.length > 0
      ? { pendingFolds: Object.fromEntries(pending.map(([id, p]) => [id, `${p.into}:${p.at.toString(36)}`])) }
      : {}),
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
  | { readonly kind: 'stopped'; readonly reason: SuppressReason }
  /** This campaign's offer already rode along in the mail of campaign `into`. */
  | { readonly kind: 'folded'; readonly into: string };

/**
 * Decide a claim against the ledger as read. The adapter writes `next` only if the ledger's version
 * is unchanged, so the budget check and the claim are one atomic step.
 */
export function claimSend(
  ledger: Ledger,
  claim: { sendId: string; campaignId: string; kind?: 'offers' | 'survey'; folds?: readonly string[] },
  now: Date,
  policy: BudgetRules,
  frequency: Frequency,
): ClaimOutcome {
  const existing = Object.hasOwn(ledger.sends, claim.sendId) ? ledger.sends[claim.sendId] : undefined;
  if (existing?.kind === 'folded') return { kind: 'folded', into: existing.into ?? '' };
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
  // Folded offers are claimed with the mail that carries them: only those whose campaign has not
  // mailed (or been folded for) the member yet, in the same conditional write.
  for (const fold of claim.folds ?? []) {
    if (!Object.hasOwn(ledger.sends, fold)) sends[fold] = { at: now.getTime(), kind: 'folded', into: claim.campaignId };
  }
  // Pending folds addressed to this mail are settled by this claim (carried above, or not at all), and
  // older ones than any budget window are forgotten: the ledger stays small (ADR 0054).
  const { pendingFolds: _settled, ...rest } = ledger;
  const pendingFolds = prunePendingFolds(ledger.pendingFolds, now, policy, claim.campaignId);
  // Everything else the ledger holds (the stop, the latest service case) is carried over unchanged.
  return {
    kind: 'claimed',
    next: { ...rest, version: ledger.version + 1, sends, ...(pendingFolds ? { pendingFolds } : {}) },
  };
}

/** Epoch ms of every marketing mail in the ledger (offers and surveys, not given-back claims or folds). */
export function sentTimes(ledger: Ledger): number[] {
  return Object.values(ledger.sends)
    .filter((s) => s.kind !== 'dropped' && s.kind !== 'folded')
    .map((s) => s.at);
}

/** Epoch ms of the surveys in the ledger. */
export function surveyTimes(ledger: Ledger): number[] {
  return Object.values(ledger.sends)
    .filter((s) => s.kind === 'survey')
    .map((s) => s.at);
}

/** The campaign whose mail carried this send's offer along, when the ledger says it did. */
export function foldedInto(ledger: Ledger, sendId: string): string | undefined {
  const send = Object.hasOwn(ledger.sends, sendId) ? ledger.sends[sendId] : undefined;
  return send?.kind === 'folded' ? send.into : undefined;
}

/** The folds of `sendIds` the ledger holds as carried by `campaignId`'s mail. */
export function foldsCarriedBy(ledger: Ledger, campaignId: string, sendIds: readonly string[]): Set<string> {
  return new Set(sendIds.filter((id) => foldedInto(ledger, id) === campaignId));
}

/**
 * The sends after a claim is given back for good: the send becomes a tombstone (a later delivery of
 * the same job stops), and the offers folded into that mail are freed, since the mail never went: their
 * own campaigns may mail the member again.
 */
export function releasedSends(
  sends: Ledger['sends'],
  ids: { readonly clubId: string; readonly memberId: string; readonly sendId: string },
): Ledger['sends'] {
  const existing = sends[ids.sendId];
  const next: Ledger['sends'] = {};
  for (const [id, send] of Object.entries(sends)) {
    const carried =
      send.kind === 'folded' && send.into && sendIdFor(ids.clubId, send.into, ids.memberId) === ids.sendId;
    if (!carried) next[id] = send;
  }
  if (existing) next[ids.sendId] = { at: existing.at, kind: 'dropped' };
  return next;
}

/**
 * The pending folds a claim keeps: not those addressed to the claiming campaign (its mail settles
 * them), nor those older than the longest budget window (the planning horizon is far shorter).
 */
function prunePendingFolds(
  pending: Ledger['pendingFolds'],
  now: Date,
  policy: BudgetRules,
  claiming: string,
): Ledger['pendingFolds'] {
  const windowMs = Math.max(0, ...policy.windows.map((w) => w.days)) * 24 * 3600 * 1000;
  const kept = Object.entries(pending ?? {}).filter(([, p]) => p.into !== claiming && now.getTime() - p.at < windowMs);
  return kept.length > 0 ? Object.fromEntries(kept) : undefined;
}

/**
 * The ledger with a held-back campaign's offer left for `into`'s mail (ADR 0054), or undefined when
 * there is nothing to write: the campaign already mailed, was folded or given back for this member
 * (its sendId is in the ledger), or the same fold is already waiting.
 */
export function withPendingFold(
  ledger: Ledger,
  fold: { readonly clubId: string; readonly memberId: string; readonly campaignId: string; readonly into: string },
  now: Date,
): Ledger | undefined {
  if (Object.hasOwn(ledger.sends, sendIdFor(fold.clubId, fold.campaignId, fold.memberId))) return undefined;
  const waiting = ledger.pendingFolds?.[fold.campaignId];
  if (waiting?.into === fold.into) return undefined;
  return {
    ...ledger,
    version: ledger.version + 1,
    pendingFolds: { ...ledger.pendingFolds, [fold.campaignId]: { into: fold.into, at: now.getTime() } },
  };
}

/**
 * The held-back campaigns whose offers wait for `campaignId`'s mail, and have not been carried, mailed
 * or given back meanwhile (their sendIds are not in the ledger).
 */
export function pendingFoldsFor(
  ledger: Ledger,
  ids: { readonly clubId: string; readonly memberId: string; readonly campaignId: string },
): string[] {
  return Object.entries(ledger.pendingFolds ?? {})
    .filter(
      ([from, p]) =>
        p.into === ids.campaignId && !Object.hasOwn(ledger.sends, sendIdFor(ids.clubId, from, ids.memberId)),
    )
    .map(([from]) => from)
    .sort();
}
