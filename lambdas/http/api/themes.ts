import { Hono } from 'hono';
import type { Deps } from '../../app/deps.js';
import { brandFit } from '../../core/brand-fit.js';
import { BUILT_IN_THEMES } from '../../core/built-in-themes.js';
import { validateCustomTheme } from '../../core/custom-themes.js';
import { ApiError } from '../api-error.js';
import { idParam, requireClub } from './shared.js';

/** The club's own themes beside the built-in ones, with how well each fits the brand. */
export function themesRoutes(deps: Pick<Deps, 'clubs'>): Hono {
  const routes = new Hono();

  routes.put('/themes/:themeId', async (c) => {
    const clubId = idParam(c, 'clubId');
    const themeId = idParam(c, 'themeId');
    await requireClub(deps, clubId);
    const raw: unknown = await c.req.json().catch(() => {
      throw new ApiError(400, 'validation', '(body): must be a JSON document');
    });
    const result = validateCustomTheme(raw);
    if (!result.ok) {
      const issues = result.issues.map((i) => ({ path: i.path.map(String).join('.') || '(body)', message: i.message }));
      const first = issues[0];
      throw new ApiError(400, 'validation', first ? `${first.path}: ${first.message}` : 'invalid theme', issues);
    }
    if (result.theme.id !== themeId)
      throw new ApiError(400, 'validation', `id: must be ${themeId}, the id in the path`);
    await deps.clubs.putTheme(clubId, result.theme);
    return c.json({
      theme: result.theme,
      brandFit: brandFit((await requireClub(deps, clubId)).brand, result.theme.emotion),
    });
  });

  routes.get('/themes', async (c) => {
    const clubId = idParam(c, 'clubId');
    await requireClub(deps, clubId);
    const own = await deps.clubs.listThemes(clubId);
    return c.json({
      themes: [...BUILT_IN_THEMES, ...own].map((t) => ({ id: t.id, emotion: t.emotion, builtIn: !own.includes(t) })),
    });
  });

  return routes;
}
