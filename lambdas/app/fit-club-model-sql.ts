import { randomBytes } from 'node:crypto';
import type { ClubModel } from '../core/club-model.js';
import { clubModelFromRows, type FitResults } from '../core/fit-assembly.js';
import type { MemberRoster, ReceiptArchive, SqlEngine } from '../core/fit-ports.js';
import { FIT_PARTS, type FitPart, fitQueries } from '../core/fit-sql.js';
import { DAY_MS } from '../core/units.js';
import type { Deps } from './deps.js';
import { RECEIPT_RETENTION_DAYS } from './ingest-purchases.js';

export type SqlFitDeps = Pick<Deps, 'clubs' | 'models' | 'clock' | 'log'> & {
  readonly receiptArchive: ReceiptArchive;
  readonly memberRoster: MemberRoster;
};

/** What one club's fit runs: its member snapshot and queries, from the prepare step to the store step. */
export interface SqlFitPlan {
  readonly clubId: string;
  readonly snapshot: string;
  readonly fittedAt: string;
  readonly queries: Partial<Record<FitPart, string>>;
}

/**
 * Step 1 of the nightly fit: write the club's subscribed members as a snapshot beside the receipt
 * archive (one file per index partition, so memory stays at one partition's ids), and render the
 * queries for this snapshot, the retention window and the products the club has offers for.
 * Only subscribed members' receipts are used: a member who objected to direct marketing is not
 * processed for it, not even as a statistic (GDPR Art. 21(3)), and an erased member is not there.
 */
export async function prepareSqlFit(deps: SqlFitDeps, clubId: string): Promise<SqlFitPlan> {
  const now = deps.clock.now();
  const snapshot = `${now.toISOString().replace(/[-:.]/g, '')}-${randomBytes(4).toString('hex')}`;
  let members = 0;
  for (let partition = 0; partition < deps.memberRoster.partitions; partition += 1) {
    const ids: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await deps.memberRoster.subscribed(clubId, partition, cursor);
      ids.push(...page.memberIds);
      cursor = page.cursor;
    } while (cursor);
    if (ids.length > 0) await deps.receiptArchive.writeMembers(clubId, snapshot, partition, ids);
    members += ids.length;
  }
  const { offers } = await deps.clubs.getCatalog(clubId);
  const queries = fitQueries({
    clubId,
    snapshot,
    oldest: new Date(now.getTime() - RECEIPT_RETENTION_DAYS * DAY_MS),
    targets: [...new Set(offers.map((o) => o.productId))].sort(),
  });
  deps.log.info('club model fit prepared', { clubId, snapshot, subscribedMembers: members });
  return { clubId, snapshot, fittedAt: now.toISOString(), queries };
}

/** Step 3: the model from the queries' rows, stored once for every planner to read. */
export async function completeSqlFit(
  deps: SqlFitDeps,
  plan: Pick<SqlFitPlan, 'clubId' | 'snapshot' | 'fittedAt'>,
  results: FitResults,
): Promise<ClubModel> {
  const model = clubModelFromRows(results, new Date(plan.fittedAt));
  await deps.models.put(plan.clubId, model);
  await deps.receiptArchive.dropMemberSnapshots(plan.clubId, plan.snapshot);
  deps.log.info('club model fitted', {
    clubId: plan.clubId,
    members: model.members,
    baskets: model.baskets,
    items: model.items,
  });
  return model;
}

/** Step 2 on an engine this process runs itself (DuckDB): each query in turn. */
export async function runFitQueries(sql: SqlEngine, plan: SqlFitPlan): Promise<FitResults> {
  const results: FitResults = {};
  for (const part of FIT_PARTS) {
    const query = plan.queries[part];
    if (query) results[part] = await sql.run(query);
  }
  return results;
}

/** The whole fit in this process: what `npm start`, the tests and the benchmarks run on DuckDB. */
export async function fitClubModelWithSql(deps: SqlFitDeps & { readonly sql: SqlEngine }, clubId: string) {
  const plan = await prepareSqlFit(deps, clubId);
  const results = await runFitQueries(deps.sql, plan);
  return { model: await completeSqlFit(deps, plan, results), results, plan };
}
