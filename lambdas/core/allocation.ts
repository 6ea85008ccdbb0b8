import { type BudgetRules, checkBudget, effectiveWindows, type SourcedWindow } from './budget.js';
import { ClubPlannerError } from './errors.js';
import type { Frequency } from './model.js';
import type { SuppressReason } from './reasons.js';
import { DAY_MS, HOUR_MS, round } from './units.js';

/** One campaign that wants to mail the member at `at` (epoch ms) within the planning horizon. */
export interface AllocationRequest {
  readonly campaignId: string;
  readonly at: number;
  /** Score of the best offer the mail would carry for this member, 0–1. */
  readonly relevance: number;
  /** The campaign's weight: 1 for weekly offers, 2 for a big seasonal campaign. */
  readonly priority: number;
}

export interface AllocationInput {
  readonly requests: readonly AllocationRequest[];
  /** Epoch ms of the member's earlier marketing mails (the ledger). */
  readonly sentAt: readonly number[];
  readonly policy: BudgetRules;
  readonly frequency: Frequency;
  /** 0–1, from `engagementOf`: the same for every request of one member. */
  readonly engagementWeight: number;
}

/** A budget reason, or the campaign that won the member's budget instead. */
export type AllocationReason = SuppressReason | `outranked-by:${string}`;

export type Allocation =
  | { readonly campaignId: string; readonly outcome: 'send' }
  | {
      readonly campaignId: string;
      readonly outcome: 'suppress';
      readonly reason: AllocationReason;
      readonly message: string;
    };

/** What a mail is worth to the club: relevance × campaign priority × the member's engagement weight. */
export function expectedValue(request: AllocationRequest, engagementWeight: number): number {
  return request.relevance * request.priority * engagementWeight;
}

/** A send on the member's timeline: from the ledger, or admitted here (`rank` 0 = highest value). */
interface TimelineSend {
  readonly at: number;
  readonly admitted?: { readonly rank: number; readonly campaignId: string; readonly value: number };
}

interface Violation {
  readonly reason: SuppressReason;
  readonly message: string;
  /** The other sends that, with the candidate, break the rule. */
  readonly involved: readonly TimelineSend[];
}

/**
 * Share one member's budget between competing campaigns: the mails worth most are admitted first,
 * not the ones scheduled first. Greedy by expected value (ties: earlier `at`, then campaign id); a
 * request is admitted only if every window and the minimum gap still hold around every send, looking
 * forwards as well as backwards, so an earlier mail cannot push an already admitted later one over a
 * cap. Results come back in input order.
 *
 * The member's own frequency choice never yields more mails than the club default would. Greedy is
 * not monotone in its caps (a tighter cap can block one valuable mail that would have crowded out two
 * others), so in that rare case the least valuable admitted mails are dropped down to the default's count.
 */
export function allocate(input: AllocationInput): Allocation[] {
  const ranked = input.requests
    .map((request, index) => ({ request, index, value: expectedValue(request, input.engagementWeight) }))
    .sort(
      (a, b) =>
        b.value - a.value ||
        a.request.at - b.request.at ||
        a.request.campaignId.localeCompare(b.request.campaignId) ||
        a.index - b.index,
    );
  const results = greedy(ranked, input, input.frequency);
  if (input.frequency !== 'club-default') {
    // Dropping admitted mails never breaks a cap, so keeping the most valuable ones is always safe.
    let room = sends(greedy(ranked, input, 'club-default'));
    for (const { request, index } of ranked) {
      if (results.get(index)?.outcome !== 'send') continue;
      if (room > 0) room -= 1;
      else
        results.set(index, {
          campaignId: request.campaignId,
          outcome: 'suppress',
          reason: 'member-frequency-choice',
          message: "The member's chosen frequency never gets more mails than the club's default would send.",
        });
    }
  }
  return input.requests.map((request, index) => results.get(index) ?? unreachable(request.campaignId));
}

interface RankedRequest {
  readonly request: AllocationRequest;
  readonly index: number;
  readonly value: number;
}

/** `effectiveWindows` per policy and frequency: planning calls this for every member × campaign. */
const windowCache = new WeakMap<BudgetRules, Map<Frequency, readonly SourcedWindow[]>>();

function windowsOf(policy: BudgetRules, frequency: Frequency): readonly SourcedWindow[] {
  const perFrequency = windowCache.get(policy) ?? new Map<Frequency, readonly SourcedWindow[]>();
  windowCache.set(policy, perFrequency);
  const cached = perFrequency.get(frequency);
  if (cached) return cached;
  const windows = effectiveWindows(policy, frequency);
  perFrequency.set(frequency, windows);
  return windows;
}

