import { Hono } from 'hono';
import { z } from 'zod';
import type { Deps } from '../../app/deps.js';
import { importedProducts, Offer, ProductsImport } from '../../core/model.js';
import { ApiError } from '../api-error.js';
import { idParam, jsonBody, requireClub } from './shared.js';

const OffersInput = z.object({ offers: z.array(Offer).min(1).max(1000) });

/** The club's products (with their diet tags) and the offers on them. */
export function catalogRoutes(deps: Pick<Deps, 'clubs'>): Hono {
  const routes = new Hono();

  routes.put('/products', async (c) => {
    const clubId = idParam(c, 'clubId');
    const products = importedProducts(await jsonBody(c, ProductsImport));
    await requireClub(deps, clubId);
    await deps.clubs.putProducts(clubId, products);
    return c.json({ stored: products.length });
  });

  routes.put('/offers', async (c) => {
    const clubId = idParam(c, 'clubId');
    const { offers } = await jsonBody(c, OffersInput);
    await requireClub(deps, clubId);
    const { products } = await deps.clubs.getCatalog(clubId);
    const known = new Set(products.map((p) => p.productId));
    const issues = offers.flatMap((o, i) =>
      known.has(o.productId) ? [] : [{ path: `offers[${i}].productId`, message: `unknown product ${o.productId}` }],
    );
    const first = issues[0];
    if (first) throw new ApiError(400, 'validation', `${first.path}: ${first.message}`, issues);
    await deps.clubs.putOffers(clubId, offers);
    return c.json({ stored: offers.length });
  });

  routes.get('/offers', async (c) => {
    const clubId = idParam(c, 'clubId');
    await requireClub(deps, clubId);
    const { offers, products } = await deps.clubs.getCatalog(clubId);
    return c.json({ offers, products });
  });

  return routes;
}
