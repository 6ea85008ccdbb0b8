import { DuckDbSqlEngine } from '../adapters/duckdb-sql-engine.js';
import type { advanceExperimentCount } from '../app/experiment-count.js';
import { clubsWithRunningExperiment, countToTheEnd } from '../app/experiment-nightly.js';
import { fitClubModelWithSql, type SqlFitDeps } from '../app/fit-club-model-sql.js';
import type { ClubModel } from '../core/club-model.js';
import { DAY_MS } from '../core/units.js';

/**
 * The nightly model fit on this machine: the same prepare and store steps as the AWS workflow
 * (lib/constructs/model-fit.ts), with the queries run by DuckDB embedded in the process over the
 * archive folder, then the experiment count of each club with a running experiment, to the end
 * (app/experiment-nightly.ts). `npm start` runs it once at start and then once a day.
 */

/** A call of the local nightly count: as long as the API's (the count goes on across calls as on AWS). */
const COUNT_CALL_MS = 2_000;
/** Calls per club a night at most: a count that needs more goes on the next night. */
const COUNT_CALLS = 10_000;

type NightlyDeps = SqlFitDeps & Parameters<typeof advanceExperimentCount>[0];
export class LocalModelFit {
  readonly sql: DuckDbSqlEngine;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly deps: NightlyDeps,
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

  /**
   * Count the experiment of every club the fit lists (clubs with archived receipts) whose experiment is
   * running, each to the end; a club whose count fails is logged and the rest go on. Returns the clubs counted.
   */
  async countExperiments(): Promise<number> {
    let counted = 0;
    for (const clubId of await clubsWithRunningExperiment(this.deps, await this.deps.receiptArchive.clubs())) {
      try {
        if (await countToTheEnd(this.deps, clubId, { budgetMs: COUNT_CALL_MS, maxCalls: COUNT_CALLS })) counted += 1;
        else this.deps.log.warn('experiment count unfinished tonight; it goes on the next night', { clubId });
      } catch (error: unknown) {
        this.deps.log.error('experiment count failed; the last figures stay', { clubId, error });
      }
    }
    return counted;
  }

  /** The night's work, as the stack's workflow does it: fit every club, then count the running experiments. */
  async nightly(): Promise<{ fitted: number; counted: number }> {
    const fitted = await this.fitAll();
    return { fitted, counted: await this.countExperiments() };
  }

  /** Run `nightly` every `everyMs` (a day by default), as the stack's nightly schedule does. */
  startNightly(everyMs = DAY_MS): void {
    this.timer = setInterval(() => void this.nightly(), everyMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
    await this.sql.close();
  }
}
