import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { TableDesign } from '../../lambdas/adapters/dynamodb-table.js';

export interface DataTableProps {
  /** @default RemovalPolicy.RETAIN — the table holds members, consent and the send ledger. */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The item actions the functions use: reads, conditional writes and batch writes. No Scan, no stream
 * reads, no table management.
 */
export const TABLE_ITEM_ACTIONS: readonly string[] = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:ConditionCheckItem',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:DescribeTable',
];

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

  /**
   * Lets `grantee` read and write items in the table and its one index, named: `grantReadWriteData`
   * would grant `<table>/index/*` (a wildcard cdk-nag reports) and stream reads nothing needs.
   */
  grantReadWriteItems(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({
      grantee,
      actions: [...TABLE_ITEM_ACTIONS],
      resourceArns: [this.table.tableArn, `${this.table.tableArn}/index/${TableDesign.memberShardIndex.name}`],
    });
  }
}
