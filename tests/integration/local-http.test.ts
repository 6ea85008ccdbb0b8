import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signToken } from '../../lambdas/core/tokens.js';
import { callApi, type Harness, startHarness, uniqueId } from '../support/local-harness.js';
import { memberRecord } from '../support/member-records.js';
import { rawRequest } from '../support/raw-http.js';

/**
 * The local server as any program on the machine (or a web page in the marketer's browser) can reach
 * it: raw HTTP, with paths and headers exactly as sent.
 */
let h: Harness;
let host: string;
let bearer: Record<string, string>;
const clubId = uniqueId('local');
const email = 'm001@local-member.example';

const member = (memberId: string, address: string) => memberRecord(memberId, address, { firstName: 'Mia' });

beforeAll(async () => {
  h = await startHarness();
  host = new URL(h.urls.http).host;
  bearer = { authorization: `Bearer ${await h.machineToken({ [clubId]: 'admin' })}` };
  await callApi(h.urls.http, 'PUT', `/clubs/${clubId}`, {
    name: 'Local Grocer',
    language: 'en',
    senderName: 'Local Grocer',
    senderEmail: 'club@local.example',
    postalAddress: 'High Street 1, London',
    brand: { primaryEmotion: 'community', colours: { primary: '#1d6b3a', background: '#ffffff', text: '#111111' } },
  });
  expect(
    (await callApi(h.urls.http, 'POST', `/clubs/${clubId}/members`, { members: [member('m001', email)] })).status,
  ).toBe(200);
  await h.deps.sending.open(
    { kind: 'club', clubId },
    { state: 'open', reason: 'bounce-rate', openedAt: h.clock.now().toISOString() },
  );
});
afterAll(async () => {
  await h?.stop();
});

const get = (path: string, headers: Record<string, string> = {}) =>
  rawRequest(h.urls.http, { path, headers: { host, ...headers } });

