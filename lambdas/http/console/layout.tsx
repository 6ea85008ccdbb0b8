import type { Child, FC } from 'hono/jsx';
import { roleAllows } from '../../core/roles.js';
import { Language } from '../../core/vocabulary.js';
import { CSS_PATH, HTMX_PATH } from './assets.js';
import type { ConsoleClub, ConsoleRequest, ConsoleUser } from './context.js';
import { LANGUAGE_NAMES } from './copy/index.js';

export type NavKey =
  | 'calendar'
  | 'campaigns'
  | 'audiences'
  | 'nps'
  | 'experiment'
  | 'settings'
  | 'team'
  | 'audit'
  | 'imports';

export interface Notice {
  readonly kind: 'ok' | 'warn' | 'bad';
  readonly text: string;
}

/** htmx without eval, inline styles or scripts from responses, and no page copies kept in localStorage. */
const HTMX_CONFIG = JSON.stringify({
  // htmx wires new content's own triggers when it settles a swap, 20 ms later by default (for CSS
  // transitions, which the console has none of): a change made in that window was lost.
  defaultSettleDelay: 0,
  includeIndicatorStyles: false,
  allowEval: false,
  allowScriptTags: false,
  historyCacheSize: 0,
  refreshOnHistoryMiss: true,
  selfRequestsOnly: true,
});

export const NoticeBox: FC<{ notice: Notice | undefined }> = ({ notice }) =>
  notice ? (
    <div class={`notice ${notice.kind}`} role={notice.kind === 'bad' ? 'alert' : 'status'}>
      {notice.text}
    </div>
  ) : null;

/** A form's hidden form token: every console POST carries it. */
export const Csrf: FC<{ token: string }> = ({ token }) => <input type="hidden" name="_csrf" value={token} />;

interface PageProps {
  readonly req: ConsoleRequest;
  readonly title: string;
  readonly user?: ConsoleUser;
  readonly club?: ConsoleClub;
  readonly active?: NavKey;
  readonly notice?: Notice;
  readonly children?: Child;
}

/**
 * Every console page: a skip link, the club and the marketer's role, the language and sign-out forms
 * (plain forms: they work without JavaScript), the navigation the role may use, and the content.
 */
export const Page: FC<PageProps> = ({ req, title, user, club, active, notice, children }) => {
  const { copy, lang, nonce } = req;
  const csrf = user?.session.csrf;
  return (
    <html lang={lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width,initial-scale=1" />
        <meta name="htmx-config" content={HTMX_CONFIG} />
        <title>{`${title} · ${club ? `${club.club.name} · ` : ''}${copy.appName}`}</title>
        <link rel="stylesheet" href={CSS_PATH} />
        <script src={HTMX_PATH} nonce={nonce} defer />
      </head>
      <body hx-headers={csrf ? JSON.stringify({ 'x-csrf-token': csrf }) : undefined}>
        <a class="skip" href="#content">
          {copy.skip}
        </a>
        <header class="top">
          <span class="brand">{club ? `${copy.appName} · ${club.club.name}` : copy.appName}</span>
          {club ? <span>{copy.yourRole(copy.roles[club.role])}</span> : null}
          {user && user.clubIds.length > 1 ? (
            <form method="get" action="/console/">
              <label class="inline" for="club-switch">
                {copy.club}
              </label>
              <select id="club-switch" name="club">
                {user.clubIds.map((id) => (
                  <option value={id} selected={id === club?.club.clubId}>
                    {id}
                  </option>
                ))}
              </select>
              <button type="submit" class="secondary">
                {copy.change}
              </button>
            </form>
          ) : null}
          <form method="post" action="/console/language">
            {csrf ? <Csrf token={csrf} /> : null}
            <input type="hidden" name="return" value={req.here} />
            <label class="inline" for="language">
              {copy.language}
            </label>
            <select id="language" name="lang">
              {Language.options.map((l) => (
                <option value={l} lang={l} selected={l === lang}>
                  {LANGUAGE_NAMES[l]}
                </option>
              ))}
            </select>
            <button type="submit" class="secondary">
              {copy.change}
            </button>
          </form>
          {csrf ? (
            <form method="post" action="/console/auth/sign-out">
              <Csrf token={csrf} />
              <button type="submit" class="secondary">
                {copy.signOut}
              </button>
            </form>
          ) : null}
        </header>
        {club ? <Nav req={req} club={club} active={active} /> : null}
        <main id="content">
          <h1>{title}</h1>
          <NoticeBox notice={notice} />
          {children}
        </main>
      </body>
    </html>
  );
};

const Nav: FC<{ req: ConsoleRequest; club: ConsoleClub; active: NavKey | undefined }> = ({ req, club, active }) => {
  const base = `/console/clubs/${club.club.clubId}`;
  const items: Array<[NavKey, string, boolean]> = [
    ['calendar', `${base}/calendar`, true],
    ['campaigns', `${base}/campaigns`, true],
    ['audiences', `${base}/audiences`, true],
    ['nps', `${base}/nps`, true],
    ['experiment', `${base}/experiment`, true],
    ['settings', `${base}/settings`, roleAllows(club.role, 'manage')],
    ['team', `${base}/team`, roleAllows(club.role, 'manage')],
    ['audit', `${base}/audit`, roleAllows(club.role, 'manage')],
    ['imports', `${base}/imports`, true],
  ];
  return (
    <nav class="main" aria-label={req.copy.nav.label}>
      <ul>
        {items
          .filter(([, , shown]) => shown)
          .map(([key, href]) => (
            <li>
              <a href={href} aria-current={key === active ? 'page' : undefined}>
                {req.copy.nav[key]}
              </a>
            </li>
          ))}
      </ul>
    </nav>
  );
};
