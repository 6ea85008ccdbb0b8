import { DuckDbSqlEngine } from '../adapters/duckdb-sql-engine.js';
import { fitClubModelWithSql, type SqlFitDeps } from '../app/fit-club-model-sql.js';
import type { ClubModel } from '../core/club-model.js';
import { DAY_MS } from '../core/units.js';

/**
 * The nightly model fit on this machine: the same prepare and store steps as the AWS workflow
 * (lib/constructs/model-fit.ts), with the queries run by DuckDB embedded in the process over the
 * archive folder. `npm start` fits every club once at start and then once a day.
 */
export class LocalModelFit {
  readonly sql: DuckDbSqlEngine;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly deps: SqlFitDeps,
    archiveRoot: string,
  ) {
    this.sql = new DuckDbSqlEngine(archiveRoot);
  }

  /** Fit one club now (fits run one at a time). */
  fitClub(clubId: string): Promise<ClubModel> {
    const next = this.running.then(
      async () => (await fitClubModelWithSql({ ...this.deps, sql: this.sql }, clubId)).model,
    );
    this.running = next.catch(() => undefined);
    return next;
  }

  /** Fit every club that has archived receipts; a club whose fit fails is logged and the rest go on. */
  async fitAll(): Promise<number> {
    let fitted = 0;
    for (const clubId of await this.deps.receiptArchive.clubs()) {
      try {
        await this.fitClub(clubId);
        fitted += 1;
      } catch (error: unknown) {
        this.deps.log.error('club model fit failed; the previous model stays', { clubId, error });
      }
    }
    return fitted;
  }

  /** Run `fitAll` every `everyMs` (a day by default), as the stack's nightly schedule does. */
  startNightly(everyMs = DAY_MS): void {
    this.timer = setInterval(() => void this.fitAll(), everyMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
    await this.sql.close();
  }
}
