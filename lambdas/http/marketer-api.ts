import { Hono } from 'hono';
import type { Deps } from '../app/deps.js';
import { campaignsRoutes } from './api/campaigns.js';
import { catalogRoutes } from './api/catalog.js';
import { clubsRoutes } from './api/clubs.js';
import { gdprRoutes } from './api/gdpr.js';
import { importsRoutes } from './api/imports.js';
import { membersRoutes } from './api/members.js';
import { modelRoutes } from './api/model.js';
import { occasionsRoutes } from './api/occasions.js';
import { purchasesRoutes } from './api/purchases.js';
import { sendingRoutes } from './api/sending.js';
import { themesRoutes } from './api/themes.js';

export type ApiDeps = Pick<
  Deps,
  | 'clubs'
  | 'campaigns'
  | 'members'
  | 'memberData'
  | 'suppressions'
  | 'purchases'
  | 'popularity'
  | 'models'
  | 'scheduler'
  | 'clock'
  | 'log'
  | 'deliveryStats'
  | 'sending'
  | 'files'
  | 'importJobs'
  | 'importQueue'
  | 'importSettings'
>;

/**
 * The marketer's JSON API, one file per resource under lambdas/http/api/, each below its club.
 * A new resource is one file exporting `<resource>Routes(deps)` and one line here.
 */
export function marketerApi(deps: ApiDeps): Hono {
  const club = '/clubs/:clubId';
  return new Hono()
    .route(club, clubsRoutes(deps))
    .route(club, catalogRoutes(deps))
    .route(club, membersRoutes(deps))
    .route(club, gdprRoutes(deps))
    .route(club, purchasesRoutes(deps))
    .route(club, importsRoutes(deps))
    .route(club, campaignsRoutes(deps))
    .route(club, themesRoutes(deps))
    .route(club, occasionsRoutes(deps))
    .route(club, modelRoutes(deps))
    .route(club, sendingRoutes(deps));
}
