import { randomBytes, randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Clock, Logger } from '../../lambdas/core/ports.js';
import { type ClubRole, clubScope } from '../../lambdas/core/roles.js';
import type { TokenKeys } from '../../lambdas/core/tokens.js';
import { type LocalSystem, type LocalSystemOptions, startLocalSystem } from '../../lambdas/runtime/local-system.js';
import { clientCredentialsToken, signInWithPkce } from '../../lambdas/runtime/oidc-client.js';

/**
 * A clock tests can move forward, e.g. past a 3-day budget window. It starts in the daytime in
 * Stockholm (moved forward up to a day if needed), so mail is never held for quiet hours just
 * because CI happens to run at night; tests that want the night move it there.
 */
export class TestClock implements Clock {
  private offsetMs = daytimeShiftMs(Date.now());
  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }
  advance(ms: number): void {
    this.offsetMs += ms;
  }
}

/** The smallest forward shift (whole hours) that puts `now` between 10:00 and 18:00 in Stockholm. */
function daytimeShiftMs(now: number): number {
  const hourIn = (t: number) =>
    Number(
      new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Stockholm', hour: '2-digit', hourCycle: 'h23' }).format(t),
    );
  for (let h = 0; h < 24; h += 1) {
    const hour = hourIn(now + h * 3_600_000);
    if (hour >= 10 && hour < 18) return h * 3_600_000;
  }
  return 0;
}

export const quietLog: Logger = { info: () => {}, warn: () => {}, error: () => {} };

export function testTokenKeys(): TokenKeys {
  return { current: 't1', keys: { t1: randomBytes(32).toString('base64url') } };
}

export interface Harness extends LocalSystem {
  readonly clock: TestClock;
  readonly tokenKeys: TokenKeys;
  /** A machine token (client credentials at the harness's own issuer) with these club roles. */
  machineToken(roles: Readonly<Record<string, ClubRole>>): Promise<string>;
  /** `{ authorization: 'Bearer …' }` of a machine client that is admin of `clubId`: what callApi sends. */
  adminHeaders(clubId: string): Promise<Record<string, string>>;
  /**
   * A marketer signed in through the issuer (authorization code with PKCE), with `role` on each club
   * given (written to the role table as an admin's invitation would) and the given groups.
   */
  marketer(options?: { roles?: Readonly<Record<string, ClubRole>>; groups?: readonly string[] }): Promise<Marketer>;
}

export interface Marketer {
  readonly sub: string;
  readonly email: string;
  readonly token: string;
  readonly headers: Record<string, string>;
}

/** Harnesses by their HTTP base URL, so callApi(baseUrl, …) finds whose tokens to use. */
const harnesses = new Map<string, Harness>();

/** The real local system (DynamoDB emulator in memory, local SES, HTTP, OIDC issuer) on free ports. */
export async function startHarness(options: Partial<LocalSystemOptions> = {}): Promise<Harness> {
  // A restarted system keeps the clock of the one before it (tests of restarts pass it on).
  const clock = options.clock instanceof TestClock ? options.clock : new TestClock();
  const tokenKeys = options.tokenKeys ?? testTokenKeys();
  const system = await startLocalSystem({
    tokenKeys,
    clock,
    log: quietLog,
    retryDelayMs: 50,
    maxQueueDelayMs: 100,
    ...options,
  });
  const { issuer, users } = system.identity;
  // One token per set of scopes for the harness's life: tokens last an hour, tests seconds.
  const tokens = new Map<string, Promise<string>>();
  const machineToken = (roles: Readonly<Record<string, ClubRole>>) => {
    const scope = Object.entries(roles)
      .map(([clubId, role]) => clubScope(clubId, role))
      .sort()
      .join(' ');
    let token = tokens.get(scope);
    if (!token) {
      token = clientCredentialsToken({ tokenEndpoint: issuer.tokenEndpoint, ...issuer.cli, scope });
      tokens.set(scope, token);
    }
    return token;
  };
  const harness: Harness = {
    ...system,
    clock,
    tokenKeys,
    machineToken,
    adminHeaders: async (clubId) => ({ authorization: `Bearer ${await machineToken({ [clubId]: 'admin' })}` }),
    async marketer({ roles = {}, groups = [] } = {}) {
      const email = `${uniqueId('marketer')}@marketers.example`;
      const password = randomBytes(12).toString('base64url');
      const user = await users.upsert(email, password, groups);
      for (const [clubId, role] of Object.entries(roles)) {
        await system.deps.roles.put({
          clubId,
          userId: user.sub,
          email,
          role,
          grantedBy: 'test',
          grantedAt: clock.now().toISOString(),
        });
      }
      const token = await signInWithPkce({
        issuer: issuer.issuer,
        clientId: issuer.consoleClientId,
        redirectUri: issuer.consoleRedirectUri,
        email,
        password,
      });
      return { sub: user.sub, email, token, headers: { authorization: `Bearer ${token}` } };
    },
    async stop() {
      harnesses.delete(system.urls.http);
      await system.stop();
    },
  };
  harnesses.set(system.urls.http, harness);
  return harness;
}

