import { Hono } from 'hono';
import type { Deps } from '../../app/deps.js';
import type { ClubModel } from '../../core/club-model.js';
import { idParam, requireClub } from './shared.js';

/** The club's fitted ranking model, as the marketer sees it. */
export function modelRoutes(deps: Pick<Deps, 'clubs' | 'models'>): Hono {
  const routes = new Hono();

  routes.get('/model', async (c) => {
    const clubId = idParam(c, 'clubId');
    await requireClub(deps, clubId);
    return c.json({ model: modelSummary(await deps.models.get(clubId)) });
  });

  return routes;
}

/**
 * What the marketer sees of the ranking model: when it was fitted and on how much. `null` before
 * the first fit (the next campaign start fits it); planning then uses own purchases and popularity.
 */
export function modelSummary(model: ClubModel | undefined) {
  if (!model?.fittedAt) return null;
  return {
    fittedAt: model.fittedAt,
    members: model.members,
    baskets: model.baskets,
    products: model.items,
    offeredProducts: Object.keys(model.propensity).length,
  };
}
