import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../lambdas/http/api-error.js';
import { bodyLimits } from '../../lambdas/http/request-limits.js';
import { IMPORT_FILE_LIMIT, policyOf, type RoutePolicy } from '../../lambdas/http/route-policy.js';

const LIMIT = 1024;
const streamed: RoutePolicy = {
  permission: 'write',
  bodyLimit: LIMIT,
  bodyTypes: ['text/csv'],
  streamsBody: true,
  overLimit: 'send it elsewhere',
};

/** An app with one streaming route that reads its body chunk by chunk, and the app's ApiError mapping. */
function streamingApp(onChunk: (chunk: Uint8Array) => void = () => {}) {
  const app = new Hono();
  app.use(
    '*',
    bodyLimits(() => streamed),
  );
  app.put('/file', async (c) => {
    let bytes = 0;
    const body = c.req.raw.body;
    if (!body) return c.json({ bytes });
    for await (const chunk of body) {
      bytes += chunk.byteLength;
      onChunk(chunk);
    }
    return c.json({ bytes });
  });
  app.onError((error, c) =>
    error instanceof ApiError
      ? c.json({ error: error.code, message: error.message }, error.status)
      : c.json({ error: 'internal' }, 500),
  );
  return app;
}

/** A chunked body (no Content-Length) of these chunks, each sent only when `gate(i)` resolves. */
function chunkedBody(chunks: readonly Uint8Array[], gate: (i: number) => Promise<void> = async () => {}) {
  let i = 0;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const chunk = chunks[i];
      if (!chunk) {
        controller.close();
        return;
      }
      await gate(i);
      i += 1;
      controller.enqueue(chunk);
    },
  });
}

const put = (app: Hono, body: ReadableStream<Uint8Array> | string, headers: Record<string, string> = {}) =>
  app.request('/file', { method: 'PUT', body, headers: { 'content-type': 'text/csv', ...headers }, duplex: 'half' });

describe('body limits of a route that streams its body', () => {
  it('hands a chunked body to the route as it arrives, not once it has all arrived', async () => {
    // The second chunk is sent only after the route has read the first: a middleware that buffered
    // the body whole before calling the route would wait forever.
    let firstRead: () => void = () => {};
    const firstSeen = new Promise<void>((resolve) => {
      firstRead = resolve;
    });
    const app = streamingApp(() => firstRead());
    const chunks = [new Uint8Array(300), new Uint8Array(300)];
    const answer = await put(
      app,
      chunkedBody(chunks, (i) => (i === 1 ? firstSeen : Promise.resolve())),
    );
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ bytes: 600 });
  });

  it("cuts a chunked body off at the route's limit with a 413 naming the limit and where bigger bodies go", async () => {
    const seen: number[] = [];
    const app = streamingApp((chunk) => seen.push(chunk.byteLength));
    const answer = await put(app, chunkedBody([new Uint8Array(600), new Uint8Array(600), new Uint8Array(600)]));
    expect(answer.status).toBe(413);
    expect(await answer.json()).toEqual({
      error: 'payload-too-large',
      message: "(body): larger than this route's 1 KiB; send it elsewhere",
    });
    // The route saw what was under the limit and nothing past it.
    expect(seen).toEqual([600]);
  });

  it('refuses a declared Content-Length over the limit before the route runs', async () => {
    let ran = false;
    const app = streamingApp(() => {
      ran = true;
    });
    const answer = await put(app, 'x'.repeat(LIMIT + 1), { 'content-length': String(LIMIT + 1) });
    expect(answer.status).toBe(413);
    expect(ran).toBe(false);
    expect((await put(app, 'x'.repeat(LIMIT), { 'content-length': String(LIMIT) })).status).toBe(200);
  });
});

describe('the route table', () => {
  it("streams an import job's file up to 5 GiB as CSV or JSON lines, and needs write", () => {
    const file = policyOf('PUT', '/api/clubs/:clubId/imports/:jobId/file');
    expect(file).toMatchObject({ permission: 'write', bodyLimit: IMPORT_FILE_LIMIT, streamsBody: true });
    expect(IMPORT_FILE_LIMIT).toBe(5 * 1024 ** 3);
    expect(file.bodyTypes).toEqual(expect.arrayContaining(['text/csv', 'application/x-ndjson']));
    expect(file.bodyTypes).not.toContain('application/json');
  });

  it('asks write to create and start an import, read to follow it and to download its lines', () => {
    expect(policyOf('POST', '/api/clubs/:clubId/imports').permission).toBe('write');
    expect(policyOf('POST', '/api/clubs/:clubId/imports/:jobId/start').permission).toBe('write');
    for (const path of ['', '/:jobId', '/:jobId/rejected.csv', '/:jobId/kept.csv'])
      expect(policyOf('GET', `/api/clubs/:clubId/imports${path}`).permission, path).toBe('read');
  });

  it('keeps the synchronous bulk routes small and points their 413 at import jobs', () => {
    for (const [path, limit] of [
      ['/api/clubs/:clubId/members', 2 * 1024 ** 2],
      ['/api/clubs/:clubId/purchases', 1024 ** 2],
    ] as const) {
      const policy = policyOf('POST', path);
      expect(policy.bodyLimit, path).toBe(limit);
      expect(policy.overLimit, path).toContain('POST /api/clubs/:club/imports');
      expect(policy.streamsBody, path).toBeUndefined();
    }
  });
});
