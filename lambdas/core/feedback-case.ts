import { createHash } from 'node:crypto';
import { z } from 'zod';
import { Id } from './ids.js';
import { fail, ok, type Result } from './result.js';
import { NpsScore } from './survey.js';
import { HOUR_MS } from './units.js';

/**
 * A follow-up case: every detractor's answer (0–6) opens one, owned by the club's case owner and due
 * within the club's `caseDueHours` (48). It moves open → contacted → resolved, never back; the
 * member's own change of score to 7 or more within the 24 hours resolves it for them.
 */
export const CaseState = z.enum(['open', 'contacted', 'resolved']);
export type CaseState = z.infer<typeof CaseState>;

const CaseNote = z.string().trim().min(1).max(2000);

export const CaseStep = z.object({
  state: CaseState,
  at: z.iso.datetime(),
  /** A principal id (core/principal.ts), or `system` for what the member's own answer did. */
  by: z.string().min(1).max(200),
  note: CaseNote.optional(),
});
export type CaseStep = z.infer<typeof CaseStep>;

export const FeedbackCase = z.object({
  clubId: Id,
  caseId: z.string().regex(/^[0-9a-f]{20}$/),
  campaignId: Id,
  memberId: Id,
  /** The score that opened the case (the latest, if the member changed it). */
  score: NpsScore,
  state: CaseState,
  owner: z.string().max(200).optional(),
  openedAt: z.iso.datetime(),
  dueAt: z.iso.datetime(),
  history: z.array(CaseStep).min(1).max(50),
  version: z.number().int().nonnegative(),
});
export type FeedbackCase = z.infer<typeof FeedbackCase>;

/** The case of one member's answer to one survey: the same on every retry, so a case opens once. */
export function caseIdFor(clubId: string, campaignId: string, memberId: string): string {
  return createHash('sha256')
    .update(`case\u0000${clubId}\u0000${campaignId}\u0000${memberId}`)
    .digest('hex')
    .slice(0, 20);
}

export function openCase(input: {
  readonly clubId: string;
  readonly campaignId: string;
  readonly memberId: string;
  readonly score: number;
  readonly owner: string | undefined;
  readonly dueHours: number;
  readonly now: Date;
}): FeedbackCase {
  const at = input.now.toISOString();
  return {
    clubId: input.clubId,
    caseId: caseIdFor(input.clubId, input.campaignId, input.memberId),
    campaignId: input.campaignId,
    memberId: input.memberId,
    score: input.score,
    state: 'open',
    ...(input.owner ? { owner: input.owner } : {}),
    openedAt: at,
    dueAt: new Date(input.now.getTime() + input.dueHours * HOUR_MS).toISOString(),
    history: [{ state: 'open', at, by: 'system' }],
    version: 0,
  };
}

const NEXT: Readonly<Record<CaseState, readonly CaseState[]>> = {
  open: ['contacted', 'resolved'],
  contacted: ['resolved'],
  resolved: [],
};

/** The states a case may move on to from `state` (what the console offers its owner). */
export function nextCaseStates(state: CaseState): readonly CaseState[] {
  return NEXT[state];
}

export type CaseMove = Result<{ case: FeedbackCase; changed: boolean }, { why: 'not-allowed'; message: string }>;

/** Move a case forward; the same state again is no change, a step back is refused. */
export function moveCase(current: FeedbackCase, to: CaseState, by: string, now: Date, note?: string): CaseMove {
  if (current.state === to && note === undefined) return ok({ case: current, changed: false });
  if (current.state !== to && !NEXT[current.state].includes(to)) {
    return fail({ why: 'not-allowed', message: `a ${current.state} case cannot become ${to}` });
  }
  const step: CaseStep = { state: to, at: now.toISOString(), by, ...(note ? { note } : {}) };
  return ok({
    case: { ...current, state: to, history: [...current.history, step].slice(-50) },
    changed: true,
  });
}

/** Opened again: the member changed a 7+ back to a detractor's score within their 24 hours. */
export function reopenCase(current: FeedbackCase, score: number, dueHours: number, now: Date): FeedbackCase {
  return {
    ...current,
    score,
    state: 'open',
    dueAt: new Date(now.getTime() + dueHours * HOUR_MS).toISOString(),
    history: [...current.history, { state: 'open' as const, at: now.toISOString(), by: 'system' }].slice(-50),
  };
}

/** Past due and nobody has contacted the member yet. */
export function isOverdue(c: Pick<FeedbackCase, 'state' | 'dueAt'>, now: Date): boolean {
  return c.state === 'open' && Date.parse(c.dueAt) <= now.getTime();
}
