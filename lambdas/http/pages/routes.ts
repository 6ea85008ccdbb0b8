import { type Context, Hono } from 'hono';
import { csrf } from 'hono/csrf';
import { HTTPException } from 'hono/http-exception';
import { NONCE, secureHeaders } from 'hono/secure-headers';
import type { Deps } from '../../app/deps.js';
import { eraseMember, exportMember } from '../../app/gdpr.js';
import { formFields, PreferenceForm, PreferenceOutcome, patchFor } from '../../app/preferences.js';
import { unsubscribeMember } from '../../app/unsubscribe.js';
import { ClubPlannerError } from '../../core/errors.js';
import { csrfMatches, csrfToken } from '../../core/form-tokens.js';
import type { Club, Language, Member } from '../../core/model.js';
import type { MemberState } from '../../core/ports.js';
import { signToken, type TokenClaims, type TokenKeys, type TokenPurpose, verifyToken } from '../../core/tokens.js';
import { PAGE_COPY, type PageCopy } from './copy.js';
import { INVALID_PAGE, layout, type Markup } from './layout.js';
import { confirmUnsubscribeView, erasedView, type Notice, preferencesView, unsubscribedView } from './views.js';

type PageDeps = Pick<
  Deps,
  | 'clubs'
  | 'members'
  | 'memberData'
  | 'suppressions'
  | 'surveys'
  | 'feedbackCases'
  | 'mailer'
  | 'clock'
  | 'tokenKeys'
  | 'publicBaseUrl'
  | 'log'
>;

type Status = 200 | 400 | 403;

/** A link that verified, what it names, and the keys it was checked with (for the form token and new links). */
interface Found {
  readonly claims: TokenClaims;
  readonly club: Club;
  readonly member: Member;
  readonly state: MemberState;
  readonly keys: TokenKeys;
}

/** docs/reliability.md 9: token pages are never cached, never leak the URL, and run no foreign code. */
export const pageHeaders = secureHeaders({
  contentSecurityPolicy: {
    defaultSrc: ["'none'"],
    styleSrc: [NONCE],
    imgSrc: ['https:'],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
    baseUri: ["'none'"],
  },
  referrerPolicy: 'no-referrer',
  xFrameOptions: 'DENY',
  // HSTS is the domain owner's choice (API Gateway answers only HTTPS anyway); locally it is plain HTTP.
  strictTransportSecurity: false,
});

export async function noStore(c: Context, next: () => Promise<void>): Promise<void> {
  await next();
  c.res.headers.set('Cache-Control', 'no-store');
}

export const CROSS_SITE = 'Cross-site form posts are not accepted.';

/**
 * The human forms' same-origin check (docs/reliability.md 9), before the form token is even looked at.
 * hono's csrf accepts `Sec-Fetch-Site: same-origin`; when the browser sent that header with any
 * other value its verdict stands, and only a browser without it is judged by Origin against our host.
 */
export const sameOriginForms = csrf({
  origin: (origin, c) => {
    if (c.req.header('sec-fetch-site') !== undefined) return false;
    try {
      return new URL(origin).host === new URL(c.req.url).host;
    } catch {
      return false;
    }
  },
});

/** Form fields as strings; a file where text is expected is simply left out. */
export async function formBody(c: Context): Promise<URLSearchParams> {
  const parsed = await c.req.parseBody({ all: true });
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(parsed)) {
    for (const v of Array.isArray(value) ? value : [value]) if (typeof v === 'string') body.append(name, v);
  }
  return body;
}

