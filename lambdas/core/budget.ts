import { z } from 'zod';
import { DEFAULT_QUIET_HOURS, QuietHours } from './quiet-hours.js';
import type { SuppressReason } from './reasons.js';
import { fail, ok, type Result } from './result.js';
import { DAY_MS, HOUR_MS } from './units.js';
import type { Frequency } from './vocabulary.js';

export const BudgetWindow = z.object({
  days: z.number().int().min(1).max(365),
  max: z.number().int().min(0).max(100),
});
export type BudgetWindow = z.infer<typeof BudgetWindow>;

/**
 * A club's frequency policy for marketing mail (offers and surveys). Transactional mail (a receipt,
 * a confirmation) is outside it: `checkBudget` always lets it through.
 */
export const BudgetPolicy = z.object({
  /** Rolling-window caps, e.g. ≤ 1 per 3 days, ≤ 2 per 7 days, ≤ 6 per 30 days. */
  windows: z.array(BudgetWindow).min(1).max(6),
  minGapHours: z
    .number()
    .min(0)
    .max(24 * 30)
    .default(0),
  /** Local hours in the member's time zone when marketing mail waits for the morning. */
  quietHours: QuietHours.default(DEFAULT_QUIET_HOURS),
  /** Surveys per member per 365 days, on top of (not instead of) the windows above. */
  surveysPerYear: z.number().int().min(0).max(12).default(2),
  /**
   * How far ahead planning looks for other campaigns that want the same member: a more valuable
   * one within it keeps the budget free for itself (docs/decisions/0006-frequency-budget.md).
   */
  planningHorizonDays: z.number().int().min(0).max(30).default(7),
});
export type BudgetPolicy = z.infer<typeof BudgetPolicy>;

/**
 * The product's default: at most 3 mails per 7 days and 12 per 30; 2 surveys a year; quiet from
 * 21:00 to 08:00; competing campaigns judged over the next 7 days. The caps are a guard: with
 * `DEFAULT_ENGAGEMENT`'s habit floor it is relevance that chooses the mails. Measured against
 * send-everything and a fixed cap in docs/benchmarks-fatigue.md ("Selective settings").
 */
export const DEFAULT_BUDGET: BudgetPolicy = {
  windows: [
    { days: 7, max: 3 },
    { days: 30, max: 12 },
  ],
  minGapHours: 0,
  quietHours: DEFAULT_QUIET_HOURS,
  surveysPerYear: 2,
  planningHorizonDays: 7,
};

/**
 * The club budget measured with `SELECTIVE_ENGAGEMENT` (engagement.ts) in docs/benchmarks-fatigue.md:
 * at most 3 mails per 7 days and 12 per 30. Looser than the default because the relevance floor,
 * not the count, chooses the mails; the caps remain a guard.
 */
export const SELECTIVE_BUDGET: BudgetPolicy = DEFAULT_BUDGET;

/** The first default (≤ 1/3 d, ≤ 2/7 d, ≤ 6/30 d): fewer mails, but 22 % fewer conversions in the simulation. */
export const CONSERVATIVE_BUDGET: BudgetPolicy = {
  ...DEFAULT_BUDGET,
  windows: [
    { days: 3, max: 1 },
    { days: 7, max: 2 },
    { days: 30, max: 6 },
  ],
};

/** The parts of a policy the budget check reads (tests and the simulator build just these). */
export type BudgetRules = Pick<BudgetPolicy, 'windows' | 'minGapHours'> & { readonly surveysPerYear?: number };

/** What kind of mail is being judged. */
export type MailKind = 'offers' | 'survey' | 'transactional';

/** The caps a member's own choice adds. They can only lower the club's caps, never raise them. */
const MEMBER_CHOICE_WINDOWS: Readonly<Record<Frequency, readonly BudgetWindow[]>> = {
  'club-default': [],
  weekly: [{ days: 7, max: 1 }],
  monthly: [{ days: 30, max: 1 }],
  // Only big offers pass eligibility for these members (eligibility.ts), and at most one a month.
  'occasions-only': [{ days: 30, max: 1 }],
};

export interface SourcedWindow extends BudgetWindow {
  readonly source: 'club' | 'member';
}

export function effectiveWindows(policy: Pick<BudgetPolicy, 'windows'>, frequency: Frequency): SourcedWindow[] {
  return [
    ...policy.windows.map((w) => ({ ...w, source: 'club' as const })),
    ...MEMBER_CHOICE_WINDOWS[frequency].map((w) => ({ ...w, source: 'member' as const })),
  ];
}

export type BudgetCheck = Result<Record<never, never>, { reason: SuppressReason; message: string }>;

export interface BudgetOptions {
  /** Offers by default. Transactional mail always fits; a survey must also fit `surveysPerYear`. */
  readonly kind?: MailKind;
  /** Epoch ms of earlier surveys (also in `sentAt`). */
  readonly surveySentAt?: readonly number[];
}

/**
 * Whether one more mail at `now` fits the budget, given when the member was last mailed.
 * `sentAt` holds epoch milliseconds of earlier marketing mails; transactional mail is not in it.
 */
export function checkBudget(
  sentAt: readonly number[],
  now: Date,
  policy: BudgetRules,
  frequency: Frequency,
  options: BudgetOptions = {},
): BudgetCheck {
  if (options.kind === 'transactional') return ok();
  const t = now.getTime();
  if (options.kind === 'survey') {
    const surveys = (options.surveySentAt ?? []).filter((at) => at > t - 365 * DAY_MS).length;
    const cap = policy.surveysPerYear ?? DEFAULT_BUDGET.surveysPerYear;
    if (surveys >= cap) {
      return fail({
        reason: 'survey-cap',
        message: `The member already had ${surveys} of at most ${cap} surveys this year.`,
      });
    }
  }
  const latest = sentAt.reduce((a, b) => Math.max(a, b), Number.NEGATIVE_INFINITY);
  if (policy.minGapHours > 0 && t - latest < policy.minGapHours * HOUR_MS) {
    return fail({ reason: 'min-gap', message: `The member was mailed less than ${policy.minGapHours} hours ago.` });
  }
  for (const window of effectiveWindows(policy, frequency)) {
    // Sends stamped after `now` count too: a concurrent worker may have claimed a moment later.
    const inWindow = sentAt.filter((at) => at > t - window.days * DAY_MS).length;
    if (inWindow >= window.max) {
      const cap = `${window.max} ${window.max === 1 ? 'mail' : 'mails'} per ${window.days} days`;
      return window.source === 'member'
        ? fail({ reason: 'member-frequency-choice', message: `The member chose at most ${cap}.` })
        : fail({ reason: 'budget-window', message: `The member already had ${inWindow} of at most ${cap}.` });
    }
  }
  return ok();
}

/** How far back the ledger must remember sends to judge every window. */
export function ledgerHorizonMs(policy: BudgetRules): number {
  // A year for the survey cap, and for telling passive members (engagement.ts) from active ones.
  const days = Math.max(...policy.windows.map((w) => w.days), 365);
  return days * DAY_MS;
}
