import { ContentionError } from '../core/errors.js';
import {
  type CaseState,
  caseIdFor,
  type FeedbackCase,
  isOverdue,
  moveCase,
  openCase,
  reopenCase,
} from '../core/feedback-case.js';
import type { CaseQuery } from '../core/feedback-ports.js';
import { OVERDUE_CASES_METRIC } from '../core/metric-names.js';
import { feedbackOf } from '../core/model.js';
import { fail, ok, type Result } from '../core/result.js';
import type { SurveyResponse, VoteEffect } from '../core/survey-response.js';
import type { Deps } from './deps.js';
import type { Refusal } from './refusal.js';
import type { SurveyDeps, SurveyTarget } from './survey-target.js';

/** The most overdue cases one check lists. */
const OVERDUE_PAGE = 1000;
const SYSTEM = 'system';

/**
 * What a vote means for the member's case (docs/decisions/0038-closing-the-loop.md): a detractor's
 * score (0–6) opens one, due within the club's `caseDueHours`, notes a service case on the member's
 * ledger (no survey for a while) and alerts the owner; a change to another detractor's score updates
 * it; a change to 7 or more within the 24 hours, or an answer found automated, resolves it.
 */
export async function followUpVote(
  deps: SurveyDeps,
  target: SurveyTarget,
  response: SurveyResponse,
  effect: VoteEffect,
  now: Date,
): Promise<void> {
  const { club, campaign, member } = target;
  const settings = feedbackOf(club);
  const caseId = caseIdFor(club.clubId, campaign.campaignId, member.memberId);
  if (effect.after === 'detractor') {
    const fresh = openCase({
      clubId: club.clubId,
      campaignId: campaign.campaignId,
      memberId: member.memberId,
      score: response.score,
      owner: settings.caseOwner,
      dueHours: settings.caseDueHours,
      now,
    });
    if ((await deps.feedbackCases.create(fresh)) === 'created') {
      await deps.serviceContacts.record(club.clubId, member.memberId, now);
      await alert(deps, target, fresh);
      return;
    }
    await update(deps, club.clubId, caseId, (current) => {
      if (current.state === 'resolved' && current.history.at(-1)?.by === SYSTEM) {
        return reopenCase(current, response.score, settings.caseDueHours, now);
      }
      return current.state === 'resolved' || current.score === response.score
        ? undefined
        : { ...current, score: response.score };
    });
    return;
  }
  if (effect.before !== 'detractor') return;
  const why =
    effect.after === 'automated'
      ? 'The answer was marked automated (a link scanner or a bot), so nobody needs to call.'
      : `The member changed their score to ${response.score}.`;
  await update(deps, club.clubId, caseId, (current) => {
    if (current.state === 'resolved') return undefined;
    const moved = moveCase(current, 'resolved', SYSTEM, now, why);
    return moved.ok ? moved.case : undefined;
  });
}

async function alert(deps: SurveyDeps, target: SurveyTarget, feedbackCase: FeedbackCase): Promise<void> {
  const { club } = target;
  const settings = feedbackOf(club);
  try {
    await deps.caseAlerts.caseOpened({
      clubId: club.clubId,
      clubName: club.name,
      caseId: feedbackCase.caseId,
      score: feedbackCase.score,
      ...(feedbackCase.owner ? { owner: feedbackCase.owner } : {}),
      dueAt: feedbackCase.dueAt,
      link: `${deps.publicBaseUrl}/api/clubs/${club.clubId}/feedback/cases/${feedbackCase.caseId}`,
      ...(settings.feedbackEmail ? { feedbackEmail: settings.feedbackEmail } : {}),
      from: club.senderEmail,
    });
  } catch (error: unknown) {
    // The case is open and the overdue alarm watches it; a lost alert must not lose the member's vote.
    deps.log.error('feedback case alert not sent', { clubId: club.clubId, caseId: feedbackCase.caseId, error });
  }
}

/** Apply `change` to the stored case under its version; undefined from `change` means nothing to write. */
async function update(
  deps: Pick<Deps, 'feedbackCases'>,
  clubId: string,
  caseId: string,
  change: (current: FeedbackCase) => FeedbackCase | undefined,
): Promise<FeedbackCase | undefined> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const current = await deps.feedbackCases.get(clubId, caseId);
    if (!current) return undefined;
    const next = change(current);
    if (!next) return current;
    if ((await deps.feedbackCases.replace(next, current.version)) === 'replaced') return next;
  }
  throw new ContentionError(`feedback case ${caseId} stayed contended`);
}

export function listCases(deps: Pick<Deps, 'feedbackCases'>, clubId: string, query: CaseQuery) {
  return deps.feedbackCases.list(clubId, query);
}

