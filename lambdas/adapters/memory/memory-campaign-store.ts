import { pageOf } from '../../core/campaign-place.js';
import type { Decision } from '../../core/decision.js';
import { EMPTY_TALLY, type PlanTally } from '../../core/jobs.js';
import type { PlanShard } from '../../core/member-slots.js';
import { Campaign, type CampaignStatus } from '../../core/model.js';
import { addTallies } from '../../core/plan-tally.js';
import type { CampaignStore, DecisionRecord, Delivery, DeliveryCounts } from '../../core/ports.js';
import { fail, ok, type Result } from '../../core/result.js';
import { DELIVERY_RANK } from '../../core/send-protocol.js';
import { copy, keyOf, MemoryTable, type SendRecord } from './memory-table.js';

/** Campaigns, decisions, send records and plan tallies in Maps: the in-memory twin of DynamoDbCampaignStore. */
export class MemoryCampaignStore implements CampaignStore {
  /** Finished plan shards' tallies by shard index, under keyOf(club, campaign). */
  private readonly shards = new Map<string, Map<number, PlanTally>>();

  constructor(private readonly table: MemoryTable = new MemoryTable()) {}

  async createCampaign(campaign: Campaign): Promise<'created' | 'exists'> {
    const key = keyOf(campaign.clubId, campaign.campaignId);
    if (this.table.campaigns.has(key)) return 'exists';
    this.table.campaigns.set(key, Campaign.parse(campaign));
    return 'created';
  }

  async getCampaign(clubId: string, campaignId: string): Promise<Campaign | undefined> {
    const campaign = this.table.campaigns.get(keyOf(clubId, campaignId));
    return campaign && copy(campaign);
  }

  async listCampaigns(clubId: string): Promise<Campaign[]> {
    return copy(MemoryTable.under(this.table.campaigns, clubId)).sort((a, b) => (a.campaignId < b.campaignId ? -1 : 1));
  }

  async campaignsBetween(clubId: string, from: Date, to?: Date): Promise<Campaign[]> {
    return (await this.listCampaigns(clubId)).filter(
      (c) => Date.parse(c.sendAt) >= from.getTime() && (to === undefined || Date.parse(c.sendAt) <= to.getTime()),
    );
  }

  async campaignPage(clubId: string, limit: number, after?: string): Promise<{ campaigns: Campaign[]; next?: string }> {
    return pageOf(await this.listCampaigns(clubId), limit, after);
  }

  async replaceCampaign(
    campaign: Campaign,
    expected: Pick<Campaign, 'updatedAt' | 'status'>,
  ): Promise<'replaced' | 'changed'> {
    const key = keyOf(campaign.clubId, campaign.campaignId);
    const stored = this.table.campaigns.get(key);
    if (!stored || stored.updatedAt !== expected.updatedAt || stored.status !== expected.status) return 'changed';
    this.table.campaigns.set(key, Campaign.parse(campaign));
    return 'replaced';
  }

  async transition(
    clubId: string,
    campaignId: string,
    from: readonly CampaignStatus[],
    to: CampaignStatus,
    now: Date,
    patch: Partial<Pick<Campaign, 'shardCount' | 'sendAt' | 'brandFitOverride'>> = {},
  ): Promise<Result<{ campaign: Campaign }, { campaign: Campaign | undefined }>> {
    const key = keyOf(clubId, campaignId);
    const stored = this.table.campaigns.get(key);
    if (!stored || !from.includes(stored.status)) return fail({ campaign: stored && copy(stored) });
    const next = Campaign.parse({ ...stored, ...patch, status: to, updatedAt: now.toISOString() });
    this.table.campaigns.set(key, next);
    return ok({ campaign: copy(next) });
  }

  async finishShard(clubId: string, campaignId: string, shard: PlanShard, tally: PlanTally): Promise<boolean> {
    const key = keyOf(clubId, campaignId);
    const done = this.shards.get(key) ?? new Map<number, PlanTally>();
    // A replayed shard writes the same tally again: a put, not an addition, so nothing counts twice.
    done.set(shard.index, copy(tally));
    this.shards.set(key, done);
    return done.size >= shard.of;
  }

  async planTally(clubId: string, campaignId: string): Promise<{ tally: PlanTally; shardsDone: number }> {
    const done = [...(this.shards.get(keyOf(clubId, campaignId))?.values() ?? [])];
    return { tally: done.reduce(addTallies, EMPTY_TALLY), shardsDone: done.length };
  }

