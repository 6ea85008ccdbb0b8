import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDbAuditTrail } from '../../lambdas/adapters/dynamodb-audit-trail.js';
import { DynamoDbAutomationStore } from '../../lambdas/adapters/dynamodb-automation-store.js';
import { DynamoDbCampaignOutcomes } from '../../lambdas/adapters/dynamodb-campaign-outcomes.js';
import { DynamoDbCampaignStore } from '../../lambdas/adapters/dynamodb-campaign-store.js';
import { DynamoDbClubStore } from '../../lambdas/adapters/dynamodb-club-store.js';
import { DynamoDbContactLedger } from '../../lambdas/adapters/dynamodb-contact-ledger.js';
import { DynamoDbDeliveryStats, DynamoDbSendingSwitch } from '../../lambdas/adapters/dynamodb-delivery-stats.js';
import { DynamoDbExperimentStore } from '../../lambdas/adapters/dynamodb-experiment-store.js';
import { DynamoDbFeedbackCases, DynamoDbServiceContacts } from '../../lambdas/adapters/dynamodb-feedback-cases.js';
import { DynamoDbImportJobs } from '../../lambdas/adapters/dynamodb-import-jobs.js';
import { DynamoDbMemberData } from '../../lambdas/adapters/dynamodb-member-data.js';
import { DynamoDbMemberDirectory } from '../../lambdas/adapters/dynamodb-member-directory.js';
import { DynamoDbMemberRoster } from '../../lambdas/adapters/dynamodb-member-roster.js';
import { DynamoDbMemberStore } from '../../lambdas/adapters/dynamodb-member-store.js';
import { DynamoDbModelStore } from '../../lambdas/adapters/dynamodb-model-store.js';
import { DynamoDbPopularityStore } from '../../lambdas/adapters/dynamodb-popularity-store.js';
import { DynamoDbPurchaseStore } from '../../lambdas/adapters/dynamodb-purchase-store.js';
import { DynamoDbRoleStore } from '../../lambdas/adapters/dynamodb-role-store.js';
import { DynamoDbSnapshotStore } from '../../lambdas/adapters/dynamodb-snapshot-store.js';
import { DynamoDbSuppressionList } from '../../lambdas/adapters/dynamodb-suppression-list.js';
import { DynamoDbSurveyResponses } from '../../lambdas/adapters/dynamodb-survey-responses.js';
import { MemoryAuditTrail } from '../../lambdas/adapters/memory/memory-audit-trail.js';
import { MemoryAutomationStore } from '../../lambdas/adapters/memory/memory-automation-store.js';
import { MemoryCampaignStore } from '../../lambdas/adapters/memory/memory-campaign-store.js';
import { MemoryClubStore } from '../../lambdas/adapters/memory/memory-club-store.js';
import {
  MemoryCampaignOutcomes,
  MemoryMemberDirectory,
  MemorySnapshotStore,
} from '../../lambdas/adapters/memory/memory-console-stores.js';
import { MemoryContactLedger } from '../../lambdas/adapters/memory/memory-contact-ledger.js';
import { MemoryDeliveryStats, MemorySendingSwitch } from '../../lambdas/adapters/memory/memory-delivery-stats.js';
import { MemoryExperimentStore } from '../../lambdas/adapters/memory/memory-experiment-store.js';
import { MemoryFeedbackCases, MemoryServiceContacts } from '../../lambdas/adapters/memory/memory-feedback-cases.js';
import { MemoryImportJobs } from '../../lambdas/adapters/memory/memory-import-jobs.js';
import { MemoryMemberData } from '../../lambdas/adapters/memory/memory-member-data.js';
import { MemoryMemberRoster } from '../../lambdas/adapters/memory/memory-member-roster.js';
import { MemoryMemberStore } from '../../lambdas/adapters/memory/memory-member-store.js';
import { MemoryModelStore } from '../../lambdas/adapters/memory/memory-model-store.js';
import { MemoryPopularityStore } from '../../lambdas/adapters/memory/memory-popularity-store.js';
import { MemoryPurchaseStore } from '../../lambdas/adapters/memory/memory-purchase-store.js';
import { MemoryRoleStore } from '../../lambdas/adapters/memory/memory-role-store.js';
import { MemorySuppressionList } from '../../lambdas/adapters/memory/memory-suppression-list.js';
import { MemorySurveyResponses } from '../../lambdas/adapters/memory/memory-survey-responses.js';
import { MemoryTable } from '../../lambdas/adapters/memory/memory-table.js';
import type { Deps } from '../../lambdas/app/deps.js';

