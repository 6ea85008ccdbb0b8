import { Hono } from 'hono';
import type { Deps } from '../app/deps.js';
import { approvalRoutes } from './api/approval.js';
import { audiencesRoutes } from './api/audiences.js';
import { auditRoutes } from './api/audit.js';
import { automationsRoutes } from './api/automations.js';
import { campaignsRoutes } from './api/campaigns.js';
import { catalogRoutes } from './api/catalog.js';
import { clubsRoutes } from './api/clubs.js';
import { experimentRoutes } from './api/experiment.js';
import { feedbackRoutes } from './api/feedback.js';
import { gdprRoutes } from './api/gdpr.js';
import { importsRoutes } from './api/imports.js';
import { meRoutes } from './api/me.js';
import { membersRoutes } from './api/members.js';
import { modelRoutes } from './api/model.js';
import { occasionsRoutes } from './api/occasions.js';
import { purchasesRoutes } from './api/purchases.js';
import { sendingRoutes } from './api/sending.js';
import { sendingDomainRoutes } from './api/sending-domain.js';
import { teamRoutes } from './api/team.js';
import { themesRoutes } from './api/themes.js';
import { auditTrail } from './audit-trail.js';
import { bearerAuth } from './auth/bearer.js';
import { clubAccess } from './auth/club-access.js';
import { jsonBodies } from './request-limits.js';

export type ApiDeps = Pick<
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
  | 'scheduler'
  | 'automations'
  | 'recurring'
  | 'clock'
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
  | 'snapshots'
>;

/**
 * The marketer's JSON API, one file per resource under lambdas/http/api/, each below its club.
 * A new resource is one file exporting `<resource>Routes(deps)` and one line here. Every route
 * needs a bearer token (auth/bearer.ts), a role on the club fit for the route (auth/club-access.ts,
 * with each route's permission in route-policy.ts), and a JSON body (or its documented upload type);
 * every change lands in the club's audit trail (audit-trail.ts).
 */
export function marketerApi(deps: ApiDeps): Hono {
  const club = '/clubs/:clubId';
  return new Hono()
    .use('*', bearerAuth(deps), jsonBodies())
    .use(`${club}/*`, clubAccess(deps), auditTrail(deps))
    .route('/', meRoutes(deps))
    .route(club, clubsRoutes(deps))
    .route(club, catalogRoutes(deps))
    .route(club, membersRoutes(deps))
    .route(club, gdprRoutes(deps))
    .route(club, purchasesRoutes(deps))
    .route(club, importsRoutes(deps))
    .route(club, campaignsRoutes(deps))
    .route(club, approvalRoutes(deps))
    .route(club, themesRoutes(deps))
    .route(club, audiencesRoutes(deps))
    .route(club, occasionsRoutes(deps))
    .route(club, modelRoutes(deps))
    .route(club, sendingRoutes(deps))
    .route(club, teamRoutes(deps))
    .route(club, auditRoutes(deps))
    .route(club, sendingDomainRoutes(deps))
    .route(club, feedbackRoutes(deps))
    .route(club, experimentRoutes(deps))
    .route(club, automationsRoutes(deps));
}
