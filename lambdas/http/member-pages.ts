import { randomBytes } from 'node:crypto';
import { type Context, Hono } from 'hono';
import type { Deps } from '../app/deps.js';
import { escapeHtml as e } from '../core/mail.js';
import type { Club, Member } from '../core/model.js';
import { type TokenClaims, type TokenPurpose, signToken, verifyToken } from '../core/tokens.js';
import { PAGE_COPY } from './page-copy.js';

type PageDeps = Pick<Deps, 'clubs' | 'members' | 'clock' | 'tokenKeys' | 'log'>;

/** RELIABILITY.md 9: token pages are never cached, never leak the URL, and run no foreign code. */
function securityHeaders(c: Context, nonce?: string): void {
  c.header('Cache-Control', 'no-store');
  c.header('Referrer-Policy', 'no-referrer');
  c.header('X-Content-Type-Options', 'nosniff');
  c.header('X-Frame-Options', 'DENY');
  c.header(
    'Content-Security-Policy',
    `default-src 'none'; style-src ${nonce ? `'nonce-${nonce}'` : "'none'"}; img-src https:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`,
  );
}

/**
 * The one answer for every link we cannot honour: unknown, tampered, truncated, expired, or a
 * member who no longer exists. Same status, same bytes, in all three languages (RELIABILITY.md 8).
 */
const INVALID_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${e(PAGE_COPY.en.invalidTitle)}</title></head>
<body><main>
<h1>${e(PAGE_COPY.en.invalidTitle)}</h1><p>${e(PAGE_COPY.en.invalidBody)}</p>
<h2 lang="sv">${e(PAGE_COPY.sv.invalidTitle)}</h2><p lang="sv">${e(PAGE_COPY.sv.invalidBody)}</p>
<h2 lang="da">${e(PAGE_COPY.da.invalidTitle)}</h2><p lang="da">${e(PAGE_COPY.da.invalidBody)}</p>
</main></body></html>`;

function invalid(c: Context): Response {
  securityHeaders(c);
  return c.html(INVALID_PAGE, 404);
}

function page(c: Context, club: Club, member: Member, title: string, content: string, status: 200 = 200): Response {
  const nonce = randomBytes(16).toString('base64');
  securityHeaders(c, nonce);
  const { primary, background, text } = club.brand.colours;
  return c.html(
    `<!doctype html>
