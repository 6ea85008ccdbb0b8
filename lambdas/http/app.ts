import { Hono, type MiddlewareHandler } from 'hono';
import type { Deps } from '../app/deps.js';
import { ApiError } from './api-error.js';
import { consoleApp } from './console/app.js';
import type { ConsoleSettings } from './console/settings.js';
import { marketerApi } from './marketer-api.js';
import { controlPages } from './pages/control-routes.js';
import { memberPages } from './pages/routes.js';
import { surveyPages } from './pages/survey-routes.js';
import { bodyLimits } from './request-limits.js';

/**
 * The one HTTP app: marketer API under /api (bearer token and a role on the club: marketer-api.ts),
 * the marketer console under /console (its own session), member pages under /u, /p, /s and /c (the
 * signed link is the credential). The same app runs in Lambda
 * behind API Gateway (handlers/api.ts) and on Node locally (bin/local.ts); what differs in front of
 * it (the raw-path check, the origin header on AWS, Host and Origin locally) is in those two.
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
    | 'experiments'
    | 'mailer'
    | 'scheduler'
    | 'automations'
    | 'recurring'
    | 'clock'
    | 'tokenKeys'
    | 'publicBaseUrl'
    | 'log'
    | 'deliveryStats'
    | 'sending'
    | 'accessTokens'
    | 'roles'
    | 'directory'
    | 'audit'
    | 'sendingDomains'
    | 'identities'
    | 'dns'
    | 'files'
    | 'importJobs'
    | 'importQueue'
    | 'importSettings'
    | 'surveys'
    | 'feedbackCases'
    | 'serviceContacts'
    | 'caseAlerts'
    | 'memberDirectory'
    | 'snapshots'
    | 'outcomes'
  >,
  options: {
    /** Middleware in front of every route: locally, the Host and Origin checks (runtime/local-guards.ts). */
    readonly guards?: readonly MiddlewareHandler[];
    /** The console's sign-in (console/settings.ts); without it /console says it is not set up. */
    readonly console?: ConsoleSettings;
  } = {},
): Hono {
  const app = new Hono();
  for (const guard of options.guards ?? []) app.use('*', guard);
  // Every body against its route's limit (route-policy.ts), before anything reads it.
  app.use('*', bodyLimits());
  app.get('/health', (c) => c.json({ ok: true }));
  app.route('/api', marketerApi(deps));
  app.route('/console', consoleApp(deps, options.console));
  app.route('/', memberPages(deps));
  app.route('/', surveyPages(deps));
  app.route('/', controlPages(deps));
  app.notFound((c) => c.json({ error: 'not-found', message: `no route for ${c.req.method} ${c.req.path}` }, 404));
  app.onError((error, c) => {
    if (error instanceof ApiError) {
      return c.json({ error: error.code, message: error.message, issues: error.issues }, error.status);
    }
    deps.log.error('unhandled error in HTTP app', { path: c.req.routePath, error });
    return c.json({ error: 'internal', message: 'Something went wrong on our side.' }, 500);
  });
  return app;
}
