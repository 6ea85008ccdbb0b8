import { readdir } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import type { SqlRow } from '../core/fit-assembly.js';
import type { SqlEngine } from '../core/fit-ports.js';
import { ArchiveKeys } from './parquet-files.js';

const RECEIPT_COLUMNS =
  'CAST(NULL AS VARCHAR) AS member_id, CAST(NULL AS VARCHAR) AS receipt_id, CAST(NULL AS BIGINT) AS purchased_ms, ' +
  'CAST(NULL AS VARCHAR) AS product_id, CAST(NULL AS INTEGER) AS quantity, CAST(NULL AS BIGINT) AS ingested_ms, ' +
  'CAST(NULL AS VARCHAR) AS club, CAST(NULL AS VARCHAR) AS dt';
const MEMBER_COLUMNS =
  'CAST(NULL AS VARCHAR) AS member_id, CAST(NULL AS VARCHAR) AS club, CAST(NULL AS VARCHAR) AS snapshot';

/**
 * The fit's SQL on DuckDB, embedded in this process (no server): `receipt_lines` and `club_members`
 * are views over the archive's Parquet files in a local folder, with the club, day and snapshot read
 * from the Hive-style folder names, as Athena reads them from S3.
 */
export class DuckDbSqlEngine implements SqlEngine {
  private connection: Promise<DuckDBConnection> | undefined;

  constructor(
    private readonly root: string,
    private readonly options: { threads?: number; memoryLimit?: string } = {},
  ) {}

  async run(sql: string): Promise<SqlRow[]> {
    const connection = await this.connect();
    await this.views(connection);
    const reader = await connection.runAndReadAll(sql);
    return reader.getRowObjectsJS().map((row) => {
      const out: Record<string, string | number | bigint | boolean | null> = {};
      for (const [name, value] of Object.entries(row)) out[name] = plain(value);
      return out;
    });
  }

  /** Close the embedded database. */
  async close(): Promise<void> {
    const connection = await this.connection;
    this.connection = undefined;
    connection?.closeSync();
  }

  private connect(): Promise<DuckDBConnection> {
    this.connection ??= (async () => {
      const instance = await DuckDBInstance.create(':memory:', {
        threads: String(this.options.threads ?? availableParallelism()),
        ...(this.options.memoryLimit ? { memory_limit: this.options.memoryLimit } : {}),
      });
      return instance.connect();
    })();
    return this.connection;
  }

  /** Re-created for every query: files arrive between queries, and a glob that matches nothing is an error. */
  private async views(connection: DuckDBConnection): Promise<void> {
    const receipts = join(this.root, ArchiveKeys.receiptsPrefix, '*', '*', '*.parquet');
    const members = join(this.root, ArchiveKeys.membersPrefix, '*', '*', '*.parquet');
    const hive = (a: string, b: string) =>
      `hive_partitioning = true, hive_types = {'${a}': VARCHAR, '${b}': VARCHAR}, hive_types_autocast = false`;
    await connection.run(
      (await hasFiles(join(this.root, ArchiveKeys.receiptsPrefix), 2))
        ? `CREATE OR REPLACE VIEW receipt_lines AS SELECT * FROM read_parquet(${literal(receipts)}, ${hive('club', 'dt')})`
        : `CREATE OR REPLACE VIEW receipt_lines AS SELECT ${RECEIPT_COLUMNS} WHERE false`,
    );
    await connection.run(
      (await hasFiles(join(this.root, ArchiveKeys.membersPrefix), 2))
        ? `CREATE OR REPLACE VIEW club_members AS SELECT * FROM read_parquet(${literal(members)}, ${hive('club', 'snapshot')})`
        : `CREATE OR REPLACE VIEW club_members AS SELECT ${MEMBER_COLUMNS} WHERE false`,
    );
  }
}

function literal(path: string): string {
  return `'${path.replaceAll("'", "''")}'`;
}

/** Whether any .parquet file sits `depth` folders below `folder`. */
async function hasFiles(folder: string, depth: number): Promise<boolean> {
  let names: string[];
  try {
    names = await readdir(folder);
  } catch {
    return false;
  }
  if (depth === 0) return names.some((n) => n.endsWith('.parquet'));
  for (const name of names) if (await hasFiles(join(folder, name), depth - 1)) return true;
  return false;
}

function plain(value: unknown): string | number | bigint | boolean | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean')
    return value;
  return String(value);
}