/** The stored ports of `Deps`: what the contract suites hold the in-memory and the DynamoDB adapters to. */
export type Stores = Pick<
  Deps,
  | 'clubs'
  | 'campaigns'
  | 'members'
  | 'memberData'
  | 'suppressions'
  | 'purchases'
  | 'memberRoster'
  | 'popularity'
  | 'models'
  | 'experiments'
  | 'automations'
  | 'ledger'
  | 'deliveryStats'
  | 'sending'
  | 'roles'
  | 'audit'
  | 'surveys'
  | 'feedbackCases'
  | 'serviceContacts'
  | 'importJobs'
  | 'snapshots'
  | 'memberDirectory'
  | 'outcomes'
>;

/** A fresh set of stores sharing one table, as `Deps` shares it. */
export type MakeStores = () => Stores;

export const memoryStores: MakeStores = () => {
  const table = new MemoryTable();
  return {
    clubs: new MemoryClubStore(table),
    campaigns: new MemoryCampaignStore(table),
    members: new MemoryMemberStore(table),
    memberData: new MemoryMemberData(table),
    suppressions: new MemorySuppressionList(),
    purchases: new MemoryPurchaseStore(table),
    memberRoster: new MemoryMemberRoster(table),
    popularity: new MemoryPopularityStore(),
    models: new MemoryModelStore(),
    experiments: new MemoryExperimentStore(table),
    automations: new MemoryAutomationStore(table),
    ledger: new MemoryContactLedger(table),
    deliveryStats: new MemoryDeliveryStats(),
    sending: new MemorySendingSwitch(),
    roles: new MemoryRoleStore(),
    audit: new MemoryAuditTrail(),
    surveys: new MemorySurveyResponses(table),
    feedbackCases: new MemoryFeedbackCases(table),
    serviceContacts: new MemoryServiceContacts(table),
    importJobs: new MemoryImportJobs(),
    snapshots: new MemorySnapshotStore(),
    memberDirectory: new MemoryMemberDirectory(table),
    outcomes: new MemoryCampaignOutcomes(table),
  };
};

/** The DynamoDB adapters on one table of the emulator; `db` is read when the stores are made (after beforeAll). */
export function dynamoStores(db: () => DynamoDBDocumentClient, tableName = 'club-planner'): MakeStores {
  return () => {
    const client = db();
    return {
      clubs: new DynamoDbClubStore(client, tableName),
      campaigns: new DynamoDbCampaignStore(client, tableName),
      members: new DynamoDbMemberStore(client, tableName),
      memberData: new DynamoDbMemberData(client, tableName),
      suppressions: new DynamoDbSuppressionList(client, tableName, async () => 'contract-suppression-key'),
      purchases: new DynamoDbPurchaseStore(client, tableName),
      memberRoster: new DynamoDbMemberRoster(client, tableName),
      popularity: new DynamoDbPopularityStore(client, tableName),
      models: new DynamoDbModelStore(client, tableName),
      experiments: new DynamoDbExperimentStore(client, tableName),
      automations: new DynamoDbAutomationStore(client, tableName),
      ledger: new DynamoDbContactLedger(client, tableName),
      deliveryStats: new DynamoDbDeliveryStats(client, tableName),
      sending: new DynamoDbSendingSwitch(client, tableName),
      roles: new DynamoDbRoleStore(client, tableName),
      audit: new DynamoDbAuditTrail(client, tableName),
      surveys: new DynamoDbSurveyResponses(client, tableName),
      feedbackCases: new DynamoDbFeedbackCases(client, tableName),
      serviceContacts: new DynamoDbServiceContacts(client, tableName),
      importJobs: new DynamoDbImportJobs(client, tableName),
      snapshots: new DynamoDbSnapshotStore(client, tableName),
      memberDirectory: new DynamoDbMemberDirectory(client, tableName),
      outcomes: new DynamoDbCampaignOutcomes(client, tableName),
    };
  };
}
