import type { MiddlewareHandler } from 'hono';

/**
 * What stands in front of the local server in place of API Gateway (docs/security.md):
 * - **Host** must name this server (`localhost:<port>`, `127.0.0.1:<port>` or `[::1]:<port>`):
 *   a page that rebinds its own DNS name to 127.0.0.1 (DNS rebinding) sends its own name, and is
 *   refused before it can read anything;
 * - **Origin**, when a browser sends one to `/api` or `/ops`, must be this server's: no other web
 *   page may drive the marketer API or the dead letters from the marketer's browser. (The member
 *   pages judge origins themselves: the RFC 8058 one-click POST must accept any.)
 */
export function localGuards(port: number): MiddlewareHandler {
  const hosts = new Set([`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`]);
  const origins = new Set([...hosts].map((host) => `http://${host}`));
  return async (c, next) => {
    const host = (c.req.header('host') ?? '').toLowerCase();
    if (!hosts.has(host)) {
      return c.json({ error: 'misdirected', message: `host: this server answers only to localhost:${port}` }, 421);
    }
    const origin = c.req.header('origin');
    const guarded = c.req.path === '/api' || c.req.path.startsWith('/api/') || c.req.path.startsWith('/ops');
    if (guarded && origin !== undefined && !origins.has(origin.toLowerCase())) {
      return c.json({ error: 'forbidden', message: `origin: ${origin} may not call this API` }, 403);
    }
    return next();
  };
}
