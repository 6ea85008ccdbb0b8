import { expect, it } from 'vitest';
import { memoryApi } from '../../support/memory-api.js';

it('answers the health check and a 404 naming the route on in-memory ports', async () => {
  const api = memoryApi();
  expect((await api.app.request('/health')).status).toBe(200);
  const missing = await api.call('GET', '/clubs/c1/nothing');
  expect(missing.status).toBe(404);
});