export const StoredEmail = z.object({
  messageId: z.string(),
  from: z.string(),
  destination: z.object({ to: z.array(z.string()) }),
  subject: z.string(),
  body: z.object({ html: z.string().optional(), text: z.string().optional() }),
  headers: z.array(z.object({ name: z.string(), value: z.string() })).optional(),
  at: z.number(),
});
export type StoredEmail = z.infer<typeof StoredEmail>;

/** Read the local SES store over HTTP, as a person's browser would read the inbox. */
export async function sesInbox(sesUrl: string): Promise<StoredEmail[]> {
  const response = await fetch(`${sesUrl}/store`);
  if (!response.ok) throw new Error(`SES store answered ${response.status}`);
  return z.object({ emails: z.array(StoredEmail) }).parse(await response.json()).emails;
}

export function header(mail: StoredEmail, name: string): string | undefined {
  return mail.headers?.find((h) => h.name.toLowerCase() === name.toLowerCase())?.value;
}

export function uniqueId(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

export interface ApiAnswer {
  readonly status: number;
  readonly json: Record<string, unknown>;
}

/**
 * Call the marketer API over real HTTP, as curl would; a string body is sent as it is (for malformed
 * JSON). With a bearer token of a machine client that is admin of the club in the path (one that may
 * create it): tests of something else than access need not care; tests/unit/http/route-access.test.ts does.
 */
export async function callApi(baseUrl: string, method: string, path: string, body?: unknown): Promise<ApiAnswer> {
  const harness = harnesses.get(baseUrl);
  const clubId = /^\/clubs\/([^/?]+)/.exec(path)?.[1];
  const auth = harness && clubId ? await harness.adminHeaders(clubId) : {};
  const response = await fetch(`${baseUrl}/api${path}`, {
    method,
    headers: { ...auth, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  return { status: response.status, json: z.record(z.string(), z.unknown()).parse(await response.json()) };
}

/**
 * fetch() on the marketer API of a harness, with the bearer token callApi sends (a machine admin of
 * the club in the path); `path` is below /api. Headers given win, so a test can send its own.
 */
export async function apiFetch(h: Harness, path: string, init: RequestInit = {}): Promise<Response> {
  const clubId = /^\/clubs\/([^/?]+)/.exec(path)?.[1];
  const auth = clubId ? await h.adminHeaders(clubId) : {};
  const headers = new Headers(init.headers);
  for (const [name, value] of Object.entries(auth)) if (!headers.has(name)) headers.set(name, value);
  return fetch(`${h.urls.http}/api${path}`, { ...init, headers });
}

/**
 * A URL the API answered with (absolute, like an import's upload URL, or a path from `/api`, like its
 * links) as the path below /api that apiFetch takes; a URL of another server is an error.
 */
export function belowApi(h: Harness, url: string): string {
  const parsed = new URL(url, h.urls.http);
  if (parsed.origin !== new URL(h.urls.http).origin || !parsed.pathname.startsWith('/api/'))
    throw new Error(`not a URL of this API: ${url}`);
  return `${parsed.pathname.slice('/api'.length)}${parsed.search}`;
}
