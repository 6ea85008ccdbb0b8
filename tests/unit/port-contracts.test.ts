import { describe } from 'vitest';
import { portContracts } from '../contracts/all.js';
import { memoryStores } from '../contracts/stores.js';

/** The in-memory adapters held to the ports' contracts; tests/integration/port-contracts.test.ts holds the DynamoDB ones to the same. */
describe('the in-memory adapters', () => {
  portContracts(memoryStores);
});
