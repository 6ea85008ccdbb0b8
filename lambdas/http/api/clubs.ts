import { Hono } from 'hono';
import type { Deps } from '../../app/deps.js';
import { senderRefusal } from '../../app/sender-check.js';
import { Club } from '../../core/model.js';
import { idParam, jsonBody, refused, requireClub } from './shared.js';

const ClubInput = Club.omit({ clubId: true, createdAt: true });

/** The club itself: its name, sender, brand, budget and engagement rules, replaced whole. */
export function clubsRoutes(deps: Pick<Deps, 'clubs' | 'clock' | 'sendingDomains'>): Hono {
  const routes = new Hono();

  routes.put('/', async (c) => {
    const clubId = idParam(c, 'clubId');
    const input = await jsonBody(c, ClubInput);
    const sender = senderRefusal(deps.sendingDomains, clubId, input.senderEmail);
    if (sender) throw refused(sender);
    const existing = await deps.clubs.getClub(clubId);
    const club: Club = { ...input, clubId, createdAt: existing?.createdAt ?? deps.clock.now().toISOString() };
    await deps.clubs.putClub(club);
    return c.json({ club }, existing ? 200 : 201);
  });

  routes.get('/', async (c) => c.json({ club: await requireClub(deps, idParam(c, 'clubId')) }));

  return routes;
}