/** What the case owner sees: the case, the member to call, their answers and their recent purchases. */
export interface CaseDetail {
  readonly case: FeedbackCase & { readonly overdue: boolean };
  readonly member?: {
    readonly memberId: string;
    readonly firstName: string;
    readonly email: string;
    readonly language: string;
  };
  readonly answers?: {
    readonly score: number;
    readonly answeredAt: string;
    readonly comment?: string;
    readonly clubAnswer?: number;
    readonly topics: readonly string[];
  };
  readonly recentPurchases: ReadonlyArray<{
    readonly receiptId: string;
    readonly at: string;
    readonly items: ReadonlyArray<{ readonly productId: string; readonly name?: string; readonly quantity: number }>;
  }>;
}

/** The five latest receipts shown on a case. */
const RECENT_RECEIPTS = 5;

export async function caseDetail(
  deps: Pick<Deps, 'feedbackCases' | 'surveys' | 'members' | 'purchases' | 'clubs' | 'clock'>,
  clubId: string,
  caseId: string,
): Promise<CaseDetail | undefined> {
  const found = await deps.feedbackCases.get(clubId, caseId);
  if (!found) return undefined;
  const [stored, state, receipts, catalog] = await Promise.all([
    deps.surveys.get(clubId, found.campaignId, found.memberId),
    deps.members.getState(clubId, found.memberId),
    deps.purchases.listReceipts(clubId, found.memberId),
    deps.clubs.getCatalog(clubId),
  ]);
  const names = new Map(catalog.products.map((p) => [p.productId, p.name]));
  const recent = [...receipts].sort((a, b) => b.at.localeCompare(a.at)).slice(0, RECENT_RECEIPTS);
  const member = state?.member;
  return {
    case: { ...found, overdue: isOverdue(found, deps.clock.now()) },
    ...(member
      ? {
          member: {
            memberId: member.memberId,
            firstName: member.firstName,
            email: member.email,
            language: member.language,
          },
        }
      : {}),
    ...(stored
      ? {
          answers: {
            score: stored.response.score,
            answeredAt: stored.response.answeredAt,
            ...(stored.comment === undefined ? {} : { comment: stored.comment }),
            ...(stored.response.answer === undefined ? {} : { clubAnswer: stored.response.answer }),
            topics: stored.response.topics,
          },
        }
      : {}),
    recentPurchases: recent.map((r) => ({
      receiptId: r.receiptId,
      at: r.at,
      items: r.items.map((i) => {
        const name = names.get(i.productId);
        return { productId: i.productId, quantity: i.quantity, ...(name ? { name } : {}) };
      }),
    })),
  };
}

/**
 * The owner moves a case on: contacted, then resolved, with a note. Each move is a service contact:
 * no survey goes to the member for the club's `surveyHoldDaysAfterServiceCase` after it.
 */
export async function moveCaseTo(
  deps: Pick<Deps, 'feedbackCases' | 'serviceContacts' | 'clock'>,
  clubId: string,
  caseId: string,
  move: { readonly state: CaseState; readonly note?: string | undefined },
  actor: string,
): Promise<Result<{ case: FeedbackCase; before: FeedbackCase }, Refusal>> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const now = deps.clock.now();
    const current = await deps.feedbackCases.get(clubId, caseId);
    if (!current) return fail({ why: 'not-found', message: `case ${caseId} does not exist` });
    const moved = moveCase(current, move.state, actor, now, move.note);
    if (!moved.ok) return fail({ why: 'conflict', message: moved.message });
    if (!moved.changed) return ok({ case: current, before: current });
    if ((await deps.feedbackCases.replace(moved.case, current.version)) === 'changed') continue;
    await deps.serviceContacts.record(clubId, current.memberId, now);
    return ok({ case: moved.case, before: current });
  }
  throw new ContentionError(`feedback case ${caseId} stayed contended`);
}

/**
 * The periodic check: how many cases of every club are past due with nobody contacted, as a metric
 * the stack's alarm watches, and a warning line per case (ids and times only) for the log.
 */
export async function checkOverdueCases(
  deps: Pick<Deps, 'feedbackCases' | 'metrics' | 'clock' | 'log'>,
): Promise<{ overdue: number }> {
  const now = deps.clock.now();
  const overdue = await deps.feedbackCases.overdue(now, OVERDUE_PAGE);
  deps.metrics.gauge(OVERDUE_CASES_METRIC, overdue.length);
  for (const c of overdue) {
    deps.log.warn('feedback case overdue', { clubId: c.clubId, caseId: c.caseId, dueAt: c.dueAt });
  }
  return { overdue: overdue.length };
}
