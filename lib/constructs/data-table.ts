import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { TableDesign } from '../../lambdas/adapters/dynamodb-table.js';

export interface DataTableProps {
  /** @default RemovalPolicy.RETAIN — the table holds members, consent and the send ledger. */
  readonly removalPolicy?: RemovalPolicy;
}

/** The single Club Planner DynamoDB table, keyed exactly as `TableDesign` says. */
export class DataTable extends Construct {
  readonly table: dynamodb.TableV2;

  constructor(scope: Construct, id: string, props: DataTableProps = {}) {
    super(scope, id);
    const index = TableDesign.memberShardIndex;
    this.table = new dynamodb.TableV2(this, 'Table', {
      billing: dynamodb.Billing.onDemand(),
      partitionKey: { name: TableDesign.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: TableDesign.sortKey, type: dynamodb.AttributeType.STRING },
      globalSecondaryIndexes: [
        {
          indexName: index.name,
          partitionKey: { name: index.partitionKey, type: dynamodb.AttributeType.STRING },
          sortKey: { name: index.sortKey, type: dynamodb.AttributeType.STRING },
        },
      ],
      timeToLiveAttribute: TableDesign.ttlAttribute,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
  }
}
