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
  /** Surveys per member per 365 days. Surveys do not count against the windows above, nor they against surveys. */
  surveysPerYear: z.number().int().min(0).max(12).default(2),
  /** The fewest days between two surveys to one member. */
  surveyMinDaysApart: z.number().int().min(0).max(365).default(90),
  /** No survey this many days after the member's complaint or service case (the ledger's `serviceCaseAt`). */
  surveyHoldDaysAfterServiceCase: z.number().int().min(0).max(365).default(14),
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
  surveyMinDaysApart: 90,
  surveyHoldDaysAfterServiceCase: 14,
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
export type BudgetRules = Pick<BudgetPolicy, 'windows' | 'minGapHours'> &
  Partial<Pick<BudgetPolicy, 'surveysPerYear' | 'surveyMinDaysApart' | 'surveyHoldDaysAfterServiceCase'>>;

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
  /**
   * Offers by default. Transactional mail always fits. A survey is judged by the survey caps and the
   * minimum gap only: it does not use up the offers windows (docs/decisions/0036-surveys-and-nps.md).
   */
  readonly kind?: MailKind;
  /** Epoch ms of earlier surveys (also in `sentAt`). */
  readonly surveySentAt?: readonly number[];
  /** Epoch ms of the member's latest complaint or service case, if any (the ledger's `serviceCaseAt`). */
  readonly serviceCaseAt?: number | undefined;
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
  const surveys = options.surveySentAt ?? [];
  if (options.kind === 'survey') {
    const survey = checkSurveyCaps(surveys, t, policy, options.serviceCaseAt);
    if (!survey.ok) return survey;
  }
  // The minimum gap is to any marketing mail, a survey's included.
  const latest = sentAt.reduce((a, b) => Math.max(a, b), Number.NEGATIVE_INFINITY);
  if (policy.minGapHours > 0 && t - latest < policy.minGapHours * HOUR_MS) {
    return fail({ reason: 'min-gap', message: `The member was mailed less than ${policy.minGapHours} hours ago.` });
  }
  if (options.kind === 'survey') return ok();
  // The windows count offers mail only: surveys have caps of their own.
  const offersSent = surveys.length === 0 ? sentAt : withoutTimes(sentAt, surveys);
  for (const window of effectiveWindows(policy, frequency)) {
    // Sends stamped after `now` count too: a concurrent worker may have claimed a moment later.
    const inWindow = offersSent.filter((at) => at > t - window.days * DAY_MS).length;
    if (inWindow >= window.max) {
      const cap = `${window.max} ${window.max === 1 ? 'mail' : 'mails'} per ${window.days} days`;
      return window.source === 'member'
        ? fail({ reason: 'member-frequency-choice', message: `The member chose at most ${cap}.` })
        : fail({ reason: 'budget-window', message: `The member already had ${inWindow} of at most ${cap}.` });
    }
  }
  return ok();
}

/** The survey caps: so many a year, so many days apart, and none soon after a complaint or service case. */
function checkSurveyCaps(
  surveySentAt: readonly number[],
  t: number,
  policy: BudgetRules,
  serviceCaseAt: number | undefined,
): BudgetCheck {
  const surveys = surveySentAt.filter((at) => at > t - 365 * DAY_MS).length;
  const cap = policy.surveysPerYear ?? DEFAULT_BUDGET.surveysPerYear;
  if (surveys >= cap) {
    return fail({
      reason: 'survey-cap',
      message: `The member already had ${surveys} of at most ${cap} surveys this year.`,
    });
  }
  const apart = policy.surveyMinDaysApart ?? DEFAULT_BUDGET.surveyMinDaysApart;
  const latest = surveySentAt.reduce((a, b) => Math.max(a, b), Number.NEGATIVE_INFINITY);
  if (apart > 0 && Math.abs(t - latest) < apart * DAY_MS) {
    const days = Math.floor(Math.abs(t - latest) / DAY_MS);
    return fail({
      reason: 'survey-gap',
      message: `The member's last survey was ${days} days ago; surveys are at least ${apart} days apart.`,
    });
  }
  const hold = policy.surveyHoldDaysAfterServiceCase ?? DEFAULT_BUDGET.surveyHoldDaysAfterServiceCase;
  if (serviceCaseAt !== undefined && hold > 0 && t - serviceCaseAt < hold * DAY_MS) {
    const days = Math.max(0, Math.floor((t - serviceCaseAt) / DAY_MS));
    return fail({
      reason: 'recent-service-case',
      message: `The member had a complaint or service case ${days} days ago; no survey within ${hold} days of one.`,
    });
  }
  return ok();
}

/** `all` without one occurrence of each time in `remove` (both epoch ms). */
function withoutTimes(all: readonly number[], remove: readonly number[]): number[] {
  const left = new Map<number, number>();
  for (const at of remove) left.set(at, (left.get(at) ?? 0) + 1);
  return all.filter((at) => {
    const n = left.get(at) ?? 0;
    if (n === 0) return true;
    left.set(at, n - 1);
    return false;
  });
}

/** How far back the ledger must remember sends to judge every window. */
export function ledgerHorizonMs(policy: BudgetRules): number {
  // A year for the survey cap, and for telling passive members (engagement.ts) from active ones.
  const days = Math.max(...policy.windows.map((w) => w.days), 365);
  return days * DAY_MS;
}