/** The member's pages, reached by signed links from every mail: no login, no email address as input. */
export function memberPages(deps: PageDeps): Hono {
  const app = new Hono();
  app.use('/u/*', noStore, pageHeaders);
  app.use('/p/*', noStore, pageHeaders, sameOriginForms);
  app.onError((error, c) => {
    if (error instanceof HTTPException && error.status === 403) return c.text(CROSS_SITE, 403);
    throw error;
  });

  const invalid = (c: Context) => c.html(INVALID_PAGE, 404);

  const render = (c: Context, club: Club, language: Language, title: string, content: Markup, status: Status = 200) => {
    const nonce = c.get('secureHeadersNonce');
    if (!nonce) throw new ClubPlannerError('member pages need the secure-headers middleware for their CSP nonce');
    return c.html(layout({ club, language, title, nonce, content }), status);
  };

  const resolve = async (token: string, purpose: TokenPurpose): Promise<Found | undefined> => {
    const keys = await deps.tokenKeys();
    const check = verifyToken(keys, token, deps.clock.now());
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
    return { claims: check.claims, club, member: state.member, state, keys };
  };

  const preferencesLink = ({ keys, claims }: Found) =>
    `/p/${signToken(keys, { purpose: 'preferences', clubId: claims.clubId, memberId: claims.memberId }, deps.clock.now())}`;

  const unsubscribedPage = (c: Context, club: Club, member: Member) => {
    const copy = PAGE_COPY[member.language];
    return render(c, club, member.language, copy.doneTitle, unsubscribedView(copy, club));
  };

  const preferencePage = (c: Context, found: Found, token: string, notice?: Notice, status: Status = 200) => {
    const { club, state } = found;
    const csrf = csrfToken(found.keys, token) ?? '';
    const copy = PAGE_COPY[state.member.language];
    const content = preferencesView({ state, token, csrf, now: deps.clock.now(), notice });
    return render(c, club, state.member.language, copy.preferencesTitle(club.name), content, status);
  };

  /** The form token: without it (or with one for another link) a post changes nothing. */
  const refuseForeign = (
    c: Context,
    token: string,
    body: URLSearchParams,
    found: Found,
  ): Response | Promise<Response> | undefined => {
    if (csrfMatches(found.keys, token, body.get('csrf'))) return undefined;
    deps.log.info('preference form refused', { reason: 'csrf' });
    const copy = PAGE_COPY[found.state.member.language];
    return preferencePage(c, found, token, { kind: 'error', text: copy.staleForm }, 403);
  };

  // RFC 8058: a GET never changes anything (link scanners fetch URLs); it asks for confirmation.
  app.get('/u/:token', async (c) => {
    const found = await resolve(c.req.param('token'), 'unsubscribe');
    if (!found) return invalid(c);
    const { club, member } = found;
    const copy = PAGE_COPY[member.language];
    if (member.subscription === 'unsubscribed') return unsubscribedPage(c, club, member);
    const content = confirmUnsubscribeView(copy, preferencesLink(found));
    return render(c, club, member.language, copy.confirmTitle(club.name), content);
  });

  // RFC 8058 one-click: no cookie, no login, any origin (mail providers post it), 200 and no redirect, idempotent.
  app.post('/u/:token', async (c) => {
    const found = await resolve(c.req.param('token'), 'unsubscribe');
    if (!found) return invalid(c);
    await unsubscribeMember(deps, found, 'one-click');
    return unsubscribedPage(c, found.club, { ...found.member, subscription: 'unsubscribed' });
  });

  app.get('/p/:token', async (c) => {
    const token = c.req.param('token');
    const found = await resolve(token, 'preferences');
    if (!found) return invalid(c);
    const done = PreferenceOutcome.safeParse(c.req.query('done'));
    const copy = PAGE_COPY[found.member.language];
    const notice: Notice | undefined = done.success ? { kind: 'ok', text: copy.outcomes[done.data] } : undefined;
    return preferencePage(c, found, token, notice);
  });

  // Every change on the page: validate, save in one conditional write, then 303 back to the page,
  // which confirms it (post/redirect/get, so a reload never posts twice).
  app.post('/p/:token', async (c) => {
    const token = c.req.param('token');
    const found = await resolve(token, 'preferences');
    if (!found) return invalid(c);
    const body = await formBody(c);
    const refused = refuseForeign(c, token, body, found);
    if (refused) return refused;
    const copy = PAGE_COPY[found.member.language];
    const form = PreferenceForm.safeParse(formFields(body));
    if (!form.success) {
      const name = copy.fieldNames[fieldName(String(form.error.issues[0]?.path[0] ?? 'form'))];
      const notice: Notice = { kind: 'error', text: `${copy.errorTitle} ${copy.invalidField(name)}` };
      return preferencePage(c, found, token, notice, 400);
    }
    const { patch, outcome } = patchFor(form.data, deps.clock.now());
    const result = await deps.members.updatePreferences(
      found.claims.clubId,
      found.claims.memberId,
      patch,
      deps.clock.now(),
      'preference-page',
    );
    if (result === 'not-found') return invalid(c);
    deps.log.info('member preferences changed', {
      clubId: found.claims.clubId,
      memberId: found.claims.memberId,
      action: form.data.action,
    });
    return c.redirect(`/p/${token}?done=${outcome}`, 303);
  });

  // The human form: same-origin only with the form token (docs/reliability.md 9), unlike the RFC 8058 route.
  app.post('/p/:token/unsubscribe', async (c) => {
    const token = c.req.param('token');
    const found = await resolve(token, 'preferences');
    if (!found) return invalid(c);
    const refused = refuseForeign(c, token, await formBody(c), found);
    if (refused) return refused;
    await unsubscribeMember(deps, found, 'preference-page');
    return unsubscribedPage(c, found.club, { ...found.member, subscription: 'unsubscribed' });
  });

  // GDPR Art. 15/20: everything stored about the member, as a JSON download. Reading only.
  app.get('/p/:token/export', async (c) => {
    const found = await resolve(c.req.param('token'), 'preferences');
    if (!found) return invalid(c);
    const data = await exportMember(deps, found.claims.clubId, found.claims.memberId);
    if (!data) return invalid(c);
    c.header('Content-Disposition', `attachment; filename="${found.claims.clubId}-my-data.json"`);
    return c.json(data);
  });

  // GDPR Art. 17, from the member: confirmed with a tick, then everything goes but a keyed hash.
  app.post('/p/:token/erase', async (c) => {
    const token = c.req.param('token');
    const found = await resolve(token, 'preferences');
    if (!found) return invalid(c);
    const body = await formBody(c);
    const refused = refuseForeign(c, token, body, found);
    if (refused) return refused;
    const copy = PAGE_COPY[found.member.language];
    if (body.get('confirm') !== 'yes') {
      const notice: Notice = { kind: 'error', text: `${copy.errorTitle} ${copy.eraseNeedsConfirm}` };
      return preferencePage(c, found, token, notice, 400);
    }
    const outcome = await eraseMember(deps, found.claims.clubId, found.claims.memberId, 'preference-page');
    if (outcome.kind === 'not-found') return invalid(c);
    return render(c, found.club, found.member.language, copy.erasedTitle, erasedView(copy, found.club));
  });

  return app;
}

/** The form field a zod issue points at, as the page names it to the member. */
function fieldName(field: string): keyof PageCopy['fieldNames'] {
  switch (field) {
    case 'frequency':
    case 'topics':
    case 'declared':
    case 'language':
    case 'restriction':
    case 'pause':
      return field;
    default:
      return 'form';
  }
}
