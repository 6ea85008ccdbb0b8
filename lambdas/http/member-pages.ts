import { randomBytes } from 'node:crypto';
import { type Context, Hono } from 'hono';
import { readable, textOn } from '../app/contrast.js';
import type { Deps } from '../app/deps.js';
import { eraseMember, exportMember } from '../app/gdpr.js';
import {
  csrfMatches,
  csrfToken,
  formFields,
  PauseLength,
  PreferenceForm,
  PreferenceOutcome,
  patchFor,
} from '../app/preferences.js';
import { unsubscribeMember } from '../app/unsubscribe.js';
import { Restriction } from '../core/diet.js';
import { escapeHtml as e } from '../core/mail.js';
import { type Club, Frequency, Language, type Member, Topic } from '../core/model.js';
import type { MemberState } from '../core/ports.js';
import { signToken, type TokenClaims, type TokenPurpose, verifyToken } from '../core/tokens.js';
import { PAGE_COPY, type PageCopy } from './page-copy.js';

type PageDeps = Pick<
  Deps,
  'clubs' | 'members' | 'memberData' | 'suppressions' | 'mailer' | 'clock' | 'tokenKeys' | 'publicBaseUrl' | 'log'
>;

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

/** Each language's name in that language, so a member can find their own. */
const NATIVE_NAMES: Readonly<Record<Language, string>> = { sv: 'Svenska', da: 'Dansk', en: 'English' };

function page(
  c: Context,
  club: Club,
  language: Language,
  title: string,
  content: string,
  status: 200 | 400 | 403 = 200,
): Response {
  const nonce = randomBytes(16).toString('base64');
  securityHeaders(c, nonce);
  const { primary, background } = club.brand.colours;
  // WCAG 2.1 AA (1.4.3): brand colours are used only where they keep 4.5:1; otherwise dark text.
  const onPrimary = textOn(primary);
  const text = readable(club.brand.colours.text, '#ffffff');
  const accent = readable(primary, '#ffffff', text);
  return c.html(
    `<!doctype html>
<html lang="${language}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${e(title)}</title>
<style nonce="${nonce}">
body{margin:0;font-family:Arial,Helvetica,sans-serif;background:${background};color:${text};line-height:1.5}
header{background:${primary};color:${onPrimary};padding:16px 24px;font-size:20px;font-weight:bold}
main{max-width:640px;margin:24px auto;background:#fff;padding:24px;border-radius:8px}
h1{font-size:24px;margin-top:0}
h2{font-size:19px;margin:32px 0 8px}
dt{font-weight:bold;margin-top:12px}
fieldset{border:1px solid #767676;border-radius:6px;margin:0 0 16px;padding:8px 16px 12px}
legend{font-weight:bold;padding:0 4px}
label{display:block;padding:4px 0;cursor:pointer}
input[type=radio],input[type=checkbox]{width:18px;height:18px;margin:0 8px 0 0;vertical-align:-3px;accent-color:${accent}}
.help{color:#4a4a4a;margin:0 0 8px;font-size:15px}
button{background:${primary};color:${onPrimary};border:2px solid ${primary};border-radius:6px;padding:10px 18px;font-size:16px;cursor:pointer;margin:4px 8px 4px 0}
button.secondary{background:#fff;color:${accent};border-color:${accent}}
:focus-visible{outline:3px solid ${text};outline-offset:2px}
a{color:${accent}}
ul.inferred{list-style:none;padding:0}
ul.inferred li{display:flex;flex-wrap:wrap;align-items:center;gap:8px;justify-content:space-between;border-bottom:1px solid #dddddd;padding:4px 0}
ul.inferred form{margin:0}
.notice{padding:12px 16px;border-radius:6px;margin:0 0 16px;font-weight:bold}
.ok{background:#e6f4ea;color:#0b3d1a;border-left:6px solid #1e7a3c}
.error{background:#fdecea;color:#5c1010;border-left:6px solid #b3261e}
.vh{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
</style></head>
<body><header>${e(club.name)}</header><main>
<h1>${e(title)}</h1>
${content}
</main></body></html>`,
    status,
  );
}

