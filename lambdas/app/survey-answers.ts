import { topicsOf } from '../core/comment-topics.js';
import { lastEngaged } from '../core/decision.js';
import { engagementOf } from '../core/engagement.js';
import { ContentionError } from '../core/errors.js';
import type { StoredResponse } from '../core/feedback-ports.js';
import { sentTimes } from '../core/ledger.js';
import { feedbackOf } from '../core/model.js';
import { attributeSegments, segmentsOf } from '../core/nps.js';
import { fail, ok, type Result } from '../core/result.js';
import { castVote, changeable, type SurveyResponse, type VoteVia } from '../core/survey-response.js';
import type { Deps } from './deps.js';
import { followUpVote } from './feedback-cases.js';
import type { SurveyDeps, SurveyTarget } from './survey-target.js';

export type { SurveyDeps, SurveyTarget } from './survey-target.js';

/** Why an answer was not recorded: no score yet to add to, or the 24 hours are over. */
export type AnswerRefusal = { readonly why: 'no-vote' | 'final' };

/** The longest reason the page takes. */
export const MAX_REASON_LENGTH = 1000;

const ATTEMPTS = 5;

/**
 * A vote from the survey page (a POST: docs/decisions/0036-surveys-and-nps.md). The first vote makes
 * the response and records the segments it is counted in; later ones change it for 24 hours. A
 * detractor's score opens a follow-up case; a change away from one, or a vote that marks the
 * response automated, resolves it. Answering changes nothing else about the member: no engagement,
 * no profile, no targeting.
 */
export async function recordVote(
  deps: SurveyDeps,
  target: SurveyTarget,
  score: number,
  via: VoteVia,
): Promise<Result<{ response: SurveyResponse }, AnswerRefusal>> {
  const { club, campaign, member } = target;
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const now = deps.clock.now();
    const existing = await deps.surveys.get(club.clubId, campaign.campaignId, member.memberId);
    const cast = castVote(existing?.response, {
      clubId: club.clubId,
      campaignId: campaign.campaignId,
      memberId: member.memberId,
      score,
      via,
      now,
      segments: segmentsFor(target),
    });
    if (!cast.ok) return fail({ why: 'final' });
    const saved = await deps.surveys.save(cast.response, existing?.response.version ?? 0);
    if (saved === 'changed') continue;
    deps.log.info('survey vote recorded', {
      clubId: club.clubId,
      campaignId: campaign.campaignId,
      memberId: member.memberId,
      via,
      ...(cast.response.automated ? { automated: cast.response.automated } : {}),
    });
    await followUpVote(deps, target, cast.response, cast.effect, now);
    return ok({ response: cast.response });
  }
  throw new ContentionError(`survey response of member ${member.memberId} stayed contended`);
}

/**
 * The member's reason for their score: kept apart from the score with a shorter retention, tagged
 * with the club's comment topics it touches, and never written to a log.
 */
export async function recordReason(
  deps: SurveyDeps,
  target: SurveyTarget,
  text: string,
): Promise<Result<{ response: SurveyResponse }, AnswerRefusal>> {
  const reason = text.trim().slice(0, MAX_REASON_LENGTH);
  const topics = topicsOf(reason, feedbackOf(target.club).topics);
  return change(
    deps,
    target,
    (response) => ({ ...response, commented: reason !== '', topics }),
    async (r, before) => {
      await deps.surveys.saveComment(r, reason, before.topics, deps.clock.now());
    },
  );
}

/** The answer to the club's own question (1–5). */
export async function recordClubAnswer(
  deps: SurveyDeps,
  target: SurveyTarget,
  answer: number,
): Promise<Result<{ response: SurveyResponse }, AnswerRefusal>> {
  return change(deps, target, (response) => ({ ...response, answer }));
}

/** A change to an existing, still changeable response, written under its version. */
async function change(
  deps: SurveyDeps,
  target: SurveyTarget,
  apply: (response: SurveyResponse) => SurveyResponse,
  after?: (response: SurveyResponse, before: SurveyResponse) => Promise<void>,
): Promise<Result<{ response: SurveyResponse }, AnswerRefusal>> {
  const { club, campaign, member } = target;
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const now = deps.clock.now();
    const existing = await deps.surveys.get(club.clubId, campaign.campaignId, member.memberId);
    if (!existing) return fail({ why: 'no-vote' });
    if (!changeable(existing.response, now)) return fail({ why: 'final' });
    const next = { ...apply(existing.response), changedAt: now.toISOString() };
    if ((await deps.surveys.save(next, existing.response.version)) === 'changed') continue;
    if (after) await after(next, existing.response);
    return ok({ response: next });
  }
  throw new ContentionError(`survey response of member ${member.memberId} stayed contended`);
}

/** The member's response to this survey, with their reason, if they answered. */
export function responseOf(deps: Pick<Deps, 'surveys'>, target: SurveyTarget): Promise<StoredResponse | undefined> {
  return deps.surveys.get(target.club.clubId, target.campaign.campaignId, target.member.memberId);
}

/**
 * What a first answer is counted under in the NPS report: whether the member is active or passive as
 * the planner already judged it (core/engagement.ts), and the grouping attributes the club imports
 * (a home store, a region: `attr.<name>`). Nothing is learned from the answer itself.
 */
function segmentsFor(target: SurveyTarget): Record<string, string> {
  const engagement = engagementOf(
    { sentAt: sentTimes(target.ledger), ...lastEngaged(target.member, target.profile) },
    target.club.engagement,
  );
  return segmentsOf(engagement.state, attributeSegments(target.club.attributes ?? [], target.member.attributes ?? {}));
}
