import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AuditEntry } from '../../../lambdas/core/audit.js';
import { uniqueId } from '../../support/ids.js';
import { apiFetch, type Marketer, type MemoryApi, memoryApi } from '../../support/memory-api.js';

/** Approval, the team and the audit trail through the marketer API, on in-memory ports (tests/support/memory-api.ts). */
let h: MemoryApi;
const clubId = uniqueId('approval');
let admin: Marketer;
let editor: Marketer;
let approver: Marketer;
let viewer: Marketer;

const clubBody = {
  name: 'Approval Grocer',
  language: 'en',
  senderName: 'Approval Grocer',
  senderEmail: 'club@approval.example',
  postalAddress: 'High Street 1, London',
  brand: { primaryEmotion: 'community', colours: { primary: '#1d6b3a', background: '#ffffff', text: '#111111' } },
};

/** A marketer's request with their own token; a JSON body when given. */
async function as(who: Marketer, method: string, path: string, body?: unknown) {
  const response = await apiFetch(h, path, {
    method,
    headers: { ...who.headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, json: z.record(z.string(), z.unknown()).parse(text ? JSON.parse(text) : {}) };
}

const Answer = z.object({
  campaign: z.object({
    campaignId: z.string(),
    status: z.string(),
    sendAt: z.string(),
    approval: z.object({ state: z.string(), by: z.string().optional(), comment: z.string().optional() }),
    authors: z.array(z.string()),
  }),
});
const campaignOf = (answer: { json: unknown }) => Answer.parse(answer.json).campaign;
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();

const callApi = (_: string, method: string, path: string, body?: unknown) => h.call(method, path, body);

beforeAll(async () => {
  h = memoryApi();
  h.clock.set(new Date());
  admin = await h.marketer({ roles: { [clubId]: 'admin' } });
  editor = await h.marketer({ roles: { [clubId]: 'editor' } });
  approver = await h.marketer({ roles: { [clubId]: 'approver' } });
  viewer = await h.marketer({ roles: { [clubId]: 'viewer' } });
  expect((await callApi('', 'PUT', `/clubs/${clubId}`, { ...clubBody, requireApproval: true })).status).toBe(201);
  await callApi('', 'PUT', `/clubs/${clubId}/products`, {
    products: [{ productId: 'milk', name: 'Milk', category: 'Dairy', contains: [], freeFrom: [] }],
  });
  await callApi('', 'PUT', `/clubs/${clubId}/offers`, {
    offers: [{ offerId: 'o-milk', productId: 'milk', headline: '2 for 1' }],
  });
});
describe('campaign approval in a club that requires it', () => {
  it('goes submit → send back → edit → submit → approve → schedule, each step by the right person, all in the audit trail', async () => {
    const created = await as(editor, 'POST', `/clubs/${clubId}/campaigns`, {
      name: 'Weekend',
      theme: 'community',
      offerPool: ['o-milk'],
      sendAt: inDays(5),
    });
    expect(created.status).toBe(201);
    const { campaignId, sendAt } = campaignOf(created);
    const base = `/clubs/${clubId}/campaigns/${campaignId}`;

    const early = await as(editor, 'POST', `${base}/schedule`);
    expect(early.status).toBe(409);
    expect(early.json.message).toContain('the club requires approval before scheduling');

    expect(campaignOf(await as(editor, 'POST', `${base}/submit`)).approval.state).toBe('submitted');
    const noComment = await as(approver, 'POST', `${base}/send-back`, {});
    expect(noComment.status).toBe(400);
    expect(noComment.json.message).toMatch(/^comment:/);
    const back = campaignOf(await as(approver, 'POST', `${base}/send-back`, { comment: 'Add the bread offer' }));
    expect(back.approval).toMatchObject({
      state: 'returned',
      comment: 'Add the bread offer',
      by: `user:${approver.sub}`,
    });

    const fixed = await as(editor, 'PATCH', base, { name: 'Weekend, with bread' });
    expect(campaignOf(fixed).approval.state).toBe('returned');
    expect(campaignOf(await as(editor, 'POST', `${base}/submit`)).approval.state).toBe('submitted');
    const approved = campaignOf(await as(approver, 'POST', `${base}/approve`, { comment: 'Good' }));
    expect(approved.approval).toMatchObject({ state: 'approved', by: `user:${approver.sub}` });

    const moved = await as(editor, 'POST', `${base}/schedule`, { sendAt: inDays(6) });
    expect(moved.status).toBe(409);
    expect(moved.json.message).toMatch(/^sendAt: differs from the approved campaign/);
    const scheduled = await as(editor, 'POST', `${base}/schedule`);
    expect(scheduled.status).toBe(200);
    expect(campaignOf(scheduled)).toMatchObject({ status: 'scheduled', sendAt: new Date(sendAt).toISOString() });

    const audit = await as(admin, 'GET', `/clubs/${clubId}/audit?limit=50`);
    const entries = z
      .array(AuditEntry)
      .parse(audit.json.entries)
      .filter((e) => e.target.campaignId === campaignId || e.action.endsWith('/campaigns'));
    const steps = entries.reverse().map((e) => [e.action.split(' ')[0], e.action.split('/').at(-1), e.actor]);
    expect(steps).toEqual([
      ['POST', 'campaigns', `user:${editor.sub}`],
      ['POST', 'submit', `user:${editor.sub}`],
      ['POST', 'send-back', `user:${approver.sub}`],
      ['PATCH', ':campaignId', `user:${editor.sub}`],
      ['POST', 'submit', `user:${editor.sub}`],
      ['POST', 'approve', `user:${approver.sub}`],
      ['POST', 'schedule', `user:${editor.sub}`],
    ]);
    const approval = entries.find((e) => e.action.endsWith('/approve'));
    expect(approval?.before).toMatchObject({ approval: { state: 'submitted' } });
    expect(approval?.after).toMatchObject({ approval: { state: 'approved' } });
  });

  it('withdraws the approval on any edit, even of a scheduled campaign, which goes back to draft without its schedule', async () => {
    const created = campaignOf(
      await as(editor, 'POST', `/clubs/${clubId}/campaigns`, {
        name: 'Locked',
        theme: 'community',
        offerPool: ['o-milk'],
        sendAt: inDays(4),
      }),
    );
    const base = `/clubs/${clubId}/campaigns/${created.campaignId}`;
    await as(editor, 'POST', `${base}/submit`);
    await as(approver, 'POST', `${base}/approve`);
    const pending = h.scheduler.pending;
    expect((await as(editor, 'POST', `${base}/schedule`)).status).toBe(200);
    expect(h.scheduler.pending).toBe(pending + 1);

    const unchanged = campaignOf(await as(editor, 'PATCH', base, { name: 'Locked' }));
    expect(unchanged).toMatchObject({ status: 'scheduled', approval: { state: 'approved' } });
    const edited = await as(editor, 'PATCH', base, { offersPerMail: 2 });
    expect(campaignOf(edited)).toMatchObject({ status: 'draft', approval: { state: 'none' } });
    expect(h.scheduler.pending).toBe(pending);
    expect((await as(editor, 'POST', `${base}/schedule`)).status).toBe(409);

    const misspelt = await as(editor, 'PATCH', base, { nmae: 'x' });
    expect(misspelt.status).toBe(400);
  });

  it('lets only admins read and export the audit trail, as JSON lines', async () => {
    for (const who of [viewer, editor, approver])
      expect((await as(who, 'GET', `/clubs/${clubId}/audit`)).status).toBe(403);
    const exported = await apiFetch(h, `/clubs/${clubId}/audit/export`, { headers: admin.headers });
    expect(exported.status).toBe(200);
    expect(exported.headers.get('content-type')).toContain('application/x-ndjson');
    const lines = (await exported.text()).trim().split('\n');
    expect(lines.length).toBeGreaterThan(10);
    for (const line of lines) expect(AuditEntry.safeParse(JSON.parse(line)).success).toBe(true);
    const first = await as(admin, 'GET', `/clubs/${clubId}/audit?limit=3`);
    const next = await as(
      admin,
      'GET',
      `/clubs/${clubId}/audit?limit=3&cursor=${encodeURIComponent(String(first.json.cursor))}`,
    );
    const ids = (page: { json: Record<string, unknown> }) =>
      z
        .array(AuditEntry)
        .parse(page.json.entries)
        .map((e) => e.at);
    expect(ids(first)).toHaveLength(3);
    expect(ids(next)[0] ?? '').not.toBe('');
    expect((ids(next)[0] ?? '') <= (ids(first)[2] ?? '')).toBe(true);
    expect((await as(admin, 'GET', `/clubs/${clubId}/audit?cursor=nonsense`)).status).toBe(400);
  });
});

describe('the team API', () => {
  it('lets an admin invite, re-role and remove a marketer, whose access follows at once', async () => {
    const email = `${uniqueId('new')}@marketers.example`;
    const invited = await as(admin, 'POST', `/clubs/${clubId}/team`, { email, role: 'viewer' });
    expect(invited.status).toBe(201);
    expect(invited.json.invited).toBe(true);
    const userId = z.object({ member: z.object({ userId: z.string() }) }).parse(invited.json).member.userId;
    expect(h.directory.findByEmail(email)?.sub).toBe(userId);
    expect((await as(admin, 'POST', `/clubs/${clubId}/team`, { email, role: 'admin' })).status).toBe(409);
    expect((await as(editor, 'POST', `/clubs/${clubId}/team`, { email: 'x@y.example', role: 'admin' })).status).toBe(
      403,
    );

    const team = await as(admin, 'GET', `/clubs/${clubId}/team`);
    expect(JSON.stringify(team.json)).toContain(email);
    const changed = await as(admin, 'PUT', `/clubs/${clubId}/team/${userId}`, { role: 'approver' });
    expect(changed.json).toMatchObject({ member: { role: 'approver' } });
    expect((await h.deps.roles.get(clubId, userId))?.role).toBe('approver');

    expect((await as(admin, 'DELETE', `/clubs/${clubId}/team/${userId}`)).status).toBe(200);
    expect(await h.deps.roles.get(clubId, userId)).toBeUndefined();
    expect((await as(admin, 'DELETE', `/clubs/${clubId}/team/${userId}`)).status).toBe(404);
    expect(
      (await as(admin, 'POST', `/clubs/${clubId}/team`, { email: 'not an address', role: 'viewer' })).json.message,
    ).toMatch(/^email:/);
  });

  it('never leaves a club without an admin', async () => {
    const lonely = uniqueId('lonely');
    const operator = await h.marketer({ groups: ['operators'] });
    expect((await as(operator, 'PUT', `/clubs/${lonely}`, clubBody)).status).toBe(201);
    const removal = await as(operator, 'DELETE', `/clubs/${lonely}/team/${operator.sub}`);
    expect(removal.status).toBe(409);
    expect((await as(operator, 'PUT', `/clubs/${lonely}/team/${operator.sub}`, { role: 'viewer' })).status).toBe(409);
  });
});

describe('who may create a club', () => {
  it('an operator: the club is created and they are its first admin, with their address', async () => {
    const fresh = uniqueId('fresh');
    const operator = await h.marketer({ groups: ['operators'] });
    expect((await as(operator, 'PUT', `/clubs/${fresh}`, clubBody)).status).toBe(201);
    expect(await h.deps.roles.get(fresh, operator.sub)).toMatchObject({ role: 'admin', email: operator.email });
    expect((await as(operator, 'GET', `/clubs/${fresh}`)).status).toBe(200);
  });

  it('not a marketer outside the operators group, and not an operator over a club that exists: both get the 404', async () => {
    const fresh = uniqueId('fresh');
    const someone = await h.marketer();
    const refused = await as(someone, 'PUT', `/clubs/${fresh}`, clubBody);
    expect(refused.status).toBe(404);
    expect(await h.deps.clubs.getClub(fresh)).toBeUndefined();

    const operator = await h.marketer({ groups: ['operators'] });
    const takeover = await as(operator, 'PUT', `/clubs/${clubId}`, { ...clubBody, name: 'Taken over' });
    expect(takeover.status).toBe(404);
    expect(takeover.json.message).toBe(`club ${clubId} does not exist`);
    expect((await h.deps.clubs.getClub(clubId))?.name).toBe('Approval Grocer');
  });

  it('a machine client whose scope makes it admin of that club id, as the operator configured it', async () => {
    const fresh = uniqueId('machine');
    const token = await h.machineToken({ [fresh]: 'admin' });
    const editorOnly = await h.machineToken({ [fresh]: 'editor' });
    const put = (bearer: string) =>
      apiFetch(h, `/clubs/${fresh}`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
        body: JSON.stringify(clubBody),
      });
    expect((await put(editorOnly)).status).toBe(403);
    expect((await put(token)).status).toBe(201);
  });
});
