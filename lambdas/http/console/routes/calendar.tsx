import { Hono } from 'hono';
import { clubOf, requestOf, userOf } from '../context.js';
import type { ConsoleDeps } from '../deps.js';
import { Page } from '../layout.js';
import { page } from '../respond.js';

export function calendarRoutes(_deps: ConsoleDeps): Hono {
  const routes = new Hono();
  routes.get('/calendar', (c) => {
    const req = requestOf(c);
    return page(
      c,
      <Page req={req} user={userOf(c)} club={clubOf(c)} active="calendar" title={req.copy.calendarTitle}>
        <p>…</p>
      </Page>,
    );
  });
  return routes;
}
