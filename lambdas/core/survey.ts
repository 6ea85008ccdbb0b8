import { createHash } from 'node:crypto';
import { z } from 'zod';
import { Id } from './ids.js';
import { hasUnsafeCharacters, UNSAFE_TEXT_MESSAGE } from './safe-text.js';
import type { Language } from './vocabulary.js';

/**
 * Survey campaigns and the club's feedback settings (docs/decisions/0036-surveys-and-nps.md): who is
 * asked, which questions, and what happens to an unhappy answer.
 */

/** One line in each of the club's three languages: questions and scale labels the club writes. */
const Line = (max: number, min = 1) =>
  z
    .string()
    .trim()
    .min(min)
    .max(max)
    .refine((text) => !hasUnsafeCharacters(text), UNSAFE_TEXT_MESSAGE);

export const Localized = (max: number) => z.object({ sv: Line(max), da: Line(max), en: Line(max) });
export type Localized = Readonly<Record<Language, string>>;

/**
 * The one question a club may add after the NPS question and the reason, e.g. CSAT: a 1–5 scale
 * whose two ends the club names, so the page can say what the numbers mean.
 */
export const ClubQuestion = z.object({
  /** How the answers are named in reports and exports, e.g. "csat". */
  id: Id.default('club-question'),
  text: Localized(300),
  /** What 1 means ("very dissatisfied") and what 5 means ("very satisfied"). */
  low: Localized(60),
  high: Localized(60),
});
export type ClubQuestion = z.infer<typeof ClubQuestion>;

const SurveyQuestions = {
  /** "What is the main reason for your score?": optional for the member; the club may leave it out. */
  askReason: z.boolean().default(true),
  question: ClubQuestion.optional(),
};

/**
 * Whom a survey campaign asks. `relationship`: a random sample of the members (the club's
 * `feedback.relationshipSampleShare`), different for each campaign. `after-purchase`: members whose
 * latest purchase is `daysAfter` to `daysAfter + windowDays` days old, so the experience is over and
 * no newer purchase came since; scheduled daily with `windowDays: 1`, each purchase is asked about once.
 */
export const SurveySpec = z.discriminatedUnion('type', [
  z.object({ type: z.literal('relationship'), ...SurveyQuestions }),
  z.object({
    type: z.literal('after-purchase'),
    daysAfter: z.number().int().min(0).max(60),
    windowDays: z.number().int().min(1).max(30).default(1),
    ...SurveyQuestions,
  }),
]);
export type SurveySpec = z.infer<typeof SurveySpec>;

/** A survey campaign stored before surveys had a spec: a relationship survey with the reason question. */
export const DEFAULT_SURVEY: SurveySpec = { type: 'relationship', askReason: true };

/**
 * A comment topic the club declares: a comment whose words start with one of the keywords is tagged
 * with it (core/comment-topics.ts), and a "you said, we did" note on the topic reaches its authors.
 */
export const CommentTopic = z.object({
  id: Id,
  keywords: z.array(Line(40, 2)).min(1).max(50),
});
export type CommentTopic = z.infer<typeof CommentTopic>;

/** The club's feedback settings. The survey caps live in the budget (core/budget.ts), where sends are judged. */
export const FeedbackSettings = z.object({
  /** Share of the members a relationship survey asks. */
  relationshipSampleShare: z.number().min(0.001).max(1).default(0.1),
  /** Who follows up a detractor's answer (a name, a team or an address), shown on each case. */
  caseOwner: Line(200).optional(),
  /** Where a new case is announced by mail (locally; on AWS through the feedback SNS topic). */
  feedbackEmail: z.email().optional(),
  /** How long the owner has to contact the member. */
  caseDueHours: z.number().int().min(1).max(720).default(48),
  topics: z.array(CommentTopic).max(50).default([]),
});
export type FeedbackSettings = z.infer<typeof FeedbackSettings>;

export const DEFAULT_FEEDBACK: FeedbackSettings = FeedbackSettings.parse({});

/**
 * A "you said, we did" note: what the club changed about a topic members raised. It is sent as a
 * campaign of kind `note` to the members whose comments were tagged with the topic.
 */
export const FeedbackNote = z.object({
  topic: Id,
  subject: Localized(120),
  headline: Localized(160),
  body: z.object({
    sv: z.string().trim().min(1).max(4000),
    da: z.string().trim().min(1).max(4000),
    en: z.string().trim().min(1).max(4000),
  }),
});
export type FeedbackNote = z.infer<typeof FeedbackNote>;

/** NPS's three groups of answers to the 0–10 question. */
export type NpsGroup = 'promoter' | 'passive' | 'detractor';

export function npsGroupOf(score: number): NpsGroup {
  if (!Number.isInteger(score) || score < 0 || score > 10) throw new RangeError(`an NPS score is 0–10, not ${score}`);
  return score >= 9 ? 'promoter' : score >= 7 ? 'passive' : 'detractor';
}

export const NpsScore = z.number().int().min(0).max(10);
export const ClubAnswer = z.number().int().min(1).max(5);

/**
 * Whether the member is in a relationship survey's sample: a hash of (campaign, member) under the
 * share, so each campaign draws its own sample and every replay and dry-run draws the same one.
 */
export function inSurveySample(campaignId: string, memberId: string, share: number): boolean {
  if (share >= 1) return true;
  const hash = createHash('sha256').update(`survey-sample\u0000${campaignId}\u0000${memberId}`).digest();
  return hash.readUInt32BE(0) / 2 ** 32 < share;
}
