import { SuppressReason } from './reasons.js';

/**
 * From all members to those mailed, one step per kind of reason (docs/decisions/0034): what the
 * explorer draws. Each step keeps the members no reason of it stopped; the reasons it lost members
 * to are listed with their counts, so each bar can link to exactly those members.
 */
export const WATERFALL_STEPS = [
  // Whom the campaign is for comes before anything about the member: the plan checks it first.
  'audience',
  'consented',
  'wanting',
  'offers',
  'relevant',
  'budget',
  'outranked',
  'holdout',
] as const;
export type WaterfallStep = (typeof WATERFALL_STEPS)[number];

const STEP_OF: Readonly<Record<SuppressReason, WaterfallStep>> = {
  unsubscribed: 'consented',
  bounced: 'consented',
  complained: 'consented',
  undeliverable: 'consented',
  'no-consent': 'consented',
  paused: 'wanting',
  'topic-opt-out': 'wanting',
  'not-their-occasion': 'wanting',
  // Whom a survey or a note asks: its sample, a purchase to ask about, the members who raised the topic.
  'not-in-sample': 'wanting',
  'no-purchase-to-ask-about': 'wanting',
  // Outside the campaign's saved audience (or, for a note, not among the members it answers).
  'not-in-audience': 'audience',
  'no-eligible-offers': 'offers',
  'below-relevance-floor': 'relevant',
  'budget-window': 'budget',
  'min-gap': 'budget',
  'survey-cap': 'budget',
  'survey-gap': 'budget',
  'recent-service-case': 'budget',
  'member-frequency-choice': 'budget',
  // The member asked for fewer mails like this one (a control inside an earlier mail).
  'fewer-like-this': 'wanting',
  holdout: 'holdout',
  // The club's policy experiment keeps its control arm from campaign mail, as a holdout would.
  'experiment-control': 'holdout',
  // Never in a plan: the campaign itself stopped. Counted where nothing else is.
  'campaign-cancelled': 'consented',
};

/**
 * The step a decision's reason belongs to (`outranked-by:<campaign>` is the outranked step, and so is
 * `folded-into:<campaign>`: another mail won the member, carrying this campaign's best offer along).
 */
export function stepOf(reason: string): WaterfallStep {
  if (reason.startsWith('outranked-by:') || reason.startsWith('folded-into:')) return 'outranked';
  const known = SuppressReason.safeParse(reason);
  return known.success ? STEP_OF[known.data] : 'consented';
}

export interface WaterfallRow {
  readonly step: 'members' | WaterfallStep | 'mailed';
  /** Members still in after this step. */
  readonly remaining: number;
  /** Members this step left out, by reason, most first. */
  readonly lost: ReadonlyArray<{ readonly reason: string; readonly count: number }>;
}

/** The waterfall of a tally: planned members, what each step left out, and those mailed. */
export function waterfall(tally: {
  readonly planned: number;
  readonly toSend: number;
  readonly suppressed: Readonly<Record<string, number>>;
}): WaterfallRow[] {
  const rows: WaterfallRow[] = [{ step: 'members', remaining: tally.planned, lost: [] }];
  let remaining = tally.planned;
  for (const step of WATERFALL_STEPS) {
    const lost = Object.entries(tally.suppressed)
      .filter(([reason, count]) => count > 0 && stepOf(reason) === step)
      .map(([reason, count]) => ({ reason, count }))
      .sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason));
    remaining -= lost.reduce((sum, l) => sum + l.count, 0);
    rows.push({ step, remaining, lost });
  }
  rows.push({ step: 'mailed', remaining: tally.toSend, lost: [] });
  return rows;
}
