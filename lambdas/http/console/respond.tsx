import type { Context } from 'hono';
import { html } from 'hono/html';
import type { Child } from 'hono/jsx';
import type { ClubRole } from '../../core/roles.js';
import { requestOf } from './context.js';
import { Page } from './layout.js';

type Status = 200 | 400 | 403 | 404 | 409 | 500 | 503;

/** A whole page: the doctype and the element tree (hono/jsx escapes every value that is not markup). */
export function page(c: Context, node: Child, status: Status = 200): Response | Promise<Response> {
  return c.html(html`<!DOCTYPE html>${node}`, status);
}

/** A piece of a page for htmx to swap in. */
export function fragment(c: Context, node: Child, status: Status = 200): Response | Promise<Response> {
  return c.html(html`${node}`, status);
}

/** Whether htmx sent the request (it then swaps the answer into the page). */
export function fromHtmx(c: Context): boolean {
  return c.req.header('hx-request') === 'true';
}

/** After a change, go to `url`: 303 for a form (post/redirect/get), a client-side redirect for htmx. */
export function seeOther(c: Context, url: string): Response {
  if (fromHtmx(c)) return c.body(null, 200, { 'HX-Redirect': url });
  return c.redirect(url, 303);
}

/** The one answer for a club the marketer has no role on, the same as for a club that does not exist. */
export function notFoundPage(c: Context): Response | Promise<Response> {
  const req = requestOf(c);
  return page(
    c,
    <Page req={req} title={req.copy.notFoundTitle}>
      <p>{req.copy.notFoundBody}</p>
      <p>
        <a href="/console/">{req.copy.appName}</a>
      </p>
    </Page>,
    404,
  );
}

export function forbiddenPage(c: Context, needed: ClubRole): Response | Promise<Response> {
  const req = requestOf(c);
  return page(
    c,
    <Page req={req} title={req.copy.forbiddenTitle}>
      <p>{req.copy.forbidden(req.copy.roles[needed])}</p>
    </Page>,
    403,
  );
}

export function messagePage(
  c: Context,
  title: string,
  body: string,
  status: Status,
  link?: { href: string; text: string },
) {
  const req = requestOf(c);
  return page(
    c,
    <Page req={req} title={title}>
      <p>{body}</p>
      {link ? (
        <p>
          <a href={link.href}>{link.text}</a>
        </p>
      ) : null}
    </Page>,
    status,
  );
}
