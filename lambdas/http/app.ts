import { Hono } from 'hono';
import type { Deps } from '../app/deps.js';
import { ApiError } from './api-error.js';
import { marketerApi } from './marketer-api.js';
import { memberPages } from './member-pages.js';

/**
 * The one HTTP app: marketer API under /api, member pages under /u and /p. The same app runs in
 * Lambda behind API Gateway (handlers/api.ts) and on Node locally (bin/local.ts).
 */
export function createHttpApp(
  deps: Pick<
    Deps,
    | 'clubs'
    | 'campaigns'
    | 'members'
    | 'memberData'
    | 'suppressions'
    | 'purchases'
    | 'receiptArchive'
    | 'popularity'
    | 'models'
    | 'mailer'
    | 'scheduler'
    | 'clock'
    | 'tokenKeys'
    | 'publicBaseUrl'
    | 'log'
    | 'deliveryStats'
    | 'sending'
  >,
): Hono {
  const app = new Hono();
  app.get('/health', (c) => c.json({ ok: true }));
  app.route('/api', marketerApi(deps));
  app.route('/', memberPages(deps));
  app.notFound((c) => c.json({ error: 'not-found', message: `no route for ${c.req.method} ${c.req.path}` }, 404));
  app.onError((error, c) => {
    if (error instanceof ApiError) {
      return c.json({ error: error.code, message: error.message, issues: error.issues }, error.status);
    }
    deps.log.error('unhandled error in HTTP app', {
      path: c.req.routePath,
      error: error instanceof Error ? error.message : String(error),
    });
    return c.json({ error: 'internal', message: 'Something went wrong on our side.' }, 500);
  });
  return app;
}
