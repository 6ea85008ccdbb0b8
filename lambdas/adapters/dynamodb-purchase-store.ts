import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import type { PurchaseStore, Receipt } from '../core/ports.js';
import { expiresAt } from '../core/retention.js';
import { Keys } from './dynamodb-keys.js';
import { batchWriteAll, queryAll } from './dynamodb-paging.js';

const ReceiptItem = z.object({
  receiptId: z.string(),
  memberId: z.string(),
  at: z.string(),
  items: z.array(
    z.object({
      productId: z.string(),
      quantity: z.number().int().positive(),
      amount: z.number().nonnegative().optional(),
    }),
  ),
});

/**
 * Raw receipts, one item each in a partition per member (not the member's hot partition, so the
 * planner's one-Query read stays small). Each carries `expiresAt` (its purchase date plus the retention
 * period), so DynamoDB's TTL enforces retention.
 */
export class DynamoDbPurchaseStore implements PurchaseStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async putReceipts(clubId: string, receipts: readonly Receipt[]): Promise<void> {
    await batchWriteAll(
      this.db,
      this.tableName,
      receipts.map((receipt) => ({
        ...Keys.receipt(clubId, receipt.memberId, receipt.receiptId),
        type: 'receipt',
        receiptId: receipt.receiptId,
        memberId: receipt.memberId,
        at: receipt.at,
        items: receipt.items.map((i) => ({
          productId: i.productId,
          quantity: i.quantity,
          ...(i.amount === undefined ? {} : { amount: i.amount }),
        })),
        expiresAt: expiresAt(receipt.at, 'receipt'),
      })),
    );
  }

  async listReceipts(clubId: string, memberId: string): Promise<Receipt[]> {
    const items = await queryAll(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': Keys.receiptsPartition(clubId, memberId) },
      ConsistentRead: true,
    });
    return items.map((item) => ReceiptItem.parse(item));
  }
}
