import { campaignPlace } from '../core/campaign-place.js';
import { shardOf } from '../core/jobs.js';
import { bucketOf } from '../core/member-slots.js';

/** A bucket of the member shard index as its sort key writes it: three hex digits. */
export const bucketKey = (bucket: number) => bucket.toString(16).padStart(3, '0');

/**
 * The member shard index's sort key: the member's bucket, then its id, so that a plan shard reads a
 * key range (lambdas/core/member-slots.ts). Members written before buckets existed have
 * `MEMBER#<id>`, which sorts after every bucket ('MB#' < 'ME'): the segment that ends a partition
 * reads them too (lambdas/adapters/dynamodb-member-slots.ts), so none is missed until it is written again.
 */
export const memberSortKey = (memberId: string) => `MB#${bucketKey(bucketOf(memberId))}#${memberId}`;

/** The sort key prefix of a member's experiment arms in their partition ('LEDGER' < 'MEMBER#ARM#…' < 'PROFILE'). */
export const EXPERIMENT_ARM_PREFIX = 'MEMBER#ARM#';

/**
 * Key layout of the single table (see docs/decisions/0001-single-table.md).
 * Club partition: the club, its catalog and campaigns. Member partition: member, profile, ledger.
 * Decision partitions: one per campaign and member shard, so a big plan spreads its writes.
 */
