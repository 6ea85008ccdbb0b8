import { Hono } from 'hono';
import type { Deps } from '../../app/deps.js';
import { isOperator, principalId } from '../../core/principal.js';
import { principalOf } from '../auth/context.js';

/** Who the caller is and which clubs they have a role on: what the console shows first. */
export function meRoutes(deps: Pick<Deps, 'roles'>): Hono {
  const routes = new Hono();

  routes.get('/me', async (c) => {
    const principal = principalOf(c);
    const clubs =
      principal.kind === 'machine'
        ? [...principal.clubRoles].map(([clubId, role]) => ({ clubId, role }))
        : (await deps.roles.clubsOf(principal.sub)).map(({ clubId, role }) => ({ clubId, role }));
    c.header('Cache-Control', 'no-store');
    return c.json({ id: principalId(principal), kind: principal.kind, operator: isOperator(principal), clubs });
  });

  return routes;
}
