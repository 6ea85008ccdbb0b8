import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Hono } from 'hono';
import { CONSOLE_CSS } from './styles.js';

/** htmx, pinned (package.json says exactly this version): the only script a console page loads. */
export const HTMX_VERSION = '2.0.11';
export const HTMX_PATH = `/console/assets/htmx-${HTMX_VERSION}.min.js`;

const cssHash = createHash('sha256').update(CONSOLE_CSS).digest('hex').slice(0, 12);
/** The stylesheet's address carries its hash, so browsers may keep it for a year. */
export const CSS_PATH = `/console/assets/console-${cssHash}.css`;

/**
 * htmx's minified build: beside the bundled handler on Lambda (lib/constructs/club-functions.ts copies
 * it there), from node_modules when run from source.
 */
function loadHtmx(): string {
  const beside = fileURLToPath(new URL('./htmx.min.js', import.meta.url));
  if (existsSync(beside)) return readFileSync(beside, 'utf8');
  return readFileSync(createRequire(import.meta.url).resolve('htmx.org/dist/htmx.min.js'), 'utf8');
}

let htmx: string | undefined;

const FOREVER = 'public, max-age=31536000, immutable';

/** The console's static files, the same for everyone: no session needed. */
export function assetRoutes(): Hono {
  const routes = new Hono();
  routes.get(`/assets/htmx-${HTMX_VERSION}.min.js`, (c) => {
    htmx ??= loadHtmx();
    return c.body(htmx, 200, { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': FOREVER });
  });
  routes.get(`/assets/console-${cssHash}.css`, (c) =>
    c.body(CONSOLE_CSS, 200, { 'Content-Type': 'text/css; charset=utf-8', 'Cache-Control': FOREVER }),
  );
  return routes;
}
