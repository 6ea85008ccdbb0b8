import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { Automation } from '../core/automation.js';
import type { AutomationStore } from '../core/automation-ports.js';
import { isConditionalCheckFailed } from './dynamodb-client.js';
import { Keys } from './dynamodb-keys.js';
import { queryAll } from './dynamodb-paging.js';

/** Automations in the club partition (`AUTOMATION#<id>`), beside its campaigns. */
export class DynamoDbAutomationStore implements AutomationStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(automation: Automation): Promise<'created' | 'exists'> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: this.item(automation),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return 'created';
    } catch (error: unknown) {
      if (isConditionalCheckFailed(error)) return 'exists';
      throw error;
    }
  }

  async get(clubId: string, automationId: string): Promise<Automation | undefined> {
    const result = await this.db.send(
      new GetCommand({
        TableName: this.tableName,
        Key: Keys.automation(clubId, automationId),
        ConsistentRead: true,
      }),
    );
    return result.Item ? Automation.parse(result.Item) : undefined;
  }

  async list(clubId: string): Promise<Automation[]> {
    const items = await queryAll(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': Keys.clubPartition(clubId), ':prefix': 'AUTOMATION#' },
    });
    return items.map((item) => Automation.parse(item));
  }

  async replace(automation: Automation, expectedUpdatedAt: string): Promise<'replaced' | 'changed'> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: this.item(automation),
          ConditionExpression: 'updatedAt = :expected',
          ExpressionAttributeValues: { ':expected': expectedUpdatedAt },
        }),
      );
      return 'replaced';
    } catch (error: unknown) {
      if (isConditionalCheckFailed(error)) return 'changed';
      throw error;
    }
  }

  async noteRun(clubId: string, automationId: string, occurrence: string): Promise<void> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: Keys.automation(clubId, automationId),
          UpdateExpression: 'SET lastOccurrence = :occurrence',
          // ISO instants in UTC with the same precision sort as strings.
          ConditionExpression:
            'attribute_exists(pk) AND (attribute_not_exists(lastOccurrence) OR lastOccurrence < :occurrence)',
          ExpressionAttributeValues: { ':occurrence': occurrence },
        }),
      );
    } catch (error: unknown) {
      // A later occurrence is noted already, or the automation is gone: nothing to move.
      if (!isConditionalCheckFailed(error)) throw error;
    }
  }

  private item(automation: Automation): Record<string, unknown> {
    return {
      ...Keys.automation(automation.clubId, automation.automationId),
      type: 'automation',
      ...Automation.parse(automation),
    };
  }
}