  async countDeliveries(clubId: string, campaignId: string): Promise<DeliveryCounts> {
    let sent = 0;
    let unknown = 0;
    let queued = 0;
    const dropped: Record<string, number> = {};
    const outcomes: Record<string, number> = {};
    for (const { delivery } of this.sendsOf(clubId, campaignId).values()) {
      if (delivery.state === 'queued') queued += 1;
      else if (delivery.state === 'unknown') unknown += 1;
      else if (delivery.state === 'dropped') dropped[delivery.reason] = (dropped[delivery.reason] ?? 0) + 1;
      else {
        sent += 1;
        if (delivery.state !== 'sent') outcomes[delivery.state] = (outcomes[delivery.state] ?? 0) + 1;
      }
    }
    return { sent, unknown, queued, dropped, outcomes };
  }

  async recordDecision(clubId: string, campaignId: string, decision: Decision, now: Date): Promise<DecisionRecord> {
    const key = keyOf(clubId, campaignId);
    const decisions = this.table.decisions.get(key) ?? new Map<string, { decision: Decision; decidedAt: string }>();
    this.table.decisions.set(key, decisions);
    const existing = decisions.get(decision.memberId);
    if (existing) return copy(existing);
    const record = { decision: copy(decision), decidedAt: now.toISOString() };
    decisions.set(decision.memberId, record);
    return copy(record);
  }

  async recordDelivery(
    clubId: string,
    campaignId: string,
    memberId: string,
    delivery: Delivery,
    extra: { recipientHash?: string; lateFolds?: readonly string[] } = {},
  ): Promise<'moved' | 'stale'> {
    const sends = this.sendsOf(clubId, campaignId);
    const stored = sends.get(memberId);
    if (stored && DELIVERY_RANK[stored.delivery.state] >= DELIVERY_RANK[delivery.state]) return 'stale';
    const recipientHash = extra.recipientHash ?? stored?.recipientHash;
    const lateFolds = extra.lateFolds && extra.lateFolds.length > 0 ? extra.lateFolds : stored?.lateFolds;
    sends.set(memberId, {
      delivery: copy(delivery),
      ...(recipientHash ? { recipientHash } : {}),
      ...(lateFolds ? { lateFolds: [...lateFolds] } : {}),
    });
    return 'moved';
  }

  async countLateFolds(clubId: string, carrierId: string, heldBackId: string): Promise<number> {
    let count = 0;
    for (const { delivery, lateFolds } of this.sendsOf(clubId, carrierId).values()) {
      if (DELIVERY_RANK[delivery.state] >= DELIVERY_RANK.sent && lateFolds?.includes(heldBackId)) count += 1;
    }
    return count;
  }

  async getDelivery(clubId: string, campaignId: string, memberId: string): Promise<Delivery | undefined> {
    const stored = this.sendsOf(clubId, campaignId).get(memberId);
    return stored && copy(stored.delivery);
  }

  async takeOverUnknown(
    clubId: string,
    campaignId: string,
    memberId: string,
    since: string,
    now: Date,
    refused = false,
  ): Promise<boolean> {
    const sends = this.sendsOf(clubId, campaignId);
    const stored = sends.get(memberId);
    if (stored?.delivery.state !== 'unknown' || stored.delivery.since !== since) return false;
    sends.set(memberId, {
      ...stored,
      delivery: { state: 'unknown', since: now.toISOString(), ...(refused ? { refused } : {}) },
    });
    return true;
  }

  async listDecisions(clubId: string, campaignId: string): Promise<DecisionRecord[]> {
    const sends = this.sendsOf(clubId, campaignId);
    return [...(this.table.decisions.get(keyOf(clubId, campaignId))?.values() ?? [])].map(({ decision, decidedAt }) => {
      const delivery =
        sends.get(decision.memberId)?.delivery ??
        (decision.outcome === 'send' ? { state: 'queued' as const } : undefined);
      return copy({ decision, decidedAt, ...(delivery ? { delivery } : {}) });
    });
  }

  async decisionsOf(clubId: string, campaignId: string, memberIds: readonly string[]): Promise<DecisionRecord[]> {
    const wanted = new Set(memberIds);
    return (await this.listDecisions(clubId, campaignId)).filter((r) => wanted.has(r.decision.memberId));
  }

  private sendsOf(clubId: string, campaignId: string): Map<string, SendRecord> {
    const key = keyOf(clubId, campaignId);
    const sends = this.table.sends.get(key) ?? new Map<string, SendRecord>();
    this.table.sends.set(key, sends);
    return sends;
  }
}
