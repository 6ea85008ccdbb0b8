import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DuckDbSqlEngine } from '../../lambdas/adapters/duckdb-sql-engine.js';
import { LocalReceiptArchive } from '../../lambdas/adapters/local-receipt-archive.js';
import { basketsOf } from '../../lambdas/app/fit-club-model.js';
import { runFitQueries } from '../../lambdas/app/fit-club-model-sql.js';
import { RECEIPT_RETENTION_DAYS } from '../../lambdas/app/ingest-purchases.js';
import { toClubModel } from '../../lambdas/core/club-model.js';
import { clubModelFromRows } from '../../lambdas/core/fit-assembly.js';
import { fitQueries } from '../../lambdas/core/fit-sql.js';
import { fitModel } from '../../lambdas/core/next-basket.js';
import type { Receipt } from '../../lambdas/core/ports.js';

const NOW = new Date('2026-06-01T12:00:00.000Z');
const DAY = 86_400_000;
const OLDEST = NOW.getTime() - RECEIPT_RETENTION_DAYS * DAY;
const products = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'B', 'a-1', 'a_2', '0'];
const memberIds = ['m1', 'm2', 'm3', 'm4', 'M5', 'm6'];

/** Few distinct times, so baskets at the same instant are ordered by receipt id; some past retention. */
const purchaseTime = fc
  .constantFrom(1, 2, 3, 10, 30, 400, RECEIPT_RETENTION_DAYS, RECEIPT_RETENTION_DAYS + 1, 900)
  .map((daysAgo) => new Date(NOW.getTime() - daysAgo * DAY).toISOString());

const receiptArb = fc.record({
  memberId: fc.constantFrom(...memberIds),
  receiptId: fc.stringMatching(/^[A-Za-z0-9_-]{1,4}$/),
  at: purchaseTime,
  items: fc.array(fc.record({ productId: fc.constantFrom(...products), quantity: fc.integer({ min: 1, max: 3 }) }), {
    minLength: 1,
    maxLength: 6,
  }),
});

const clubArb = fc.record({
  receipts: fc.uniqueArray(receiptArb, { maxLength: 60, selector: (r) => `${r.memberId}/${r.receiptId}` }),
  unsubscribed: fc.subarray(memberIds),
  targets: fc.subarray([...products, 'never-bought']),
  /** Receipts archived a second time (at-least-once appends), by position. */
  again: fc.array(fc.nat(), { maxLength: 10 }),
});

describe('the SQL fit', () => {
  it('gives exactly the in-process model for any receipts, members and offered products', async () => {
    await fc.assert(
      fc.asyncProperty(clubArb, async ({ receipts, unsubscribed, targets, again }) => {
        const dir = mkdtempSync(join(tmpdir(), 'sql-fit-property-'));
        const engine = new DuckDbSqlEngine(dir, { threads: 1 });
        try {
          const archive = new LocalReceiptArchive(dir);
          const half = Math.ceil(receipts.length / 2);
          await archive.append('club', receipts.slice(0, half), new Date(NOW.getTime() - 5 * DAY));
          await archive.append('club', receipts.slice(half), NOW);
          const copies = again.flatMap((i) => (receipts.length > 0 ? [receipts[i % receipts.length] as Receipt] : []));
          await archive.append('club', copies, new Date(NOW.getTime() + 1000));
          // Another club's receipts in the same archive must not count.
          await archive.append('other', receipts.slice(0, 5), NOW);
          const subscribed = memberIds.filter((m) => !unsubscribed.includes(m));
          await archive.writeMembers('club', 'snap1', 0, subscribed);
          await archive.writeMembers('other', 'snap1', 0, memberIds);

          const plan = {
            clubId: 'club',
            snapshot: 'snap1',
            fittedAt: NOW.toISOString(),
            queries: fitQueries({ clubId: 'club', snapshot: 'snap1', oldest: new Date(OLDEST), targets }),
          };
          const sql = clubModelFromRows(await runFitQueries(engine, plan), NOW);

          const records = subscribed.flatMap((memberId) =>
            basketsOf(
              memberId,
              receipts.filter((r) => r.memberId === memberId),
              OLDEST,
            ),
          );
          const inProcess = toClubModel(fitModel(records), new Set(targets), NOW);
          expect(sql).toEqual(inProcess);
        } finally {
          await engine.close();
          rmSync(dir, { recursive: true, force: true });
        }
      }),
      { numRuns: 40 },
    );
  });
});