type Notice = { readonly kind: 'ok' | 'error'; readonly text: string };

function noticeHtml(notice: Notice | undefined): string {
  if (!notice) return '';
  return notice.kind === 'ok'
    ? `<p class="notice ok" role="status">${e(notice.text)}</p>`
    : `<p class="notice error" role="alert">${e(notice.text)}</p>`;
}

function formatDate(iso: string, copy: PageCopy, member: Member): string {
  return new Intl.DateTimeFormat(copy.locale, {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: member.timeZone,
  }).format(new Date(iso));
}

/** The preference page: plain forms, each a POST that saves at once; no script at all. */
function preferencesHtml(
  state: MemberState,
  _club: Club,
  token: string,
  csrf: string,
  now: Date,
  notice?: Notice,
): string {
  const { member, profile } = state;
  const prefs = member.preferences;
  const copy = PAGE_COPY[member.language];
  const base = `/p/${token}`;
  const hidden = (action: string) =>
    `<input type="hidden" name="csrf" value="${e(csrf)}"><input type="hidden" name="action" value="${action}">`;
  const check = (on: boolean) => (on ? ' checked' : '');
  const subscribed = member.subscription === 'subscribed';
  const paused = prefs.pausedUntil !== undefined && Date.parse(prefs.pausedUntil) > now.getTime();
  const inferred = profile.inferredRestrictions.filter((r) => !prefs.rejectedInferences.includes(r));

  const frequency = Frequency.options
    .map(
      (f) =>
        `<label><input type="radio" name="frequency" value="${f}"${check(prefs.frequency === f)}>${e(copy.frequencies[f])}</label>`,
    )
    .join('\n');
  const topics = Topic.options
    .map(
      (t) =>
        `<label><input type="checkbox" name="topics" value="${t}"${check(prefs.topics.includes(t))}>${e(copy.topicNames[t])}</label>`,
    )
    .join('\n');
  const declared = Restriction.options
    .map(
      (r) =>
        `<label><input type="checkbox" name="declared" value="${r}"${check(prefs.declaredRestrictions.includes(r))}>${e(copy.restrictionNames[r])}</label>`,
    )
    .join('\n');
  const languages = Language.options
    .map(
      (l) =>
        `<label><input type="radio" name="language" value="${l}"${check(member.language === l)}><span lang="${l}">${e(NATIVE_NAMES[l])}</span></label>`,
    )
    .join('\n');
  const inferredList =
    inferred.length === 0
      ? `<p>${e(copy.none)}</p>`
      : `<ul class="inferred">${inferred
          .map(
            (r) =>
              `<li><span>${e(copy.restrictionNames[r])}</span><form method="post" action="${base}">${hidden('reject-inference')}<input type="hidden" name="restriction" value="${r}"><button type="submit" class="secondary">${e(copy.removeInference)}<span class="vh">: ${e(copy.restrictionNames[r])}</span></button></form></li>`,
          )
          .join('\n')}</ul>`;
  const pause = paused
    ? `<p>${e(copy.pausedUntil(formatDate(prefs.pausedUntil ?? '', copy, member)))}</p>
<form method="post" action="${base}">${hidden('resume')}<button type="submit" class="secondary">${e(copy.resume)}</button></form>`
    : `<form method="post" action="${base}">${hidden('pause')}${PauseLength.options
        .map(
          (l) =>
            `<button type="submit" name="pause" value="${l}" class="secondary">${e(copy.pauseFor(copy.pauseLengths[l]))}</button>`,
        )
        .join('')}</form>`;

  return `${noticeHtml(notice)}<p>${e(copy.greeting(member.firstName))} ${e(copy.intro)}</p>
<p><strong>${e(copy.status)}:</strong> ${e(subscribed ? copy.subscribed : copy.unsubscribed)}</p>
<form method="post" action="${base}">${hidden('save')}
<fieldset><legend>${e(copy.frequency)}</legend>
${frequency}
</fieldset>
<fieldset><legend>${e(copy.topics)}</legend>
${topics}
</fieldset>
<fieldset><legend>${e(copy.declaredLegend)}</legend>
<p class="help">${e(copy.declaredHelp)}</p>
${declared}
</fieldset>
<fieldset><legend>${e(copy.language)}</legend>
${languages}
</fieldset>
<fieldset><legend>${e(copy.otherMail)}</legend>
<label><input type="checkbox" name="nameDayMail"${check(prefs.nameDayMail)}>${e(copy.nameDayMail)}</label>
<label><input type="checkbox" name="confirmation"${check(prefs.unsubscribeConfirmation !== false)}>${e(copy.confirmationMail)}</label>
</fieldset>
<button type="submit">${e(copy.save)}</button>
</form>
<section aria-labelledby="inferred-title"><h2 id="inferred-title">${e(copy.inferredTitle)}</h2>
<p class="help">${e(copy.inferredHelp)}</p>
${inferredList}
</section>
<section aria-labelledby="pause-title"><h2 id="pause-title">${e(copy.pauseTitle)}</h2>
<p class="help">${e(copy.pauseHelp)}</p>
${pause}
</section>
${
  subscribed
    ? `<section aria-labelledby="unsubscribe-title"><h2 id="unsubscribe-title">${e(copy.unsubscribeTitle)}</h2>
<p class="help">${e(copy.unsubscribeHelp)}</p>
<form method="post" action="${base}/unsubscribe"><input type="hidden" name="csrf" value="${e(csrf)}"><button type="submit">${e(copy.unsubscribeAll)}</button></form>
</section>`
    : ''
}
<section aria-labelledby="data-title"><h2 id="data-title">${e(copy.dataTitle)}</h2>
<p><a href="${base}/export" download>${e(copy.exportLink)}</a></p>
<p class="help">${e(copy.eraseHelp)}</p>
<form method="post" action="${base}/erase"><input type="hidden" name="csrf" value="${e(csrf)}">
<label><input type="checkbox" name="confirm" value="yes" required>${e(copy.eraseConfirm)}</label>
<button type="submit" class="secondary">${e(copy.eraseButton)}</button>
</form>
</section>`;
}

