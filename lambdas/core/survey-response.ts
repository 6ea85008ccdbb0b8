import { z } from 'zod';
import { Id } from './ids.js';
import { fail, ok, type Result } from './result.js';
import { ClubAnswer, type NpsGroup, NpsScore, npsGroupOf } from './survey.js';
import { HOUR_MS } from './units.js';

/**
 * One member's response to one survey (docs/decisions/0036-surveys-and-nps.md): a vote is only ever
 * a POST from the survey page, the response can be changed for 24 hours after the first vote, and
 * votes that look like a machine's mark it automated, which keeps it out of the NPS.
 */

/** How long after the first vote the member may still change their answers. */
export const CHANGE_WINDOW_MS = 24 * HOUR_MS;
/** Votes for this many different scores ... */
export const AUTOMATED_DISTINCT_SCORES = 3;
/** ... within this many milliseconds of each other are a machine's, not a person's. */
export const AUTOMATED_WITHIN_MS = 10_000;
/** The votes a response remembers (the latest), enough to see a burst. */
const KEPT_VOTES = 12;

/** How a vote reached us: the page's button, the page's script after it had been visible a while, or the honeypot page. */
export const VoteVia = z.enum(['button', 'script', 'honeypot']);
export type VoteVia = z.infer<typeof VoteVia>;

export const Vote = z.object({ score: NpsScore, at: z.iso.datetime(), via: VoteVia });
export type Vote = z.infer<typeof Vote>;

export const AutomatedWhy = z.enum(['honeypot', 'rapid-scores']);

export const SurveyResponse = z.object({
  clubId: Id,
  campaignId: Id,
  memberId: Id,
  /** The current score, 0–10. */
  score: NpsScore,
  /** The first vote: the response's time in the NPS, and the start of the 24 hours it may change. */
  answeredAt: z.iso.datetime(),
  changedAt: z.iso.datetime(),
  votes: z.array(Vote).max(KEPT_VOTES),
  /** Set once, never cleared: the answer is left out of the NPS and opens no case. */
  automated: AutomatedWhy.optional(),
  /** The club's own question (1–5), if the member answered it. */
  answer: ClubAnswer.optional(),
  /** Whether the member wrote a reason (the text itself is kept apart, with a shorter retention). */
  commented: z.boolean().default(false),
  /** The club's comment topics the reason touched (core/comment-topics.ts). */
  topics: z.array(Id).max(50).default([]),
  /** What the NPS report groups by, recorded with the answer (core/nps.ts segmentsOf). */
  segments: z.record(z.string(), z.string()).default({}),
  /** Optimistic concurrency: every write names the version it read. */
  version: z.number().int().nonnegative(),
});
export type SurveyResponse = z.infer<typeof SurveyResponse>;

/** Whether the member may still change this response at `now`. */
export function changeable(response: Pick<SurveyResponse, 'answeredAt'>, now: Date): boolean {
  return now.getTime() < Date.parse(response.answeredAt) + CHANGE_WINDOW_MS;
}

/** The time after which the response is final. */
export function finalAt(response: Pick<SurveyResponse, 'answeredAt'>): Date {
  return new Date(Date.parse(response.answeredAt) + CHANGE_WINDOW_MS);
}

export interface VoteInput {
  readonly clubId: string;
  readonly campaignId: string;
  readonly memberId: string;
  readonly score: number;
  readonly via: VoteVia;
  readonly now: Date;
  /** Recorded with a first vote only. */
  readonly segments: Readonly<Record<string, string>>;
}

/** What a vote changed, for the case and the NPS row: the group before (none for a first vote) and after. */
export interface VoteEffect {
  readonly before: NpsGroup | 'none' | 'automated';
  readonly after: NpsGroup | 'automated';
}

export type CastVote = Result<{ response: SurveyResponse; effect: VoteEffect }, { why: 'final' }>;

/**
 * A vote on `existing` (or a first one): after 24 hours the response is final. A vote from the
 * honeypot page, or the third different score within ten seconds, marks the response automated.
 */
export function castVote(existing: SurveyResponse | undefined, vote: VoteInput): CastVote {
  const at = vote.now.toISOString();
  if (existing && !changeable(existing, vote.now)) return fail({ why: 'final' });
  const votes = [...(existing?.votes ?? []), { score: vote.score, at, via: vote.via }].slice(-KEPT_VOTES);
  const automated = existing?.automated ?? automatedBy(votes, vote.now);
  const response: SurveyResponse = {
    ...(existing ?? {
      clubId: vote.clubId,
      campaignId: vote.campaignId,
      memberId: vote.memberId,
      answeredAt: at,
      commented: false,
      topics: [],
      segments: { ...vote.segments },
      version: 0,
    }),
    score: vote.score,
    changedAt: at,
    votes,
    ...(automated ? { automated } : {}),
  };
  return ok({ response, effect: { before: existing ? groupOf(existing) : 'none', after: groupOf(response) } });
}

function groupOf(response: SurveyResponse): NpsGroup | 'automated' {
  return response.automated ? 'automated' : npsGroupOf(response.score);
}

function automatedBy(votes: readonly Vote[], now: Date): z.infer<typeof AutomatedWhy> | undefined {
  if (votes.some((v) => v.via === 'honeypot')) return 'honeypot';
  const recent = votes.filter((v) => now.getTime() - Date.parse(v.at) < AUTOMATED_WITHIN_MS);
  return new Set(recent.map((v) => v.score)).size >= AUTOMATED_DISTINCT_SCORES ? 'rapid-scores' : undefined;
}

/** Whether an answer counts in the NPS: not automated. */
export function counts(response: Pick<SurveyResponse, 'automated'>): boolean {
  return response.automated === undefined;
}
