import type { AddressInfo } from 'node:net';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import dynalite from 'dynalite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbCampaignStore } from '../../lambdas/adapters/dynamodb-campaign-store.js';
import { createDocumentClient } from '../../lambdas/adapters/dynamodb-client.js';
import { Keys } from '../../lambdas/adapters/dynamodb-keys.js';
import { ensureTable } from '../../lambdas/runtime/local-table.js';
import { uniqueId } from '../support/ids.js';
import { aCampaign } from '../unit/fixtures.js';

const TABLE = 'club-planner';
let server: ReturnType<typeof dynalite> | undefined;
let db: ReturnType<typeof createDocumentClient>;

beforeAll(async () => {
  const emulator = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  server = emulator;
  await new Promise<void>((resolve) => emulator.listen(0, '127.0.0.1', () => resolve()));
  const endpoint = `http://127.0.0.1:${(emulator.address() as AddressInfo).port}`;
  await ensureTable(endpoint, TABLE);
  db = createDocumentClient({ endpoint });
});
afterAll(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
});

describe('campaigns stored before the send-time index (docs/decisions/0059)', () => {
  it('are put on the index by the first windowed read, once, and read by send time from then on', async () => {
    const clubId = uniqueId('club');
    const at = (day: number) => new Date(Date.UTC(2026, 0, day, 9)).toISOString();
    // As an older release wrote them: the campaign's own keys only.
    const older = [1, 10, 20].map((day) => aCampaign({ clubId, campaignId: `old-${day}`, sendAt: at(day) }));
    for (const campaign of older)
      await db.send(
        new PutCommand({
          TableName: TABLE,
          Item: { ...Keys.campaign(clubId, campaign.campaignId), type: 'campaign', ...campaign },
        }),
      );
    const store = new DynamoDbCampaignStore(db, TABLE);
    await store.createCampaign(aCampaign({ clubId, campaignId: 'new-15', sendAt: at(15) }));
    const ids = async (s: DynamoDbCampaignStore, from: number, to: number) =>
      (await s.campaignsBetween(clubId, new Date(at(from)), new Date(at(to)))).map((c) => c.campaignId).sort();

    expect(await ids(store, 5, 25)).toEqual(['new-15', 'old-10', 'old-20']);
    const marker = await db.send(new GetCommand({ TableName: TABLE, Key: Keys.campaignIndexMarker(clubId) }));
    expect(marker.Item).toBeDefined();
    for (const campaign of older) {
      const item = await db.send(new GetCommand({ TableName: TABLE, Key: Keys.campaign(clubId, campaign.campaignId) }));
      expect(item.Item).toMatchObject(Keys.campaignTime(clubId, campaign.sendAt, campaign.campaignId));
    }
    // Another instance (a cold start) reads the index itself, and the marker keeps it from listing again.
    const fresh = new DynamoDbCampaignStore(db, TABLE);
    expect(await ids(fresh, 5, 25)).toEqual(['new-15', 'old-10', 'old-20']);
    expect(await ids(fresh, 1, 1)).toEqual(['old-1']);
    // Not on the API: the index keys stay in the store.
    expect(await store.getCampaign(clubId, 'old-1')).not.toHaveProperty('gsi1pk');
  });

  it('are in the list page by page when the list is the club’s first read by send time', async () => {
    const clubId = uniqueId('club');
    for (const day of [3, 1, 2])
      await db.send(
        new PutCommand({
          TableName: TABLE,
          Item: {
            ...Keys.campaign(clubId, `old-${day}`),
            type: 'campaign',
            ...aCampaign({ clubId, campaignId: `old-${day}`, sendAt: new Date(Date.UTC(2026, 0, day)).toISOString() }),
          },
        }),
      );
    const ids = (page: { campaigns: { campaignId: string }[] }) => page.campaigns.map((c) => c.campaignId);
    const first = await new DynamoDbCampaignStore(db, TABLE).campaignPage(clubId, 2);
    expect(ids(first)).toEqual(['old-3', 'old-2']);
    const rest = await new DynamoDbCampaignStore(db, TABLE).campaignPage(clubId, 2, first.next);
    expect(rest).toEqual({ campaigns: [expect.objectContaining({ campaignId: 'old-1' })] });
  });
});
