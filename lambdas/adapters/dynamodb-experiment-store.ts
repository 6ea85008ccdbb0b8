import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { Assignment, Experiment } from '../core/experiment.js';
import { ExperimentCount } from '../core/experiment-figures.js';
import { ExperimentPrediction, type ExperimentStore } from '../core/experiment-ports.js';
import { isConditionalCheckFailed } from './dynamodb-client.js';
import { EXPERIMENT_ARM_PREFIX, Keys } from './dynamodb-keys.js';

/**
 * The club's experiment and prediction in the club's partition; each member's arm in the member's
 * own partition, so the planner reads it with the member and an erasure deletes it with them.
 */
export class DynamoDbExperimentStore implements ExperimentStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(clubId: string): Promise<Experiment | undefined> {
    const result = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: Keys.experiment(clubId), ConsistentRead: true }),
    );
    return result.Item ? Experiment.parse(result.Item) : undefined;
  }

  async put(experiment: Experiment): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...Keys.experiment(experiment.clubId), type: 'experiment', ...experiment },
      }),
    );
  }

  /** A conditional put: the first assignment stays, a later one reads it back. */
  async assign(clubId: string, memberId: string, assignment: Assignment): Promise<Assignment> {
    const key = Keys.experimentArm(clubId, memberId, assignment.experimentId);
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...key, type: 'experiment-arm', ...assignment },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return assignment;
    } catch (error: unknown) {
      if (!isConditionalCheckFailed(error)) throw error;
      const stored = await this.db.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }));
      return Assignment.parse(stored.Item);
    }
  }

  async putPrediction(clubId: string, prediction: ExperimentPrediction): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...Keys.experimentPrediction(clubId), type: 'experiment-prediction', ...prediction },
      }),
    );
  }

  async getPrediction(clubId: string): Promise<ExperimentPrediction | undefined> {
    const result = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: Keys.experimentPrediction(clubId), ConsistentRead: true }),
    );
    return result.Item ? ExperimentPrediction.parse(result.Item) : undefined;
  }

  async getCount(clubId: string): Promise<ExperimentCount | undefined> {
    const result = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: Keys.experimentCount(clubId), ConsistentRead: true }),
    );
    return result.Item ? ExperimentCount.parse(result.Item) : undefined;
  }

  /** One item, written only over the version it was read at: two counters never both advance a slice. */
  async putCount(count: ExperimentCount, expectedVersion: number | undefined): Promise<'written' | 'changed'> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...Keys.experimentCount(count.clubId), type: 'experiment-count', ...ExperimentCount.parse(count) },
          ...(expectedVersion === undefined
            ? { ConditionExpression: 'attribute_not_exists(pk)' }
            : {
                ConditionExpression: '#version = :expected',
                ExpressionAttributeNames: { '#version': 'version' },
                ExpressionAttributeValues: { ':expected': expectedVersion },
              }),
        }),
      );
      return 'written';
    } catch (error: unknown) {
      if (isConditionalCheckFailed(error)) return 'changed';
      throw error;
    }
  }
}

/** The experiment arms among a member partition's items. */
export function assignmentsIn(items: ReadonlyArray<Record<string, unknown>>): Assignment[] {
  return items.filter((i) => String(i.sk).startsWith(EXPERIMENT_ARM_PREFIX)).map((i) => Assignment.parse(i));
}
