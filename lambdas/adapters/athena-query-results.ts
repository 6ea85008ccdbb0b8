import { type AthenaClient, GetQueryResultsCommand } from '@aws-sdk/client-athena';
import type { SqlRow } from '../core/fit-assembly.js';

/**
 * The rows of a finished Athena query, read page by page with GetQueryResults (1,000 rows a page).
 * Athena gives every value as text; lambdas/core/fit-assembly.ts parses them with zod.
 */
export class AthenaQueryResults {
  constructor(private readonly athena: AthenaClient) {}

  async rows(queryExecutionId: string): Promise<SqlRow[]> {
    const rows: SqlRow[] = [];
    let names: string[] | undefined;
    let token: string | undefined;
    do {
      const page = await this.athena.send(
        new GetQueryResultsCommand({ QueryExecutionId: queryExecutionId, MaxResults: 1000, NextToken: token }),
      );
      names ??= (page.ResultSet?.ResultSetMetadata?.ColumnInfo ?? []).map((c) => c.Name ?? '');
      const data = page.ResultSet?.Rows ?? [];
      // The first row of the first page repeats the column names.
      for (const [i, row] of data.entries()) {
        if (!token && i === 0) continue;
        const values = row.Data ?? [];
        rows.push(Object.fromEntries((names ?? []).map((name, c) => [name, values[c]?.VarCharValue ?? null])));
      }
      token = page.NextToken;
    } while (token);
    return rows;
  }
}
