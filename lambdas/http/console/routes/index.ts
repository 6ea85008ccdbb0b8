import { Hono } from 'hono';
import type { ConsoleDeps } from '../deps.js';
import { audienceRoutes } from './audiences.js';
import { calendarRoutes } from './calendar.js';
import { campaignEditingRoutes } from './campaign-editing.js';
import { campaignRoutes } from './campaigns.js';
import { experimentRoutes } from './experiment.js';
import { explorerRoutes } from './explorer.js';
import { importRoutes } from './imports.js';
import { npsRoutes } from './nps.js';
import { previewRoutes } from './preview.js';
import { reportRoutes } from './report.js';
import { settingsRoutes } from './settings.js';
import { teamRoutes } from './team.js';

/** Every screen below `/console/clubs/:clubId`, one file per screen (the editor's fixed paths first). */
export function clubRoutes(deps: ConsoleDeps): Hono {
  return new Hono()
    .route('/', calendarRoutes(deps))
    .route('/', campaignEditingRoutes(deps))
    .route('/', explorerRoutes(deps))
    .route('/', previewRoutes(deps))
    .route('/', reportRoutes(deps))
    .route('/', campaignRoutes(deps))
    .route('/', settingsRoutes(deps))
    .route('/', teamRoutes(deps))
    .route('/', importRoutes(deps))
    .route('/', npsRoutes(deps))
    .route('/', experimentRoutes(deps))
    .route('/', audienceRoutes(deps));
}
