import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ClubRole, type Permission, roleAllows } from '../../../lambdas/core/roles.js';
import { policyOf } from '../../../lambdas/http/route-policy.js';
import { uniqueId } from '../../support/ids.js';
import { type MemoryApi, memoryApi } from '../../support/memory-api.js';

/**
 * Every marketer route, enumerated from the Hono app itself (a route added tomorrow is in this table
 * without anyone listing it), against every kind of caller: none, another club's, and each role. On
 * in-memory ports through `app.request()`: the access rules are the app's, whatever stores it has.
 * Real tokens from the local issuer are verified in tests/integration/local-issuer.test.ts.
 */
interface Marketer {
  readonly headers: Record<string, string>;
}
let h: MemoryApi;
const clubId = uniqueId('victim');
const otherClubId = uniqueId('other');
let campaignId: string;
const callers: Partial<Record<ClubRole | 'other-club-user', Marketer>> = {};

interface Route {
  readonly method: string;
  readonly path: string;
}

function marketerRoutes(): Route[] {
  const seen = new Set<string>();
  return h.app.routes
    .filter((r) => r.method !== 'ALL' && (r.path === '/api' || r.path.startsWith('/api/')))
    .filter((r) => {
      const key = `${r.method} ${r.path}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .map(({ method, path }) => ({ method, path }));
}

const clubRoutes = () => marketerRoutes().filter((r) => r.path.startsWith('/api/clubs/:clubId'));

/** The route's path with real ids, and a body of the route's own type (its content is wrong on purpose). */
function requestFor(route: Route, club = clubId): { url: string; init: RequestInit } {
  const path = route.path
    .replace(':clubId', club)
    .replace(':campaignId', campaignId)
    .replace(':memberId', 'nobody')
    .replace(':themeId', 'no-theme')
    .replace(':userId', 'no-user')
    .replace(':jobId', 'no-import')
    .replace(':automationId', 'no-automation')
    .replace(':audienceId', 'no-audience')
    .replace(':caseId', 'no-case');
  // A parameter this table does not know would reach the app as ':name' and test nothing: name it here.
  if (path.includes(':')) throw new Error(`${route.method} ${route.path}: a path parameter is not substituted`);
  const { bodyTypes } = policyOf(route.method, route.path);
  const write = route.method !== 'GET' && route.method !== 'HEAD';
  const body = bodyTypes.includes('application/json') ? '{}' : 'x';
  return {
    url: path,
    init: { method: route.method, ...(write ? { body, headers: { 'content-type': bodyTypes[0] ?? '' } } : {}) },
  };
}

async function call(route: Route, headers: Record<string, string>, club = clubId) {
  const { url, init } = requestFor(route, club);
  const response = await h.app.request(url, {
    ...init,
    headers: { ...Object.fromEntries(new Headers(init.headers)), ...headers },
  });
  return { status: response.status, text: await response.text(), challenge: response.headers.get('www-authenticate') };
}

/** Ten days after the in-memory clock's now. */
const inTenDays = () => new Date(h.clock.now().getTime() + 10 * 86_400_000).toISOString();

const ClubNotFound = (id: string) =>
  JSON.stringify({ error: 'not-found', message: `club ${id} does not exist`, issues: [] });

const apiFetch = (_: MemoryApi, path: string, init: RequestInit) => h.app.request(`/api${path}`, init);

beforeAll(async () => {
  h = memoryApi();
  const created = await h.call('PUT', `/clubs/${clubId}`, {
    name: 'Victim Grocer',
    language: 'en',
    senderName: 'Victim Grocer',
    senderEmail: 'club@victim.example',
    postalAddress: 'High Street 1, London',
    brand: { primaryEmotion: 'community', colours: { primary: '#1d6b3a', background: '#ffffff', text: '#111111' } },
  });
  expect(created.status).toBe(201);
  await h.call('PUT', `/clubs/${clubId}/products`, {
    products: [{ productId: 'milk', name: 'Milk', category: 'Dairy', contains: [], freeFrom: [] }],
  });
  await h.call('PUT', `/clubs/${clubId}/offers`, {
    offers: [{ offerId: 'o-milk', productId: 'milk', headline: '2 for 1' }],
  });
  const marketer = async (roles: Record<string, ClubRole>): Promise<Marketer> => ({
    headers: { authorization: `Bearer ${await h.userToken({ roles })}` },
  });
  for (const role of ClubRole.options) callers[role] = await marketer({ [clubId]: role });
  callers['other-club-user'] = await marketer({ [otherClubId]: 'admin' });
  const editor = callers.editor;
  if (!editor) throw new Error('no editor');
  const campaign = await apiFetch(h, `/clubs/${clubId}/campaigns`, {
    method: 'POST',
    headers: { ...editor.headers, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Sweep', theme: 'community', offerPool: ['o-milk'], sendAt: inTenDays() }),
  });
  campaignId = z.object({ campaign: z.object({ campaignId: z.string() }) }).parse(await campaign.json())
    .campaign.campaignId;
});

describe('every marketer route', () => {
  it('is found in the app: the table is not empty and holds the routes of every resource', () => {
    const paths = marketerRoutes().map((r) => `${r.method} ${r.path}`);
    expect(paths.length).toBeGreaterThan(30);
    for (const expected of [
      'PUT /api/clubs/:clubId',
      'POST /api/clubs/:clubId/campaigns/:campaignId/approve',
      'GET /api/clubs/:clubId/members/:memberId/export',
      'POST /api/clubs/:clubId/team',
      'GET /api/clubs/:clubId/audit',
      'POST /api/clubs/:clubId/imports',
      'PUT /api/clubs/:clubId/imports/:jobId/file',
      'POST /api/clubs/:clubId/imports/:jobId/start',
      'GET /api/clubs/:clubId/imports/:jobId/rejected.csv',
      'PUT /api/clubs/:clubId/audiences/:audienceId',
      'POST /api/clubs/:clubId/audiences/:audienceId/estimate',
      'POST /api/clubs/:clubId/automations',
      'GET /api/clubs/:clubId/automations/:automationId',
      'POST /api/clubs/:clubId/automations/:automationId/approve',
      'GET /api/clubs/:clubId/experiment',
      'PUT /api/clubs/:clubId/experiment',
      'GET /api/clubs/:clubId/experiment/assignments',
      'PUT /api/clubs/:clubId/experiment/prediction',
    ]) {
      expect(paths).toContain(expected);
    }
  });

  it('answers 401 with a Bearer challenge without a token, and with a bad one', async () => {
    for (const route of marketerRoutes()) {
      const none = await call(route, {});
      expect(none.status, `${route.method} ${route.path}`).toBe(401);
      expect(none.challenge).toBe('Bearer realm="club-planner"');
      const bad = await call(route, { authorization: 'Bearer not.a.jwt' });
      expect(bad.status, `${route.method} ${route.path}`).toBe(401);
      expect(bad.challenge).toContain('error="invalid_token"');
    }
  });

  it('answers a token for another club with the very 404 of a club that does not exist', async () => {
    const machine = { authorization: `Bearer ${await h.machineToken({ [otherClubId]: 'admin' })}` };
    const user = callers['other-club-user']?.headers ?? {};
    const ghost = uniqueId('ghost');
    for (const route of clubRoutes()) {
      const label = `${route.method} ${route.path}`;
      for (const headers of [machine, user]) {
        const answer = await call(route, headers);
        expect(answer.status, label).toBe(404);
        expect(answer.text, label).toBe(ClubNotFound(clubId));
        // The same caller on a club that exists nowhere gets the same bytes, but for the id.
        const nowhere = await call(route, headers, ghost);
        expect(nowhere.text.replace(ghost, clubId), label).toBe(answer.text);
      }
    }
  });

  it("refuses a role below the route's permission with 403, and lets every role at or above it through", async () => {
    for (const route of clubRoutes()) {
      const label = `${route.method} ${route.path}`;
      const needed: Permission = policyOf(route.method, route.path).permission;
      for (const role of ClubRole.options) {
        const caller = callers[role];
        if (!caller) throw new Error(role);
        const answer = await call(route, caller.headers);
        if (roleAllows(role, needed)) {
          expect([401, 403], `${label} as ${role}: ${answer.text}`).not.toContain(answer.status);
          expect(answer.text, `${label} as ${role}`).not.toBe(ClubNotFound(clubId));
        } else {
          expect(answer.status, `${label} as ${role}: ${answer.text}`).toBe(403);
          expect(z.object({ error: z.literal('forbidden') }).safeParse(JSON.parse(answer.text)).success).toBe(true);
        }
      }
    }
  });

  it('refuses a viewer every write with 403, a machine viewer too', async () => {
    const machineViewer = { authorization: `Bearer ${await h.machineToken({ [clubId]: 'viewer' })}` };
    const writes = clubRoutes().filter((r) => policyOf(r.method, r.path).permission !== 'read');
    expect(writes.length).toBeGreaterThan(15);
    for (const route of writes) {
      for (const headers of [callers.viewer?.headers ?? {}, machineViewer]) {
        expect((await call(route, headers)).status, `${route.method} ${route.path}`).toBe(403);
      }
    }
  });

  it('refuses an editor approving their own campaign with 403, and an approver who wrote one too', async () => {
    const editor = callers.editor;
    const approver = callers.approver;
    if (!editor || !approver) throw new Error('callers');
    const json = { 'content-type': 'application/json' };
    const create = async (headers: Record<string, string>) => {
      const response = await apiFetch(h, `/clubs/${clubId}/campaigns`, {
        method: 'POST',
        headers: { ...headers, ...json },
        body: JSON.stringify({ name: 'Own', theme: 'community', offerPool: ['o-milk'], sendAt: inTenDays() }),
      });
      const id = z.object({ campaign: z.object({ campaignId: z.string() }) }).parse(await response.json())
        .campaign.campaignId;
      const submitted = await apiFetch(h, `/clubs/${clubId}/campaigns/${id}/submit`, { method: 'POST', headers });
      expect(submitted.status).toBe(200);
      return id;
    };
    const approve = (id: string, headers: Record<string, string>) =>
      apiFetch(h, `/clubs/${clubId}/campaigns/${id}/approve`, { method: 'POST', headers });

    const editorsOwn = await create(editor.headers);
    expect((await approve(editorsOwn, editor.headers)).status).toBe(403);
    const approversOwn = await create(approver.headers);
    const selfApproval = await approve(approversOwn, approver.headers);
    expect(selfApproval.status).toBe(403);
    expect(await selfApproval.text()).toContain('another approver');
    // The four-eyes rule, not the route, refused them: another approver may.
    expect((await approve(editorsOwn, approver.headers)).status).toBe(200);
    expect((await approve(approversOwn, callers.admin?.headers ?? {})).status).toBe(200);
  });
});

describe('every route outside the marketer API', () => {
  /** The member pages: each on a signed token in its path; besides them and the console only /health. */
  const pageRoutes = () => {
    const seen = new Set<string>();
    return (
      h.app.routes
        .filter((r) => r.method !== 'ALL' && r.path !== '/api' && !r.path.startsWith('/api/'))
        // The console's own routes and roles are walked in tests/integration/console-access.test.ts.
        .filter((r) => r.path !== '/console' && !r.path.startsWith('/console/'))
        .filter((r) => !seen.has(`${r.method} ${r.path}`) && seen.add(`${r.method} ${r.path}`))
        .map(({ method, path }) => ({ method, path }))
    );
  };

  it('is the health check or a member page on a token, the control pages among them', () => {
    const routes = pageRoutes();
    const keys = routes.map((r) => `${r.method} ${r.path}`);
    for (const expected of ['GET /c/:token/:control', 'POST /c/:token/:control', 'GET /p/:token', 'GET /s/:token']) {
      expect(keys).toContain(expected);
    }
    for (const route of routes) {
      if (route.path === '/health') continue;
      expect(route.path, `${route.method} ${route.path}`).toMatch(/^\/[a-z]\/:token(\/|$)/);
    }
  });

  it('refuses a forged token on every member page, GET or POST, with a 4xx, never a page or a 5xx', async () => {
    const forged = 'v1.forged.token';
    for (const route of pageRoutes().filter((r) => r.path !== '/health')) {
      const path = route.path.replace(':token', forged).replace(':control', 'pause');
      expect(path, `${route.method} ${route.path}: a path parameter is not substituted`).not.toContain(':');
      const write = route.method !== 'GET' && route.method !== 'HEAD';
      const response = await h.app.request(path, {
        method: route.method,
        ...(write
          ? {
              body: 'confirm=1',
              headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://localhost:3000' },
            }
          : {}),
      });
      expect(response.status, `${route.method} ${route.path}`).toBeGreaterThanOrEqual(400);
      expect(response.status, `${route.method} ${route.path}`).toBeLessThan(500);
    }
  });
});
