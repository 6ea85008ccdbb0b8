import { Hono } from 'hono';
import { ClubInput, saveClubSettings } from '../../app/club-settings.js';
import type { Deps } from '../../app/deps.js';
import { noteChange, principalOf } from '../auth/context.js';
import { idParam, jsonBody, refused, requireClub } from './shared.js';

/** The club itself: its name, sender, brand, budget and engagement rules, replaced whole by an admin. */
export function clubsRoutes(
  deps: Pick<Deps, 'clubs' | 'roles' | 'directory' | 'clock' | 'log' | 'sendingDomains'>,
): Hono {
  const routes = new Hono();

  routes.put('/', async (c) => {
    const clubId = idParam(c, 'clubId');
    const input = await jsonBody(c, ClubInput);
    const caller = { principal: principalOf(c), role: c.get('clubRole') };
    const saved = await saveClubSettings(deps, caller, clubId, input);
    if (!saved.ok) throw refused(saved);
    noteChange(c, { before: saved.before, after: saved.club });
    return c.json({ club: saved.club }, saved.created ? 201 : 200);
  });

  routes.get('/', async (c) => c.json({ club: await requireClub(deps, idParam(c, 'clubId')) }));

  return routes;
}
