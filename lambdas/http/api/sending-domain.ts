import { Hono } from 'hono';
import type { Deps } from '../../app/deps.js';
import { checkSendingDomain } from '../../app/sender-check.js';
import { idParam, requireClub } from './shared.js';

/**
 * The sender check: the club's sending domain as SES and DNS see it (verified or not, DKIM, MAIL
 * FROM, the DMARC record and its policy, SPF and DKIM alignment), and whether it can send now.
 */
export function sendingDomainRoutes(deps: Pick<Deps, 'clubs' | 'sendingDomains' | 'identities' | 'dns'>): Hono {
  const routes = new Hono();

  routes.get('/sending/domain', async (c) => {
    const club = await requireClub(deps, idParam(c, 'clubId'));
    return c.json({ domain: await checkSendingDomain(deps, club) });
  });

  return routes;
}
