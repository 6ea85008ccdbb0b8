import { type Context, Hono, type MiddlewareHandler } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { csrf } from 'hono/csrf';
import { HTTPException } from 'hono/http-exception';
import { NONCE, secureHeaders } from 'hono/secure-headers';
import { roleOn } from '../../app/access.js';
import { clubTimeZone } from '../../core/local-time.js';
import { Id } from '../../core/model.js';
import type { Principal } from '../../core/principal.js';
import { roleAllows, roleFor } from '../../core/roles.js';
import { Language } from '../../core/vocabulary.js';
import { assetRoutes } from './assets.js';
import { authRoutes, safeReturn } from './auth.js';
import { requestOf } from './context.js';
import { COPY } from './copy/index.js';
import type { ConsoleDeps } from './deps.js';
import { formats } from './format.js';
import { requestPermission } from './permissions.js';
import { forbiddenPage, messagePage, notFoundPage } from './respond.js';
import { clubRoutes } from './routes/index.js';
import { readSession, sameSecret } from './session.js';
import type { ConsoleSettings } from './settings.js';

const LANG_COOKIE = 'cp-lang';

/** The marketer's language: their choice (a cookie), else the browser's first of ours, else English. */
function languageOf(c: Context): Language {
  const chosen = Language.safeParse(getCookie(c, LANG_COOKIE));
  if (chosen.success) return chosen.data;
  for (const part of (c.req.header('accept-language') ?? '').split(',')) {
    const tag = Language.safeParse(part.trim().slice(0, 2).toLowerCase());
    if (tag.success) return tag.data;
  }
  return 'en';
}

/**
 * The marketer console (docs/decisions/0032-console-sessions.md, 0033-console-htmx-and-i18n.md):
 * server-rendered pages under /console in the same app as the API, on Lambda and locally alike.
 * Every page checks the session cookie, then the marketer's role on the club in the path, and
 * calls the same use cases as the JSON API.
 */
export function consoleApp(deps: ConsoleDeps, settings: ConsoleSettings | undefined): Hono {
  const app = new Hono();
  const logoutOrigin = settings?.logoutUrl ? [new URL(settings.logoutUrl).origin] : [];
  app.use(
    '*',
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'none'"],
        scriptSrc: [NONCE],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'https:', 'data:'],
        connectSrc: ["'self'"],
        frameSrc: ["'self'"],
        formAction: ["'self'", ...logoutOrigin],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
      },
      referrerPolicy: 'same-origin',
      xFrameOptions: 'DENY',
      strictTransportSecurity: false,
      // The preview frame's mail sets its own CSP and framing (routes/preview.tsx).
      overwrite: false,
    }),
    async (c, next) => {
      await next();
      if (!c.res.headers.has('Cache-Control')) c.res.headers.set('Cache-Control', 'no-store');
    },
    async (c, next) => {
      const lang = languageOf(c);
      const url = new URL(c.req.url);
      c.set('consoleRequest', {
        lang,
        copy: COPY[lang],
        nonce: c.get('secureHeadersNonce') ?? '',
        here: `${url.pathname}${url.search}`,
      });
      return next();
    },
    // Forms only from our own pages: the browser's Sec-Fetch-Site, else Origin against our host.
    csrf({
      origin: (origin, c) => {
        if (c.req.header('sec-fetch-site') !== undefined) return false;
        try {
          return new URL(origin).host === new URL(c.req.url).host;
        } catch {
          return false;
        }
      },
    }),
  );
  app.onError((error, c) => {
    const { copy } = requestOf(c);
    // hono/csrf refuses a form from another site with a 403 HTTPException.
    if (error instanceof HTTPException && error.status === 403)
      return messagePage(c, copy.staleFormTitle, copy.staleForm, 403);
    deps.log.error('console error', { path: c.req.path, error });
    return messagePage(c, copy.errorTitle, copy.errorBody, 500);
  });

  app.route('/', assetRoutes());
  app.post('/language', async (c) => {
    const body = await c.req.parseBody();
    const lang = Language.safeParse(body.lang);
    const secure = new URL(c.req.url).protocol === 'https:';
    if (lang.success) {
      setCookie(c, LANG_COOKIE, lang.data, {
        httpOnly: true,
        secure,
        sameSite: 'Lax',
        path: secure ? '/' : '/console',
        maxAge: 365 * 86_400,
      });
    }
    return c.redirect(safeReturn(typeof body.return === 'string' ? body.return : undefined), 303);
  });
  if (!settings) {
    app.all('*', (c) => {
      const { copy } = requestOf(c);
      return messagePage(c, copy.notConfiguredTitle, copy.notConfigured, 503);
    });
    return app;
  }
  app.route('/', authRoutes(deps, settings));
  app.use('*', signedIn(deps, settings));
  const home = async (c: Context) => {
    const user = c.get('consoleUser');
    const wanted = Id.safeParse(c.req.query('club'));
    const clubId = wanted.success && user.clubIds.includes(wanted.data) ? wanted.data : user.clubIds[0];
    if (!clubId) {
      const { copy } = requestOf(c);
      return messagePage(c, copy.noClubsTitle, copy.noClubs, 200);
    }
    return c.redirect(`/console/clubs/${clubId}/calendar`, 303);
  };
  // `/console` and `/console/` (where Cognito's sign-out returns) are both the start page.
  app.get('/', home);
  app.get('*', (c, next) => (c.req.path === '/console/' ? home(c) : next()));
  app.use('/clubs/:clubId/*', clubAccess(deps));
  app.use('/clubs/:clubId', clubAccess(deps));
  app.route('/clubs/:clubId', clubRoutes(deps));
  app.all('*', (c) => notFoundPage(c));
  return app;
}

