import { Hono } from 'hono';
import { z } from 'zod';
import type { Deps } from '../../app/deps.js';
import { Country, calendarOccasionsBetween } from '../../core/occasions.js';
import { idParam, queryOf, requireClub } from './shared.js';

const OccasionsQuery = z.object({
  country: Country.optional(),
  year: z.coerce.number().int().min(2000).max(2100).optional(),
});

/** The calendar occasions of a year in the club's country (or another), with their dates. */
export function occasionsRoutes(deps: Pick<Deps, 'clubs' | 'clock'>): Hono {
  const routes = new Hono();

  routes.get('/occasions', async (c) => {
    const clubId = idParam(c, 'clubId');
    const club = await requireClub(deps, clubId);
    const query = queryOf(c, OccasionsQuery);
    const country = query.country ?? (club.language === 'da' ? 'DK' : 'SE');
    const year = query.year ?? deps.clock.now().getUTCFullYear();
    return c.json({ country, year, occasions: calendarOccasionsBetween(country, `${year}-01-01`, `${year}-12-31`) });
  });

  return routes;
}
