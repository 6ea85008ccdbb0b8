import { Hono } from 'hono';
import type { Deps } from '../../app/deps.js';
import { ingestPurchases } from '../../app/ingest-purchases.js';
import { formatRejection, ingestCsv, ingestJsonLines } from '../../core/ingest.js';
import { ApiError } from '../api-error.js';
import { idParam, requireClub } from './shared.js';

const JSON_LINES = new Set([
  'application/x-ndjson',
  'application/jsonl',
  'application/jsonlines',
  'application/x-jsonlines',
]);

/** Receipts, as CSV purchase lines or JSON lines of receipts. */
export function purchasesRoutes(
  deps: Pick<Deps, 'clubs' | 'members' | 'purchases' | 'popularity' | 'clock' | 'log'>,
): Hono {
  const routes = new Hono();

  // Bad rows are reported by line and field; every good row beside them is kept.
  routes.post('/purchases', async (c) => {
    const clubId = idParam(c, 'clubId');
    const type = (c.req.header('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
    const ingest = type === 'text/csv' ? ingestCsv : JSON_LINES.has(type) ? ingestJsonLines : undefined;
    if (!ingest)
      throw new ApiError(415, 'unsupported-media-type', 'content-type: send text/csv or application/x-ndjson');
    await requireClub(deps, clubId);
    const { products } = await deps.clubs.getCatalog(clubId);
    const catalog = new Map(products.map((p) => [p.productId, p]));
    const parsed = ingest(await c.req.text(), { knownProducts: new Set(catalog.keys()), now: deps.clock.now() });
    if (parsed.fileRejected) {
      const first = parsed.rejected[0];
      throw new ApiError(400, 'validation', first ? formatRejection(first) : 'the file was refused', [
        ...parsed.rejected.map((r) => ({ path: `line ${r.line}${r.field ? `: ${r.field}` : ''}`, message: r.message })),
      ]);
    }
    const report = await ingestPurchases(deps, clubId, parsed, catalog);
    return c.json({
      ingest: { ...report, rejected: report.rejected.map((r) => ({ ...r, text: formatRejection(r) })) },
    });
  });

  return routes;
}
