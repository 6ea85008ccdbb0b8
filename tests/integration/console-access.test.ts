import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { demoGroceryClub } from '../../bin/demo-club.js';
import { seedDemo } from '../../bin/seed-demo.js';
import { addDays, clubTimeZone, startOfLocalDay, toLocalDate } from '../../lambdas/core/local-time.js';
import { ClubRole, roleAllows } from '../../lambdas/core/roles.js';
import { COPY } from '../../lambdas/http/console/copy/index.js';
import { formats } from '../../lambdas/http/console/format.js';
import { consolePermission } from '../../lambdas/http/console/permissions.js';
import { seedNps } from '../support/console-club.js';
import { type ConsoleSession, signInToConsole } from '../support/console-session.js';
import { callApi, type Harness, startHarness, uniqueId } from '../support/local-harness.js';
import { aCampaign } from '../unit/fixtures.js';

/**
 * Every console route below a club, enumerated from the app itself, against every kind of marketer:
 * signed out, another club's, and each role. A form a role may not use is refused by the server
 * (403) and changes nothing, whatever the page showed.
 */
let h: Harness;
const clubId = uniqueId('console');
const otherClubId = uniqueId('other');
let campaignId: string;
const AUDIENCE = 'engaged';
const sessions: Partial<Record<ClubRole | 'other', ConsoleSession & { sub: string }>> = {};

async function marketer(roles: Record<string, ClubRole>) {
  const email = `${uniqueId('m')}@marketers.example`;
  const password = `${uniqueId('pw')}-Aa1!x`;
  const user = await h.identity.users.upsert(email, password, []);
  for (const [club, role] of Object.entries(roles)) {
    await h.deps.roles.put({
      clubId: club,
      userId: user.sub,
      email,
      role,
      grantedBy: 'test',
      grantedAt: h.clock.now().toISOString(),
    });
  }
  return { ...(await signInToConsole(h.urls.http, email, password)), sub: user.sub };
}

beforeAll(async () => {
  h = await startHarness();
  const demo = demoGroceryClub(h.clock.now(), 3, clubId);
  await seedDemo(h.deps, demo);
  await seedDemo(h.deps, demoGroceryClub(h.clock.now(), 4, otherClubId));
  for (const role of ClubRole.options) sessions[role] = await marketer({ [clubId]: role });
  sessions.other = await marketer({ [otherClubId]: 'admin' });
  const editor = sessions.editor;
  if (!editor) throw new Error('no editor');
  const created = await editor.post(`/console/clubs/${clubId}/campaigns`, {
    name: 'Weekend',
    theme: 'community',
    offerPool: demo.offers.slice(0, 5).map((o) => o.offerId),
    offersPerMail: '3',
    priority: '1',
    holdout: '10',
    kind: 'offers',
    sendAt: '2030-03-01T09:00',
  });
  expect(created.status).toBe(303);
  campaignId = /campaigns\/([^?]+)\?done=created/.exec(created.headers.get('location') ?? '')?.[1] ?? '';
  expect(campaignId).not.toBe('');
  // A saved audience, for the builder's routes.
  await h.deps.clubs.putAudience({
    clubId,
    audienceId: AUDIENCE,
    name: 'Engaged',
    description: '',
    rule: { rule: 'engagement', state: 'active' },
    createdAt: h.clock.now().toISOString(),
    updatedAt: h.clock.now().toISOString(),
  });
});
afterAll(async () => {
  await h?.stop();
});

function consoleRoutes() {
  const seen = new Set<string>();
  return h.app.routes
    .filter((r) => r.method !== 'ALL' && r.path.startsWith('/console/clubs/:clubId'))
    .filter((r) => !seen.has(`${r.method} ${r.path}`) && seen.add(`${r.method} ${r.path}`))
    .map(({ method, path }) => ({ method, path }));
}

const pathOf = (path: string, club = clubId) =>
  path
    .replace(':clubId', club)
    .replace(':campaignId', campaignId)
    .replace(':audienceId', AUDIENCE)
    .replace(':userId', sessions.viewer?.sub ?? 'nobody')
    .replace(':jobId', 'no-job')
    .replace(':caseId', '0'.repeat(20));