describe('the local server', () => {
  it('refuses paths whose normalised form differs from the raw one, so /p/… never reaches /api', async () => {
    const exportPath = `/api/clubs/${clubId}/members/m001/export`;
    expect((await get(exportPath, bearer)).status, 'the control: the route works with a token').toBe(200);
    for (const path of [
      `/p/x/%2e%2e/%2e%2e${exportPath}`,
      `/p/x/../..${exportPath}`,
      `/p/x/%2E%2e/..${exportPath}`,
      `/p/x\\..\\..${exportPath}`,
    ]) {
      for (const headers of [{}, bearer]) {
        const answer = await get(path, headers);
        expect(answer.status, path).toBe(400);
        expect(answer.body).not.toContain(email);
      }
    }
    const resume = await rawRequest(h.urls.http, {
      method: 'POST',
      path: `/p/x/%2e%2e/%2e%2e/api/clubs/${clubId}/sending/resume`,
      headers: { host, ...bearer },
    });
    expect(resume.status).toBe(400);
    expect((await h.deps.sending.read(clubId)).club?.state).toBe('open');
  });

  it('answers only to its own Host, so a DNS-rebound page cannot read an export', async () => {
    const exportPath = `/api/clubs/${clubId}/members/m001/export`;
    const port = new URL(h.urls.http).port;
    for (const foreign of [`evil.example:${port}`, 'evil.example', `localhost:${Number(port) + 1}`]) {
      const answer = await rawRequest(h.urls.http, { path: exportPath, headers: { host: foreign, ...bearer } });
      expect(answer.status, foreign).toBe(421);
      expect(answer.body).not.toContain(email);
    }
    for (const own of [`localhost:${port}`, `127.0.0.1:${port}`]) {
      expect((await rawRequest(h.urls.http, { path: '/health', headers: { host: own } })).status, own).toBe(200);
    }
  });

  it('refuses a foreign Origin on /api, even with a token, and a text/plain post that needs no preflight', async () => {
    const body = JSON.stringify({ members: [member('m-evil', 'evil@local-member.example')] });
    const post = (headers: Record<string, string>) =>
      rawRequest(h.urls.http, {
        method: 'POST',
        path: `/api/clubs/${clubId}/members`,
        headers: { host, ...headers },
        body,
      });
    expect((await post({ origin: 'https://evil.example', 'content-type': 'text/plain' })).status).toBe(403);
    expect((await post({ origin: 'https://evil.example', 'content-type': 'application/json', ...bearer })).status).toBe(
      403,
    );
    expect((await post({ 'content-type': 'text/plain' })).status, 'no token').toBe(401);
    const plain = await post({ 'content-type': 'text/plain', ...bearer });
    expect(plain.status).toBe(415);
    expect(plain.body).toContain('content-type: send application/json');
    expect((await post({ 'content-type': 'application/x-www-form-urlencoded', ...bearer })).status).toBe(415);
    expect(await h.deps.members.getState(clubId, 'm-evil')).toBeUndefined();
    const sameOrigin = await post({ origin: `http://${host}`, 'content-type': 'application/json', ...bearer });
    expect(sameOrigin.status).toBe(200);
  });

  it('takes purchases as CSV or JSON lines only, its documented upload types', async () => {
    const post = (type: string, body: string) =>
      rawRequest(h.urls.http, {
        method: 'POST',
        path: `/api/clubs/${clubId}/purchases`,
        headers: { host, 'content-type': type, ...bearer },
        body,
      });
    expect((await post('application/json', '{}')).status).toBe(415);
    expect((await post('text/plain', 'member_id')).status).toBe(415);
    expect((await post('text/csv', 'member_id,receipt_id,purchased_at,product_id,quantity\n')).status).not.toBe(415);
  });

  it("answers 413 above a route's body limit, declared or chunked, before reading it", async () => {
    const big = `{"x":"${'a'.repeat(300 * 1024)}"}`;
    for (const chunked of [false, true]) {
      const answer = await rawRequest(h.urls.http, {
        method: 'PUT',
        path: `/api/clubs/${clubId}/themes/big`,
        headers: { host, 'content-type': 'application/json', ...bearer },
        body: big,
        chunked,
      });
      expect(answer.status, chunked ? 'chunked' : 'content-length').toBe(413);
      expect(answer.body).toContain("(body): larger than this route's 256 KiB");
    }
    const upload = await rawRequest(h.urls.http, {
      method: 'POST',
      path: `/api/clubs/${clubId}/purchases`,
      headers: { host, 'content-type': 'text/csv', ...bearer },
      body: 'x'.repeat(6 * 1024 * 1024),
    });
    expect(upload.status).toBe(413);
    const token = signToken(h.tokenKeys, { purpose: 'unsubscribe', clubId, memberId: 'm001' }, h.clock.now());
    const oneClick = await rawRequest(h.urls.http, {
      method: 'POST',
      path: `/u/${token}`,
      headers: { host, 'content-type': 'application/x-www-form-urlencoded' },
      body: `List-Unsubscribe=One-Click&pad=${'a'.repeat(20 * 1024)}`,
    });
    expect(oneClick.status).toBe(413);
    expect((await h.deps.members.getState(clubId, 'm001'))?.member.subscription).toBe('subscribed');
  });

  it('answers links whose key id is __proto__, constructor or toString with the same bytes as a random bad link', async () => {
    const good = signToken(h.tokenKeys, { purpose: 'preferences', clubId, memberId: 'm001' }, h.clock.now());
    const [, payload, tag] = good.split('.');
    const answer = async (method: string, path: string) => {
      const response = await rawRequest(h.urls.http, {
        method,
        path,
        headers: { host, ...(method === 'POST' ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
        ...(method === 'POST' ? { body: 'List-Unsubscribe=One-Click' } : {}),
      });
      return `${response.status} ${response.body}`;
    };
    for (const [method, page] of [
      ['GET', 'p'],
      ['GET', 'u'],
      ['POST', 'u'],
    ] as const) {
      const random = await answer(method, `/${page}/zz9.${payload}.${tag}`);
      expect(random.startsWith('404 ')).toBe(true);
      for (const kid of ['__proto__', 'constructor', 'toString']) {
        expect(await answer(method, `/${page}/${kid}.${payload}.${tag}`), `${method} /${page} ${kid}`).toBe(random);
      }
    }
  });

  it("puts /ops behind an operator's token and this server's origin", async () => {
    expect((await get('/ops/dead-letters')).status).toBe(401);
    const operator = await h.marketer({ groups: ['operators'] });
    expect((await get('/ops/dead-letters', operator.headers)).status).toBe(200);
    expect((await get('/ops/dead-letters', { ...operator.headers, origin: 'https://evil.example' })).status).toBe(403);
    const redrive = await rawRequest(h.urls.http, {
      method: 'POST',
      path: '/ops/dead-letters/send/redrive',
      headers: { host, origin: 'https://evil.example', 'content-type': 'text/plain' },
      body: 'x',
    });
    expect(redrive.status).toBe(403);
  });
});
