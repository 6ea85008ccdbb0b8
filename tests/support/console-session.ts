/**
 * A marketer signed in to the console over plain HTTP, the way a browser does it: to the console's
 * sign-in, through the issuer's form, back to the callback with the code, keeping cookies as a
 * browser would. Integration tests post the console's forms with it (with the form token and our
 * own Origin, as the browser sends them).
 */
export interface ConsoleSession {
  readonly base: string;
  /** The Cookie header a browser would send to /console. */
  readonly cookie: string;
  /** The session's form token (every console form carries it). */
  readonly csrf: string;
  get(path: string): Promise<Response>;
  /** Post a form as the browser would: urlencoded, with Origin and the form token unless `csrf` says otherwise. */
  post(
    path: string,
    fields?: Record<string, string | readonly string[]>,
    options?: { csrf?: string | null },
  ): Promise<Response>;
}

class Jar {
  private readonly cookies = new Map<string, string>();

  take(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';');
      const at = pair.indexOf('=');
      if (at < 1) continue;
      const name = pair.slice(0, at).trim();
      const value = pair.slice(at + 1).trim();
      if (attributes.some((a) => /^\s*max-age=0\s*$/i.test(a)) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  header(): string {
    return [...this.cookies].map(([n, v]) => `${n}=${v}`).join('; ');
  }
}

export async function signInToConsole(base: string, email: string, password: string): Promise<ConsoleSession> {
  const jar = new Jar();
  let next: { url: string; init?: RequestInit } = { url: `${base}/console/auth/sign-in?return=/console/` };
  let landed: string | undefined;
  for (let hop = 0; hop < 15 && !landed; hop++) {
    const response = await fetch(next.url, {
      ...next.init,
      redirect: 'manual',
      headers: { ...(next.init?.headers ?? {}), cookie: jar.header() },
    });
    jar.take(response);
    const location = response.headers.get('location');
    if (location) {
      const target = new URL(location, next.url).toString();
      if (target.startsWith(`${base}/console/`) && !target.includes('/auth/')) landed = target;
      else next = { url: target };
      continue;
    }
    if (response.ok && /\/interaction\/[^/]+$/.test(new URL(next.url).pathname)) {
      next = {
        url: `${next.url}/login`,
        init: {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ email, password }).toString(),
        },
      };
      continue;
    }
    throw new Error(`console sign-in stopped at ${next.url} with ${response.status}`);
  }
  if (!landed) throw new Error('console sign-in did not land on a console page');
  const cookie = jar.header();
  const home = await fetch(`${base}/console/`, { headers: { cookie }, redirect: 'follow' });
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await home.text())?.[1];
  if (!csrf) throw new Error('no form token on the console page');
  const session: ConsoleSession = {
    base,
    cookie,
    csrf,
    get: (path) => fetch(`${base}${path}`, { headers: { cookie }, redirect: 'manual' }),
    post: (path, fields = {}, options = {}) => {
      const body = new URLSearchParams();
      const token = options.csrf === undefined ? csrf : options.csrf;
      if (token !== null) body.set('_csrf', token);
      for (const [name, value] of Object.entries(fields)) {
        for (const v of typeof value === 'string' ? [value] : value) body.append(name, v);
      }
      return fetch(`${base}${path}`, {
        method: 'POST',
        headers: { cookie, origin: base, 'content-type': 'application/x-www-form-urlencoded' },
        body: body.toString(),
        redirect: 'manual',
      });
    },
  };
  return session;
}