function greedy(
  ranked: readonly RankedRequest[],
  input: AllocationInput,
  frequency: Frequency,
): Map<number, Allocation> {
  const windows = windowsOf(input.policy, frequency);
  const history: TimelineSend[] = input.sentAt.map((at) => ({ at }));
  const admitted: TimelineSend[] = [];
  const results = new Map<number, Allocation>();
  for (const { request, index, value } of ranked) {
    const campaignId = request.campaignId;
    const [first] = violations(request.at, history, windows, input.policy.minGapHours, true);
    if (first) {
      results.set(index, { campaignId, outcome: 'suppress', ...budgetReason(request.at, input, frequency, first) });
      continue;
    }
    const together =
      admitted.length === 0 ? [] : violations(request.at, [...history, ...admitted], windows, input.policy.minGapHours);
    const blocking = together[0];
    if (!blocking) {
      admitted.push({ at: request.at, admitted: { rank: admitted.length, campaignId, value } });
      results.set(index, { campaignId, outcome: 'send' });
      continue;
    }
    // The ledger alone allowed it, so an admitted send is always involved; the fallback is for safety.
    const winner = highestValueAdmitted(together);
    if (!winner) {
      results.set(index, { campaignId, outcome: 'suppress', reason: blocking.reason, message: blocking.message });
      continue;
    }
    results.set(index, {
      campaignId,
      outcome: 'suppress',
      reason: `outranked-by:${winner.campaignId}`,
      message:
        `Campaign ${winner.campaignId} is worth more to this member (expected value ${round(winner.value)} against ` +
        `${round(value)}) and the budget has no room for both.`,
    });
  }
  return results;
}

function sends(results: ReadonlyMap<number, Allocation>): number {
  let count = 0;
  for (const result of results.values()) if (result.outcome === 'send') count += 1;
  return count;
}

/**
 * The plain budget reason. When the ledger alone blocks the request looking backwards, this is
 * exactly `checkBudget`'s answer; otherwise (a ledger send after the request) our own.
 */
function budgetReason(
  at: number,
  input: AllocationInput,
  frequency: Frequency,
  violation: Violation,
): { reason: AllocationReason; message: string } {
  const earlier = input.sentAt.filter((sent) => sent <= at);
  const check = checkBudget(earlier, new Date(at), input.policy, frequency);
  return check.ok
    ? { reason: violation.reason, message: violation.message }
    : { reason: check.reason, message: check.message };
}

/**
 * Every rule a send at `at` would break next to `others`: the minimum gap to the nearest send on
 * either side, and for each window every position that holds the new send (ending at it or at a
 * later send less than a window away). In the order `checkBudget` checks: gap first, then windows.
 * `firstOnly` stops at the first one found.
 */
function violations(
  at: number,
  others: readonly TimelineSend[],
  windows: readonly SourcedWindow[],
  minGapHours: number,
  firstOnly = false,
): Violation[] {
  const found: Violation[] = [];
  if (minGapHours > 0) {
    const close = others.filter((s) => Math.abs(s.at - at) < minGapHours * HOUR_MS);
    if (close.length > 0) {
      found.push({
        reason: 'min-gap',
        message: `The member is mailed less than ${minGapHours} hours apart.`,
        involved: close,
      });
    }
  }
  for (const window of windows) {
    if (firstOnly && found.length > 0) break;
    const involved = overfullWindow(at, others, window.days * DAY_MS, window.max);
    if (involved) {
      found.push({
        reason: window.source === 'member' ? 'member-frequency-choice' : 'budget-window',
        message: capMessage(window),
        involved,
      });
    }
  }
  return found;
}

/**
 * The other sends in the first window of length `span` that holds `at` and would exceed `max` with
 * it. Windows (end − span, end] are tried ending at `at`, then at each later send less than a span away.
 */
function overfullWindow(
  at: number,
  others: readonly TimelineSend[],
  span: number,
  max: number,
): TimelineSend[] | undefined {
  let end: number | undefined = countWithin(others, at, span) + 1 > max ? at : undefined;
  for (const s of others) {
    if (end !== undefined) break;
    if (s.at >= at && s.at - at < span && countWithin(others, s.at, span) + 1 > max) end = s.at;
  }
  if (end === undefined) return undefined;
  const last = end;
  return others.filter((s) => s.at > last - span && s.at <= last);
}

/** Sends in the window (end − span, end]. */
function countWithin(sends: readonly TimelineSend[], end: number, span: number): number {
  let count = 0;
  for (const s of sends) if (s.at > end - span && s.at <= end) count += 1;
  return count;
}

function highestValueAdmitted(found: readonly Violation[]): { campaignId: string; value: number } | undefined {
  let best: TimelineSend['admitted'];
  for (const violation of found) {
    for (const send of violation.involved) {
      if (send.admitted && (!best || send.admitted.rank < best.rank)) best = send.admitted;
    }
  }
  return best;
}

function capMessage(window: SourcedWindow): string {
  const cap = `${window.max} ${window.max === 1 ? 'mail' : 'mails'} per ${window.days} days`;
  return window.source === 'member' ? `The member chose at most ${cap}.` : `The member's budget allows at most ${cap}.`;
}

function unreachable(campaignId: string): never {
  throw new ClubPlannerError(`allocate lost the request of campaign ${campaignId}`);
}