/**
 * Every other console request needs a session: a page sends the browser to sign in (and back), htmx
 * gets a client-side redirect. A POST must carry the session's form token, in its `_csrf` field or,
 * from htmx, the `x-csrf-token` header.
 */
function signedIn(deps: ConsoleDeps, settings: ConsoleSettings): MiddlewareHandler {
  return async (c, next) => {
    const session = readSession(c, await deps.tokenKeys(), deps.clock.now());
    const { here, copy } = requestOf(c);
    if (!session) {
      const current = c.req.header('hx-current-url');
      const back = c.req.method === 'GET' ? here : current ? new URL(current).pathname : '/console/';
      const target = `/console/auth/sign-in?return=${encodeURIComponent(safeReturn(back))}`;
      if (c.req.header('hx-request') === 'true') return c.body(null, 200, { 'HX-Redirect': target });
      return c.redirect(target, c.req.method === 'GET' ? 302 : 303);
    }
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') {
      const header = c.req.header('x-csrf-token');
      const field = header ? undefined : (await c.req.parseBody())._csrf;
      if (!sameSecret(header ?? field, session.csrf)) {
        deps.log.info('console form refused', { reason: 'csrf', path: c.req.path });
        return messagePage(c, copy.staleFormTitle, copy.staleForm, 403, { href: '/console/', text: copy.appName });
      }
    }
    const principal: Principal = {
      kind: 'user',
      sub: session.sub,
      clientId: settings.clientId,
      groups: session.groups,
    };
    const clubIds = (await deps.roles.clubsOf(session.sub)).map((r) => r.clubId).sort();
    c.set('consoleUser', { session, principal, clubIds });
    return next();
  };
}

/**
 * The club in the path and the marketer's role on it, read from the table on each request: none
 * gets the one "not found" page a missing club gets; a role below the route's permission
 * (permissions.ts) gets "not allowed", and the route never runs.
 */
function clubAccess(deps: ConsoleDeps): MiddlewareHandler {
  return async (c, next) => {
    const clubId = Id.safeParse(c.req.param('clubId'));
    if (!clubId.success) return notFoundPage(c);
    const user = c.get('consoleUser');
    const [role, club] = await Promise.all([
      roleOn(deps, user.principal, clubId.data),
      deps.clubs.getClub(clubId.data),
    ]);
    if (!role || !club) return notFoundPage(c);
    const permission = requestPermission(c);
    if (!roleAllows(role, permission)) return forbiddenPage(c, roleFor(permission));
    c.set('consoleClub', { club, role, fmt: formats(requestOf(c).copy, clubTimeZone(club)) });
    return next();
  };
}
