import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { pageOf } from '../core/campaign-place.js';
import { Campaign } from '../core/model.js';
import { isConditionalCheckFailed } from './dynamodb-client.js';
import { Keys } from './dynamodb-keys.js';
import { queryAll } from './dynamodb-paging.js';
import { TableDesign } from './dynamodb-table.js';

/**
 * A club's campaigns by send time (docs/decisions/0059): on the table's shared index, under
 * `CAMPAIGNS#<club>`, sorted by send time (UTC ISO) and id. The campaign store writes the keys with
 * every campaign and every new send time; `indexedClubs` is the store instance's memory of clubs whose
 * older campaigns are on the index.
 */
export async function campaignsBetween(
  db: DynamoDBDocumentClient,
  tableName: string,
  indexedClubs: Set<string>,
  clubId: string,
  from: Date,
  to?: Date,
): Promise<Campaign[]> {
  const within = (c: Campaign) =>
    Date.parse(c.sendAt) >= from.getTime() && (to === undefined || Date.parse(c.sendAt) <= to.getTime());
  const backfilled = await indexOlderCampaigns(db, tableName, indexedClubs, clubId);
  if (backfilled) return backfilled.filter(within);
  const index = TableDesign.memberShardIndex;
  const items = await queryAll(db, {
    TableName: tableName,
    IndexName: index.name,
    KeyConditionExpression:
      to === undefined
        ? `${index.partitionKey} = :pk AND ${index.sortKey} >= :from`
        : `${index.partitionKey} = :pk AND ${index.sortKey} BETWEEN :from AND :to`,
    ExpressionAttributeValues: {
      ':pk': Keys.campaignTimePartition(clubId),
      ':from': from.toISOString(),
      ...(to === undefined ? {} : { ':to': `${to.toISOString()}~` }),
    },
  });
  // The index is eventually consistent: a send time edited a moment ago may still be listed under the old one.
  return items.map((i) => Campaign.parse(i)).filter(within);
}

/**
 * Campaigns written before the index have no index keys (docs/decisions/0059). The first windowed read
 * of such a club gives each its keys (an edit in between already did) and marks the club done; until
 * the index has caught up, that read answers from the campaigns it listed. Undefined once done.
 */
async function indexOlderCampaigns(
  db: DynamoDBDocumentClient,
  tableName: string,
  indexedClubs: Set<string>,
  clubId: string,
): Promise<Campaign[] | undefined> {
  if (indexedClubs.has(clubId)) return undefined;
  const marker = await db.send(new GetCommand({ TableName: tableName, Key: Keys.campaignIndexMarker(clubId) }));
  if (marker.Item) {
    indexedClubs.add(clubId);
    return undefined;
  }
  const items = await queryAll(db, {
    TableName: tableName,
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
    ExpressionAttributeValues: { ':pk': Keys.clubPartition(clubId), ':prefix': 'CAMPAIGN#' },
    ConsistentRead: true,
  });
  const campaigns = items.map((i) => Campaign.parse(i));
  await Promise.all(
    campaigns.map(async (campaign, i) => {
      if (items[i]?.gsi1pk !== undefined) return;
      const keys = Keys.campaignTime(clubId, campaign.sendAt, campaign.campaignId);
      try {
        await db.send(
          new UpdateCommand({
            TableName: tableName,
            Key: Keys.campaign(clubId, campaign.campaignId),
            UpdateExpression: 'SET gsi1pk = :pk, gsi1sk = :sk',
            ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(gsi1pk) AND sendAt = :sendAt',
            ExpressionAttributeValues: { ':pk': keys.gsi1pk, ':sk': keys.gsi1sk, ':sendAt': campaign.sendAt },
          }),
        );
      } catch (error: unknown) {
        // Written or moved meanwhile by an edit, which set the keys itself.
        if (!isConditionalCheckFailed(error)) throw error;
      }
    }),
  );
  await db.send(
    new PutCommand({
      TableName: tableName,
      Item: { ...Keys.campaignIndexMarker(clubId), type: 'campaign-index', version: 1 },
    }),
  );
  indexedClubs.add(clubId);
  return campaigns;
}

/** Newest first, `limit` at a time, after the place `after` (a previous page's `next`). */
export async function campaignPage(
  db: DynamoDBDocumentClient,
  tableName: string,
  indexedClubs: Set<string>,
  clubId: string,
  limit: number,
  after?: string,
): Promise<{ campaigns: Campaign[]; next?: string }> {
  const backfilled = await indexOlderCampaigns(db, tableName, indexedClubs, clubId);
  if (backfilled) return pageOf(backfilled, limit, after);
  const index = TableDesign.memberShardIndex;
  // One more than asked: there is a next page only if it came.
  const result = await db.send(
    new QueryCommand({
      TableName: tableName,
      IndexName: index.name,
      KeyConditionExpression:
        after === undefined
          ? `${index.partitionKey} = :pk`
          : `${index.partitionKey} = :pk AND ${index.sortKey} < :after`,
      ExpressionAttributeValues: {
        ':pk': Keys.campaignTimePartition(clubId),
        ...(after === undefined ? {} : { ':after': after }),
      },
      ScanIndexForward: false,
      Limit: limit + 1,
    }),
  );
  return pageOf(
    (result.Items ?? []).map((i) => Campaign.parse(i)),
    limit,
    after,
  );
}
