import { Hono } from 'hono';
import type { Deps } from '../../app/deps.js';
import { runningPurchaseJob } from '../../app/import-jobs.js';
import { ingestPurchases } from '../../app/ingest-purchases.js';
import { formatRejection, ingestCsv, ingestJsonLines } from '../../core/ingest.js';
import { oldestKeptPurchase } from '../../core/retention.js';
import { ApiError } from '../api-error.js';
import { mediaType } from '../request-limits.js';
import { JSON_LINES_TYPES } from '../route-policy.js';
import { idParam, requireClub } from './shared.js';

const JSON_LINES: ReadonlySet<string> = new Set(JSON_LINES_TYPES);

/** Receipts, as CSV purchase lines or JSON lines of receipts. */
export function purchasesRoutes(
  deps: Pick<
    Deps,
    | 'clubs'
    | 'members'
    | 'purchases'
    | 'receiptArchive'
    | 'popularity'
    | 'importJobs'
    | 'importSettings'
    | 'files'
    | 'clock'
    | 'log'
  >,
): Hono {
  const routes = new Hono();

  // Bad rows are reported by line and field; every good row beside them is kept. The body limit
  // (1 MiB) is in route-policy.ts; bigger files are import jobs. The same exactly-once steps run in the request.
  routes.post('/purchases', async (c) => {
    const clubId = idParam(c, 'clubId');
    const type = mediaType(c.req.header('content-type'));
    const ingest = type === 'text/csv' ? ingestCsv : JSON_LINES.has(type) ? ingestJsonLines : undefined;
    if (!ingest)
      throw new ApiError(415, 'unsupported-media-type', 'content-type: send text/csv or application/x-ndjson');
    await requireClub(deps, clubId);
    const { products } = await deps.clubs.getCatalog(clubId);
    const catalog = new Map(products.map((p) => [p.productId, p]));
    const running = await runningPurchaseJob(deps, clubId);
    if (running)
      throw new ApiError(
        409,
        'conflict',
        `import ${running} is writing receipts of this club; try again when it is done`,
      );
    const text = await c.req.text();
    const now = deps.clock.now();
    const parsed = ingest(text, { knownProducts: new Set(catalog.keys()), now, oldest: oldestKeptPurchase(now) });
    if (parsed.fileRejected) {
      const first = parsed.rejected[0];
      throw new ApiError(400, 'validation', first ? formatRejection(first) : 'the file was refused', [
        ...parsed.rejected.map((r) => ({ path: `line ${r.line}${r.field ? `: ${r.field}` : ''}`, message: r.message })),
      ]);
    }
    const format = type === 'text/csv' ? 'csv' : 'ndjson';
    const report = await ingestPurchases(deps, clubId, format, text, parsed, catalog);
    return c.json({
      ingest: { ...report, rejected: report.rejected.map((r) => ({ ...r, text: formatRejection(r) })) },
    });
  });

  return routes;
}
