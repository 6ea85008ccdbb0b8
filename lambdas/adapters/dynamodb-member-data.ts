import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { consentHistoryOf } from '../core/consent.js';
import { Ledger } from '../core/ledger.js';
import { Member } from '../core/model.js';
import type { MemberData, MemberDataStore } from '../core/ports.js';
import { assignmentsIn } from './dynamodb-experiment-store.js';
import { Keys } from './dynamodb-keys.js';
import { batchGetAll, queryAll } from './dynamodb-paging.js';
import { profileOfItem } from './dynamodb-profile-item.js';

const KEY_FIELDS = new Set(['pk', 'sk', 'gsi1pk', 'gsi1sk', 'type']);
const Withdrawal = z.object({ scope: z.string(), at: z.string(), source: z.string() });
const Receipt = z.object({
  receiptId: z.string(),
  memberId: z.string(),
  at: z.string(),
  items: z.array(z.object({ productId: z.string(), quantity: z.number(), amount: z.number().optional() })),
});
const Decision = z.looseObject({ decidedAt: z.string() });
const Delivery = z.looseObject({ state: z.string() });
const StoredKey = z.object({ pk: z.string(), sk: z.string() });
const CampaignRow = z.object({ sk: z.string() });

type Item = Record<string, unknown>;

function withoutKeys(item: Item): Item {
  return Object.fromEntries(Object.entries(item).filter(([field]) => !KEY_FIELDS.has(field)));
}

/**
 * A member's data lives in three places: their own partition (member, profile, ledger, withdrawal),
 * their receipts partition, and per planned campaign a decision item and the mail's send record. This reads and deletes all of
 * it; the decisions are found by key from the club's campaign list, with no scan.
 */
export class DynamoDbMemberData implements MemberDataStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async collect(clubId: string, memberId: string): Promise<MemberData | undefined> {
    const [own, receipts, decisions] = await Promise.all([
      this.partition(Keys.memberPartition(clubId, memberId)),
      this.partition(Keys.receiptsPartition(clubId, memberId)),
      this.decisions(clubId, memberId),
    ]);
    const find = (sk: string) => own.find((i) => i.sk === sk);
    const member = find('MEMBER');
    if (!member) return undefined;
    const profile = find('PROFILE');
    const ledger = find('LEDGER');
    const parsed = Member.parse(member);
    // Withdrawals recorded before the consent history are items of their own; later ones are events in it.
    const legacy = own.filter((i) => String(i.sk).startsWith('WITHDRAWAL#')).map((i) => Withdrawal.parse(i));
    const events = (parsed.consentHistory ?? [])
      .filter((e) => !e.marketing && !legacy.some((w) => w.at === e.at && w.source === e.source))
      .map((e) => ({ scope: 'marketing', at: e.at, source: e.source }));
    return {
      member: parsed,
      consentHistory: consentHistoryOf(parsed),
      profile: profile ? profileOfItem(profile) : undefined,
      ledger: ledger ? Ledger.parse(ledger) : undefined,
      experimentArms: assignmentsIn(own),
      withdrawals: [...legacy, ...events],
      receipts: receipts.map((i) => Receipt.parse(i)),
      decisions: decisions
        .filter(({ item }) => String(item.sk).startsWith('MEMBER#'))
        .map(({ campaignId, item }) => ({ ...Decision.parse(withoutKeys(item)), campaignId })),
      deliveries: decisions
        .filter(({ item }) => String(item.sk).startsWith('SEND#'))
        .map(({ campaignId, item }) => ({ ...Delivery.parse(withoutKeys(item)), campaignId })),
    };
  }

  async erase(clubId: string, memberId: string): Promise<{ deletedItems: number }> {
    const [own, receipts, decisions] = await Promise.all([
      this.partition(Keys.memberPartition(clubId, memberId)),
      this.partition(Keys.receiptsPartition(clubId, memberId)),
      this.decisions(clubId, memberId),
    ]);
    // The member item goes last, so an interrupted erasure still finds the member and can be re-run.
    const keys = [
      ...receipts,
      ...decisions.map((d) => d.item),
      ...own.filter((i) => i.sk !== 'MEMBER'),
      ...own.filter((i) => i.sk === 'MEMBER'),
    ].map((i) => StoredKey.parse(i));
    await this.deleteAll(keys);
    return { deletedItems: keys.length };
  }

  private partition(pk: string): Promise<Item[]> {
    return queryAll(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': pk },
      ConsistentRead: true,
    });
  }

  private async decisions(clubId: string, memberId: string): Promise<Array<{ campaignId: string; item: Item }>> {
    const campaigns = await queryAll(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :campaign)',
      ExpressionAttributeValues: { ':pk': Keys.clubPartition(clubId), ':campaign': 'CAMPAIGN#' },
      ProjectionExpression: 'sk',
    });
    const ids = campaigns.map((c) => CampaignRow.parse(c).sk.slice('CAMPAIGN#'.length));
    const byPk = new Map(ids.map((campaignId) => [Keys.decision(clubId, campaignId, memberId).pk, campaignId]));
    // The decision and, beside it, the mail's send record (its delivery state and SES message id).
    const items = await batchGetAll(
      this.db,
      this.tableName,
      ids.flatMap((campaignId) => {
        const decision = Keys.decision(clubId, campaignId, memberId);
        return [decision, { pk: decision.pk, sk: `SEND#${memberId}` }];
      }),
    );
    return items.flatMap((item) => {
      const campaignId = byPk.get(String(item.pk));
      return campaignId ? [{ campaignId, item }] : [];
    });
  }

  private async deleteAll(keys: ReadonlyArray<{ pk: string; sk: string }>): Promise<void> {
    for (let i = 0; i < keys.length; i += 25) {
      let requests = keys.slice(i, i + 25).map((Key) => ({ DeleteRequest: { Key } }));
      for (let attempt = 0; requests.length > 0; attempt++) {
        if (attempt >= 8) throw new Error(`BatchWrite left ${requests.length} deletes unprocessed`);
        if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 25 * 2 ** attempt));
        const result = await this.db.send(new BatchWriteCommand({ RequestItems: { [this.tableName]: requests } }));
        requests = (result.UnprocessedItems?.[this.tableName] ?? []).flatMap((r) =>
          r.DeleteRequest?.Key ? [{ DeleteRequest: { Key: StoredKey.parse(r.DeleteRequest.Key) } }] : [],
        );
      }
    }
  }
}
