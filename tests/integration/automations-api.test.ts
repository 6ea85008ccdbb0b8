import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { apiFetch, callApi, type Harness, type Marketer, startHarness, uniqueId } from '../support/local-harness.js';

let h: Harness;

const clubBody = {
  name: 'Automation Grocer',
  language: 'da',
  senderName: 'Automation Grocer',
  senderEmail: 'club@automation.example',
  postalAddress: 'Strøget 1, København',
  brand: { primaryEmotion: 'community', colours: { primary: '#1d6b3a', background: '#ffffff', text: '#111111' } },
};

const View = z.object({
  automationId: z.string(),
  status: z.string(),
  timeZone: z.string(),
  nextRunAt: z.string().nullable(),
  approvedBy: z.string().optional(),
});
const viewOf = (answer: { json: unknown }) => z.object({ automation: View }).parse(answer.json).automation;

async function as(who: Marketer, method: string, path: string, body?: unknown) {
  const response = await apiFetch(h, path, {
    method,
    headers: { ...who.headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, json: z.record(z.string(), z.unknown()).parse(text ? JSON.parse(text) : {}) };
}

async function club(extra: Record<string, unknown> = {}): Promise<string> {
  const clubId = uniqueId('autoapi');
  expect((await callApi(h.urls.http, 'PUT', `/clubs/${clubId}`, { ...clubBody, ...extra })).status).toBe(201);
  await callApi(h.urls.http, 'PUT', `/clubs/${clubId}/products`, {
    products: [{ productId: 'milk', name: 'Milk', category: 'Dairy', contains: [], freeFrom: [] }],
  });
  await callApi(h.urls.http, 'PUT', `/clubs/${clubId}/offers`, {
    offers: [{ offerId: 'o-milk', productId: 'milk', headline: '2 for 1' }],
  });
  return clubId;
}

const mondays = {
  name: 'Monday offers',
  recurrence: { every: 'week', on: ['MON'], at: '07:00' },
  campaign: { theme: 'community', offerPool: ['o-milk'] },
};

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

describe('the automations API', () => {
  it('creates "every Monday at 07:00" in the club’s time zone, lists it with its next run, pauses, resumes and stops it', async () => {
    const clubId = await club();
    const editor = await h.marketer({ roles: { [clubId]: 'editor' } });
    const created = await as(editor, 'POST', `/clubs/${clubId}/automations`, mondays);
    expect(created.status).toBe(201);
    const automation = viewOf(created);
    expect(automation).toMatchObject({ status: 'active', timeZone: 'Europe/Copenhagen' });
    const next = new Date(automation.nextRunAt ?? '');
    expect(next.getTime()).toBeGreaterThan(h.clock.now().getTime());
    expect(next.getTime() - h.clock.now().getTime()).toBeLessThanOrEqual(7 * 86_400_000);
    const local = new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/Copenhagen',
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).format(next);
    expect(local).toBe('Mon 07:00');
    expect(h.scheduler.nextRun(clubId, automation.automationId)?.toISOString()).toBe(automation.nextRunAt);

    const listed = await as(editor, 'GET', `/clubs/${clubId}/automations`);
    expect(z.object({ automations: z.array(View) }).parse(listed.json).automations).toEqual([
      expect.objectContaining({ automationId: automation.automationId, nextRunAt: automation.nextRunAt }),
    ]);

    const path = `/clubs/${clubId}/automations/${automation.automationId}`;
    const paused = await as(editor, 'POST', `${path}/pause`);
    expect(viewOf(paused)).toMatchObject({ status: 'paused', nextRunAt: null });
    expect(h.scheduler.nextRun(clubId, automation.automationId)).toBeUndefined();
    expect((await as(editor, 'POST', `${path}/pause`)).status).toBe(409);
    const resumed = await as(editor, 'POST', `${path}/resume`);
    expect(viewOf(resumed)).toMatchObject({ status: 'active', nextRunAt: automation.nextRunAt });
    expect(h.scheduler.nextRun(clubId, automation.automationId)?.toISOString()).toBe(automation.nextRunAt);
    expect(viewOf(await as(editor, 'POST', `${path}/stop`))).toMatchObject({ status: 'stopped', nextRunAt: null });
    expect(h.scheduler.nextRun(clubId, automation.automationId)).toBeUndefined();
    const again = await as(editor, 'POST', `${path}/resume`);
    expect(again).toMatchObject({ status: 409, json: { message: 'automation is stopped; it cannot resume' } });

    const audit = await callApi(h.urls.http, 'GET', `/clubs/${clubId}/audit`);
    expect(JSON.stringify(audit.json)).toContain(`/automations/:automationId/pause`);
  });

  it('runs in the time zone the club names, not the one its language suggests', async () => {
    const clubId = await club({ timeZone: 'America/New_York' });
    const editor = await h.marketer({ roles: { [clubId]: 'editor' } });
    const automation = viewOf(await as(editor, 'POST', `/clubs/${clubId}/automations`, mondays));
    expect(automation.timeZone).toBe('America/New_York');
    const local = new Intl.DateTimeFormat('en-GB', {
      timeZone: 'America/New_York',
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).format(new Date(automation.nextRunAt ?? ''));
    expect(local).toBe('Mon 07:00');
  });

  it('refuses bad automations with a 400 naming the field, and a viewer with 403', async () => {
    const clubId = await club();
    const editor = await h.marketer({ roles: { [clubId]: 'editor' } });
    const viewer = await h.marketer({ roles: { [clubId]: 'viewer' } });
    const post = (body: unknown) => as(editor, 'POST', `/clubs/${clubId}/automations`, body);
    expect((await post({ ...mondays, recurrence: { every: 'week', on: ['MON'], at: '7am' } })).json).toMatchObject({
      message: expect.stringMatching(/^recurrence\.at: /),
    });
    expect((await post({ ...mondays, campaign: { theme: 'community', offerPool: ['nope'] } })).json).toMatchObject({
      message: 'campaign.offerPool[0]: unknown offer nope',
    });
    const birthdaysWeekly = await post({ ...mondays, campaign: { ...mondays.campaign, occasion: { id: 'birthday' } } });
    expect(birthdaysWeekly).toMatchObject({
      status: 400,
      json: { message: 'recurrence.every: a personal occasion runs every day: use "day"' },
    });
    expect((await post({ ...mondays, timeZone: 'Mars/Olympus' })).json).toMatchObject({
      message: expect.stringMatching(/^timeZone: /),
    });
    expect((await as(viewer, 'POST', `/clubs/${clubId}/automations`, mondays)).status).toBe(403);
    expect((await as(viewer, 'GET', `/clubs/${clubId}/automations`)).status).toBe(200);
    expect((await as(editor, 'GET', `/clubs/${clubId}/automations/nope`)).status).toBe(404);
  });

  it('waits for an approver who did not create it where the club requires approval', async () => {
    const clubId = await club({ requireApproval: true });
    const editor = await h.marketer({ roles: { [clubId]: 'editor' } });
    const approver = await h.marketer({ roles: { [clubId]: 'approver' } });
    const created = viewOf(await as(editor, 'POST', `/clubs/${clubId}/automations`, mondays));
    expect(created).toMatchObject({ status: 'awaiting-approval', nextRunAt: null });
    expect(h.scheduler.nextRun(clubId, created.automationId)).toBeUndefined();
    const path = `/clubs/${clubId}/automations/${created.automationId}`;
    expect((await as(editor, 'POST', `${path}/approve`)).status).toBe(403);
    // An approver's own automation needs another approver.
    const own = viewOf(await as(approver, 'POST', `/clubs/${clubId}/automations`, mondays));
    expect(await as(approver, 'POST', `/clubs/${clubId}/automations/${own.automationId}/approve`)).toMatchObject({
      status: 403,
      json: { message: 'you created this automation; another approver must approve it' },
    });
    const approved = viewOf(await as(approver, 'POST', `${path}/approve`));
    expect(approved).toMatchObject({ status: 'active', approvedBy: `user:${approver.sub}` });
    expect(h.scheduler.nextRun(clubId, created.automationId)?.toISOString()).toBe(approved.nextRunAt);
  });
});
