import { z } from 'zod';
import { BudgetPolicy } from './budget.js';
import { DecidedOffer } from './decision.js';
import { Restriction } from './diet.js';
import { EngagementPolicy } from './engagement.js';
import { FoldedOffer } from './fold.js';
import { Emotion, Id } from './model.js';

/**
 * Members are spread over a fixed number of shards per club, so planning fans out to parallel
 * workers and no single index partition gets hot. Changing it needs a re-index of members.
 */
export const MEMBER_SHARDS = 16;

/** What a plan shard has decided so far, carried from page to page and stored once when it is done. */
export const PlanTally = z.object({
  planned: z.number().int().min(0),
  toSend: z.number().int().min(0),
  suppressed: z.record(z.string(), z.number().int().min(0)),
  deferred: z.record(z.string(), z.number().int().min(0)),
});
export type PlanTally = z.infer<typeof PlanTally>;

export const EMPTY_TALLY: PlanTally = { planned: 0, toSend: 0, suppressed: {}, deferred: {} };

/** One message on the plan-shard queue: plan one page of one member shard. */
export const PlanShardJob = z.object({
  clubId: Id,
  campaignId: Id,
  /** The shard's number, 0 to `shards` − 1 (lambdas/core/member-slots.ts). */
  shard: z.number().int().min(0),
  /** How many shards the plan has; absent in jobs queued before it followed the member count: 16. */
  shards: z.number().int().min(1).max(65_536).optional(),
  /** Opaque continuation from the previous page of the same shard. */
  cursor: z.string().optional(),
  /** The shard's decisions on its earlier pages. */
  tally: PlanTally.optional(),
});
export type PlanShardJob = z.infer<typeof PlanShardJob>;

/** One message on the send queue: one mail, already decided. */
export const SendJob = z.object({
  clubId: Id,
  campaignId: Id,
  memberId: Id,
  sendId: z.string().regex(/^[0-9a-f]{32}$/),
  theme: Emotion,
  /** The offers the mail shows; none for a survey or a note. */
  offers: z.array(DecidedOffer),
  /** Offers of held-back campaigns riding along ("also this week"), claimed with this mail (core/fold.ts). */
  folded: z.array(FoldedOffer).max(10).optional(),
  /** The restrictions the plan inferred from the member's purchases: checked again at send (core/send-restrictions.ts). */
  inferred: z.array(Restriction).max(Restriction.options.length).optional(),
  /** Quiet hours: not before this instant (the job goes back on the queue until then). */
  notBefore: z.iso.datetime({ offset: true }).optional(),
  /** The member's last purchase when planned: engagement at send time without reading the profile. */
  lastPurchaseAt: z.iso.datetime({ offset: true }).optional(),
  /** How many times SES throttled this mail; the next wait grows with it. */
  throttled: z.number().int().min(0).max(1000).optional(),
  /** When a paused club first held this mail back; after a day it is dropped. */
  heldSince: z.iso.datetime({ offset: true }).optional(),
  /**
   * The member's experiment arm's budget and engagement rules, when they are not the club's
   * (core/experiment.ts): the send claim enforces the same budget the plan decided under.
   */
  claimRules: z.object({ budget: BudgetPolicy, engagement: EngagementPolicy }).optional(),
});
export type SendJob = z.infer<typeof SendJob>;

/** The payload the scheduler delivers to plan-campaign at send time. */
export const StartCampaignJob = z.object({ clubId: Id, campaignId: Id });
export type StartCampaignJob = z.infer<typeof StartCampaignJob>;

/** The member's shard: a stable FNV-1a hash of the id (xor-folded), so a member always lands in the same shard. */
export function shardOf(memberId: string, shards: number = MEMBER_SHARDS): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < memberId.length; i++) {
    hash ^= memberId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  // FNV's low bits depend only on the low bits of each character: fold the high half in first.
  return ((hash ^ (hash >>> 16)) >>> 0) % shards;
}
