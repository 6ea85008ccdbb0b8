import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { SavedAudience } from '../core/audience.js';
import { Club, Offer, Product } from '../core/model.js';
import type { ClubStore } from '../core/ports.js';
import { Theme } from '../core/theme-library.js';
import { isConditionalCheckFailed } from './dynamodb-client.js';
import { Keys } from './dynamodb-keys.js';
import { batchWriteAll, queryAll } from './dynamodb-paging.js';

/** Clubs and their catalogs, in the club's partition. */
export class DynamoDbClubStore implements ClubStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async putClub(club: Club): Promise<void> {
    await this.db.send(
      new PutCommand({ TableName: this.tableName, Item: { ...Keys.club(club.clubId), type: 'club', ...club } }),
    );
  }

  async createClub(club: Club): Promise<'created' | 'exists'> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...Keys.club(club.clubId), type: 'club', ...club },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return 'created';
    } catch (error: unknown) {
      if (isConditionalCheckFailed(error)) return 'exists';
      throw error;
    }
  }

  async getClub(clubId: string): Promise<Club | undefined> {
    const result = await this.db.send(new GetCommand({ TableName: this.tableName, Key: Keys.club(clubId) }));
    return result.Item ? Club.parse(result.Item) : undefined;
  }

  async putProducts(clubId: string, products: readonly Product[]): Promise<void> {
    await batchWriteAll(
      this.db,
      this.tableName,
      products.map((p) => ({ ...Keys.product(clubId, p.productId), type: 'product', ...p })),
    );
  }

  async putOffers(clubId: string, offers: readonly Offer[]): Promise<void> {
    await batchWriteAll(
      this.db,
      this.tableName,
      offers.map((o) => ({ ...Keys.offer(clubId, o.offerId), type: 'offer', ...o })),
    );
  }

  async putTheme(clubId: string, theme: Theme): Promise<void> {
    // Stored as one JSON attribute: the copy is nested three levels deep and read whole.
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...Keys.theme(clubId, theme.id), type: 'theme', data: JSON.stringify(Theme.parse(theme)) },
      }),
    );
  }

  async listThemes(clubId: string): Promise<Theme[]> {
    const items = await queryAll(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': Keys.clubPartition(clubId), ':prefix': 'THEME#' },
    });
    return items.map((item) => Theme.parse(JSON.parse(z.object({ data: z.string() }).parse(item).data)));
  }

  async putAudience(audience: SavedAudience): Promise<void> {
    // One JSON attribute, as themes: a rule nests deeper than DynamoDB's maps like, and is read whole.
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...Keys.audience(audience.clubId, audience.audienceId),
          type: 'audience',
          data: JSON.stringify(SavedAudience.parse(audience)),
        },
      }),
    );
  }

  async listAudiences(clubId: string): Promise<SavedAudience[]> {
    const items = await queryAll(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': Keys.clubPartition(clubId), ':prefix': 'AUDIENCE#' },
      ConsistentRead: true,
    });
    return items.map((item) => SavedAudience.parse(JSON.parse(z.object({ data: z.string() }).parse(item).data)));
  }

  async deleteAudience(clubId: string, audienceId: string): Promise<void> {
    await this.db.send(new DeleteCommand({ TableName: this.tableName, Key: Keys.audience(clubId, audienceId) }));
  }

  async getCatalog(clubId: string): Promise<{ products: Product[]; offers: Offer[] }> {
    const [products, offers] = await Promise.all([
      queryAll(this.db, {
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': Keys.clubPartition(clubId), ':prefix': 'PRODUCT#' },
      }),
      queryAll(this.db, {
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': Keys.clubPartition(clubId), ':prefix': 'OFFER#' },
      }),
    ]);
    return { products: products.map((i) => Product.parse(i)), offers: offers.map((i) => Offer.parse(i)) };
  }
}
