import { z } from 'zod';
import type { Frequency } from './model.js';
import type { SuppressReason } from './reasons.js';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

export const BudgetWindow = z.object({
  days: z.number().int().min(1).max(365),
  max: z.number().int().min(0).max(100),
});
export type BudgetWindow = z.infer<typeof BudgetWindow>;

/** A club's frequency policy. */
export const BudgetPolicy = z.object({
  windows: z.array(BudgetWindow).min(1).max(6),
  minGapHours: z.number().min(0).max(24 * 30).default(0),
});
export type BudgetPolicy = z.infer<typeof BudgetPolicy>;

/** The product's default: at most 1 mail per 3 days and 4 per 30 days. */
export const DEFAULT_BUDGET: BudgetPolicy = {
  windows: [
    { days: 3, max: 1 },
    { days: 30, max: 4 },
  ],
  minGapHours: 0,
};

/** The caps a member's own choice adds. They can only lower the club's caps, never raise them. */
const MEMBER_CHOICE_WINDOWS: Readonly<Record<Frequency, readonly BudgetWindow[]>> = {
  'club-default': [],
  weekly: [{ days: 7, max: 1 }],
  monthly: [{ days: 30, max: 1 }],
  'occasions-only': [{ days: 365, max: 0 }],
};

export interface SourcedWindow extends BudgetWindow {
  readonly source: 'club' | 'member';
}

export function effectiveWindows(policy: BudgetPolicy, frequency: Frequency): SourcedWindow[] {
  return [
    ...policy.windows.map((w) => ({ ...w, source: 'club' as const })),
    ...MEMBER_CHOICE_WINDOWS[frequency].map((w) => ({ ...w, source: 'member' as const })),
  ];
}

export type BudgetCheck =
  | { readonly ok: true }
  | { readonly ok: false; readonly reason: SuppressReason; readonly message: string };

/**
 * Whether one more marketing mail at `now` fits the budget, given when the member was last mailed.
 * `sentAt` holds epoch milliseconds of earlier marketing mails; transactional mail is not in it.
 */
export function checkBudget(sentAt: readonly number[], now: Date, policy: BudgetPolicy, frequency: Frequency): BudgetCheck {
  const t = now.getTime();
  const latest = sentAt.reduce((a, b) => Math.max(a, b), Number.NEGATIVE_INFINITY);
  if (policy.minGapHours > 0 && t - latest < policy.minGapHours * HOUR_MS) {
    return {
      ok: false,
      reason: 'min-gap',
      message: `The member was mailed less than ${policy.minGapHours} hours ago.`,
    };
  }
  for (const window of effectiveWindows(policy, frequency)) {
    // Sends stamped after `now` count too: a concurrent worker may have claimed a moment later.
    const inWindow = sentAt.filter((at) => at > t - window.days * DAY_MS).length;
    if (inWindow >= window.max) {
      const cap = `${window.max} ${window.max === 1 ? 'mail' : 'mails'} per ${window.days} days`;
      return window.source === 'member'
        ? { ok: false, reason: 'member-frequency-choice', message: `The member chose at most ${cap}.` }
        : { ok: false, reason: 'budget-window', message: `The member already had ${inWindow} of at most ${cap}.` };
    }
  }
  return { ok: true };
}

/** How far back the ledger must remember sends to judge every window. */
export function ledgerHorizonMs(policy: BudgetPolicy): number {
  const days = Math.max(...policy.windows.map((w) => w.days), 30);
  return days * DAY_MS;
}