<html lang="${member.language}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${e(title)}</title>
<style nonce="${nonce}">
body{margin:0;font-family:Arial,Helvetica,sans-serif;background:${background};color:${text};line-height:1.5}
header{background:${primary};color:#fff;padding:16px 24px;font-size:20px;font-weight:bold}
main{max-width:640px;margin:24px auto;background:#fff;padding:24px;border-radius:8px}
h1{font-size:24px;margin-top:0}
dt{font-weight:bold;margin-top:12px}
button{background:${primary};color:#fff;border:0;border-radius:6px;padding:12px 20px;font-size:16px;cursor:pointer}
button:focus-visible,a:focus-visible{outline:3px solid ${text};outline-offset:2px}
a{color:${primary}}
</style></head>
<body><header>${e(club.name)}</header><main>
<h1>${e(title)}</h1>
${content}
</main></body></html>`,
    status,
  );
}

/** The member's pages, reached by signed links from every mail: no login, no email address as input. */
export function memberPages(deps: PageDeps): Hono {
  const app = new Hono();

  const resolve = async (
    token: string,
    purpose: TokenPurpose,
  ): Promise<{ claims: TokenClaims; club: Club; member: Member } | undefined> => {
    const check = verifyToken(deps.tokenKeys, token, deps.clock.now());
    if (!check.ok) {
      deps.log.info('member link refused', { purpose, why: check.why });
      return undefined;
    }
    if (check.claims.purpose !== purpose) return undefined;
    const [club, state] = await Promise.all([
      deps.clubs.getClub(check.claims.clubId),
      deps.members.getState(check.claims.clubId, check.claims.memberId),
    ]);
    if (!club || !state) return undefined;
    return { claims: check.claims, club, member: state.member };
  };

  const preferencesLink = (claims: TokenClaims) =>
    `/p/${signToken(deps.tokenKeys, { purpose: 'preferences', clubId: claims.clubId, memberId: claims.memberId }, deps.clock.now())}`;

  const unsubscribedPage = (c: Context, club: Club, member: Member) => {
    const copy = PAGE_COPY[member.language];
    return page(c, club, member, copy.doneTitle, `<p role="status">${e(copy.doneBody(club.name))}</p>`);
  };

  // RFC 8058: a GET never changes anything (link scanners fetch URLs); it asks for confirmation.
  app.get('/u/:token', async (c) => {
    const found = await resolve(c.req.param('token'), 'unsubscribe');
    if (!found) return invalid(c);
    const { club, member, claims } = found;
    const copy = PAGE_COPY[member.language];
    if (member.subscription === 'unsubscribed') return unsubscribedPage(c, club, member);
    return page(
      c,
      club,
      member,
      copy.confirmTitle(club.name),
      `<p>${e(copy.confirmBody)}</p>
<form method="post"><input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit">${e(copy.confirmButton)}</button></form>
<p><a href="${e(preferencesLink(claims))}">${e(copy.ratherLess)}</a></p>`,
    );
  });

  // RFC 8058 one-click: no cookie, no login, any origin (mail providers post it), 200 and no redirect, idempotent.
  app.post('/u/:token', async (c) => {
    const found = await resolve(c.req.param('token'), 'unsubscribe');
    if (!found) return invalid(c);
    await deps.members.unsubscribe(found.claims.clubId, found.claims.memberId, deps.clock.now(), 'one-click');
    deps.log.info('member unsubscribed', { clubId: found.claims.clubId, memberId: found.claims.memberId, via: 'one-click' });
    return unsubscribedPage(c, found.club, { ...found.member, subscription: 'unsubscribed' });
  });

  app.get('/p/:token', async (c) => {
    const found = await resolve(c.req.param('token'), 'preferences');
    if (!found) return invalid(c);
    const { club, member } = found;
    const state = await deps.members.getState(club.clubId, member.memberId);
    const inferred = state?.profile.inferredRestrictions.filter((r) => !member.preferences.rejectedInferences.includes(r)) ?? [];
    const copy = PAGE_COPY[member.language];
    const list = (items: string[]) => (items.length > 0 ? items.map(e).join(', ') : e(copy.none));
    const subscribed = member.subscription === 'subscribed';
    return page(
      c,
      club,
      member,
      copy.preferencesTitle(club.name),
      `<p>${e(copy.greeting(member.firstName))}</p>
<dl>
<dt>${e(copy.status)}</dt><dd>${e(subscribed ? copy.subscribed : copy.unsubscribed)}</dd>
<dt>${e(copy.frequency)}</dt><dd>${e(copy.frequencies[member.preferences.frequency])}</dd>
<dt>${e(copy.topics)}</dt><dd>${list(member.preferences.topics.map((t) => copy.topicNames[t]))}</dd>
<dt>${e(copy.restrictions)}</dt><dd>${e(copy.declared)}: ${list(member.preferences.declaredRestrictions.map((r) => copy.restrictionNames[r]))}<br>${e(copy.inferred)}: ${list(inferred.map((r) => copy.restrictionNames[r]))}</dd>
<dt>${e(copy.language)}</dt><dd>${e(copy.languageNames[member.language])}</dd>
</dl>
${subscribed ? `<form method="post" action="${e(c.req.path)}/unsubscribe"><button type="submit">${e(copy.unsubscribeAll)}</button></form>` : ''}`,
    );
  });

  // The human form: same-origin only (RELIABILITY.md 9), unlike the RFC 8058 route.
  app.post('/p/:token/unsubscribe', async (c) => {
    if (!isSameOrigin(c)) {
      securityHeaders(c);
      return c.text('Cross-site form posts are not accepted.', 403);
    }
    const found = await resolve(c.req.param('token'), 'preferences');
    if (!found) return invalid(c);
    await deps.members.unsubscribe(found.claims.clubId, found.claims.memberId, deps.clock.now(), 'preference-page');
    deps.log.info('member unsubscribed', { clubId: found.claims.clubId, memberId: found.claims.memberId, via: 'preference-page' });
    return unsubscribedPage(c, found.club, { ...found.member, subscription: 'unsubscribed' });
  });

  return app;
}

/** A browser form post from our own page: Sec-Fetch-Site says so, or Origin matches our host. */
export function isSameOrigin(c: Context): boolean {
  const site = c.req.header('sec-fetch-site');
  if (site) return site === 'same-origin';
  const origin = c.req.header('origin');
  if (!origin) return false;
  try {
    return new URL(origin).host === new URL(c.req.url).host;
  } catch {
    return false;
  }
}
