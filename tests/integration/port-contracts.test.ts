import type { AddressInfo } from 'node:net';
import dynalite from 'dynalite';
import { afterAll, beforeAll, describe } from 'vitest';
import { createDocumentClient } from '../../lambdas/adapters/dynamodb-client.js';
import { ensureTable } from '../../lambdas/runtime/local-table.js';
import { portContracts } from '../contracts/all.js';
import { dynamoStores } from '../contracts/stores.js';

/** The DynamoDB adapters, on the emulator, held to the same contracts as the in-memory ones (tests/unit/port-contracts.test.ts). */
let server: ReturnType<typeof dynalite> | undefined;
let db: ReturnType<typeof createDocumentClient> | undefined;

beforeAll(async () => {
  const emulator = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  server = emulator;
  await new Promise<void>((resolve) => emulator.listen(0, '127.0.0.1', () => resolve()));
  const { port } = emulator.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  await ensureTable(endpoint, 'club-planner');
  db = createDocumentClient({ endpoint });
});
afterAll(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
});

describe('the DynamoDB adapters', () => {
  portContracts(
    dynamoStores(() => {
      if (!db) throw new Error('the emulator has not started');
      return db;
    }),
  );
});
