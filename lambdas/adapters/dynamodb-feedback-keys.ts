import { Keys } from './dynamodb-keys.js';

/**
 * Where survey data lives in the one table (docs/decisions/0036-surveys-and-nps.md). The response
 * and the member's reason sit in the member's own partition (read with the member, erased with
 * them); the NPS rows, topic entries and cases in partitions per club, found for an erasure by the
 * keys the member's responses give.
 */
export const FeedbackKeys = {
  responsePrefix: (campaignId: string) => `SURVEY#${campaignId}#`,
  response: (clubId: string, campaignId: string, memberId: string) => ({
    pk: Keys.memberPartition(clubId, memberId),
    sk: `SURVEY#${campaignId}#RESPONSE`,
  }),
  comment: (clubId: string, campaignId: string, memberId: string) => ({
    pk: Keys.memberPartition(clubId, memberId),
    sk: `SURVEY#${campaignId}#COMMENT`,
  }),
  /** One counted answer of the club, sorted by the time of its first vote: what the NPS report reads. */
  npsPartition: (clubId: string) => `NPS#${clubId}`,
  npsRow: (clubId: string, answeredAt: string, campaignId: string, memberId: string) => ({
    pk: `NPS#${clubId}`,
    sk: `${answeredAt}#${campaignId}#${memberId}`,
  }),
  /** One UTC day of the club's NPS roll-up (docs/decisions/0055-nps-day-roll-up.md). */
  npsDayPartition: (clubId: string) => `NPSDAY#${clubId}`,
  npsDay: (clubId: string, day: string) => ({ pk: `NPSDAY#${clubId}`, sk: day }),
  /** The members whose reasons touched a comment topic: a note's audience. */
  topicPartition: (clubId: string, topic: string) => `TOPIC#${clubId}#${topic}`,
  topicEntry: (clubId: string, topic: string, memberId: string, campaignId: string) => ({
    pk: `TOPIC#${clubId}#${topic}`,
    sk: `MEMBER#${memberId}#${campaignId}`,
  }),
  casePartition: (clubId: string) => `CASES#${clubId}`,
  case: (clubId: string, caseId: string) => ({ pk: `CASES#${clubId}`, sk: `CASE#${caseId}` }),
  /** Open cases of every club in one index partition (gsi1), by due time: the overdue check's query. */
  openCasesIndex: 'OPEN-CASES',
  openCaseIndexKeys: (clubId: string, caseId: string, dueAt: string) => ({
    gsi1pk: 'OPEN-CASES',
    gsi1sk: `${dueAt}#${clubId}#${caseId}`,
  }),
} as const;
