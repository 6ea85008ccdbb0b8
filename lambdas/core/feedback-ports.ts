import type { FeedbackCase } from './feedback-case.js';
import type { NpsAnswer } from './nps.js';
import type { NpsDayCounts } from './nps-days.js';
import type { SurveyResponse } from './survey-response.js';

/** A response with the member's reason, which is stored apart with a shorter retention. */
export interface StoredResponse {
  readonly response: SurveyResponse;
  /** The member's reason, if they wrote one and it is still kept (docs/retention.md). */
  readonly comment?: string;
}

/** One answer as the NPS report reads it, with the member it came from (for erasure, never shown). */
export interface NpsRow extends NpsAnswer {
  readonly campaignId: string;
  readonly memberId: string;
}

/**
 * One day of the club's NPS roll-up as stored (docs/decisions/0055-nps-day-roll-up.md). Every write of
 * an answer of the day adds one to `changes`; `counts` were counted from the day's answers when
 * `changes` was `counted`. A day is current when the two are equal, and is counted again otherwise.
 */
export interface StoredNpsDay {
  readonly day: string;
  readonly changes: number;
  readonly counted?: number;
  readonly counts?: NpsDayCounts;
}

/** Survey responses: the member's own (in their partition), and the club's NPS rows and topic lists. */
export interface SurveyResponses {
  get(clubId: string, campaignId: string, memberId: string): Promise<StoredResponse | undefined>;
  /**
   * Write the response if it is still at `expectedVersion` (0: it does not exist yet), with its NPS
   * row (none while automated) and its topic entries, then mark the answer's day of the NPS roll-up
   * changed. 'changed' when another write came first.
   */
  save(response: SurveyResponse, expectedVersion: number): Promise<'saved' | 'changed'>;
  /**
   * The member's reason (empty text removes it), kept apart from the response with its own expiry,
   * and the topic entries of `response.topics` (entries of `previousTopics` no longer among them go).
   */
  saveComment(response: SurveyResponse, comment: string, previousTopics: readonly string[], now: Date): Promise<void>;
  /** The club's counted answers (automated ones are never listed) answered in (from, to], read consistently. */
  answers(clubId: string, from: Date, to: Date): Promise<NpsRow[]>;
  /** The stored days of the club's NPS roll-up from `fromDay` to `toDay` (YYYY-MM-DD, both included). */
  npsDays(clubId: string, fromDay: string, toDay: string): Promise<StoredNpsDay[]>;
  /**
   * Store a day's counts, counted from its answers after its `changes` were read as `changes` (0: no
   * item): 'changed' when an answer of the day was written since, and the counts are not stored.
   */
  putNpsDay(clubId: string, counts: NpsDayCounts, changes: number): Promise<'saved' | 'changed'>;
  /** The members whose comments touched `topic` since `since`: a note's audience. */
  topicAudience(clubId: string, topic: string, since: Date): Promise<Set<string>>;
  /** Every response of one member, with comments (GDPR export). */
  ofMember(clubId: string, memberId: string): Promise<StoredResponse[]>;
  /**
   * Delete the member's NPS rows and topic entries (their partition goes with the member's erasure),
   * marking the days of the rows changed.
   */
  eraseMember(clubId: string, memberId: string): Promise<number>;
}

export interface CaseQuery {
  readonly state?: FeedbackCase['state'];
  /** Only open cases past their due time at `now`. */
  readonly overdueAt?: Date;
}

/** Follow-up cases, one partition per club, with the open ones also in an index the overdue check reads. */
export interface FeedbackCases {
  /** Store a new case; 'exists' when the answer opened one before (a case opens once). */
  create(feedbackCase: FeedbackCase): Promise<'created' | 'exists'>;
  get(clubId: string, caseId: string): Promise<FeedbackCase | undefined>;
  /** Replace the case if it is still at `expectedVersion`. */
  replace(feedbackCase: FeedbackCase, expectedVersion: number): Promise<'replaced' | 'changed'>;
  list(clubId: string, query: CaseQuery): Promise<FeedbackCase[]>;
  /** Open cases of every club due at or before `now`, oldest first, at most `limit`. */
  overdue(now: Date, limit: number): Promise<FeedbackCase[]>;
  ofMember(clubId: string, memberId: string): Promise<FeedbackCase[]>;
  eraseMember(clubId: string, memberId: string): Promise<number>;
}

/** A complaint or service case: no survey goes to the member for a while after one. */
export interface ServiceContacts {
  /** Note it on the member's ledger (moves only forward); 'not-found' for a member who does not exist. */
  record(clubId: string, memberId: string, at: Date): Promise<'recorded' | 'not-found'>;
}

/** What the owner of a new case is told: no comment, no address, nothing more than they need to open it. */
export interface CaseAlert {
  readonly clubId: string;
  readonly clubName: string;
  readonly caseId: string;
  readonly score: number;
  readonly owner?: string;
  readonly dueAt: string;
  /** Where the case can be read (the marketer API's case route). */
  readonly link: string;
  /** The club's feedback address, where a mail alert goes. */
  readonly feedbackEmail?: string;
  /** The club's sender, for a mail alert's From. */
  readonly from: string;
}

/** Tells a case's owner that a case opened: the feedback SNS topic on AWS, a mail through the local SES locally. */
export interface CaseAlerts {
  caseOpened(alert: CaseAlert): Promise<void>;
}

/** A number for dashboards and alarms (CloudWatch's embedded metric format on AWS, a log line locally). */
export interface Metrics {
  gauge(name: string, value: number): void;
}
