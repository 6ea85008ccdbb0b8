import { Hono } from 'hono';
import type { Deps } from '../../app/deps.js';
import { AuditQuery } from '../../core/audit.js';
import { idParam, queryOf } from './shared.js';

/** Pages of the export, and the most it holds: an export larger than this is read page by page. */
const EXPORT_PAGE = 500;
const EXPORT_MAX = 100_000;

/** The club's audit trail for its admins: a page at a time, or whole as JSON lines. */
export function auditRoutes(deps: Pick<Deps, 'audit'>): Hono {
  const routes = new Hono();

  routes.get('/audit', async (c) => {
    const clubId = idParam(c, 'clubId');
    const page = await deps.audit.list(clubId, queryOf(c, AuditQuery));
    c.header('Cache-Control', 'no-store');
    return c.json({ entries: page.entries, cursor: page.cursor ?? null });
  });

  routes.get('/audit/export', async (c) => {
    const clubId = idParam(c, 'clubId');
    const lines: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await deps.audit.list(clubId, { limit: EXPORT_PAGE, ...(cursor ? { cursor } : {}) });
      for (const entry of page.entries) lines.push(JSON.stringify(entry));
      cursor = page.cursor;
    } while (cursor && lines.length < EXPORT_MAX);
    c.header('Cache-Control', 'no-store');
    c.header('Content-Disposition', `attachment; filename="${clubId}-audit.jsonl"`);
    return c.body(lines.length > 0 ? `${lines.join('\n')}\n` : '', 200, { 'Content-Type': 'application/x-ndjson' });
  });

  return routes;
}