export const Keys = {
  club: (clubId: string) => ({ pk: `CLUB#${clubId}`, sk: 'CLUB' }),
  clubPartition: (clubId: string) => `CLUB#${clubId}`,
  product: (clubId: string, productId: string) => ({ pk: `CLUB#${clubId}`, sk: `PRODUCT#${productId}` }),
  popularity: (clubId: string, shard: number) => ({ pk: `CLUB#${clubId}`, sk: `POPULARITY#${shard}` }),
  /** The current model's header: when it was fitted and how many chunks hold it. */
  model: (clubId: string) => ({ pk: `CLUB#${clubId}`, sk: 'MODEL' }),
  modelChunk: (clubId: string, version: string, chunk: number) => ({
    pk: `CLUB#${clubId}`,
    sk: `MODEL#${version}#${chunk}`,
  }),
  audience: (clubId: string, audienceId: string) => ({ pk: `CLUB#${clubId}`, sk: `AUDIENCE#${audienceId}` }),
  theme: (clubId: string, themeId: string) => ({ pk: `CLUB#${clubId}`, sk: `THEME#${themeId}` }),
  offer: (clubId: string, offerId: string) => ({ pk: `CLUB#${clubId}`, sk: `OFFER#${offerId}` }),
  campaign: (clubId: string, campaignId: string) => ({ pk: `CLUB#${clubId}`, sk: `CAMPAIGN#${campaignId}` }),
  /** A campaign on the shared index, by send time (UTC ISO sorts as time) and id (docs/decisions/0059). */
  campaignTime: (clubId: string, sendAt: string, campaignId: string) => ({
    gsi1pk: Keys.campaignTimePartition(clubId),
    gsi1sk: campaignPlace({ sendAt, campaignId }),
  }),
  campaignTimePartition: (clubId: string) => `CAMPAIGNS#${clubId}`,
  /** Present once the club's campaigns written before the index are on it. */
  campaignIndexMarker: (clubId: string) => ({ pk: `CLUB#${clubId}`, sk: 'CAMPAIGN-INDEX' }),
  /** A recurring automation (lambdas/core/automation.ts); its runs are campaigns. */
  automation: (clubId: string, automationId: string) => ({ pk: `CLUB#${clubId}`, sk: `AUTOMATION#${automationId}` }),
  memberPartition: (clubId: string, memberId: string) => `MEMBER#${clubId}#${memberId}`,
  member: (clubId: string, memberId: string) => ({ pk: Keys.memberPartition(clubId, memberId), sk: 'MEMBER' }),
  profile: (clubId: string, memberId: string) => ({ pk: Keys.memberPartition(clubId, memberId), sk: 'PROFILE' }),
  ledger: (clubId: string, memberId: string) => ({ pk: Keys.memberPartition(clubId, memberId), sk: 'LEDGER' }),
  /** The member's arm in one policy experiment: between LEDGER and PROFILE, so the planner's one query reads it. */
  experimentArm: (clubId: string, memberId: string, experimentId: string) => ({
    pk: Keys.memberPartition(clubId, memberId),
    sk: `${EXPERIMENT_ARM_PREFIX}${experimentId}`,
  }),
  /** The club's policy experiment, and the simulator's prediction for it. */
  experiment: (clubId: string) => ({ pk: `CLUB#${clubId}`, sk: 'EXPERIMENT' }),
  experimentPrediction: (clubId: string) => ({ pk: `CLUB#${clubId}`, sk: 'EXPERIMENT#PREDICTION' }),
  /** The experiment report's stored count (docs/decisions/0053): the last finished one and the one under way. */
  experimentCount: (clubId: string) => ({ pk: `CLUB#${clubId}`, sk: 'EXPERIMENT#COUNT' }),
  withdrawal: (clubId: string, memberId: string) => ({
    pk: Keys.memberPartition(clubId, memberId),
    sk: 'WITHDRAWAL#marketing',
  }),
  /** An erased member's keyed address hash; never the address itself. */
  suppression: (clubId: string, emailHash: string) => ({ pk: `SUPPRESSION#${clubId}`, sk: `EMAIL#${emailHash}` }),
  receiptsPartition: (clubId: string, memberId: string) => `RECEIPTS#${clubId}#${memberId}`,
  receipt: (clubId: string, memberId: string, receiptId: string) => ({
    pk: `RECEIPTS#${clubId}#${memberId}`,
    sk: `RECEIPT#${receiptId}`,
  }),
  /** SES SEND events of one club and minute: what reconciles a mail whose worker died (docs/sending.md). */
  sendLog: (clubId: string, minute: string, id: string) => ({ pk: `SENDLOG#${clubId}#${minute}`, sk: id }),
  sendLogPartition: (clubId: string, minute: string) => `SENDLOG#${clubId}#${minute}`,
  /** The club's sends, bounces and complaints of one day: the rates that pause its sending. */
  clubStats: (clubId: string, day: string) => ({ pk: `CLUB#${clubId}`, sk: `STATS#${day}` }),
  campaignStats: (clubId: string, campaignId: string) => ({ pk: `CLUB#${clubId}`, sk: `CAMPAIGNSTATS#${campaignId}` }),
  /** SES paused or suspended the account: every worker stops. */
  accountBreaker: () => ({ pk: 'SENDING', sk: 'ACCOUNT' }),
  /** The club's own rates paused its sending. */
  clubBreaker: (clubId: string) => ({ pk: `CLUB#${clubId}`, sk: 'SENDING' }),
  /** A marketer's role on the club; its index keys list a marketer's clubs (gsi1, `USER#<sub>`). */
  role: (clubId: string, userId: string) => ({ pk: `CLUB#${clubId}`, sk: `ROLE#${userId}` }),
  roleIndex: (clubId: string, userId: string) => ({ gsi1pk: Keys.userClubs(userId), gsi1sk: `CLUB#${clubId}` }),
  userClubs: (userId: string) => `USER#${userId}`,
  /** The club's audit trail: one partition per club, newest last by time. */
  auditPartition: (clubId: string) => `AUDIT#${clubId}`,
  audit: (clubId: string, at: string, id: string) => ({ pk: `AUDIT#${clubId}`, sk: `${at}#${id}` }),
  /** An import job; jobs of the synchronous route (ids "sync-…") sort apart, so listing finds the bulk ones. */
  importJob: (clubId: string, jobId: string) => ({
    pk: `IMPORTS#${clubId}`,
    sk: jobId.startsWith('sync-') ? `SYNC#${jobId}` : `JOB#${jobId}`,
  }),
  importJobsPartition: (clubId: string) => `IMPORTS#${clubId}`,
  /** The plan of one group of one chunk of an import job (no member ids: positions and counts only). */
  importPlanPartition: (clubId: string, jobId: string) => `IMPORT#${clubId}#${jobId}`,
  importPlan: (clubId: string, jobId: string, chunk: number, group: number) => ({
    pk: `IMPORT#${clubId}#${jobId}`,
    sk: `PLAN#${String(chunk).padStart(3, '0')}#${String(group).padStart(5, '0')}`,
  }),
  memberShardIndex: (clubId: string, memberId: string) => ({
    gsi1pk: `CLUB#${clubId}#SHARD#${shardOf(memberId)}`,
    gsi1sk: memberSortKey(memberId),
  }),
  shardPartition: (clubId: string, shard: number) => `CLUB#${clubId}#SHARD#${shard}`,
  decisionPartition: (clubId: string, campaignId: string, shard: number) =>
    `DECISIONS#${clubId}#${campaignId}#${shard}`,
  decision: (clubId: string, campaignId: string, memberId: string) => ({
    pk: Keys.decisionPartition(clubId, campaignId, shardOf(memberId)),
    sk: `MEMBER#${memberId}`,
  }),
} as const;