/** The page's content, without what differs per request (the form's return address, the CSP nonce). */
const mainOf = (page: string) => /<main[^>]*>(.*)<\/main>/s.exec(page)?.[1];

async function call(session: ConsoleSession, route: { method: string; path: string }, club = clubId) {
  return route.method === 'GET' ? session.get(pathOf(route.path, club)) : session.post(pathOf(route.path, club), {});
}

describe('console routes and roles', () => {
  it('lists the console screens in the route walk', () => {
    const paths = consoleRoutes().map((r) => `${r.method} ${r.path}`);
    for (const screen of ['calendar', 'campaigns', 'audiences', 'nps', 'experiment', 'settings', 'team', 'audit'])
      expect(paths).toContain(`GET /console/clubs/:clubId/${screen}`);
    expect(paths).toContain('POST /console/clubs/:clubId/campaigns/:campaignId/approve');
  });

  it('refuses every route a role may not use with 403, and lets the role open every page it may', async () => {
    for (const route of consoleRoutes()) {
      const permission = consolePermission(route.method, route.path);
      for (const role of ClubRole.options) {
        const session = sessions[role];
        if (!session) throw new Error(`no ${role}`);
        const allowed = roleAllows(role, permission);
        if (allowed && route.method !== 'GET') continue;
        const answer = await call(session, route);
        if (allowed) expect([200, 302, 303, 404], `${role} ${route.method} ${route.path}`).toContain(answer.status);
        else expect(answer.status, `${role} ${route.method} ${route.path}`).toBe(403);
        // Pages about a thing the walk has no id for (a mail preview without a member, an import job) say "not found".
        if (allowed && answer.status === 404) expect(route.path).toMatch(/preview\/mail|:jobId/);
      }
    }
  });

  it("answers another club's marketer with the page a missing club gets", async () => {
    const other = sessions.other;
    if (!other) throw new Error('no other');
    const missing = await other.get(`/console/clubs/${uniqueId('nope')}/calendar`);
    for (const route of consoleRoutes().filter((r) => r.method === 'GET')) {
      const answer = await call(other, route);
      expect(answer.status, route.path).toBe(404);
      expect(mainOf(await answer.text())).toBe(mainOf(await missing.clone().text()));
    }
  });

  it("refuses a viewer's approve, edit and schedule posts and leaves the campaign as it was", async () => {
    const viewer = sessions.viewer;
    if (!viewer) throw new Error('no viewer');
    const before = await h.deps.campaigns.getCampaign(clubId, campaignId);
    for (const action of ['submit', 'approve', 'schedule', 'cancel']) {
      expect((await viewer.post(`/console/clubs/${clubId}/campaigns/${campaignId}/${action}`)).status).toBe(403);
    }
    expect((await viewer.post(`/console/clubs/${clubId}/campaigns/${campaignId}`, { name: 'Hijacked' })).status).toBe(
      403,
    );
    expect(await h.deps.campaigns.getCampaign(clubId, campaignId)).toEqual(before);
  });

  it("shows a viewer the NPS screen with the API's figure and no case controls, and moves a case only for an editor", async () => {
    const seeded = await seedNps(h, clubId, 12);
    const viewer = sessions.viewer;
    const editor = sessions.editor;
    if (!viewer || !editor) throw new Error('no viewer or editor');
    const club = await h.deps.clubs.getClub(clubId);
    if (!club) throw new Error('no club');
    const zone = clubTimeZone(club);
    const today = toLocalDate(h.clock.now(), zone);
    const from = addDays(today, -180);
    const screen = await viewer.get(`/console/clubs/${clubId}/nps?from=${from}&to=${today}&window=90`);
    expect(screen.status).toBe(200);
    const main = mainOf(await screen.text()) ?? '';
    const api = await callApi(
      h.urls.http,
      'GET',
      `/clubs/${clubId}/nps?from=${startOfLocalDay(from, zone).toISOString()}&to=${startOfLocalDay(addDays(today, 1), zone).toISOString()}&window=90`,
    );
    expect(api.status).toBe(200);
    const figure = z.object({ nps: z.number(), margin95: z.number(), responses: z.number() }).parse(api.json);
    const fmt = formats(COPY.en, zone);
    expect(main).toContain(`NPS ${fmt.decimal(figure.nps)} ± ${fmt.decimal(figure.margin95)}`);
    expect(main).toContain(`<dd>${fmt.number(figure.responses)}</dd>`);
    // The queue lists the open and contacted cases, the overdue one flagged; a viewer gets no buttons.
    expect(main).toContain(COPY.en.nps.overdue);
    expect(main).not.toContain(COPY.en.nps.markContacted);
    expect(main).not.toContain(`/nps/cases/`);
    const refused = await viewer.post(`/console/clubs/${clubId}/nps/cases/${seeded.open}`, { state: 'contacted' });
    expect(refused.status).toBe(403);
    expect((await h.deps.feedbackCases.get(clubId, seeded.open))?.state).toBe('open');

    const editorScreen = mainOf(await (await editor.get(`/console/clubs/${clubId}/nps`)).text()) ?? '';
    expect(editorScreen).toContain(`/nps/cases/${seeded.open}`);
    const moved = await editor.post(`/console/clubs/${clubId}/nps/cases/${seeded.open}`, { state: 'contacted' });
    expect(moved.status).toBe(303);
    expect((await h.deps.feedbackCases.get(clubId, seeded.open))?.state).toBe('contacted');
    const back = await editor.post(`/console/clubs/${clubId}/nps/cases/${seeded.contacted}`, { state: 'contacted' });
    expect(back.status).toBe(303);
    const wrong = await editor.post(`/console/clubs/${clubId}/nps/cases/${seeded.overdue}`, { state: 'open' });
    expect(wrong.status).toBe(400);
    const trail = await h.deps.audit.list(clubId, { limit: 50 });
    expect(trail.entries.map((e) => e.action)).toContain('PATCH /clubs/:clubId/feedback/cases/:caseId (console)');
  });

  it("lists a club's campaigns newest first, 50 a page, with links to older ones and back to the newest", async () => {
    const paged = uniqueId('paged');
    await seedDemo(h.deps, demoGroceryClub(h.clock.now(), 5, paged));
    const seeded = await h.deps.campaigns.listCampaigns(paged);
    const start = Date.UTC(2027, 0, 1, 9);
    for (let i = 0; i < 55; i++)
      await h.deps.campaigns.createCampaign(
        aCampaign({
          clubId: paged,
          campaignId: `day-${String(i).padStart(2, '0')}`,
          name: `Day ${i}`,
          sendAt: new Date(start + i * 86_400_000).toISOString(),
        }),
      );
    const viewer = await marketer({ [paged]: 'viewer' });
    const names = (html: string) =>
      [...html.matchAll(/<a href="[^"]*\/campaigns\/[^"/]+">([^<]+)<\/a>/g)].map((m) => m[1]);
    const first = await (await viewer.get(`/console/clubs/${paged}/campaigns`)).text();
    expect(names(first)).toEqual(Array.from({ length: 50 }, (_, i) => `Day ${54 - i}`));
    const older = /href="([^"]*\/campaigns\?after=[^"]+)"/.exec(first)?.[1]?.replaceAll('&amp;', '&');
    if (!older) throw new Error('no link to older campaigns');
    const second = await (await viewer.get(older)).text();
    const earliest = seeded.sort((a, b) => (a.sendAt < b.sendAt ? 1 : -1)).map((c) => c.name);
    expect(names(second)).toEqual([...['Day 4', 'Day 3', 'Day 2', 'Day 1', 'Day 0'], ...earliest]);
    expect(second).not.toContain(COPY.en.olderCampaigns);
    expect(second).toContain(`<a class="button secondary" href="/console/clubs/${paged}/campaigns">`);
    // A broken cursor shows the newest page.
    const broken = await viewer.get(`/console/clubs/${paged}/campaigns?after=%3Cscript%3E`);
    expect(broken.status).toBe(200);
    expect(names(await broken.text())[0]).toBe('Day 54');
  });

  it('names the field of a period the NPS screen cannot read', async () => {
    const viewer = sessions.viewer;
    if (!viewer) throw new Error('no viewer');
    const answer = await viewer.get(`/console/clubs/${clubId}/nps?from=yesterday&to=2026-01-01&window=3`);
    expect(answer.status).toBe(400);
    const main = mainOf(await answer.text()) ?? '';
    expect(main).toContain('from: use a date such as 2026-01-31');
    const window = await viewer.get(`/console/clubs/${clubId}/nps?from=2026-01-01&to=2026-02-01&window=3`);
    expect(window.status).toBe(400);
    expect(mainOf(await window.text())).toMatch(/window: /);
  });

  it('sends a signed-out browser to sign in and back, and refuses a post without the form token or from another site', async () => {
    const page = await fetch(`${h.urls.http}/console/clubs/${clubId}/calendar`, { redirect: 'manual' });
    expect(page.status).toBe(302);
    expect(page.headers.get('location')).toBe(
      `/console/auth/sign-in?return=${encodeURIComponent(`/console/clubs/${clubId}/calendar`)}`,
    );
    const editor = sessions.editor;
    if (!editor) throw new Error('no editor');
    const before = await h.deps.campaigns.getCampaign(clubId, campaignId);
    const noToken = await editor.post(`/console/clubs/${clubId}/campaigns/${campaignId}/submit`, {}, { csrf: null });
    expect(noToken.status).toBe(403);
    const wrongToken = await editor.post(
      `/console/clubs/${clubId}/campaigns/${campaignId}/submit`,
      {},
      { csrf: 'x'.repeat(32) },
    );
    expect(wrongToken.status).toBe(403);
    const foreign = await fetch(`${h.urls.http}/console/clubs/${clubId}/campaigns/${campaignId}/submit`, {
      method: 'POST',
      headers: {
        cookie: editor.cookie,
        origin: 'https://evil.example',
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ _csrf: editor.csrf }).toString(),
      redirect: 'manual',
    });
    expect(foreign.status).toBe(403);
    expect(await h.deps.campaigns.getCampaign(clubId, campaignId)).toEqual(before);
  });

  it('keeps the session in an HttpOnly, SameSite=Lax cookie below /console, not Secure over plain http, and refuses a changed one', async () => {
    const email = `${uniqueId('c')}@marketers.example`;
    await h.identity.users.upsert(email, 'Cookie-Test-123!', []);
    const start = await fetch(`${h.urls.http}/console/auth/sign-in`, { redirect: 'manual' });
    const flight = start.headers.getSetCookie().join('\n');
    expect(flight).toMatch(/^cp-sign-in=[^;]+; Max-Age=600; Path=\/console; HttpOnly; SameSite=Lax$/m);
    expect(flight).not.toMatch(/Secure/);
    expect(new URL(start.headers.get('location') ?? '').searchParams.get('code_challenge_method')).toBe('S256');
    const viewer = sessions.viewer;
    if (!viewer) throw new Error('no viewer');
    const value = /cp-session=([^;]+)/.exec(viewer.cookie)?.[1] ?? '';
    const flipped = `${value.slice(0, -2)}${value.at(-2) === 'A' ? 'B' : 'A'}${value.at(-1)}`;
    const changed = await fetch(`${h.urls.http}/console/clubs/${clubId}/calendar`, {
      headers: { cookie: `cp-session=${flipped}` },
      redirect: 'manual',
    });
    expect(changed.status).toBe(302);
    expect(changed.headers.get('location')).toMatch(/^\/console\/auth\/sign-in/);
  });

  it('returns from sign-in only to a console page, never to another site', async () => {
    for (const target of ['//evil.example/console', 'https://evil.example/', '/console\\@evil.example', '/elsewhere']) {
      const start = await fetch(`${h.urls.http}/console/auth/sign-in?return=${encodeURIComponent(target)}`, {
        redirect: 'manual',
      });
      expect(start.status).toBe(302);
    }
    const { safeReturn } = await import('../../lambdas/http/console/auth.js');
    expect(safeReturn('//evil.example/console')).toBe('/console/');
    expect(safeReturn('/console/clubs/x/calendar?view=month')).toBe('/console/clubs/x/calendar?view=month');
    expect(safeReturn('/consoleevil')).toBe('/console/');
  });
});
