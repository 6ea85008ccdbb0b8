import { campaignStoreContract } from './campaign-store.contract.js';
import { clubDataContract } from './club-data.contract.js';
import { consoleStoresContract } from './console-stores.contract.js';
import { feedbackContract } from './feedback.contract.js';
import { jobsAndAuditContract } from './jobs-and-audit.contract.js';
import { lateFoldsContract } from './late-folds.contract.js';
import { memberStoreContract } from './member-store.contract.js';
import { planningStoresContract } from './planning-stores.contract.js';
import { sendingContract } from './sending.contract.js';
import type { MakeStores } from './stores.js';

/**
 * Every port's contract suite, run by tests/unit/port-contracts.test.ts on the in-memory adapters and
 * by tests/integration/port-contracts.test.ts on the DynamoDB adapters (the same test bodies). The role
 * store's contract is in tests/integration/access-stores.test.ts and the file store's in
 * tests/integration/file-stores.test.ts, each a `describe.each` over every adapter of the port.
 */
export function portContracts(make: MakeStores): void {
  memberStoreContract(make);
  campaignStoreContract(make);
  clubDataContract(make);
  feedbackContract(make);
  sendingContract(make);
  jobsAndAuditContract(make);
  planningStoresContract(make);
  lateFoldsContract(make);
  consoleStoresContract(make);
}
