import type { Hono } from 'hono';
import { z } from 'zod';
import type { Deps } from '../../lambdas/app/deps.js';
import type { ClubRole } from '../../lambdas/core/roles.js';
import { createHttpApp } from '../../lambdas/http/app.js';
import { type MemorySystem, memoryDeps } from '../../lambdas/runtime/memory-deps.js';

export interface MemoryApi extends MemorySystem {
  readonly app: Hono;
  /** The marketer API (`path` below /api) as a machine client with `admin` on the club in the path, unless `token` is given. */
  call(
    method: string,
    path: string,
    body?: unknown,
    token?: string,
  ): Promise<{ status: number; json: Record<string, unknown> }>;
  /** A machine client's bearer token with these roles. */
  machineToken(roles: Readonly<Record<string, ClubRole>>): string;
  /** A signed-in marketer's token: a user with `roles` stored in the role store, and `groups`. */
  userToken(options?: { roles?: Readonly<Record<string, ClubRole>>; groups?: readonly string[] }): Promise<string>;
  /** A marketer with an account in the directory, `roles` in the role store and `groups`, as local-harness's. */
  marketer(options?: { roles?: Readonly<Record<string, ClubRole>>; groups?: readonly string[] }): Promise<Marketer>;
}

export interface Marketer {
  readonly sub: string;
  readonly email: string;
  readonly token: string;
  readonly headers: Record<string, string>;
}

const Json = z.record(z.string(), z.unknown());

/**
 * The whole HTTP app on in-memory ports, called with hono's `app.request()`: no server, no emulator,
 * no token issuer. For the many route cases that need none of them; tests/integration holds the real
 * wiring (tests/support/local-harness.ts).
 */
export function memoryApi(overrides: Partial<Deps> = {}): MemoryApi {
  const system = memoryDeps(overrides);
  const app = createHttpApp(system.deps);
  const machineToken = (roles: Readonly<Record<string, ClubRole>>) =>
    system.accessTokens.issue({ kind: 'machine', clientId: 'memory-cli', clubRoles: new Map(Object.entries(roles)) });
  let users = 0;
  const userToken: MemoryApi['userToken'] = async (options = {}) => {
    users += 1;
    const sub = `00000000-0000-4000-8000-${users.toString().padStart(12, '0')}`;
    for (const [clubId, role] of Object.entries(options.roles ?? {})) {
      await system.roles.put({
        clubId,
        userId: sub,
        email: `user${users}@team.example`,
        role,
        grantedBy: 'user:setup',
        grantedAt: system.clock.now().toISOString(),
      });
    }
    return system.accessTokens.issue({
      kind: 'user',
      sub,
      clientId: 'memory-console',
      groups: [...(options.groups ?? [])],
    });
  };
  const marketer: MemoryApi['marketer'] = async (options = {}) => {
    users += 1;
    const { userId: sub, email } = await system.directory.invite(`marketer${users}@team.example`);
    for (const [clubId, role] of Object.entries(options.roles ?? {})) {
      await system.roles.put({
        clubId,
        userId: sub,
        email,
        role,
        grantedBy: 'user:setup',
        grantedAt: system.clock.now().toISOString(),
      });
    }
    const token = system.accessTokens.issue({
      kind: 'user',
      sub,
      clientId: 'memory-console',
      groups: [...(options.groups ?? [])],
    });
    return { sub, email, token, headers: { authorization: `Bearer ${token}` } };
  };
  const call: MemoryApi['call'] = async (method, path, body, token) => {
    const clubId = /^\/clubs\/([^/?]+)/.exec(path)?.[1];
    const bearer = token ?? (clubId ? machineToken({ [clubId]: 'admin' }) : undefined);
    const response = await app.request(`/api${path}`, {
      method,
      headers: {
        ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, json: text === '' ? {} : Json.parse(JSON.parse(text)) };
  };
  return { ...system, app, call, machineToken, userToken, marketer };
}

/**
 * fetch() on the marketer API of a MemoryApi, with the token `call` sends (a machine admin of the club
 * in the path); `path` is below /api. Headers given win. The same shape as local-harness's apiFetch.
 */
export async function apiFetch(h: MemoryApi, path: string, init: RequestInit = {}): Promise<Response> {
  const clubId = /^\/clubs\/([^/?]+)/.exec(path)?.[1];
  const headers = new Headers(init.headers);
  if (clubId && !headers.has('authorization'))
    headers.set('authorization', `Bearer ${h.machineToken({ [clubId]: 'admin' })}`);
  return h.app.request(`/api${path}`, { ...init, headers });
}
