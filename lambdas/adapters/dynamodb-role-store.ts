import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { RoleStore } from '../core/access-ports.js';
import { RoleAssignment } from '../core/roles.js';
import { Keys } from './dynamodb-keys.js';
import { queryAll } from './dynamodb-paging.js';
import { TableDesign } from './dynamodb-table.js';

/**
 * Roles in the club's partition (`ROLE#<sub>`): the check on every request is one strongly
 * consistent read. The same item carries index keys (gsi1: `USER#<sub>`, `CLUB#<clubId>`) so a
 * marketer's clubs are one query, with no second item to keep in step.
 */
export class DynamoDbRoleStore implements RoleStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(clubId: string, userId: string): Promise<RoleAssignment | undefined> {
    const result = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: Keys.role(clubId, userId), ConsistentRead: true }),
    );
    return result.Item ? RoleAssignment.parse(result.Item) : undefined;
  }

  async list(clubId: string): Promise<RoleAssignment[]> {
    const items = await queryAll(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': Keys.clubPartition(clubId), ':prefix': 'ROLE#' },
      ConsistentRead: true,
    });
    return items.map((item) => RoleAssignment.parse(item));
  }

  async clubsOf(userId: string): Promise<RoleAssignment[]> {
    const index = TableDesign.memberShardIndex;
    const items = await queryAll(this.db, {
      TableName: this.tableName,
      IndexName: index.name,
      KeyConditionExpression: `${index.partitionKey} = :pk`,
      ExpressionAttributeValues: { ':pk': Keys.userClubs(userId) },
    });
    return items.map((item) => RoleAssignment.parse(item));
  }

  async put(assignment: RoleAssignment): Promise<void> {
    const parsed = RoleAssignment.parse(assignment);
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...Keys.role(parsed.clubId, parsed.userId),
          ...Keys.roleIndex(parsed.clubId, parsed.userId),
          type: 'role',
          ...parsed,
        },
      }),
    );
  }

  async remove(clubId: string, userId: string): Promise<'removed' | 'absent'> {
    const result = await this.db.send(
      new DeleteCommand({ TableName: this.tableName, Key: Keys.role(clubId, userId), ReturnValues: 'ALL_OLD' }),
    );
    return result.Attributes ? 'removed' : 'absent';
  }
}
