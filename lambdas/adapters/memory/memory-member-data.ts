import { consentHistoryOf } from '../../core/consent.js';
import type { MemberData, MemberDataStore } from '../../core/ports.js';
import { copy, keyOf, MemoryTable } from './memory-table.js';

/**
 * One member's data across the shared table: their partition (member, profile, ledger, survey
 * responses), their receipts, and per campaign their decision and send record. The in-memory twin of
 * DynamoDbMemberData.
 */
export class MemoryMemberData implements MemberDataStore {
  constructor(private readonly table: MemoryTable = new MemoryTable()) {}

  async collect(clubId: string, memberId: string): Promise<MemberData | undefined> {
    const key = keyOf(clubId, memberId);
    const member = this.table.members.get(key);
    if (!member) return undefined;
    const campaigns = this.campaignsOf(clubId);
    return copy({
      member,
      consentHistory: consentHistoryOf(member),
      profile: this.table.profiles.get(key),
      ledger: this.table.ledgers.get(key),
      experimentArms: [...(this.table.arms.get(key)?.values() ?? [])],
      withdrawals: (member.consentHistory ?? [])
        .filter((e) => !e.marketing)
        .map((e) => ({ scope: 'marketing', at: e.at, source: e.source })),
      receipts: [...(this.table.receipts.get(key)?.values() ?? [])],
      decisions: campaigns.flatMap((campaignId) => {
        const found = this.table.decisions.get(keyOf(clubId, campaignId))?.get(memberId);
        return found ? [{ campaignId, decision: found.decision, decidedAt: found.decidedAt }] : [];
      }),
      deliveries: campaigns.flatMap((campaignId) => {
        const found = this.table.sends.get(keyOf(clubId, campaignId))?.get(memberId);
        return found
          ? [{ campaignId, ...found.delivery, ...(found.recipientHash ? { recipientHash: found.recipientHash } : {}) }]
          : [];
      }),
    });
  }

  async erase(clubId: string, memberId: string): Promise<{ deletedItems: number }> {
    const key = keyOf(clubId, memberId);
    let deletedItems = 0;
    const drop = (map: Map<string, unknown>, k: string) => {
      if (map.delete(k)) deletedItems += 1;
    };
    deletedItems += this.table.receipts.get(key)?.size ?? 0;
    this.table.receipts.delete(key);
    for (const campaignId of this.campaignsOf(clubId)) {
      const decisions = this.table.decisions.get(keyOf(clubId, campaignId));
      if (decisions?.delete(memberId)) deletedItems += 1;
      const sends = this.table.sends.get(keyOf(clubId, campaignId));
      if (sends?.delete(memberId)) deletedItems += 1;
    }
    // Survey responses and their comments live in the member's partition (dynamodb-feedback-keys.ts).
    for (const record of this.table.responses.get(key)?.values() ?? []) deletedItems += record.comment ? 2 : 1;
    this.table.responses.delete(key);
    drop(this.table.profiles, key);
    drop(this.table.ledgers, key);
    // The member's experiment arms live in their partition too (dynamodb-experiment-store.ts).
    deletedItems += this.table.arms.get(key)?.size ?? 0;
    this.table.arms.delete(key);
    this.table.softBounces.delete(key);
    drop(this.table.members, key);
    return { deletedItems };
  }

  private campaignsOf(clubId: string): string[] {
    return MemoryTable.under(this.table.campaigns, clubId).map((c) => c.campaignId);
  }
}
