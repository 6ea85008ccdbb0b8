/**
 * The shape of the one Club Planner table, shared by the CDK construct and the local bootstrap
 * so that both create exactly the same keys and index.
 */
export const TableDesign = {
  partitionKey: 'pk',
  sortKey: 'sk',
  memberShardIndex: { name: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
  ttlAttribute: 'expiresAt',
} as const;