/** Form fields as strings; a file where text is expected is simply left out. */
async function formBody(c: Context): Promise<URLSearchParams> {
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

  const resolve = async (
    token: string,
    purpose: TokenPurpose,
  ): Promise<{ claims: TokenClaims; club: Club; member: Member; state: MemberState } | undefined> => {
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
    return { claims: check.claims, club, member: state.member, state };
  };

  const preferencesLink = (claims: TokenClaims) =>
    `/p/${signToken(deps.tokenKeys, { purpose: 'preferences', clubId: claims.clubId, memberId: claims.memberId }, deps.clock.now())}`;

  const unsubscribedPage = (c: Context, club: Club, member: Member) => {
    const copy = PAGE_COPY[member.language];
    return page(c, club, member.language, copy.doneTitle, `<p role="status">${e(copy.doneBody(club.name))}</p>`);
  };

  const preferencePage = (
    c: Context,
    club: Club,
    state: MemberState,
    token: string,
    notice?: Notice,
    status: 200 | 400 | 403 = 200,
  ) => {
    const csrf = csrfToken(deps.tokenKeys, token) ?? '';
    const copy = PAGE_COPY[state.member.language];
    return page(
      c,
      club,
      state.member.language,
      copy.preferencesTitle(club.name),
      preferencesHtml(state, club, token, csrf, deps.clock.now(), notice),
      status,
    );
  };

  /** The human forms' CSRF defence: a same-origin post (RELIABILITY.md 9) carrying the page's form token. */
  const refuseForeign = (
    c: Context,
    token: string,
    body: URLSearchParams,
    found: { club: Club; state: MemberState },
  ): Response | undefined => {
    if (csrfMatches(deps.tokenKeys, token, body.get('csrf'))) return undefined;
    deps.log.info('preference form refused', { reason: 'csrf' });
    const copy = PAGE_COPY[found.state.member.language];
    return preferencePage(c, found.club, found.state, token, { kind: 'error', text: copy.staleForm }, 403);
  };
  const crossSite = (c: Context) => {
    securityHeaders(c);
    return c.text('Cross-site form posts are not accepted.', 403);
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
      member.language,
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
    await unsubscribeMember(deps, found, 'one-click');
    return unsubscribedPage(c, found.club, { ...found.member, subscription: 'unsubscribed' });
  });

  app.get('/p/:token', async (c) => {
    const token = c.req.param('token');
    const found = await resolve(token, 'preferences');
    if (!found) return invalid(c);
    const done = PreferenceOutcome.safeParse(c.req.query('done'));
    const copy = PAGE_COPY[found.member.language];
    return preferencePage(
      c,
      found.club,
      found.state,
      token,
      done.success ? { kind: 'ok', text: copy.outcomes[done.data] } : undefined,
    );
  });

  // Every change on the page: validate, save in one conditional write, then 303 back to the page,
  // which confirms it (post/redirect/get, so a reload never posts twice).
  app.post('/p/:token', async (c) => {
    if (!isSameOrigin(c)) return crossSite(c);
    const token = c.req.param('token');
    const found = await resolve(token, 'preferences');
    if (!found) return invalid(c);
    const body = await formBody(c);
    const refused = refuseForeign(c, token, body, found);
    if (refused) return refused;
    const copy = PAGE_COPY[found.member.language];
    const form = PreferenceForm.safeParse(formFields(body));
    if (!form.success) {
      const field = String(form.error.issues[0]?.path[0] ?? 'form');
      const name = copy.fieldNames[fieldName(field)];
      return preferencePage(
        c,
        found.club,
        found.state,
        token,
        { kind: 'error', text: `${copy.errorTitle} ${copy.invalidField(name)}` },
        400,
      );
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
    securityHeaders(c);
    return c.redirect(`/p/${token}?done=${outcome}`, 303);
  });

  // The human form: same-origin only with the form token (RELIABILITY.md 9), unlike the RFC 8058 route.
  app.post('/p/:token/unsubscribe', async (c) => {
    if (!isSameOrigin(c)) return crossSite(c);
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
    securityHeaders(c);
    c.header('Content-Disposition', `attachment; filename="${found.claims.clubId}-my-data.json"`);
    return c.json(data);
  });

  // GDPR Art. 17, from the member: confirmed with a tick, then everything goes but a keyed hash.
  app.post('/p/:token/erase', async (c) => {
    if (!isSameOrigin(c)) return crossSite(c);
    const token = c.req.param('token');
    const found = await resolve(token, 'preferences');
    if (!found) return invalid(c);
    const body = await formBody(c);
    const refused = refuseForeign(c, token, body, found);
    if (refused) return refused;
    const copy = PAGE_COPY[found.member.language];
    if (body.get('confirm') !== 'yes') {
      return preferencePage(
        c,
        found.club,
        found.state,
        token,
        { kind: 'error', text: `${copy.errorTitle} ${copy.eraseNeedsConfirm}` },
        400,
      );
    }
    const outcome = await eraseMember(deps, found.claims.clubId, found.claims.memberId, 'preference-page');
    if (outcome.kind === 'not-found') return invalid(c);
    return page(
      c,
      found.club,
      found.member.language,
      copy.erasedTitle,
      `<p role="status">${e(copy.erasedBody(found.club.name))}</p>`,
    );
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
