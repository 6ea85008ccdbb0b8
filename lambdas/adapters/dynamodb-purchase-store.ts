import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import type { PurchaseStore, Receipt } from '../core/ports.js';
import { isConditionalCheckFailed } from './dynamodb-client.js';
import { Keys } from './dynamodb-keys.js';
import { queryAll } from './dynamodb-paging.js';

const ReceiptItem = z.object({
  receiptId: z.string(),
  memberId: z.string(),
  at: z.string(),
  items: z.array(z.object({ productId: z.string(), quantity: z.number().int().positive() })),
});

/**
 * Raw receipts, one item each in a partition per member (not the member's hot partition, so the
 * planner's one-Query read stays small). Each carries `expiresAt`, so DynamoDB's TTL enforces retention.
 */
export class DynamoDbPurchaseStore implements PurchaseStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async putReceipt(clubId: string, receipt: Receipt, expiresAt: Date): Promise<'stored' | 'duplicate'> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...Keys.receipt(clubId, receipt.memberId, receipt.receiptId),
            type: 'receipt',
            ...receipt,
            expiresAt: Math.floor(expiresAt.getTime() / 1000),
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return 'stored';
    } catch (error: unknown) {
      if (isConditionalCheckFailed(error)) return 'duplicate';
      throw error;
    }
  }

  async listReceipts(clubId: string, memberId: string): Promise<Receipt[]> {
    const items = await queryAll(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': Keys.receiptsPartition(clubId, memberId) },
    });
    return items.map((item) => ReceiptItem.parse(item));
  }
}
